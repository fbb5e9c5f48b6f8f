/**
 * Matching throughput (URL parsing included) on a realistic mix of visited URLs, and the size,
 * build time and memory of the domain index. Plain Node: the same code runs in the worker.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serialize } from 'node:v8';
import {
  buildMerchantIndex,
  buildNameIndex,
  matchUrl,
  NO_MATCH,
  type MerchantIndex,
} from '../../utils/merchants/domain-index';
import { parseMerchantList, type StoredMerchant } from '../../utils/merchants/list';
import { generateMerchants, generateUrls, merchantListBody } from './_generate';
import { fastestCpuMs, fastestMs, MB, round, type BenchRow } from './_shared';

const here = path.dirname(fileURLToPath(import.meta.url));
const LOOKUP_GOAL = 2_000_000;
const SIZE_GOAL_MB = 10;

function storedMerchants(count: number): StoredMerchant[] {
  const list = parseMerchantList(merchantListBody(generateMerchants(count)));
  if (!list.ok) throw new Error(list.error);
  return list.merchants;
}

/** Operations per CPU second over `items`, the best of 7 rounds of 500,000 operations. */
function perSecond(items: readonly string[], operation: (item: string) => number) {
  let sink = 0;
  const pass = () => {
    for (const item of items) sink += operation(item);
  };
  for (let i = 0; i < 20; i++) pass(); // let the JIT settle
  const passesPerRound = Math.max(1, Math.round(500_000 / items.length));
  const ms = fastestCpuMs(7, () => {
    for (let i = 0; i < passesPerRound; i++) pass();
  });
  if (sink === 42) console.log('(sink)'); // keeps the work observable
  return Math.round((items.length * passesPerRound * 1000) / ms);
}

function throughputRow(index: MerchantIndex, count: number, value: number): BenchRow {
  return {
    metric: `matchUrl, ${count.toLocaleString('en-US')} merchants (${index.domainCount.toLocaleString('en-US')} domains)`,
    value,
    unit: 'lookups/s',
    goal: `≥ ${LOOKUP_GOAL.toLocaleString('en-US')}`,
    met: value >= LOOKUP_GOAL,
    note: 'URL parsing included; per CPU second, best of 7',
  };
}

/** Heap + array buffers held by a deserialised index, measured in a child with --expose-gc. */
function loadedIndexMemory(count: number): number | null {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', path.join(here, '_index-memory.ts'), String(count)],
    { encoding: 'utf8' },
  );
  if (child.status !== 0) {
    console.error(child.stderr);
    return null;
  }
  return (JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { bytes: number }).bytes;
}

export default async function matching(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  let largest: { merchants: StoredMerchant[]; index: MerchantIndex; urls: string[] } | null = null;
  for (const count of [10_000, 100_000]) {
    const merchants = storedMerchants(count);
    const index = buildMerchantIndex(merchants);
    const urls = generateUrls(merchants, 20_000);
    rows.push(
      throughputRow(
        index,
        count,
        perSecond(urls, (url) => matchUrl(index, url)),
      ),
    );
    largest = { merchants, index, urls };
  }
  const { merchants, index, urls } = largest!;
  const hits = urls.filter((url) => matchUrl(index, url) !== NO_MATCH).length;
  rows[rows.length - 1]!.note += `; ${Math.round((100 * hits) / urls.length)} % of the URLs match`;

  rows.push({
    metric: 'for scale: new URL(url).hostname alone',
    value: perSecond(urls, (url) => {
      try {
        return new URL(url).hostname.length;
      } catch {
        return 0;
      }
    }),
    unit: 'parses/s',
  });

  rows.push({
    metric: 'index build, 100,000 merchants',
    value: round(await fastestMs(5, () => buildMerchantIndex(merchants))),
    unit: 'ms',
  });
  const snapshotMb = serialize(index).length / MB;
  rows.push({
    metric: 'match snapshot record (structured clone), 100,000 merchants',
    value: round(snapshotMb, 2),
    unit: 'MB',
    goal: `≤ ${SIZE_GOAL_MB} MB`,
    met: snapshotMb <= SIZE_GOAL_MB,
  });
  rows.push({
    metric: 'name search record (loaded only by the search), 100,000 merchants',
    value: round(serialize(buildNameIndex(merchants)).length / MB, 2),
    unit: 'MB',
  });
  const memory = loadedIndexMemory(100_000);
  if (memory !== null) {
    rows.push({
      metric: 'memory of the loaded match index, 100,000 merchants',
      value: round(memory / MB, 2),
      unit: 'MB',
      goal: `≤ ${SIZE_GOAL_MB} MB`,
      met: memory / MB <= SIZE_GOAL_MB,
      note: 'heap + array buffers after gc, child node --expose-gc',
    });
  }
  return rows;
}
