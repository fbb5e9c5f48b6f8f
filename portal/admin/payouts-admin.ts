/**
 * The back office's side of payouts: the payouts to pay (Payer: a voucher gets its code) or to
 * fail (Échec: the money returns to the member's confirmed balance), what the charities received,
 * and, for tests and demos, a member's tier and bank account. Mounted by admin.ts, behind its
 * admin key.
 */
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { formatMoney } from '../api/cashback';
import { describeIssues, errorJson, readJson } from '../api/http';
import { maskIban, normalizeIban } from '../api/iban';
import { charities } from '../api/payouts';
import type { Settlement, SettlementResult } from '../api/payout-ledger';
import { TIER_IDS } from '../api/tiers';
import type { PortalContext } from '../context';

const SETTLE_ROUTE = '/payouts/:id/:settlement{pay|fail}';

const SettleSchema = z.object({ code: z.string().trim().min(4).max(200).optional() });
const TierSchema = z.object({ tier: z.enum(TIER_IDS) });
const BankAccountSchema = z.object({
  iban: z.string().max(64),
  holder: z.string().trim().min(1).max(200),
});
const LimitSchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const METHOD_LABEL: Record<string, string> = {
  transfer: 'Virement',
  voucher: 'Bon d’achat',
  donation: 'Don',
};

export function payoutAdminRoutes(ctx: PortalContext): Hono {
  const { members, payouts } = ctx.store;
  const app = new Hono();

  const settled = (c: Context, result: SettlementResult) => {
    switch (result.kind) {
      case 'ok':
        return c.json({ payout: result.payout });
      case 'not_found':
        return errorJson(c, 404, 'unknown_payout', `No payout ${c.req.param('id')}.`);
      case 'invalid_transition':
        return errorJson(c, 409, 'invalid_transition', `The payout is ${result.from} already.`);
    }
  };

  app.get('/admin/api/payouts', (c) => {
    const parsed = LimitSchema.safeParse({ limit: c.req.query('limit') });
    if (!parsed.success) return errorJson(c, 400, 'invalid_request', describeIssues(parsed.error));
    return c.json({ payouts: payouts.recent(parsed.data.limit) });
  });

  app.post(`/admin/api${SETTLE_ROUTE}`, async (c) => {
    const text = await c.req.text();
    let code: string | undefined;
    if (text.trim() !== '') {
      const body = await readJson(c, SettleSchema);
      if (!body.ok) return body.response;
      code = body.data.code;
    }
    const settlement = c.req.param('settlement') as Settlement;
    return settled(c, payouts.settle(c.req.param('id'), settlement, code));
  });

  app.get('/admin/api/charities', (c) =>
    c.json({ charities: charities(ctx.publicOrigin(), payouts.raisedByCharity()) }),
  );

  app.put('/admin/api/members/:id/tier', async (c) => {
    const body = await readJson(c, TierSchema);
    if (!body.ok) return body.response;
    const member = members.byId(c.req.param('id'));
    if (!member) return errorJson(c, 404, 'unknown_member', `No member ${c.req.param('id')}.`);
    members.setTier(member.rowId, body.data.tier);
    return c.json({ user: members.byId(member.id) });
  });

  app.put('/admin/api/members/:id/bank-account', async (c) => {
    const body = await readJson(c, BankAccountSchema);
    if (!body.ok) return body.response;
    const member = members.byId(c.req.param('id'));
    if (!member) return errorJson(c, 404, 'unknown_member', `No member ${c.req.param('id')}.`);
    const iban = normalizeIban(body.data.iban);
    if (!iban)
      return errorJson(c, 400, 'invalid_iban', 'Not an IBAN (its check digits are wrong).');
    payouts.setBankAccount(member.rowId, iban, body.data.holder);
    return c.json({ account: { masked: maskIban(iban), holder: body.data.holder } });
  });

  // The page's buttons: the same settlements, answered by going back to the page.
  app.post(`/admin${SETTLE_ROUTE}`, (c) => {
    const result = payouts.settle(c.req.param('id'), c.req.param('settlement') as Settlement);
    if (result.kind === 'not_found') return c.text('Retrait inconnu', 404);
    if (result.kind === 'invalid_transition') return c.text('Retrait déjà réglé', 409);
    return c.redirect('/admin', 303);
  });

  return app;
}

/** The payouts' table of the admin page, newest first, with Payer / Échec on requested ones. */
export function payoutsSection(ctx: PortalContext) {
  const recent = ctx.store.payouts.recent(100);
  return html`<h2>Retraits</h2>
    <table data-testid="admin-payouts">
      <thead>
        <tr>
          <th scope="col">N°</th>
          <th scope="col">Date</th>
          <th scope="col">Membre</th>
          <th scope="col">Mode</th>
          <th scope="col">Bénéficiaire</th>
          <th scope="col" class="num">Montant</th>
          <th scope="col" class="num">Frais</th>
          <th scope="col">Statut</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        ${recent.map(
          (p) =>
            html`<tr data-testid="admin-payout" data-payout-id="${p.id}">
              <td>${p.id}</td>
              <td>${p.requestedAt.slice(0, 16).replace('T', ' ')}</td>
              <td>${p.memberId}</td>
              <td>${METHOD_LABEL[p.method] ?? p.method}</td>
              <td>${p.account ?? p.voucher?.brandName ?? p.charity?.name ?? ''}</td>
              <td class="num">${formatMoney(p.amount, p.currency)}</td>
              <td class="num">${formatMoney(p.fee, p.currency)}</td>
              <td data-testid="status">${p.status}</td>
              <td>
                ${
                  p.status === 'requested'
                    ? html`<form class="inline" method="post" action="/admin/payouts/${p.id}/pay">
                          <button type="submit">Payer</button>
                        </form>
                        <form class="inline" method="post" action="/admin/payouts/${p.id}/fail">
                          <button type="submit" class="secondary">Échec</button>
                        </form>`
                    : ''
                }
              </td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}
