/**
 * Child process of the matching benchmark: `node --expose-gc --import tsx _index-memory.ts N`
 * prints {"bytes": …}, the memory a match index of N merchants holds once loaded: a structured
 * clone of it, as IndexedDB gives it back (v8.deserialize would share the buffer it reads from).
 * The worker loads the stored shards one by one as lookups need them: this is all of them.
 */
import {
  buildMatchShards,
  matchShardCountFor,
  matchUrl,
  type MerchantIndex,
} from '../../utils/merchants/domain-index';
import { parseMerchantList } from '../../utils/merchants/list';
import { generateMerchants, merchantListBody } from './_generate';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

/** Only the clone survives: the list, the built index and the garbage of both are collected. */
function loadedIndex(count: number): MerchantIndex[] {
  const list = parseMerchantList(merchantListBody(generateMerchants(count)));
  if (!list.ok) throw new Error(list.error);
  const domains = list.merchants.reduce((sum, merchant) => sum + merchant.domains.length, 0);
  return structuredClone(buildMatchShards(list.merchants, matchShardCountFor(domains)));
}

function used(): number {
  gc!();
  gc!();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

const count = Number(process.argv[2] ?? 100_000);
// A first run, thrown away, so that compiled code and lazy library state are not counted.
loadedIndex(count);
const before = used();
const index = loadedIndex(count);
const after = used();
if (matchUrl(index[0]!, 'https://www.example.fr/') === -2) console.log('unreachable');
console.log(JSON.stringify({ bytes: after - before }));
