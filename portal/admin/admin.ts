/**
 * The portal's back office, playing the merchant's validation of orders: a page listing the
 * transactions with Confirm / Cancel buttons, and a JSON API for tests. Protected by the admin
 * key, in a header or through the sign-in form (admin-auth.ts); never in the URL.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { z } from 'zod';
import { formatMoney } from '../api/cashback';
import type { PortalContext } from '../context';
import { catalogueRoutes } from './catalogue';
import { FaultsSchema } from './faults';
import { CLAIMS_PAGE, mountClaimAdmin } from './claims-admin';
import {
  busy,
  clientAddress,
  describeIssues,
  errorJson,
  readJson,
  retryAfterSeconds,
  tooManyRequests,
  waitText,
} from '../api/http';
import { HashingBusyError } from '../api/passwords';
import { page } from '../layout';
import { cspNonce } from '../security-headers';
import type { Transition } from '../api/ledger';
import type { Member } from '../api/members';
import { sameSecret } from '../secrets';
import { PORTAL_COLOR, PORTAL_NAME, SignUpSchema } from '../site/pages';
import { payoutAdminRoutes, payoutsSection } from './payouts-admin';
import {
  ADMIN_COOKIE,
  ADMIN_SESSION_TTL_MS,
  adminCredential,
  fromAnotherSite,
  presentedKey,
} from './admin-auth';

const LimitSchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const SignInSchema = z.object({ key: z.string().max(1000) });

const TRANSITION_ROUTE = '/transactions/:id/:transition{confirm|cancel}';
const SIGN_IN_PATH = '/admin/connexion';
const SIGN_OUT_PATH = '/admin/deconnexion';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function adminRoutes(ctx: PortalContext): Hono {
  const { ledger, members, shopOrders } = ctx.store;
  const app = new Hono();

  const isApi = (c: Context) => c.req.path.startsWith('/admin/api/');

  const forbidden = (c: Context) =>
    isApi(c)
      ? errorJson(c, 403, 'forbidden', 'Cross-site request refused.')
      : c.html(adminPage(c, html`<h1>Requête refusée</h1>`), 403);

  /** Wrong keys are limited per address (throttle.ts): 429 once spent. */
  const throttled = (c: Context, retryAfterMs: number) => {
    if (isApi(c)) return tooManyRequests(c, retryAfterMs, 'Trop de clés d’administration erronées');
    c.header('Retry-After', String(retryAfterSeconds(retryAfterMs)));
    return c.html(
      signInPage(c, `Trop de clés erronées : réessayez ${waitText(retryAfterMs)}.`),
      429,
    );
  };

  const requireAdmin: MiddlewareHandler = async (c, next) => {
    if (c.req.path === SIGN_IN_PATH || c.req.path === SIGN_OUT_PATH) return next();
    // A key sent in a header is an attempt: counted before it is checked, given back if right.
    const keyGiven = presentedKey(c) !== undefined;
    const address = clientAddress(c);
    if (keyGiven) {
      const allowed = ctx.throttles.admin.reserve(address);
      if (!allowed.ok) return throttled(c, allowed.retryAfterMs);
    }
    const credential = adminCredential(c, ctx.adminKey, ctx.adminSessions);
    if (keyGiven && credential === 'key') ctx.throttles.admin.release(address);
    if (!credential) {
      if (isApi(c)) {
        return errorJson(
          c,
          401,
          'unauthorized',
          'Missing or wrong admin key (X-Admin-Key or Authorization: Bearer).',
        );
      }
      return c.html(signInPage(c), 401);
    }
    // The cookie rides along with any request the browser makes: only the portal's own pages
    // may change something with it.
    if (
      credential === 'session' &&
      !SAFE_METHODS.has(c.req.method) &&
      fromAnotherSite(c, ctx.publicOrigin())
    ) {
      return forbidden(c);
    }
    await next();
  };
  app.use('/admin', requireAdmin);
  app.use('/admin/*', requireAdmin);

  app.post(SIGN_IN_PATH, async (c) => {
    if (fromAnotherSite(c, ctx.publicOrigin())) return forbidden(c);
    const address = clientAddress(c);
    const allowed = ctx.throttles.admin.reserve(address);
    if (!allowed.ok) return throttled(c, allowed.retryAfterMs);
    const parsed = SignInSchema.safeParse(await c.req.parseBody());
    if (!parsed.success || !sameSecret(parsed.data.key, ctx.adminKey)) {
      return c.html(signInPage(c, 'Clé d’administration incorrecte.'), 401);
    }
    ctx.throttles.admin.release(address);
    setCookie(c, ADMIN_COOKIE, ctx.adminSessions.open(), {
      path: '/admin',
      httpOnly: true,
      sameSite: 'Strict',
      secure: ctx.publicOrigin().startsWith('https:'),
      maxAge: ADMIN_SESSION_TTL_MS / 1000,
    });
    return c.redirect('/admin', 303);
  });

  app.post(SIGN_OUT_PATH, (c) => {
    if (fromAnotherSite(c, ctx.publicOrigin())) return forbidden(c);
    const token = getCookie(c, ADMIN_COOKIE);
    if (token) ctx.adminSessions.close(token);
    deleteCookie(c, ADMIN_COOKIE, {
      path: '/admin',
      secure: ctx.publicOrigin().startsWith('https:'),
    });
    return c.redirect('/admin', 303);
  });

  /** Query `?limit=` for the lists; undefined after answering 400. */
  const limitOf = (c: Context): number | Response => {
    const parsed = LimitSchema.safeParse({ limit: c.req.query('limit') });
    return parsed.success
      ? parsed.data.limit
      : errorJson(c, 400, 'invalid_request', describeIssues(parsed.error));
  };

  // Faults the API plays (tests of a misbehaving portal) and the merchant list's answer counts.
  app.get('/admin/api/faults', (c) => c.json({ ...ctx.faults.faults, stats: ctx.faults.stats }));
  app.put('/admin/api/faults', async (c) => {
    const body = await readJson(c, FaultsSchema);
    if (!body.ok) return body.response;
    ctx.faults.faults = body.data;
    return c.json({ ...ctx.faults.faults, stats: ctx.faults.stats });
  });

  // Every request answered since number `after` (method, host, path): what a test proves unsent.
  app.get('/admin/api/requests', (c) => {
    const after = Number(c.req.query('after') ?? 0);
    if (!Number.isInteger(after) || after < 0) {
      return errorJson(c, 400, 'invalid_request', '`after` must be a request number (≥ 0).');
    }
    return c.json({ requests: ctx.requests.since(after) });
  });

  app.get('/admin/api/transactions', (c) => {
    const limit = limitOf(c);
    if (limit instanceof Response) return limit;
    return c.json({ transactions: ledger.recentTransactions(limit) });
  });

  app.get('/admin/api/clicks', (c) => {
    const limit = limitOf(c);
    if (limit instanceof Response) return limit;
    return c.json({ clicks: ledger.recentClicks(limit) });
  });

  app.get('/admin/api/orders', (c) => {
    const limit = limitOf(c);
    if (limit instanceof Response) return limit;
    return c.json({ orders: shopOrders.recent(limit) });
  });

  app.post(`/admin/api${TRANSITION_ROUTE}`, (c) => {
    const result = ledger.transition(c.req.param('id'), c.req.param('transition') as Transition);
    switch (result.kind) {
      case 'ok':
        return c.json({ transaction: result.transaction });
      case 'not_found':
        return errorJson(c, 404, 'unknown_transaction', `No transaction ${c.req.param('id')}.`);
      case 'invalid_transition':
        return errorJson(
          c,
          409,
          'invalid_transition',
          `Cannot ${c.req.param('transition')} a ${result.from} transaction.`,
        );
      case 'insufficient_balance':
        return errorJson(
          c,
          409,
          'insufficient_balance',
          'Its cashback has been withdrawn already: the confirmed balance would go below zero.',
        );
    }
  });

  app.post('/admin/api/members', async (c) => {
    const body = await readJson(c, SignUpSchema);
    if (!body.ok) return body.response;
    let member: Member | undefined;
    try {
      member = await members.create(body.data);
    } catch (error) {
      if (!(error instanceof HashingBusyError)) throw error;
      return busy(c);
    }
    if (!member)
      return errorJson(c, 409, 'email_taken', `${body.data.email} already has an account.`);
    return c.json(
      { user: { id: member.id, email: member.email, displayName: member.displayName } },
      201,
    );
  });

  app.get('/admin', (c) => {
    const transactions = ledger.recentTransactions(200);
    const clicks = ledger.recentClicks(50);
    return c.html(
      adminPage(
        c,
        html`<form class="inline" method="post" action="${SIGN_OUT_PATH}">
            <button type="submit" class="secondary">Se déconnecter</button>
          </form>
          <p><a href="${CLAIMS_PAGE}" data-testid="admin-claims-link">Réclamations</a></p>
          <h1>Transactions</h1>
          <p><a href="/admin/marchands">Catalogue des marchands</a></p>
          <table data-testid="admin-transactions">
            <thead>
              <tr>
                <th scope="col">N°</th>
                <th scope="col">Date</th>
                <th scope="col">Membre</th>
                <th scope="col">Marchand</th>
                <th scope="col" class="num">Commande</th>
                <th scope="col" class="num">Cashback</th>
                <th scope="col">Statut</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              ${transactions.map(
                (t) =>
                  html`<tr data-testid="admin-transaction" data-transaction-id="${t.id}">
                    <td>${t.id}</td>
                    <td>${t.orderedAt.slice(0, 16).replace('T', ' ')}</td>
                    <td>${t.memberId}</td>
                    <td>${t.merchantName}</td>
                    <td class="num">${formatMoney(t.orderAmount)}</td>
                    <td class="num">${formatMoney(t.cashback)}</td>
                    <td data-testid="status">${t.status}</td>
                    <td>
                      ${
                        t.status === 'pending'
                          ? html`<form
                              class="inline"
                              method="post"
                              action="/admin/transactions/${t.id}/confirm"
                            >
                              <button type="submit">Confirmer</button>
                            </form>`
                          : ''
                      }
                      ${
                        t.status === 'pending' || t.status === 'confirmed'
                          ? html`<form
                              class="inline"
                              method="post"
                              action="/admin/transactions/${t.id}/cancel"
                            >
                              <button type="submit" class="secondary">Annuler</button>
                            </form>`
                          : ''
                      }
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>
          ${payoutsSection(ctx)}
          <h2>Derniers clics</h2>
          <table data-testid="admin-clicks">
            <thead>
              <tr>
                <th scope="col">Clic</th>
                <th scope="col">Date</th>
                <th scope="col">Membre</th>
                <th scope="col">Marchand</th>
                <th scope="col">Suivi</th>
              </tr>
            </thead>
            <tbody>
              ${clicks.map(
                (click) =>
                  html`<tr>
                    <td>${click.id}</td>
                    <td>${click.createdAt.slice(0, 16).replace('T', ' ')}</td>
                    <td>${click.memberId}</td>
                    <td>${click.merchantId}</td>
                    <td>${click.followedAt ? 'oui' : 'non'}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`,
      ),
    );
  });

  // The page's buttons: same transitions, answered by going back to the page.
  app.post(`/admin${TRANSITION_ROUTE}`, (c) => {
    const result = ledger.transition(c.req.param('id'), c.req.param('transition') as Transition);
    if (result.kind === 'not_found')
      return c.html(adminPage(c, html`<h1>Transaction inconnue</h1>`), 404);
    if (result.kind === 'invalid_transition') {
      return c.html(
        adminPage(c, html`<h1>Transition impossible depuis « ${result.from} »</h1>`),
        409,
      );
    }
    if (result.kind === 'insufficient_balance') {
      return c.html(
        adminPage(c, html`<h1>Cashback déjà retiré : le solde confirmé deviendrait négatif</h1>`),
        409,
      );
    }
    return c.redirect('/admin', 303);
  });

  mountClaimAdmin(app, ctx, adminPage);

  // The merchant catalogue: its API and its pages (catalogue.ts).
  catalogueRoutes(app, ctx, adminPage);

  app.route('/', payoutAdminRoutes(ctx));
  app.all('/admin/api/*', (c) => errorJson(c, 404, 'not_found', `No admin route ${c.req.path}.`));
  return app;
}

function adminPage(c: Context, body: ReturnType<typeof html>) {
  return page({
    nonce: cspNonce(c),
    title: `Administration — ${PORTAL_NAME}`,
    siteName: `${PORTAL_NAME} · administration`,
    homeHref: '/',
    accent: PORTAL_COLOR,
    body,
  });
}

function signInPage(c: Context, error?: string) {
  return adminPage(
    c,
    html`<h1>Administration</h1>
      ${error ? html`<p class="notice" role="alert">${error}</p>` : ''}
      <form method="post" action="${SIGN_IN_PATH}">
        <label for="key">Clé d’administration</label>
        <input id="key" name="key" type="password" required autocomplete="current-password" />
        <p><button type="submit">Se connecter</button></p>
      </form>`,
  );
}
