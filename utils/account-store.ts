/**
 * Where the background keeps the member's session: the token, who they are, and the last
 * cagnotte figures. Behind an interface so the storage can change in one line (the plan: the
 * extension's own IndexedDB, which content scripts cannot read, unlike `storage.local`).
 * What is read back is validated: after an upgrade, stored data is untrusted.
 */
import { browser } from 'wxt/browser';
import { z } from 'zod';
import { CagnotteSchema, UserSchema } from './contract';

export const StoredAccountSchema = z.object({
  token: z.string().min(1),
  user: UserSchema,
  cagnotte: z
    .object({ figures: CagnotteSchema, fetchedAt: z.number().int().nonnegative() })
    .nullable(),
  /** The last refresh failed: the figures are the last known ones. */
  refreshError: z.enum(['portal-unreachable', 'failed']).nullable(),
});
export type StoredAccount = z.infer<typeof StoredAccountSchema>;

export interface AccountStore {
  /** The stored account, or null when signed out (or when what is stored is unreadable). */
  load(): Promise<StoredAccount | null>;
  save(account: StoredAccount): Promise<void>;
  clear(): Promise<void>;
}

export function createStorageAccountStore(key = 'account'): AccountStore {
  const area = () => browser.storage.local;
  return {
    async load() {
      const raw = (await area().get(key))[key];
      if (raw === undefined) return null;
      const parsed = StoredAccountSchema.safeParse(raw);
      if (parsed.success) return parsed.data;
      // Unreadable means signed out; what is left may still hold a token, so it goes.
      await area().remove(key);
      return null;
    },
    async save(account) {
      await area().set({ [key]: account });
    },
    async clear() {
      await area().remove(key);
    },
  };
}

/** The store the background uses: swap this line to move the session elsewhere. */
export const accountStore: AccountStore = createStorageAccountStore();
