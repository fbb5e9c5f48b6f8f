/**
 * IndexedDB side, in Node with fake-indexeddb: a proxy for Chromium (same structured clone, a
 * different engine underneath), useful to compare designs. The Chromium group measures the real
 * thing. Figures: full sync (download excluded), chunk size of the atomic replacement, and the
 * cold start of the matcher — a fresh connection, the list head, one shard of the index, one answer.
 */
import 'fake-indexeddb/auto';
import { openRistourneDb } from '../../utils/storage/db';
import { parseMerchantList } from '../../utils/merchants/list';
import { createMerchantStore, replaceMerchantList } from '../../utils/merchants/store';
import { syncMerchants } from '../../utils/merchants/sync';
import { createPortalClient } from '../../utils/contract/client';
import { generateMerchants, generateUrls, merchantListBody } from './_generate';
import { fastestMs, round, type BenchRow } from './_shared';

let databases = 0;
const freshDb = () => openRistourneDb(`bench-${process.pid}-${(databases += 1)}`);

/** A portal that serves `json` at once, as if the download had taken no time. */
function instantPortal(json: string) {
  return createPortalClient({
    baseUrl: 'http://portal.bench',
    fetch: async () =>
      new Response(json, { headers: { ETag: '"bench"', 'Content-Type': 'application/json' } }),
  });
}

async function fullSyncMs(count: number): Promise<number> {
  const json = JSON.stringify(merchantListBody(generateMerchants(count)));
  const db = freshDb();
  const start = performance.now();
  const outcome = await syncMerchants({ client: instantPortal(json), db, now: Date.now });
  const ms = performance.now() - start;
  if (outcome.status !== 'updated') throw new Error(`sync ${outcome.status}`);
  await db.delete();
  return ms;
}

export default async function storage(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const count of [10_000, 100_000]) {
    rows.push({
      metric: `full sync, ${count.toLocaleString('en-US')} merchants (JSON → validation → writes)`,
      value: round(await fullSyncMs(count), 0),
      unit: 'ms',
      note: 'fake-indexeddb; no download',
    });
  }

  const list = parseMerchantList(merchantListBody(generateMerchants(100_000)));
  if (!list.ok) throw new Error(list.error);
  const parsed = { ...list, etag: null };
  for (const chunkSize of [2_000, 5_000, 20_000]) {
    const db = freshDb();
    await replaceMerchantList(db, parsed, Date.now(), { chunkSize });
    let longest = 0;
    const bulkPut = db.merchantBuckets.bulkPut.bind(db.merchantBuckets);
    db.merchantBuckets.bulkPut = (async (rows: Parameters<typeof bulkPut>[0]) => {
      const start = performance.now();
      const keys = await bulkPut(rows);
      longest = Math.max(longest, performance.now() - start);
      return keys;
    }) as typeof db.merchantBuckets.bulkPut;
    const start = performance.now();
    await replaceMerchantList(db, parsed, Date.now(), { chunkSize });
    rows.push({
      metric: `replace 100,000 merchants by 100,000, chunks of ${chunkSize.toLocaleString('en-US')}`,
      value: round(performance.now() - start, 0),
      unit: 'ms',
      note: `longest write transaction ${round(longest, 0)} ms (readers wait at most that)`,
    });
    await db.delete();
  }

  const name = `bench-${process.pid}-cold`;
  const writer = openRistourneDb(name);
  await replaceMerchantList(writer, parsed, Date.now());
  writer.close();
  const url = generateUrls(list.merchants, 1).find((candidate) =>
    candidate.startsWith('https://'),
  )!;
  const coldMs = await fastestMs(5, async () => {
    const db = openRistourneDb(name); // a new connection, as after a worker restart
    await createMerchantStore(db).matchUrl(url);
    db.close();
  });
  rows.push({
    metric: 'cold start → first match answered, 100,000 merchants',
    value: round(coldMs),
    unit: 'ms',
    goal: '≤ 60 ms (in Chromium)',
    note: 'fake-indexeddb: new connection, list head, index shard, match, merchant bucket',
  });
  const reader = openRistourneDb(name);
  const store = createMerchantStore(reader);
  await store.matchUrl(url);
  rows.push({
    metric: 'next matches (shard cached), 100,000 merchants',
    value: round(await fastestMs(20, () => store.matchUrl(url)), 2),
    unit: 'ms',
    note: "two IndexedDB reads: list head, the merchant's bucket",
  });
  await reader.delete();
  return rows;
}
