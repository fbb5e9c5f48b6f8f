/**
 * The portal's pages about the member's money: where a member registers the bank account their
 * transfers go to (the extension never asks for an IBAN: it links here), and the charities with
 * what the members gave them. The site has no sessions of its own: the form asks for the
 * password, limited as the API's sign-in is (throttle.ts).
 */
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { formatMoney } from '../api/cashback';
import {
  BUSY_RETRY_AFTER_S,
  clientAddress,
  describeIssues,
  retryAfterSeconds,
  waitText,
} from '../api/http';
import { maskIban, normalizeIban } from '../api/iban';
import { normalizeEmail, type Member } from '../api/members';
import { HashingBusyError } from '../api/passwords';
import { BANK_ACCOUNT_PATH, charities } from '../api/payouts';
import type { PortalContext } from '../context';
import type { Html } from '../layout';

const BankAccountFormSchema = z.object({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(1000),
  holder: z.string().trim().min(1).max(200),
  iban: z.string().max(64),
});

export const CHARITIES_PATH = '/associations';

export function payoutPageRoutes(ctx: PortalContext, shell: PortalShell): Hono {
  const { members, payouts } = ctx.store;
  const app = new Hono();

  app.get(BANK_ACCOUNT_PATH, (c) => c.html(bankAccountPage(c, shell)));

  app.post(BANK_ACCOUNT_PATH, async (c) => {
    const parsed = BankAccountFormSchema.safeParse(await c.req.parseBody());
    if (!parsed.success)
      return c.html(bankAccountPage(c, shell, describeIssues(parsed.error)), 400);
    const { email, password, holder } = parsed.data;
    const iban = normalizeIban(parsed.data.iban);
    if (!iban) {
      return c.html(
        bankAccountPage(c, shell, 'Cet IBAN n’est pas valide : vérifiez-le sur votre RIB.'),
        400,
      );
    }
    const attempt = ctx.throttles.login(clientAddress(c), normalizeEmail(email));
    if (!attempt.ok) {
      c.header('Retry-After', String(retryAfterSeconds(attempt.retryAfterMs)));
      const wait = waitText(attempt.retryAfterMs);
      return c.html(bankAccountPage(c, shell, `Trop de tentatives : réessayez ${wait}.`), 429);
    }
    let member: Member | undefined;
    try {
      member = await members.verifyLogin(email, password);
    } catch (error) {
      if (!(error instanceof HashingBusyError)) throw error;
      attempt.abandoned();
      c.header('Retry-After', String(BUSY_RETRY_AFTER_S));
      return c.html(bankAccountPage(c, shell, 'Le portail est très sollicité : réessayez.'), 503);
    }
    if (!member) {
      return c.html(bankAccountPage(c, shell, 'Adresse e-mail ou mot de passe incorrect.'), 401);
    }
    attempt.succeeded();
    payouts.setBankAccount(member.rowId, iban, holder);
    return c.html(
      shell(
        c,
        'Compte bancaire',
        html`<h1>Compte bancaire enregistré</h1>
          <p class="notice success" data-testid="bank-account-saved">
            Vos virements iront sur le compte ${maskIban(iban)} (${holder}). Rouvrez l’extension
            pour retirer votre cashback.
          </p>`,
      ),
    );
  });

  app.get(CHARITIES_PATH, (c) => {
    const list = charities(ctx.publicOrigin(), payouts.raisedByCharity());
    return c.html(
      shell(
        c,
        'Associations',
        html`<h1>Associations soutenues</h1>
          <p>
            Donnez tout ou partie de votre cashback confirmé depuis l’extension : l’association
            reçoit la totalité du montant.
          </p>
          <ul class="grid" data-testid="charities">
            ${list.map(
              (charity) =>
                html`<li class="card" data-testid="charity" data-charity-id="${charity.id}">
                  <h2>
                    <img
                      src="${CHARITY_LOGO(charity.id)}"
                      alt=""
                      width="32"
                      height="32"
                      class="inline-logo"
                    />
                    ${charity.name}
                  </h2>
                  <p>${charity.description}</p>
                  <p>
                    Dons reçus :
                    <strong data-testid="raised">${formatMoney(charity.raised ?? 0)}</strong>
                  </p>
                </li>`,
            )}
          </ul>`,
      ),
    );
  });

  return app;
}

const CHARITY_LOGO = (id: string) => `/logos/associations/${id}.svg`;

/** The portal's page frame (site/pages.ts), passed in to keep one navigation. */
export type PortalShell = (c: Context, title: string, body: Html) => Html;

function bankAccountPage(c: Context, shell: PortalShell, error?: string): Html {
  return shell(
    c,
    'Compte bancaire',
    html`<h1>Mon compte bancaire</h1>
      <p>
        Le compte sur lequel vous recevrez vos retraits par virement. Il reste sur le portail :
        l’extension n’en affiche que le début et la fin.
      </p>
      ${error ? html`<p class="notice" role="alert">${error}</p>` : ''}
      <form method="post" action="${BANK_ACCOUNT_PATH}">
        <label for="email">Adresse e-mail</label>
        <input id="email" name="email" type="email" required autocomplete="email" />
        <label for="password">Mot de passe</label>
        <input
          id="password"
          name="password"
          type="password"
          required
          autocomplete="current-password"
        />
        <label for="holder">Titulaire du compte</label>
        <input id="holder" name="holder" required maxlength="200" autocomplete="name" />
        <label for="iban">IBAN</label>
        <input
          id="iban"
          name="iban"
          required
          maxlength="64"
          autocomplete="off"
          placeholder="FR76 3000 6000 0112 3456 7890 189"
        />
        <p><button type="submit">Enregistrer</button></p>
      </form>`,
  );
}
