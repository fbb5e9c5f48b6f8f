/**
 * Claims for a missing cashback, in the background (docs/claims.md): listing the member's, and
 * sending one for an order seen. The order's merchant and click come from the journal; the
 * idempotency key is stored with the order before the request leaves, so a resend (a lost
 * answer, a double click, a worker stopped mid-request) is the same claim. A portal without the
 * routes (404) has none: the popup then offers nothing.
 */
import type { BackgroundDeps } from '../background/deps';
import type { Claim } from '../contract/schemas';
import type { PortalError } from '../contract/client';
import type { BackgroundProtocol, ClaimSubmitResult, ClaimView } from '../protocol/messages';

const claimView = (claim: Claim): ClaimView => ({
  id: claim.id,
  merchantId: claim.merchantId,
  merchantName: claim.merchantName,
  orderRef: claim.orderRef,
  status: claim.status,
  ...(claim.reason === undefined ? {} : { reason: claim.reason }),
  submittedAt: claim.submittedAt,
});

const isMissingRoute = (error: PortalError) =>
  error.kind === 'http' && (error.status === 404 || error.status === 405);

export async function listClaims(deps: BackgroundDeps): Promise<ClaimView[] | null> {
  const token = await deps.token();
  if (!token) return null;
  const result = await deps.portal.claims(token);
  if (result.ok) return result.value.claims.map(claimView);
  if (result.error.kind === 'unauthorized') await deps.signedOut(token);
  // Unsupported, or not reachable now: nothing to list either way (the popup stays as before).
  return null;
}

export async function submitClaim(
  deps: BackgroundDeps,
  request: BackgroundProtocol['claims:submit']['request'],
): Promise<ClaimSubmitResult> {
  const memberId = await deps.followUp?.memberId();
  const token = await deps.token();
  if (!deps.followUp || !memberId || !token) return { ok: false, reason: 'signed-out' };
  const { journal } = deps.followUp;
  const key = crypto.randomUUID();
  const order = await journal.updateOrder(memberId, request.key, (current) =>
    current.claim ? current : { ...current, claim: { idempotencyKey: key, sentAt: deps.now() } },
  );
  if (!order?.claim) return { ok: false, reason: 'unknown-order' };
  const result = await deps.portal.createClaim(
    token,
    {
      merchantId: order.merchantId,
      clickId: order.clickId,
      orderRef: request.orderRef,
      orderedAt: request.orderedAt,
      orderAmount: request.orderAmount,
      currency: request.currency,
    },
    order.claim.idempotencyKey,
  );
  if (result.ok) {
    await journal.updateOrder(memberId, request.key, (current) => ({
      ...current,
      claim: { ...current.claim!, claimId: result.value.id },
    }));
    return { ok: true, claim: claimView(result.value) };
  }
  const { error } = result;
  if (error.kind === 'unauthorized') {
    await deps.signedOut(token);
    return { ok: false, reason: 'signed-out' };
  }
  if (isMissingRoute(error)) return { ok: false, reason: 'unsupported' };
  if (error.kind === 'http' && error.status >= 400 && error.status < 500 && error.status !== 429) {
    // Refused as it is (outside the window, not the member's click): a corrected claim is a new one.
    await journal.updateOrder(memberId, request.key, ({ claim: _claim, ...current }) => current);
    return { ok: false, reason: 'refused' };
  }
  return { ok: false, reason: 'unreachable' };
}
