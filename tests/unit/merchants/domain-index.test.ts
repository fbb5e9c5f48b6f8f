import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildMatchShards,
  buildMerchantIndex,
  buildNameIndex,
  foldForSearch,
  matchShardOfUrl,
  matchUrl,
  merchantIdAt,
  NO_MATCH,
  searchNameIndex,
  type MerchantIndex,
} from '../../../utils/merchants/domain-index';

const MERCHANTS = [
  { id: 'fnac', domains: ['fnac.com', 'fnac.be'] },
  { id: 'example', domains: ['example.fr'] },
  { id: 'example-voyages', domains: ['voyages.example.fr'] },
  { id: 'bazar', domains: ['grand-bazar.localhost'] },
  { id: 'bazar-voyages', domains: ['voyages.grand-bazar.localhost'] },
  { id: 'cafe', domains: ['xn--caf-dma.fr'] },
  { id: 'uk-shop', domains: ['shop.co.uk'] },
  { id: 'pages', domains: ['someone.github.io'] },
  { id: 'deep-only', domains: ['boutique.marque.com'] },
];
const index = buildMerchantIndex(MERCHANTS);

function idOfUrl(url: string, on: MerchantIndex = index): string | null {
  const ordinal = matchUrl(on, url);
  return ordinal === NO_MATCH ? null : merchantIdAt(on, ordinal);
}

describe('matchUrl', () => {
  it.each([
    ['https://fnac.com/', 'fnac'],
    ['https://www.fnac.com/panier', 'fnac'],
    ['https://a.b.c.fnac.com/x?y#z', 'fnac'],
    ['https://www.fnac.be/', 'fnac'],
    ['https://example.fr/', 'example'],
    ['https://www.example.fr/', 'example'],
    ['https://voyages.example.fr/', 'example-voyages'],
    ['https://www.voyages.example.fr/sejour', 'example-voyages'],
    ['https://autre.example.fr/', 'example'],
    ['http://grand-bazar.localhost:8787/', 'bazar'],
    ['http://voyages.grand-bazar.localhost:8787/panier', 'bazar-voyages'],
    ['https://café.fr/', 'cafe'],
    ['https://www.xn--caf-dma.fr/', 'cafe'],
    ['https://WWW.FNAC.COM/', 'fnac'],
    ['https://www.fnac.com./', 'fnac'],
    ['https://www.fnac.com:8443/', 'fnac'],
    ['https://user:pass@www.fnac.com/', 'fnac'],
    ['https://www.shop.co.uk/', 'uk-shop'],
    ['https://someone.github.io/repo', 'pages'],
    ['https://boutique.marque.com/', 'deep-only'],
    ['https://www.boutique.marque.com/', 'deep-only'],
  ])('%s → %s', (url, id) => {
    expect(idOfUrl(url)).toBe(id);
  });

  it.each([
    'https://fnac.com.evil.net/',
    'https://notfnac.com/',
    'https://fnacxcom/',
    'https://fnac.co/',
    'https://fnac.com@evil.net/',
    'https://evil.net/?fnac.com',
    'https://evil.net/fnac.com',
    'https://evil.net#fnac.com',
    'https://com/',
    'https://co.uk/',
    'https://other.co.uk/',
    'https://github.io/',
    'https://other.github.io/',
    'https://marque.com/',
    'https://example.fr.evil.net/',
    'https://voyages-example.fr/',
    'http://127.0.0.1/',
    'http://[::1]:8787/',
    'http://0x7f.1/',
    'ftp://fnac.com/',
    'file:///fnac.com/index.html',
    'chrome://fnac.com/',
    'data:text/html,https://fnac.com',
    'about:blank',
    'not a url',
  ])('%s → no merchant', (url) => {
    expect(idOfUrl(url)).toBeNull();
  });

  it('gives the first owner a domain listed twice', () => {
    const twice = buildMerchantIndex([
      { id: 'first', domains: ['shop.fr'] },
      { id: 'second', domains: ['shop.fr', 'second.fr'] },
    ]);
    expect(idOfUrl('https://shop.fr/', twice)).toBe('first');
    expect(idOfUrl('https://second.fr/', twice)).toBe('second');
    expect(twice.domainCount).toBe(2);
  });

  it('keeps ids that are not ASCII', () => {
    const unicode = buildMerchantIndex([
      { id: 'a', domains: ['a.fr'] },
      { id: 'café-ü-🛒', domains: ['cafe.fr'] },
    ]);
    expect(idOfUrl('https://cafe.fr/', unicode)).toBe('café-ü-🛒');
    expect(idOfUrl('https://a.fr/', unicode)).toBe('a');
  });

  it('answers on an empty list', () => {
    expect(idOfUrl('https://fnac.com/', buildMerchantIndex([]))).toBeNull();
  });

  it('refuses domains the matcher could not find (single label, not ASCII)', () => {
    expect(() => buildMerchantIndex([{ id: 'x', domains: ['localhost'] }])).toThrow();
    expect(() => buildMerchantIndex([{ id: 'x', domains: ['café.fr'] }])).toThrow();
  });

  it('keeps working after a structured clone (as loaded from IndexedDB)', () => {
    const loaded = structuredClone(index);
    expect(idOfUrl('https://voyages.example.fr/', loaded)).toBe('example-voyages');
    expect(idOfUrl('https://notfnac.com/', loaded)).toBeNull();
  });
});

describe('matchUrl on hostnames', () => {
  it.each([
    ['www.fnac.com', 'fnac'],
    ['WWW.Fnac.Com.', 'fnac'],
    ['voyages.example.fr', 'example-voyages'],
    ['fnac.com.evil.net', null],
    ['notfnac.com', null],
    ['', null],
    ['.', null],
  ])('%j → %j', (host, id) => {
    const ordinal = matchUrl(index, `https://${host}/`);
    expect(ordinal === NO_MATCH ? null : merchantIdAt(index, ordinal)).toBe(id);
  });
});

describe('matcher against a naive reference', () => {
  // A tiny alphabet so that random lists and hosts nest, collide and look alike often.
  const label = fc.constantFrom('a', 'b', 'ab', 'ba', 'fnac', 'x-y', 'www', 'xn--caf-dma');
  const tld = fc.constantFrom('com', 'fr', 'localhost');
  const domain = fc
    .tuple(fc.array(label, { minLength: 1, maxLength: 3 }), tld)
    .map(([labels, last]) => [...labels, last].join('.'));
  const merchants = fc.array(fc.array(domain, { minLength: 1, maxLength: 3 }), {
    maxLength: 25,
  });
  const host = fc
    .tuple(fc.array(label, { maxLength: 4 }), tld)
    .map(([labels, last]) => [...labels, last].join('.'));

  function reference(list: string[][], hostname: string): number {
    let best = NO_MATCH;
    let bestLength = -1;
    list.forEach((domains, ordinal) => {
      for (const d of domains) {
        const onIt = hostname === d || hostname.endsWith(`.${d}`);
        if (onIt && d.length > bestLength) {
          best = ordinal;
          bestLength = d.length;
        }
      }
    });
    return best;
  }

  it('finds the most specific domain, like the obvious implementation', () => {
    fc.assert(
      fc.property(merchants, fc.array(host, { minLength: 1, maxLength: 20 }), (list, hosts) => {
        const built = buildMerchantIndex(list.map((domains, i) => ({ id: `m${i}`, domains })));
        for (const hostname of hosts) {
          const expected = reference(list, hostname);
          expect(matchUrl(built, `https://${hostname}:8443/p?q#f`)).toBe(expected);
          expect(matchUrl(built, `https://${hostname}.evil.net/`)).toBe(NO_MATCH);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('answers from the shard of the URL as from the whole index', () => {
    const idOf = (on: MerchantIndex, url: string) => {
      const ordinal = matchUrl(on, url);
      return ordinal === NO_MATCH ? null : merchantIdAt(on, ordinal);
    };
    fc.assert(
      fc.property(
        merchants,
        fc.array(host, { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 9 }),
        (list, hosts, shardCount) => {
          const withIds = list.map((domains, i) => ({ id: `m${i}`, domains }));
          const whole = buildMerchantIndex(withIds);
          const shards = buildMatchShards(withIds, shardCount);
          expect(shards).toHaveLength(shardCount);
          for (const hostname of hosts) {
            for (const url of [`https://${hostname}:8443/p?q#f`, `https://${hostname}.evil.net/`]) {
              const shard = shards[matchShardOfUrl(url, shardCount)!]!;
              expect(idOf(shard, url)).toBe(idOf(whole, url));
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('name search', () => {
  const names = buildNameIndex([
    { name: 'Fnac' },
    { name: 'Café de Flore' },
    { name: 'La Grande Épicerie' },
    { name: 'Cœur de Fnacistes' },
    { name: 'Épicerie Fine' },
    { name: 'Maison  Lenoir' },
  ]);

  it('folds case, accents and ligatures', () => {
    expect(foldForSearch('  Cœur   ÉPICERIE\nFine ')).toBe('coeur epicerie fine');
  });

  it('puts names starting with the query first, then word starts, then the rest', () => {
    expect(searchNameIndex(names, 'épicerie', 10)).toEqual([4, 2]);
    expect(searchNameIndex(names, 'FNAC', 10)).toEqual([0, 3]);
    expect(searchNameIndex(names, 'cafe', 10)).toEqual([1]);
    expect(searchNameIndex(names, 'ACIST', 10)).toEqual([3]);
    expect(searchNameIndex(names, 'maison lenoir', 10)).toEqual([5]);
  });

  it('honours the limit and ignores empty queries', () => {
    expect(searchNameIndex(names, 'e', 2)).toHaveLength(2);
    expect(searchNameIndex(names, '   ', 10)).toEqual([]);
    expect(searchNameIndex(names, 'zzz', 10)).toEqual([]);
  });

  it('never matches across two names', () => {
    expect(searchNameIndex(names, 'fnac cafe', 10)).toEqual([]);
  });
});
