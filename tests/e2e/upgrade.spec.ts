/**
 * An update over a profile of the previous schema version (v3): the extension's IndexedDB is
 * replaced by a v3 database written raw (Dexie stores version N as N × 10), with the data a
 * member of that version had, plus `storage.local` records in their shapes of that time; then the
 * browser is relaunched on that profile. The member must find everything where they left it,
 * without the list being downloaded again; a stored record that no longer validates is dropped
 * alone.
 *
 * The fixture below is v3 as it was published: keep it as it is when the schema moves on, so that
 * every later upgrade is checked against the same old profile.
 */
import type { Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildMerchantIndex,
  buildNameIndex,
  INDEX_FORMAT,
} from '../../utils/merchants/domain-index';
import { parseMerchantList, type StoredMerchant } from '../../utils/merchants/list';
import { badgeText, openBackgroundChannel, tabIdOf } from '../../scripts/harness/browser-state';
import { DEMO_MEMBER, expect, launchBrowser, test, type PortalHandle } from './fixtures';
import { BannerPart } from '../../scripts/harness/pages/banner';
import { RistourneDb } from '../../utils/storage/db';
import { PopupPage } from '../../scripts/harness/pages/popup';
import { ShopPage } from '../../scripts/harness/pages/shop';

/** Dexie opens IndexedDB at ten times its declared version. */
const DEXIE_VERSION_V3 = 30;
/** What utils/storage/db.ts declares today: the version and stores an upgraded profile must have. */
const CURRENT_SCHEMA = new RistourneDb('upgrade-spec-schema');
const DEXIE_VERSION_CURRENT = CURRENT_SCHEMA.verno * 10;
const CURRENT_STORES = CURRENT_SCHEMA.tables.map((table) => table.name).sort();

/** utils/storage/db.ts at v3: v1's stores, `listHead` (v2), `account` (v3). */
const V3_STORES: Record<string, { keyPath: string | string[] }> = {
  merchants: { keyPath: ['generation', 'id'] },
  snapshots: { keyPath: ['generation', 'kind'] },
  syncState: { keyPath: 'key' },
  mutedSites: { keyPath: 'merchantId' },
  listHead: { keyPath: 'key' },
  account: { keyPath: 'key' },
};

const HOUR = 60 * 60_000;
/** The generation the v3 profile's current list has: a few syncs old. */
const GENERATION = 3;

const CAGNOTTE_V3 = {
  currency: 'EUR',
  pending: 904,
  confirmed: 4295,
  paid: 4643,
  payoutThreshold: 2000,
  transactions: [],
};

/** `storage.local` at v3: the settings (one field of a wrong type) and lasting stand-downs. */
function storageLocalV3(now: number) {
  return {
    settings: { reminders: true, checkoutOnly: 'oui', notifications: false },
    'standdown:maison-lenoir': {
      since: now - 10 * 60_000,
      until: now + 50 * 60_000,
      signal: { kind: 'param', value: 'awc' },
    },
    // No longer a valid record: read as absent, the merchant's banner comes back.
    'standdown:lumen-deco': { since: 'hier', signal: 'awc' },
  };
}

/**
 * Typed arrays cross into the page as plain arrays, tagged to be rebuilt there
 * (`{ typed: 'Uint8Array' | 'Uint32Array', values: number[] }`); other fields as they are.
 */
function toWire(value: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [
      key,
      field instanceof Uint8Array || field instanceof Uint32Array
        ? { typed: field.constructor.name, values: Array.from(field) }
        : field,
    ]),
  );
}

/** The rows of every v3 store, from the list the portal serves now (so its ETag still holds). */
async function v3Rows(portal: PortalHandle, now: number) {
  const response = await fetch(`${portal.url}/api/v1/merchants`);
  const etag = response.headers.get('etag');
  const list = parseMerchantList(await response.json());
  if (!list.ok || etag === null) throw new Error('the portal did not serve its list');
  const merchants: StoredMerchant[] = list.merchants;
  const match = buildMerchantIndex(merchants);
  const login = await fetch(`${portal.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(DEMO_MEMBER),
  });
  const { token, user } = (await login.json()) as { token: string; user: object };
  return {
    merchants: merchants.map((merchant) => ({ ...merchant, generation: GENERATION })),
    snapshots: [
      { generation: GENERATION, kind: 'match', index: toWire(match) },
      { generation: GENERATION, kind: 'names', index: toWire(buildNameIndex(merchants)) },
    ],
    listHead: [
      {
        key: 'merchants',
        generation: GENERATION,
        version: list.version,
        etag,
        standDown: list.standDown,
        counts: { merchants: merchants.length, dropped: 0, domains: match.domainCount },
        indexFormat: INDEX_FORMAT,
        dropped: [],
        replacedAt: now - HOUR,
      },
    ],
    syncState: [
      {
        key: 'merchants',
        lastAttemptAt: now - HOUR,
        lastSuccessAt: now - HOUR,
        lastError: null,
        consecutiveFailures: 0,
        nextAttemptAt: now + 5 * HOUR,
        lease: null,
      },
    ],
    mutedSites: [{ merchantId: 'numeria', name: 'Numéria', mutedAt: now - 24 * HOUR }],
    account: [
      {
        key: 'member',
        account: {
          token,
          user,
          cagnotte: { figures: CAGNOTTE_V3, fetchedAt: now - HOUR },
          refreshError: null,
        },
      },
    ],
  };
}

/** In an extension page: the database becomes the v3 one, `storage.local` the v3 records. */
async function installV3Profile(
  page: Page,
  rows: Awaited<ReturnType<typeof v3Rows>>,
  local: object,
): Promise<void> {
  await page.evaluate(
    async ({ stores, version, rows, local }) => {
      const chrome = (
        globalThis as unknown as {
          chrome: { storage: { local: { clear(): Promise<void>; set(o: object): Promise<void> } } };
        }
      ).chrome;
      const revive = (index: Record<string, unknown>) =>
        Object.fromEntries(
          Object.entries(index).map(([key, field]) => {
            const wire = field as { typed?: string; values?: number[] };
            if (wire?.typed === 'Uint8Array') return [key, new Uint8Array(wire.values!)];
            if (wire?.typed === 'Uint32Array') return [key, new Uint32Array(wire.values!)];
            return [key, field];
          }),
        );
      await chrome.storage.local.clear();
      await chrome.storage.local.set(local);
      await new Promise<void>((resolve, reject) => {
        // The worker's Dexie closes its connection on the deletion's versionchange; the open
        // request is queued behind the deletion, before anything the worker could ask.
        const deletion = indexedDB.deleteDatabase('ristourne');
        deletion.onerror = () => reject(deletion.error);
        const open = indexedDB.open('ristourne', version);
        open.onupgradeneeded = () => {
          for (const [name, { keyPath }] of Object.entries(stores)) {
            const store = open.result.createObjectStore(name, { keyPath });
            for (const row of (rows as Record<string, Record<string, unknown>[]>)[name] ?? []) {
              store.put(
                name === 'snapshots'
                  ? { ...row, index: revive(row.index as Record<string, unknown>) }
                  : row,
              );
            }
          }
        };
        open.onsuccess = () => {
          open.result.close();
          resolve();
        };
        open.onerror = () => reject(open.error);
      });
    },
    { stores: V3_STORES, version: DEXIE_VERSION_V3, rows, local },
  );
}

/** The extension's database as IndexedDB reports it: version and stores. */
function databaseShape(page: Page) {
  return page.evaluate(
    () =>
      new Promise<{ version: number; stores: string[] }>((resolve, reject) => {
        const open = indexedDB.open('ristourne');
        open.onsuccess = () => {
          const shape = {
            version: open.result.version,
            stores: [...open.result.objectStoreNames].sort(),
          };
          open.result.close();
          resolve(shape);
        };
        open.onerror = () => reject(open.error);
      }),
  );
}

interface FaultsAnswer {
  stats: { downloads: number; notModified: number; changes: number };
}

const setApiFault = (portal: PortalHandle, api: string | null) =>
  portal.admin('/faults', {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ api }),
  });

test('a profile of schema v3 upgrades with its data intact: list, muted site, stand-down, session, figures', async ({
  portal,
}) => {
  const profile = await mkdtemp(join(tmpdir(), 'ristourne-upgrade-'));
  try {
    let context = await launchBrowser(profile, portal.port);
    let worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const extensionId = new URL(worker.url()).host;
    const channel = await openBackgroundChannel(context, extensionId);
    await channel.untilMerchantListSynced();
    const now = Date.now();
    const rows = await v3Rows(portal, now);
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/options.html`);
    await installV3Profile(page, rows, storageLocalV3(now));
    expect(await databaseShape(page)).toEqual({
      version: DEXIE_VERSION_V3,
      stores: Object.keys(V3_STORES).sort(),
    });
    await context.close();
    // The install's download, and the fixture's own fetch of the list.
    const baseline = (await portal.admin<FaultsAnswer>('/faults')).stats;

    // The portal down for now: whatever the member sees next comes from the upgraded profile.
    await setApiFault(portal, 'unavailable');
    context = await launchBrowser(profile, portal.port);
    worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const upgraded = await openBackgroundChannel(context, extensionId);
    expect((await upgraded.call('sync:status')).merchantCount).toBe(rows.merchants.length);

    const shop = await context.newPage();
    await ShopPage.on(shop, 'atelier-vendome', portal.port).openProduct(1);
    await expect.poll(() => badgeText(worker, shop)).toBe('6,5%');
    await new BannerPart(shop).expectText("Jusqu'à 6,5 % de cashback chez Atelier Vendôme");

    // Muted at v3: the badge, no banner.
    const muted = await context.newPage();
    await ShopPage.on(muted, 'numeria', portal.port).openProduct(1);
    await expect.poll(() => badgeText(worker, muted)).toBe('2,5%');
    await new BannerPart(muted).expectNone();
    expect(await upgraded.ask('muted:list')).toMatchObject({
      ok: true,
      value: [{ merchantId: 'numeria', name: 'Numéria' }],
    });

    // Standing down since v3 (the local record outlives the session).
    const standingDown = await context.newPage();
    await ShopPage.on(standingDown, 'maison-lenoir', portal.port).openProduct(1);
    await new BannerPart(standingDown).expectNone();

    // The unreadable records are dropped alone: the other merchant's banner, the other settings.
    const unreadable = await context.newPage();
    await ShopPage.on(unreadable, 'lumen-deco', portal.port).openProduct(1);
    await new BannerPart(unreadable).expectText('Lumen Déco');
    expect(await upgraded.ask('settings:get')).toEqual({
      ok: true,
      // The search marks came after schema v3: on, as for a new install.
      value: { reminders: true, checkoutOnly: false, notifications: false, searchMarks: true },
    });

    // Still signed in, with the figures kept at v3 (the portal cannot give newer ones now).
    const popup = new PopupPage(await context.newPage(), extensionId);
    await popup.open(await tabIdOf(worker, shop));
    await expect(popup.signInForm).toHaveCount(0);
    await expect(popup.cagnotte).toContainText('voici vos derniers chiffres connus');
    await expect(popup.pending).toContainText('9,04');
    await expect(popup.confirmed).toContainText('42,95');

    expect(await databaseShape(popup.page)).toEqual({
      version: DEXIE_VERSION_CURRENT,
      stores: CURRENT_STORES,
    });

    // The portal back: the list is confirmed current (304), never downloaded again.
    await setApiFault(portal, null);
    expect(await upgraded.ask('sync:now')).toMatchObject({
      ok: true,
      value: { merchantCount: rows.merchants.length, lastError: null },
    });
    // A list stored before the index was sharded is revalidated whole (a 304), not by changes.
    expect((await portal.admin<FaultsAnswer>('/faults')).stats).toEqual({
      ...baseline,
      notModified: baseline.notModified + 1,
    });
    await context.close();
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
});
