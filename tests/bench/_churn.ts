/**
 * A day of a cashback portal's catalogue, played on the reference portal's own catalogue code
 * (portal/api/merchants.ts, what the admin's page and API call): of the merchants changed, 80 %
 * get a new rate, 10 % leave the list and 10 % are new. Deterministic for a seed.
 */
import { prng } from '../../portal/demo/generated-merchants';
import { toEntry, type Merchants } from '../../portal/api/merchants';

export interface Churned {
  changed: number;
  removed: number;
  added: number;
}

let added = 0;

export function churn(merchants: Merchants, count: number, seed: number): Churned {
  const random = prng(seed);
  const listed = merchants.listed();
  const picked = new Set<number>();
  while (picked.size < Math.min(count, listed.length)) {
    picked.add(Math.floor(random() * listed.length));
  }
  const result: Churned = { changed: 0, removed: 0, added: 0 };
  for (const index of picked) {
    const record = listed[index]!;
    const roll = random();
    if (roll < 0.1) {
      merchants.remove(record.id);
      result.removed += 1;
    } else if (roll < 0.2) {
      added += 1;
      const id = `nouveau-${seed}-${added}`;
      const written = merchants.add({
        id,
        name: `Nouveau marchand ${added}`,
        domains: [`${id}.fr`],
        cashback: { type: 'percent', value: 3 },
        logoUrl: `http://localhost/logos/${id}.svg`,
        checkoutPaths: ['/panier'],
      });
      if (!written.ok) throw new Error(JSON.stringify(written.errors));
      result.added += 1;
    } else {
      const entry = toEntry(record, 'http://localhost');
      const value =
        entry.cashback.type === 'percent'
          ? { ...entry.cashback, value: Number((0.5 + random() * 11.5).toFixed(1)) }
          : { ...entry.cashback, value: 100 + Math.floor(random() * 60) * 50 };
      const written = merchants.update(record.id, {
        ...entry,
        cashback: value,
        category: record.category,
      });
      if (!written?.ok) throw new Error(JSON.stringify(written));
      result.changed += 1;
    }
  }
  return result;
}
