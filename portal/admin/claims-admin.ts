/**
 * The back office's claims (api/claims.ts): a page listing them, the ones to decide first, with
 * "Accepter" (the pending transaction created in the same database transaction) and "Refuser"
 * (with the reason the member reads); and the same as a JSON API for the tests. Mounted inside
 * admin.ts, behind its access check.
 */
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { formatMoney } from '../api/cashback';
import type { DecisionResult } from '../api/claims';
import { describeIssues, errorJson, readJson } from '../api/http';
import type { PortalContext } from '../context';
import type { Html } from '../layout';

export const CLAIMS_PAGE = '/admin/reclamations';

const RejectSchema = z.object({ reason: z.string().trim().min(1).max(1000) });
const LimitSchema = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

const STATUS_LABEL = { submitted: 'à traiter', accepted: 'acceptée', rejected: 'refusée' };

export function mountClaimAdmin(
  app: Hono,
  ctx: PortalContext,
  adminPage: (c: Context, body: Html) => Html,
): void {
  const { claims } = ctx.store;

  const apiAnswer = (c: Context, id: string, result: DecisionResult) => {
    switch (result.kind) {
      case 'ok':
        return c.json({ claim: result.claim });
      case 'not_found':
        return errorJson(c, 404, 'unknown_claim', `No claim ${id}.`);
      case 'already_decided':
        return errorJson(c, 409, 'already_decided', `Claim ${id} is already ${result.status}.`);
    }
  };

  app.get('/admin/api/claims', (c) => {
    const parsed = LimitSchema.safeParse({ limit: c.req.query('limit') });
    if (!parsed.success) return errorJson(c, 400, 'invalid_request', describeIssues(parsed.error));
    return c.json({ claims: claims.recent(parsed.data.limit) });
  });

  app.post('/admin/api/claims/:id/accept', (c) =>
    apiAnswer(c, c.req.param('id'), claims.accept(c.req.param('id'))),
  );

  app.post('/admin/api/claims/:id/reject', async (c) => {
    const body = await readJson(c, RejectSchema);
    if (!body.ok) return body.response;
    return apiAnswer(c, c.req.param('id'), claims.reject(c.req.param('id'), body.data.reason));
  });

  app.get(CLAIMS_PAGE, (c) => {
    const list = claims.recent(200);
    return c.html(
      adminPage(
        c,
        html`<p><a href="/admin">← Transactions</a></p>
          <h1>Réclamations</h1>
          ${
            list.length === 0
              ? html`<p>Aucune réclamation.</p>`
              : html`<table data-testid="admin-claims">
                  <thead>
                    <tr>
                      <th scope="col">N°</th>
                      <th scope="col">Envoyée</th>
                      <th scope="col">Membre</th>
                      <th scope="col">Marchand</th>
                      <th scope="col">Commande</th>
                      <th scope="col" class="num">Montant</th>
                      <th scope="col">Clic</th>
                      <th scope="col">Statut</th>
                      <th scope="col">Décision</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${list.map(
                      (claim) =>
                        html`<tr data-testid="admin-claim" data-claim-id="${claim.id}">
                          <td>${claim.id}</td>
                          <td>${claim.submittedAt.slice(0, 16).replace('T', ' ')}</td>
                          <td>${claim.memberId}</td>
                          <td>${claim.merchantName}</td>
                          <td>${claim.orderRef}<br />${claim.orderedAt.slice(0, 10)}</td>
                          <td class="num">${formatMoney(claim.orderAmount, claim.currency)}</td>
                          <td>${claim.clickId}</td>
                          <td data-testid="status">
                            ${STATUS_LABEL[claim.status]}${claim.reason ? ` : ${claim.reason}` : ''}
                          </td>
                          <td>
                            ${
                              claim.status === 'submitted'
                                ? html`<form
                                      class="inline"
                                      method="post"
                                      action="${CLAIMS_PAGE}/${claim.id}/accepter"
                                    >
                                      <button type="submit">Accepter</button>
                                    </form>
                                    <form method="post" action="${CLAIMS_PAGE}/${claim.id}/refuser">
                                      <label for="reason-${claim.id}">Motif du refus</label>
                                      <input id="reason-${claim.id}" name="reason" required />
                                      <button type="submit" class="secondary">Refuser</button>
                                    </form>`
                                : ''
                            }
                          </td>
                        </tr>`,
                    )}
                  </tbody>
                </table>`
          }`,
      ),
    );
  });

  // The page's buttons: the same decisions, answered by going back to the page.
  const pageAnswer = (c: Context, result: DecisionResult) => {
    if (result.kind === 'not_found') {
      return c.html(adminPage(c, html`<h1>Réclamation inconnue</h1>`), 404);
    }
    if (result.kind === 'already_decided') {
      return c.html(
        adminPage(c, html`<h1>Réclamation déjà ${STATUS_LABEL[result.status]}</h1>`),
        409,
      );
    }
    return c.redirect(CLAIMS_PAGE, 303);
  };

  app.post(`${CLAIMS_PAGE}/:id/accepter`, (c) => pageAnswer(c, claims.accept(c.req.param('id'))));

  app.post(`${CLAIMS_PAGE}/:id/refuser`, async (c) => {
    const parsed = RejectSchema.safeParse(await c.req.parseBody());
    if (!parsed.success) {
      return c.html(adminPage(c, html`<h1>Indiquez le motif du refus</h1>`), 400);
    }
    return pageAnswer(c, claims.reject(c.req.param('id'), parsed.data.reason));
  });
}
