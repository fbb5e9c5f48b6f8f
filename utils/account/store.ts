/**
 * Where the background keeps the member's session: the token, who they are, and the last
 * cagnotte figures. In the extension's own IndexedDB, which content scripts cannot read
 * (unlike `storage.local`). What is read back is validated: after an upgrade, stored data is
 * untrusted.
 */
import { z } from 'zod';
import {
  CagnotteSchema,
  IdempotencyKeySchema,
  PayoutRequestSchema,
  UserSchema,
} from '../contract/schemas';
import { extensionDb, type RistourneDb } from '../storage/db';

export const StoredAccountSchema = z.object({
  token: z.string().min(1),
  user: UserSchema,
  cagnotte: z
    .object({ figures: CagnotteSchema, fetchedAt: z.number().int().nonnegative() })
    .nullable(),
  /** The last refresh failed: the figures are the last known ones. */
  refreshError: z.enum(['portal-unreachable', 'failed']).nullable(),
  /** The portal asked to wait (429, 503 with Retry-After): no refresh before this time. */
  retryAt: z.number().int().nonnegative().optional(),
  /**
   * A payout sent but not answered yet (the worker may stop mid-request): sent again with the same
   * Idempotency-Key until the portal answers, so that it never pays twice (utils/account/payouts.ts).
   */
  pendingPayout: z
    .object({ key: IdempotencyKeySchema, request: PayoutRequestSchema, at: z.number() })
    .optional(),
  /** The payouts last seen requested: one of them paid since is notified (notifications.ts). */
  watchedPayouts: z.array(z.string().max(200)).max(100).optional(),
  /** The voucher payouts whose code the member has seen (their ids; never the codes). */
  seenVoucherCodes: z.array(z.string().max(200)).max(200).optional(),
});
export type StoredAccount = z.infer<typeof StoredAccountSchema>;

export interface AccountStore {
  /** The stored account, or null when signed out (or when what is stored is unreadable). */
  load(): Promise<StoredAccount | null>;
  save(account: StoredAccount): Promise<void>;
  clear(): Promise<void>;
  /**
   * Changes the stored account only if it is still the session of `token`, compared and written
   * in one transaction: a sign-out, or another member's sign-in, that came while the caller
   * waited on the portal wins. Returns what is stored afterwards, and whether it changed.
   */
  updateSession(
    token: string,
    change: (current: StoredAccount) => StoredAccount,
  ): Promise<{ updated: boolean; account: StoredAccount | null }>;
  /** Forgets the session if it is still the one of `token` (one transaction); true if it did. */
  clearSession(token: string): Promise<boolean>;
}

export function createDatabaseAccountStore(db: () => RistourneDb = extensionDb): AccountStore {
  async function read(): Promise<StoredAccount | null> {
    const row = await db().account.get('member');
    if (row === undefined) return null;
    const parsed = StoredAccountSchema.safeParse(row.account);
    if (parsed.success) return parsed.data;
    // Unreadable means signed out; what is left may still hold a token, so it goes.
    await db().account.delete('member');
    return null;
  }
  return {
    load: read,
    async save(account) {
      await db().account.put({ key: 'member', account });
    },
    async clear() {
      await db().account.delete('member');
    },
    updateSession(token, change) {
      return db().transaction('rw', db().account, async () => {
        const current = await read();
        if (current?.token !== token) return { updated: false, account: current };
        const next = change(current);
        await db().account.put({ key: 'member', account: next });
        return { updated: true, account: next };
      });
    },
    clearSession(token) {
      return db().transaction('rw', db().account, async () => {
        const current = await read();
        if (current?.token !== token) return false;
        await db().account.delete('member');
        return true;
      });
    },
  };
}

/** The store the background uses. */
export const accountStore: AccountStore = createDatabaseAccountStore();
