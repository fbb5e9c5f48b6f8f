/**
 * `GET` and `POST /api/v1/me/claims` (docs/portal-api.md §5): the member's claims for orders
 * whose cashback never showed. A portal playing version 1.0 (admin faults, `legacyPortal`)
 * answers 404, as a portal without them would.
 */
import type { Hono, MiddlewareHandler } from 'hono';
import {
  API,
  ClaimRequestSchema,
  IDEMPOTENCY_KEY_HEADER,
  IdempotencyKeySchema,
  type ClaimList,
} from '../../utils/contract/schemas';
import type { PortalContext } from '../context';
import { errorJson, readJson } from './http';
import type { Member } from './members';

type Env = { Variables: { member: Member; token: string } };

export function mountClaimRoutes(
  app: Hono<Env>,
  ctx: PortalContext,
  requireMember: MiddlewareHandler<Env>,
): void {
  const { claims } = ctx.store;
  // A 1.0 portal has no such route: the same 404 as any unknown path (app.ts).
  const absentFromLegacy: MiddlewareHandler = async (c, next) => {
    if (ctx.faults.faults.legacyPortal) {
      return errorJson(c, 404, 'not_found', `No route ${c.req.method} ${c.req.path}.`);
    }
    await next();
  };
  app.use(API.claims, absentFromLegacy);

  app.get(API.claims, requireMember, (c) => {
    const list: ClaimList = { claims: claims.ofMember(c.get('member')) };
    return c.json(list);
  });

  app.post(API.claims, requireMember, async (c) => {
    const rawKey = c.req.header(IDEMPOTENCY_KEY_HEADER);
    const key = rawKey === undefined ? undefined : IdempotencyKeySchema.safeParse(rawKey.trim());
    if (key && !key.success) {
      return errorJson(
        c,
        400,
        'invalid_request',
        `${IDEMPOTENCY_KEY_HEADER}: 16 à 200 caractères parmi A-Z a-z 0-9 _ -.`,
      );
    }
    const body = await readJson(c, ClaimRequestSchema);
    if (!body.ok) return body.response;
    const result = claims.file(c.get('member'), body.data, key?.data);
    switch (result.kind) {
      case 'created':
        return c.json(result.claim, 201);
      case 'existing':
        return c.json(result.claim, 200);
      case 'unknown_merchant':
        return errorJson(c, 404, 'unknown_merchant', `Marchand inconnu : ${body.data.merchantId}.`);
      case 'click_not_yours':
        return errorJson(
          c,
          403,
          'click_not_yours',
          'Aucun clic de votre compte ne porte cet identifiant.',
        );
      case 'click_merchant_mismatch':
        return errorJson(
          c,
          422,
          'click_merchant_mismatch',
          `Ce clic n’a pas été fait chez ${body.data.merchantId}.`,
        );
      case 'out_of_window':
        return errorJson(c, 422, 'out_of_window', `Réclamation impossible : ${result.reason}.`);
      case 'order_already_tracked':
        return errorJson(
          c,
          409,
          'order_already_tracked',
          'Cette commande a déjà été enregistrée : son cashback est dans votre cagnotte.',
        );
      case 'order_already_claimed':
        return errorJson(
          c,
          409,
          'order_already_claimed',
          'Une réclamation existe déjà pour cette référence de commande.',
        );
      case 'idempotency_key_reused':
        return errorJson(
          c,
          422,
          'idempotency_key_reused',
          `Cette ${IDEMPOTENCY_KEY_HEADER} a déjà servi à une autre réclamation.`,
        );
    }
  });
}
