/**
 * Child process of the matching benchmark: `node --expose-gc --import tsx _index-memory.ts N`
 * prints {"bytes": …}, the memory a match index of N merchants holds once loaded (deserialised
 * from its structured-clone form, as IndexedDB gives it back).
 */
import { deserialize, serialize } from 'node:v8';
import { buildMerchantIndex, matchUrl, type MerchantIndex } from '../../utils/merchant-index';
import { parseMerchantList } from '../../utils/merchant-list';
import { generateMerchants, merchantListBody } from './_generate';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

function serialisedIndex(count: number): Buffer {
  const list = parseMerchantList(merchantListBody(generateMerchants(count)));
  if (!list.ok) throw new Error(list.error);
  return serialize(buildMerchantIndex(list.merchants));
}

function used(): number {
  gc!();
  gc!();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

const record = serialisedIndex(Number(process.argv[2] ?? 100_000));
const before = used();
const index = deserialize(record) as MerchantIndex;
const after = used();
if (matchUrl(index, 'https://www.example.fr/') === -2) console.log('unreachable');
console.log(JSON.stringify({ bytes: after - before }));
