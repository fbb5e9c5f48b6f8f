/**
 * The portal's own pages: the landing page listing the demo shops, the pages the extension links
 * to (/compte, /inscription, /aide) and `/go/<clickId>`, the start of an activated click.
 */
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { formatCashback, formatMoney } from '../api/cashback';
import { CATEGORIES } from '../demo/catalog';
import type { PortalContext } from '../context';
import {
  BUSY_RETRY_AFTER_S,
  clientAddress,
  describeIssues,
  retryAfterSeconds,
  sibling,
  waitText,
} from '../api/http';
import { normalizeEmail } from '../api/members';
import { HashingBusyError } from '../api/passwords';
import { page, type Html } from '../layout';
import { cspNonce } from '../security-headers';
import { PAYOUT_THRESHOLD } from '../api/ledger';
import { NETWORK_HOP_HOST } from '../demo/network';
import { DEMO_MEMBER } from '../demo/seed';
import { BANK_ACCOUNT_PATH } from '../api/payouts';
import { CHARITIES_PATH, payoutPageRoutes } from './payout-pages';

export const PORTAL_NAME = 'Ristourne';
export const PORTAL_COLOR = '#0b6e4f';

export const SignUpSchema = z.object({
  email: z.email().max(320),
  password: z.string().min(8).max(1000),
  displayName: z.string().trim().min(1).max(200),
});

function portalPage(c: Context, title: string, body: Html): Html {
  return page({
    nonce: cspNonce(c),
    title: `${title} — ${PORTAL_NAME}`,
    siteName: PORTAL_NAME,
    accent: PORTAL_COLOR,
    nav: [
      { href: '/', label: 'Marchands' },
      { href: '/compte', label: 'Mon compte' },
      { href: CHARITIES_PATH, label: 'Associations' },
      { href: '/inscription', label: 'Inscription' },
      { href: '/aide', label: 'Aide' },
    ],
    body,
    footer: 'Portail de cashback de démonstration : les marchands et les achats sont fictifs.',
  });
}

export function pageRoutes(ctx: PortalContext): Hono {
  const { merchants, members, ledger } = ctx.store;
  const app = new Hono();

  app.get('/', (c) => {
    const shops = merchants.demo();
    return c.html(
      portalPage(
        c,
        'Accueil',
        html`<h1>Du cashback chez ${shops.length} marchands</h1>
          <p>
            Achetez chez nos marchands partenaires après avoir activé le cashback : une partie de
            votre achat revient dans votre cagnotte.
          </p>
          <p class="notice">
            Compte de démonstration : <strong>${DEMO_MEMBER.email}</strong> / mot de passe
            <strong>${DEMO_MEMBER.password}</strong>
          </p>
          <h2>Marchands partenaires</h2>
          <table data-testid="merchant-table">
            <thead>
              <tr>
                <th scope="col">Marchand</th>
                <th scope="col">Catégorie</th>
                <th scope="col">Cashback</th>
                <th scope="col">Boutique</th>
              </tr>
            </thead>
            <tbody>
              ${shops.map((merchant) => {
                const url = `${sibling(c, merchant.domains[0]!)}/`;
                return html`<tr data-testid="merchant-row" data-merchant-id="${merchant.id}">
                  <td>
                    <img
                      src="/logos/${merchant.id}.svg"
                      alt=""
                      width="24"
                      height="24"
                      class="inline-logo"
                    />
                    ${merchant.name}
                  </td>
                  <td>${CATEGORIES[merchant.category]}</td>
                  <td>${formatCashback(merchant.cashback)}</td>
                  <td><a href="${url}">${url}</a></td>
                </tr>`;
              })}
            </tbody>
          </table>`,
      ),
    );
  });

  app.get('/compte', (c) =>
    c.html(
      portalPage(
        c,
        'Mon compte',
        html`<h1>Mon compte</h1>
          <p>
            Votre cagnotte et vos achats suivis s’affichent dans l’extension ${PORTAL_NAME} :
            connectez-vous depuis son bouton dans la barre d’outils.
          </p>
          <p>
            Le cashback confirmé peut être retiré dès ${formatMoney(PAYOUT_THRESHOLD)}. Le cashback
            en attente est confirmé quand le marchand valide la commande (après le délai de
            rétractation).
          </p>
          <p>
            Retirez-le par virement sur votre compte bancaire (<a href="${BANK_ACCOUNT_PATH}"
              >enregistrer mon RIB</a
            >), en bons d’achat, ou donnez-le à une <a href="${CHARITIES_PATH}">association</a>,
            depuis l’extension.
          </p>
          <p><a href="/inscription">Pas encore de compte ? Inscrivez-vous.</a></p>`,
      ),
    ),
  );

  app.get('/inscription', (c) => c.html(signUpPage(c)));

  // The same answer whether the email already had an account or not, after the same work (a
  // password hash): the form must not tell who is a member. The address is limited (throttle.ts).
  app.post('/inscription', async (c) => {
    const parsed = SignUpSchema.safeParse(await c.req.parseBody());
    if (!parsed.success) return c.html(signUpPage(c, describeIssues(parsed.error)), 400);
    const allowed = ctx.throttles.signUps.reserve(clientAddress(c));
    if (!allowed.ok) {
      c.header('Retry-After', String(retryAfterSeconds(allowed.retryAfterMs)));
      const wait = waitText(allowed.retryAfterMs);
      return c.html(
        signUpPage(c, `Trop d’inscriptions depuis votre connexion : réessayez ${wait}.`),
        429,
      );
    }
    try {
      await members.signUp(parsed.data);
    } catch (error) {
      if (!(error instanceof HashingBusyError)) throw error;
      ctx.throttles.signUps.release(clientAddress(c));
      c.header('Retry-After', String(BUSY_RETRY_AFTER_S));
      return c.html(
        signUpPage(c, 'Le portail est très sollicité : réessayez dans un instant.'),
        503,
      );
    }
    return c.html(
      portalPage(
        c,
        'Inscription',
        html`<h1>Inscription enregistrée</h1>
          <p class="notice success" data-testid="signup-success">
            Si l’adresse ${normalizeEmail(parsed.data.email)} n’avait pas encore de compte, il est
            créé : connectez-vous dans l’extension avec cette adresse et ce mot de passe pour
            activer votre cashback. Si elle en avait déjà un, rien n’a changé : connectez-vous avec
            votre mot de passe habituel.
          </p>`,
      ),
      200,
    );
  });

  app.get('/aide', (c) =>
    c.html(
      portalPage(
        c,
        'Aide',
        html`<h1>Aide</h1>
          <h2>Comment fonctionne le cashback ?</h2>
          <p>
            Quand vous activez le cashback chez un marchand, vous passez par notre lien de
            partenariat. Le marchand nous verse une commission sur votre achat et nous vous en
            reversons la plus grande partie.
          </p>
          <h2>Pourquoi mon achat n’apparaît-il pas ?</h2>
          <p>
            Activez le cashback juste avant d’acheter, dans le même onglet, et acceptez les cookies
            du marchand. Un passage par un autre site de cashback ou de bons plans remplace notre
            lien : l’extension ne vous propose alors pas d’activer le cashback.
          </p>
          <h2>Quand puis-je retirer mes gains ?</h2>
          <p>Dès que votre cashback confirmé atteint ${formatMoney(PAYOUT_THRESHOLD)}.</p>`,
      ),
    ),
  );

  app.route('/', payoutPageRoutes(ctx, portalPage));

  // The member's browser arrives here from the extension; the network takes it on to the shop.
  app.get('/go/:clickId', (c) => {
    const click = ledger.followClick(c.req.param('clickId'));
    if (!click) {
      return c.html(
        portalPage(
          c,
          'Lien inconnu',
          html`<h1>Lien inconnu</h1>
            <p>
              Ce lien d’activation n’existe pas ou plus. Réactivez le cashback depuis l’extension.
            </p>`,
        ),
        404,
      );
    }
    c.header('Cache-Control', 'no-store');
    return c.redirect(`${sibling(c, NETWORK_HOP_HOST)}/clk?c=${encodeURIComponent(click.id)}`, 302);
  });

  return app;
}

function signUpPage(c: Context, error?: string): Html {
  return portalPage(
    c,
    'Inscription',
    html`<h1>Créer un compte</h1>
      ${error ? html`<p class="notice" role="alert">${error}</p>` : ''}
      <form method="post" action="/inscription">
        <label for="displayName">Nom affiché</label>
        <input id="displayName" name="displayName" required maxlength="200" autocomplete="name" />
        <label for="email">Adresse e-mail</label>
        <input id="email" name="email" type="email" required autocomplete="email" />
        <label for="password">Mot de passe (8 caractères au moins)</label>
        <input
          id="password"
          name="password"
          type="password"
          required
          minlength="8"
          autocomplete="new-password"
        />
        <p><button type="submit">Créer mon compte</button></p>
      </form>`,
  );
}
