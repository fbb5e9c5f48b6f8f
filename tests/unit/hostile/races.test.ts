/**
 * Races the shopper could lose: a sync switching the merchant list while pages are matched, two
 * tabs of one merchant clicking "Activer" at once, and a sign-out during a cagnotte refresh.
 */
import Dexie from 'dexie';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createAccount } from '../../../utils/account/account';
import { createDatabaseAccountStore, type StoredAccount } from '../../../utils/account/store';
import { activateTab } from '../../../utils/activation/flow';
import { getMerchantSession } from '../../../utils/background/stores';
import { tabOffer } from '../../../utils/visit/tab-offer';
import { openRistourneDb, type RistourneDb } from '../../../utils/storage/db';
import { parseMerchantList, type ParsedMerchantList } from '../../../utils/merchants/list';
import { createMerchantStore, replaceMerchantList } from '../../../utils/merchants/store';
import { handleCommittedNavigation, recordNavigationRequest } from '../../../utils/visit/flow';
import type { Cagnotte, LoginResponse } from '../../../utils/contract/schemas';
import type { PortalResult } from '../../../utils/contract/client';
import { FIGURES, fakeDeps, MEMBER, PORTAL_URL } from '../helpers/fake-background';

/** Interleavings of lookups with a generation switch tried per run of the suite. */
export const LOOKUP_RACE_RUNS = 100;
/** Orders of two tabs' "Activer" (and a second click) tried per run of the suite. */
export const ACTIVATION_RACE_RUNS = 60;
/** Orders of a cagnotte refresh, a sign-out and maybe another member's sign-in tried per run. */
export const SIGN_OUT_RACE_RUNS = 100;

const SHARED = 12;

function list(
  version: string,
  value: number,
  extra: string[],
): ParsedMerchantList & { etag: string } {
  const merchants = [...Array.from({ length: SHARED }, (_, i) => `m${i}`), ...extra].map((id) => ({
    id,
    name: `Shop ${id}`,
    domains: [`${id}.fr`],
    cashback: { type: 'percent', value },
  }));
  const parsed = parseMerchantList({
    version,
    merchants,
    standDown: { params: [], referrerHosts: [] },
  });
  if (!parsed.ok) throw new Error(parsed.error);
  return { ...parsed, etag: `"${version}"` };
}

const OLD_LIST = list('v1', 4, ['old-only']);
const NEW_LIST = list('v2', 7, ['new-only']);

/**
 * Every call of `method` waits for the scheduler first, outside any transaction (a call inside
 * one goes straight through: IndexedDB ends a transaction that waits on anything else).
 */
function pauseBefore(s: fc.Scheduler, target: object, method: string, label: string): void {
  const record = target as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const current = record[method]!;
  // A mock's own implementation: the spy below replaces it, and must not call itself.
  const original = (vi.isMockFunction(current) ? current.getMockImplementation()! : current).bind(
    target,
  );
  vi.spyOn(record, method).mockImplementation((...args: unknown[]) => {
    if (Dexie.currentTransaction) return original(...args);
    return s.schedule(Promise.resolve(label)).then(() => original(...args));
  });
}

/**
 * Lets the database finish what it was asked before the scheduler picks the next step: every
 * actor then waits at a scheduled point, and the order is the scheduler's alone.
 */
async function afterIo(step: () => Promise<unknown>): Promise<void> {
  for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
  await step();
}

let databases: RistourneDb[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const db of databases) db.close();
  if (databases[0]) await databases[0].delete();
  databases = [];
});

let run = 0;
describe('a sync that switches the list while pages are matched', { timeout: 60_000 }, () => {
  it('never answers "not a merchant" for a merchant in both lists', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler({ act: afterIo }),
        fc.array(
          fc.record({
            kind: fc.constantFrom('match', 'get'),
            index: fc.integer({ min: 0, max: SHARED - 1 }),
            /** Pages commit while the sync runs, not all at once: steps of the run to wait. */
            startAfter: fc.nat({ max: 12 }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        async (s, lookups) => {
          run += 1;
          const name = `race-${run}-${Date.now()}`;
          // The sync and the pages' lookups use two connections, as a stopped and woken worker may.
          const writer = openRistourneDb(name);
          const reader = openRistourneDb(name);
          databases.push(writer, reader);
          await replaceMerchantList(writer, OLD_LIST, 1000, { merchantsPerBucket: 2 });

          pauseBefore(s, reader.listHead, 'get', 'read head');
          pauseBefore(s, reader.snapshots, 'get', 'read snapshot');
          pauseBefore(s, reader.merchantBuckets, 'bulkGet', 'read buckets');
          pauseBefore(s, writer, 'transaction', 'write transaction');
          pauseBefore(s, writer.merchantBuckets, 'bulkPut', 'write buckets');
          pauseBefore(s, writer.snapshots, 'bulkPut', 'write snapshots');

          const store = createMerchantStore(reader);
          const sync = replaceMerchantList(writer, NEW_LIST, 2000, {
            merchantsPerBucket: 2,
            chunkSize: 4,
          });
          const answers = lookups.map(async ({ kind, index, startAfter }) => {
            for (let step = 0; step < startAfter; step++) {
              await s.schedule(Promise.resolve(`page of m${index} not committed yet`));
            }
            return kind === 'match'
              ? store.matchUrl(`https://www.m${index}.fr/panier`)
              : store.getMerchant(`m${index}`);
          });
          const found = await s.waitFor(Promise.all(answers));
          await s.waitFor(sync);
          lookups.forEach(({ index }, i) => {
            expect(found[i]?.id, `lookup ${i} of m${index}`).toBe(`m${index}`);
            expect([4, 7]).toContain(found[i]!.cashback.value);
          });
          vi.restoreAllMocks();
          writer.close();
          reader.close();
          await writer.delete();
          databases = [];
        },
      ),
      { numRuns: LOOKUP_RACE_RUNS },
    );
  });
});

const FNAC_PAGES = ['https://www.fnac.com/livre/1', 'https://www.fnac.com/panier'];

describe('two tabs of one merchant clicking "Activer" at once', { timeout: 60_000 }, () => {
  it('create one click, and both tabs end activated', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        // Which tab clicks, in order: both at least once, a double click sometimes.
        fc
          .shuffledSubarray([0, 1, 0, 1], { minLength: 2 })
          .filter((clicks) => new Set(clicks).size === 2),
        async (s, clicks) => {
          fakeBrowser.reset();
          vi.restoreAllMocks();
          const { deps, portal } = fakeDeps();
          const tabIds: number[] = [];
          for (const url of FNAC_PAGES) {
            const tab = await browser.tabs.create({ url });
            await handleCommittedNavigation(deps, { tabId: tab.id!, url, clientRedirect: false });
            tabIds.push(tab.id!);
          }
          const update = vi.spyOn(browser.tabs, 'update');
          // Every read and write of the session storage, the token and the portal take turns.
          pauseBefore(s, fakeBrowser.storage.session, 'get', 'storage read');
          pauseBefore(s, fakeBrowser.storage.session, 'set', 'storage write');
          pauseBefore(s, deps, 'token', 'token');
          pauseBefore(s, portal, 'createClick', 'POST /clicks');

          const answers = clicks.map((tab) => activateTab(deps, tabIds[tab]!, async () => {}));
          const statuses = await s.waitFor(Promise.all(answers));
          vi.restoreAllMocks();

          expect(portal.createClick).toHaveBeenCalledTimes(1);
          expect(statuses.every((status) => status.state === 'activating')).toBe(true);
          const sent = update.mock.calls.filter(([, change]) => change.url !== undefined);
          expect(sent).toHaveLength(1);
          const [tabId, { url: redirectUrl }] = sent[0]!;
          const page = FNAC_PAGES[tabIds.indexOf(tabId as number)]!;
          const landing = `${page}?rdclid=c_1`;
          for (const url of [redirectUrl!, landing]) {
            await recordNavigationRequest(tabId as number, { url, requestId: 'r1' }, deps.now());
          }
          await handleCommittedNavigation(deps, {
            tabId: tabId as number,
            url: landing,
            clientRedirect: false,
          });
          expect((await getMerchantSession('fnac')).activation).toMatchObject({
            state: 'activated',
          });
          for (const id of tabIds) {
            expect(await tabOffer(deps, id, undefined)).toMatchObject({
              activation: { state: 'activated' },
            });
          }
          expect(redirectUrl!.startsWith(`${PORTAL_URL}/go/`)).toBe(true);
        },
      ),
      { numRuns: ACTIVATION_RACE_RUNS },
    );
  });
});

const SECOND_MEMBER = { id: 'u_2', email: 'alex@example.fr', displayName: 'Alex' };
const NEWER_FIGURES: Cagnotte = { ...FIGURES, pending: 0, confirmed: 5450 };
const SECOND_FIGURES: Cagnotte = { ...FIGURES, pending: 700, confirmed: 0 };
const SIGNED_IN: StoredAccount = {
  token: 'tok_a',
  user: MEMBER,
  cagnotte: { figures: FIGURES, fetchedAt: Date.parse('2026-11-23T09:00:00Z') },
  refreshError: null,
};

describe('a sign-out during a cagnotte refresh', { timeout: 60_000 }, () => {
  it('is never undone by the refresh, and never hands one member’s session to another', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler({ act: afterIo }),
        fc.constantFrom('figures', 'offline', 'unauthorized'),
        /** Steps of the refresh before the member signs out. */
        fc.nat({ max: 8 }),
        /** Another member signs in right after the sign-out. */
        fc.boolean(),
        async (s, answer, signOutAfter, secondMember) => {
          run += 1;
          const db = openRistourneDb(`sign-out-race-${run}-${Date.now()}`);
          databases.push(db);
          const store = createDatabaseAccountStore(() => db);
          await store.save(SIGNED_IN);
          const client = {
            login: async (): Promise<PortalResult<LoginResponse>> => ({
              ok: true,
              value: { token: 'tok_b', user: SECOND_MEMBER },
            }),
            logout: async (): Promise<PortalResult<void>> => ({ ok: true, value: undefined }),
            // The answer drawn is the first member's; the second one's session is fine (the
            // refresh may start after they signed in).
            cagnotte: async (token: string): Promise<PortalResult<Cagnotte>> =>
              token !== 'tok_a'
                ? { ok: true, value: SECOND_FIGURES }
                : answer === 'figures'
                  ? { ok: true, value: NEWER_FIGURES }
                  : answer === 'offline'
                    ? { ok: false, error: { kind: 'network', message: 'offline' } }
                    : { ok: false, error: { kind: 'unauthorized', code: 'invalid_token' } },
          };
          const account = createAccount({ client, store, now: () => Date.now() });

          pauseBefore(s, db, 'transaction', 'transaction');
          for (const method of ['get', 'put', 'delete']) {
            pauseBefore(s, db.account, method, `account ${method}`);
          }
          for (const method of ['cagnotte', 'logout', 'login']) {
            pauseBefore(s, client, method, `portal ${method}`);
          }

          const refresh = account.refreshCagnotte();
          const member = (async () => {
            for (let step = 0; step < signOutAfter; step++) {
              await s.schedule(Promise.resolve('the member has not signed out yet'));
            }
            await account.signOut();
            if (secondMember) await account.signIn({ email: SECOND_MEMBER.email, password: 'x' });
          })();
          await s.waitFor(Promise.all([refresh, member]));
          vi.restoreAllMocks();

          const stored = await store.load();
          if (secondMember) {
            // The second member's own session, without a figure of the first one's.
            expect(stored).toMatchObject({ token: 'tok_b', user: SECOND_MEMBER });
            expect([null, SECOND_FIGURES]).toContainEqual(stored?.cagnotte?.figures ?? null);
          } else {
            expect(stored).toBeNull();
            expect(await account.getAccountView()).toEqual({ signedIn: false });
          }
          db.close();
          await db.delete();
          databases = [];
        },
      ),
      { numRuns: SIGN_OUT_RACE_RUNS },
    );
  });
});
