/**
 * The portal's back office, playing the merchant's validation of orders: a page listing the
 * transactions with Confirm / Cancel buttons, and a JSON API for tests. Protected by a shared key
 * (header `X-Admin-Key` or `?key=`).
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { formatMoney } from '../api/cashback';
import type { PortalContext } from '../context';
import { FaultsSchema } from './faults';
import { describeIssues, errorJson, readJson } from '../api/http';
import { page } from '../layout';
import { cspNonce } from '../security-headers';
import type { Transition } from '../api/ledger';
import { sameSecret } from '../demo/network';
import { PORTAL_COLOR, PORTAL_NAME, SignUpSchema } from '../site/pages';

const LimitSchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const TRANSITION_ROUTE = '/transactions/:id/:transition{confirm|cancel}';

export function adminRoutes(ctx: PortalContext): Hono {
  const { ledger, members, shopOrders } = ctx.store;
  const app = new Hono();

  const requireKey: MiddlewareHandler = async (c, next) => {
    const key = c.req.header('x-admin-key') ?? c.req.query('key') ?? '';
    if (!sameSecret(key, ctx.adminKey)) {
      if (c.req.path.startsWith('/admin/api/')) {
        return errorJson(c, 401, 'unauthorized', 'Missing or wrong admin key (X-Admin-Key).');
      }
      return c.html(
        adminPage(
          c,
          html`<h1>Administration</h1>
            <p class="notice">
              Clé d’administration requise : ajoutez <code>?key=…</code> à l’adresse.
            </p>`,
        ),
        401,
      );
    }
    await next();
  };
  app.use('/admin', requireKey);
  app.use('/admin/*', requireKey);

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
    }
  });

  app.post('/admin/api/members', async (c) => {
    const body = await readJson(c, SignUpSchema);
    if (!body.ok) return body.response;
    const member = await members.create(body.data);
    if (!member)
      return errorJson(c, 409, 'email_taken', `${body.data.email} already has an account.`);
    return c.json(
      { user: { id: member.id, email: member.email, displayName: member.displayName } },
      201,
    );
  });

  app.get('/admin', (c) => {
    const key = encodeURIComponent(c.req.query('key') ?? '');
    const transactions = ledger.recentTransactions(200);
    const clicks = ledger.recentClicks(50);
    return c.html(
      adminPage(
        c,
        html`<h1>Transactions</h1>
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
                              action="/admin/transactions/${t.id}/confirm?key=${key}"
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
                              action="/admin/transactions/${t.id}/cancel?key=${key}"
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
    return c.redirect(`/admin?key=${encodeURIComponent(c.req.query('key') ?? '')}`, 303);
  });

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
