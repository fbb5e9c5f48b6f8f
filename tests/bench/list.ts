/**
 * Validation of the portal's list: JSON parsing, then parseMerchantList (zod entry by entry,
 * jitless as in the extension, plus domain normalisation) on generated lists of about 5 MB and at
 * 100,000 merchants.
 */
import { parseMerchantList } from '../../utils/merchants/list';
import { generateMerchants, merchantListBody } from './_generate';
import { fastestMs, MB, round, type BenchRow } from './_shared';

/** The smallest generated list whose JSON is at least `megabytes` MB. */
function listOfAbout(megabytes: number): { json: string; count: number } {
  const sample = JSON.stringify(merchantListBody(generateMerchants(1000)));
  let count = Math.ceil((megabytes * MB * 1000) / sample.length);
  let json = JSON.stringify(merchantListBody(generateMerchants(count)));
  while (json.length < megabytes * MB) {
    count += 500;
    json = JSON.stringify(merchantListBody(generateMerchants(count)));
  }
  return { json, count };
}

async function validationRows(json: string, count: number, label: string): Promise<BenchRow[]> {
  const size = `${label} (${round(json.length / MB, 1)} MB, ${count.toLocaleString('en-US')} merchants)`;
  const body: unknown = JSON.parse(json);
  let kept = 0;
  const validateMs = await fastestMs(3, () => {
    const result = parseMerchantList(body);
    kept = result.ok ? result.merchants.length : -1;
  });
  return [
    {
      metric: `JSON.parse, ${size}`,
      value: round(await fastestMs(3, () => JSON.parse(json))),
      unit: 'ms',
    },
    {
      metric: `parseMerchantList, ${size}`,
      value: round(validateMs),
      unit: 'ms',
      note: `${kept.toLocaleString('en-US')} kept; ${round((validateMs * 1000) / count, 1)} µs per entry`,
    },
  ];
}

export default async function list(): Promise<BenchRow[]> {
  const fiveMb = listOfAbout(5);
  const large = JSON.stringify(merchantListBody(generateMerchants(100_000)));
  return [
    ...(await validationRows(fiveMb.json, fiveMb.count, 'a 5 MB list')),
    ...(await validationRows(large, 100_000, 'the 100k list')),
  ];
}
