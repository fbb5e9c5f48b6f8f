import { describe, expect, it } from 'vitest';
import type { MerchantInput } from '../../../utils/contract/schemas';
import {
  countDroppedMerchants,
  MAX_MERCHANT_ENTRIES,
  parseMerchantList,
} from '../../../utils/merchants/list';

function merchant(id: string, domains: unknown[], extra: Partial<MerchantInput> = {}): unknown {
  return {
    id,
    name: `Shop ${id}`,
    domains,
    cashback: { type: 'percent', value: 4.5, upTo: true },
    ...extra,
  };
}

function list(merchants: unknown[], extra: Record<string, unknown> = {}) {
  return { version: '2026-11-23T08:00:00Z', merchants, ...extra };
}

describe('parseMerchantList', () => {
  it('keeps valid entries with their defaults and normalised domains', () => {
    const result = parseMerchantList(
      list([
        merchant('fnac', ['FNAC.com.', 'fnac.be'], {
          checkoutPaths: ['/panier'],
          terms: 'Hors CB',
        }),
        merchant('cafe', ['café.fr']),
      ]),
    );
    expect(result).toEqual({
      ok: true,
      version: '2026-11-23T08:00:00Z',
      merchants: [
        {
          id: 'fnac',
          name: 'Shop fnac',
          domains: ['fnac.com', 'fnac.be'],
          cashback: { type: 'percent', value: 4.5, upTo: true },
          checkoutPaths: ['/panier'],
          prompts: 'allowed',
          terms: 'Hors CB',
        },
        {
          id: 'cafe',
          name: 'Shop cafe',
          domains: ['xn--caf-dma.fr'],
          cashback: { type: 'percent', value: 4.5, upTo: true },
          prompts: 'allowed',
        },
      ],
      standDown: { params: [], referrerHosts: [] },
      dropped: [],
    });
  });

  it('drops each malformed entry alone, with its index, id and reason', () => {
    const result = parseMerchantList(
      list([
        merchant('ok-1', ['ok1.fr']),
        'not an object',
        merchant('no-domains', []),
        {
          ...(merchant('bad-rate', ['bad.fr']) as object),
          cashback: { type: 'percent', value: 0 },
        },
        { id: 'no-name', domains: ['noname.fr'], cashback: { type: 'percent', value: 2 } },
        merchant('bad-logo', ['logo.fr'], { logoUrl: 'javascript:alert(1)' }),
        merchant('ok-2', ['ok2.fr'], { prompts: 'never' }),
      ]),
    );
    if (!result.ok) throw new Error(result.error);
    expect(result.merchants.map((m) => m.id)).toEqual(['ok-1', 'ok-2']);
    expect(result.dropped.map(({ index, id }) => ({ index, id }))).toEqual([
      { index: 1, id: undefined },
      { index: 2, id: 'no-domains' },
      { index: 3, id: 'bad-rate' },
      { index: 4, id: 'no-name' },
      { index: 5, id: 'bad-logo' },
    ]);
    expect(result.dropped[2]!.reason).toMatch(/^cashback/);
    expect(result.dropped[3]!.reason).toMatch(/^name/);
    expect(countDroppedMerchants(result.dropped)).toBe(5);
  });

  it('drops an invalid domain from its merchant, and the merchant when none is left', () => {
    const result = parseMerchantList(
      list([
        merchant('mixed', ['com', 'mixed.fr', 'mixed.fr:8080', '127.0.0.1']),
        merchant('only-bad', ['co.uk', 'github.io']),
      ]),
    );
    if (!result.ok) throw new Error(result.error);
    expect(result.merchants).toHaveLength(1);
    expect(result.merchants[0]!.domains).toEqual(['mixed.fr']);
    expect(result.dropped).toEqual([
      { index: 0, id: 'mixed', domain: 'com', reason: 'a public suffix' },
      {
        index: 0,
        id: 'mixed',
        domain: 'mixed.fr:8080',
        reason: expect.stringMatching(/^not a bare hostname/),
      },
      { index: 0, id: 'mixed', domain: '127.0.0.1', reason: 'an IP address' },
      { index: 1, id: 'only-bad', domain: 'co.uk', reason: 'a public suffix' },
      { index: 1, id: 'only-bad', domain: 'github.io', reason: 'a public suffix' },
      { index: 1, id: 'only-bad', reason: 'no valid domain left' },
    ]);
    expect(countDroppedMerchants(result.dropped)).toBe(1);
  });

  it('keeps the first of two entries with the same id', () => {
    const result = parseMerchantList(
      list([merchant('fnac', ['fnac.com']), merchant('fnac', ['fnac-bis.com'])]),
    );
    if (!result.ok) throw new Error(result.error);
    expect(result.merchants.map((m) => m.domains)).toEqual([['fnac.com']]);
    expect(result.dropped).toEqual([
      { index: 1, id: 'fnac', reason: expect.stringMatching(/^duplicate id/) },
    ]);
  });

  it('gives a domain claimed twice to its first claimant, and records the second claim', () => {
    const result = parseMerchantList(
      list([
        merchant('first', ['shop.fr']),
        merchant('second', ['SHOP.fr.', 'second.fr']),
        merchant('third', ['shop.fr']),
      ]),
    );
    if (!result.ok) throw new Error(result.error);
    expect(result.merchants.map((m) => [m.id, m.domains])).toEqual([
      ['first', ['shop.fr']],
      ['second', ['second.fr']],
    ]);
    expect(result.dropped).toEqual([
      { index: 1, id: 'second', domain: 'shop.fr', reason: 'already claimed by merchant "first"' },
      { index: 2, id: 'third', domain: 'shop.fr', reason: 'already claimed by merchant "first"' },
      { index: 2, id: 'third', reason: 'no valid domain left' },
    ]);
  });

  it('merges a domain written twice by the same merchant silently', () => {
    const result = parseMerchantList(list([merchant('fnac', ['fnac.com', 'FNAC.COM.'])]));
    expect(result.ok && result.merchants[0]!.domains).toEqual(['fnac.com']);
    expect(result.ok && result.dropped).toEqual([]);
  });

  it('keeps the stand-down list and ignores unknown fields', () => {
    const result = parseMerchantList(
      list([{ ...(merchant('fnac', ['fnac.com']) as object), future: 1 }], {
        standDown: { params: ['awc'], referrerHosts: ['igraal.com'] },
        somethingNew: true,
      }),
    );
    if (!result.ok) throw new Error(result.error);
    expect(result.standDown).toEqual({ params: ['awc'], referrerHosts: ['igraal.com'] });
    expect(result.merchants[0]).not.toHaveProperty('future');
  });

  it('refuses a list with more entries than the cap, before validating any', () => {
    const entries = [merchant('a', ['a.fr']), merchant('b', ['b.fr']), merchant('c', ['c.fr'])];
    expect(parseMerchantList(list(entries), 3)).toMatchObject({ ok: true });
    expect(parseMerchantList(list(entries), 2)).toEqual({
      ok: false,
      kind: 'too-large',
      error: '3 merchants, over the cap of 2',
    });
    expect(MAX_MERCHANT_ENTRIES).toBeGreaterThanOrEqual(100_000);
  });

  it('refuses a list none of whose entries is valid: the last good list stays', () => {
    const result = parseMerchantList(list([merchant('a', ['com']), { id: 'b' }]));
    expect(result).toMatchObject({ ok: false, kind: 'not-a-list' });
    expect(result.ok ? '' : result.error).toMatch(/none of its 2 entries is valid/);
    expect(parseMerchantList(list([]))).toMatchObject({ ok: true, merchants: [] });
  });

  it('ignores __proto__ keys: nothing reaches Object.prototype or the stored merchant', () => {
    const body = JSON.parse(
      `{"version": "v1", "__proto__": {"polluted": 1}, "merchants": [` +
        `{"id": "fnac", "name": "Fnac", "domains": ["fnac.com"], "__proto__": {"admin": true},` +
        ` "cashback": {"type": "percent", "value": 4, "__proto__": {"value": 99}}}]}`,
    ) as unknown;
    const result = parseMerchantList(body);
    if (!result.ok) throw new Error(result.error);
    expect(result.merchants[0]?.cashback.value).toBe(4);
    expect(Object.getPrototypeOf(result.merchants[0])).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['a string', 'merchants'],
    ['no version', { merchants: [] }],
    ['merchants not an array', { version: 'v1', merchants: {} }],
    ['an error body', { error: { code: 'internal' } }],
  ])('refuses %s as not a merchant list', (_, body) => {
    const result = parseMerchantList(body);
    expect(result).toMatchObject({ ok: false, kind: 'not-a-list' });
    expect(result.ok ? '' : result.error).toMatch(/^not a merchant list/);
  });
});
