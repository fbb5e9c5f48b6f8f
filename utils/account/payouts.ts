/**
 * The member's payouts, in the background only (docs/payouts.md): what the portal allows
 * (`GET /me/payout-options`), a payout asked for (`POST /me/payouts`) and the latest payouts.
 *
 * A payout is never paid twice: the popup makes one Idempotency-Key per confirmation, and the
 * request is stored with its key before it is sent. A worker stopped mid-request, a network cut
 * or a second click sends it again with the same key, and the portal answers as it did the first
 * time. An older portal (404 on these routes) leaves the feature absent, not failed.
 */
import { onPortalOrigin } from '../contract/origin';
import type { PortalClient, PortalError } from '../contract/client';
import type {
  IdempotencyKeySchema,
  Payout,
  PayoutOptions,
  PayoutRequest,
} from '../contract/schemas';
import {
  PAYOUT_REFUSALS,
  type BackgroundProtocol,
  type PayoutFailure,
  type PayoutsView,
} from '../protocol/messages';
import type { AccountStore, StoredAccount } from './store';
import type { z } from 'zod';

/** The latest payouts the popup lists. */
export const LATEST_PAYOUTS = 5;
/** Codes seen are remembered for this many payouts, the latest ones. */
const SEEN_CODES_KEPT = 100;

export interface PayoutDeps {
  client: Pick<PortalClient, 'payoutOptions' | 'requestPayout' | 'payouts'>;
  store: AccountStore;
  now(): number;
  /** The portal's origin: logos and the account page are shown only from there. */
  portalUrl: string;
  /** A 401: the session is over (the account forgets it). */
  forgetSession(): Promise<void>;
}

type PayoutRequestType = 'payouts:get' | 'payouts:request' | 'payouts:code-seen';
export type PayoutHandlers = {
  [T in PayoutRequestType]: (
    request: BackgroundProtocol[T]['request'],
  ) => Promise<BackgroundProtocol[T]['response']>;
};

const UNAVAILABLE: PayoutsView = { available: false };

/** The options with every logo and link off the portal's origin dropped. */
export function sameOriginOptions(options: PayoutOptions, portalUrl: string): PayoutOptions {
  const keep = (url: string | undefined) => onPortalOrigin(url, portalUrl);
  const withLogo = <T extends { logoUrl?: string }>(item: T): T => {
    const { logoUrl, ...rest } = item;
    const kept = keep(logoUrl);
    return (kept === undefined ? rest : { ...rest, logoUrl: kept }) as T;
  };
  const { transfer, voucher, donation } = options;
  return {
    ...options,
    ...(transfer && {
      transfer: (() => {
        const { accountUrl, ...rest } = transfer;
        const kept = keep(accountUrl);
        return kept === undefined ? rest : { ...rest, accountUrl: kept };
      })(),
    }),
    ...(voucher && { voucher: { ...voucher, brands: voucher.brands.map(withLogo) } }),
    ...(donation && { donation: { ...donation, charities: donation.charities.map(withLogo) } }),
  };
}

/** A refusal or failure as the popup explains it. */
export function payoutFailure(error: PortalError): PayoutFailure {
  switch (error.kind) {
    case 'network':
    case 'timeout':
      return 'portal-unreachable';
    case 'unauthorized':
      return 'signed-out';
    case 'http':
      if (error.status >= 500 || error.status === 429) return 'portal-unreachable';
      return KNOWN_REFUSALS.has(error.code) ? (error.code as PayoutFailure) : 'failed';
    default:
      return 'failed';
  }
}

const KNOWN_REFUSALS: ReadonlySet<string> = new Set(PAYOUT_REFUSALS);

/** Whether the portal has answered for good (anything but no answer, or a portal in trouble). */
function answered(error: PortalError): boolean {
  return payoutFailure(error) !== 'portal-unreachable';
}

export function createPayouts(deps: PayoutDeps) {
  const { client, store } = deps;

  /** Stores `change` into the session it was made for, if it still is the member's. */
  async function update(token: string, change: (stored: StoredAccount) => StoredAccount) {
    const current = await store.load();
    if (current && current.token === token) await store.save(change(current));
  }

  /** Sends the stored request (the same key, every time) and settles it when the portal answers. */
  async function send(
    token: string,
    pending: { key: string; request: PayoutRequest },
  ): Promise<{ ok: true; payout: Payout } | { ok: false; reason: PayoutFailure }> {
    const result = await client.requestPayout(token, pending.request, pending.key);
    if (!result.ok && result.error.kind === 'unauthorized') {
      await deps.forgetSession();
      return { ok: false, reason: 'signed-out' };
    }
    if (result.ok || answered(result.error)) {
      await update(token, (stored) =>
        stored.pendingPayout?.key === pending.key
          ? { ...stored, pendingPayout: undefined }
          : stored,
      );
    }
    return result.ok
      ? { ok: true, payout: result.value }
      : { ok: false, reason: payoutFailure(result.error) };
  }

  async function view(): Promise<PayoutsView> {
    const stored = await store.load();
    if (!stored) return UNAVAILABLE;
    // A request a stopped worker left unanswered: finished first, under its own key.
    if (stored.pendingPayout) await send(stored.token, stored.pendingPayout);
    const options = await client.payoutOptions(stored.token);
    if (!options.ok) {
      if (options.error.kind === 'unauthorized') await deps.forgetSession();
      // 404: an older portal; anything else: the popup stays as it was (the cagnotte says more).
      return UNAVAILABLE;
    }
    const page = await client.payouts(stored.token);
    const payouts = page.ok ? page.value.payouts.slice(0, LATEST_PAYOUTS) : [];
    const seen = new Set((await store.load())?.seenVoucherCodes ?? []);
    return {
      available: true,
      options: sameOriginOptions(options.value, deps.portalUrl),
      // A code is shown until the member says it is noted; the extension never stores it.
      payouts: payouts.map((payout) =>
        payout.voucher?.code !== undefined && seen.has(payout.id)
          ? { ...payout, voucher: { ...payout.voucher, code: undefined } }
          : payout,
      ),
    };
  }

  async function requestPayout(
    key: z.infer<typeof IdempotencyKeySchema>,
    request: PayoutRequest,
  ): Promise<BackgroundProtocol['payouts:request']['response']> {
    const stored = await store.load();
    if (!stored) return { ok: false, reason: 'signed-out' };
    // Another confirmation still unanswered: it goes first; this one waits for the member.
    if (stored.pendingPayout && stored.pendingPayout.key !== key) {
      const earlier = await send(stored.token, stored.pendingPayout);
      if (!earlier.ok && earlier.reason === 'portal-unreachable') return earlier;
    }
    const pending = { key, request, at: deps.now() };
    await store.save({ ...((await store.load()) ?? stored), pendingPayout: pending });
    return send(stored.token, pending);
  }

  async function codeSeen(payoutId: string): Promise<null> {
    const stored = await store.load();
    if (!stored) return null;
    const seen = (stored.seenVoucherCodes ?? []).filter((id) => id !== payoutId);
    seen.push(payoutId);
    await store.save({ ...stored, seenVoucherCodes: seen.slice(-SEEN_CODES_KEPT) });
    return null;
  }

  /**
   * The payouts paid since the last call (for the notifications): the first page's, compared with
   * the ones it showed requested then. The first call only starts watching.
   */
  async function paidSince(): Promise<Payout[]> {
    const stored = await store.load();
    if (!stored) return [];
    const page = await client.payouts(stored.token);
    if (!page.ok) return [];
    const watched = stored.watchedPayouts;
    const paid =
      watched === undefined
        ? []
        : page.value.payouts.filter((p) => p.status === 'paid' && watched.includes(p.id));
    const requested = page.value.payouts.filter((p) => p.status === 'requested').map((p) => p.id);
    await update(stored.token, (current) => ({ ...current, watchedPayouts: requested }));
    return paid;
  }

  const handlers: PayoutHandlers = {
    'payouts:get': () => view(),
    'payouts:request': ({ key, payout }) => requestPayout(key, payout),
    'payouts:code-seen': ({ payoutId }) => codeSeen(payoutId),
  };

  return { view, requestPayout, paidSince, handlers };
}

export type Payouts = ReturnType<typeof createPayouts>;
