import { describe, expect, it } from 'vitest';
import { MerchantSchema } from '../../utils/contract/schemas';
import { DEMO_MERCHANTS } from './demo-merchants';
import { generateMerchants, slugify } from './generated-merchants';
import { toEntry } from '../api/merchants';

describe('generateMerchants', () => {
  const merchants = generateMerchants(5000, new Set(['musique-mathieu']));

  it('is deterministic, and a longer list extends a shorter one', () => {
    expect(generateMerchants(300, new Set(['musique-mathieu']))).toEqual(merchants.slice(0, 300));
  });

  it('gives unique ids and unique domains, never on .localhost', () => {
    expect(new Set(merchants.map((m) => m.id)).size).toBe(merchants.length);
    expect(merchants.map((m) => m.id)).not.toContain('musique-mathieu');
    const domains = merchants.flatMap((m) => m.domains);
    expect(new Set(domains).size).toBe(domains.length);
    expect(domains.some((d) => d.endsWith('localhost'))).toBe(false);
    for (const domain of domains)
      expect(domain).toMatch(/^[a-z0-9]+(?:[.-][a-z0-9]+)*\.[a-z]{2,}$/);
  });

  it('produces entries the contract accepts, with the variety of a real list', () => {
    for (const merchant of merchants) {
      expect(() => MerchantSchema.parse(toEntry(merchant, 'http://localhost:8787'))).not.toThrow();
    }
    const share = (predicate: (m: (typeof merchants)[number]) => boolean) =>
      merchants.filter(predicate).length / merchants.length;
    expect(share((m) => m.cashback.type === 'amount')).toBeGreaterThan(0.2);
    expect(share((m) => m.cashback.upTo)).toBeGreaterThan(0.1);
    expect(share((m) => m.domains.length > 1)).toBeGreaterThan(0.05);
    expect(share((m) => m.checkoutPaths !== undefined)).toBeGreaterThan(0.4);
    expect(share((m) => m.prompts === 'never')).toBeGreaterThan(0.01);
    expect(share((m) => m.prompts === 'checkout-only')).toBeGreaterThan(0.05);
    // Nested merchants: a domain under another merchant's domain.
    const all = new Set(merchants.flatMap((m) => m.domains));
    expect(merchants.some((m) => m.domains.some((d) => all.has(d.slice(d.indexOf('.') + 1))))).toBe(
      true,
    );
  });
});

describe('the demo merchants', () => {
  it('are valid entries with fictional names on their own .localhost host', () => {
    expect(DEMO_MERCHANTS.length).toBeGreaterThanOrEqual(30);
    for (const merchant of DEMO_MERCHANTS) {
      expect(() => MerchantSchema.parse(toEntry(merchant, 'http://localhost:8787'))).not.toThrow();
      expect(merchant.domains.every((d) => d.endsWith('.localhost'))).toBe(true);
    }
  });
});

describe('slugify', () => {
  it('makes ASCII labels out of French names', () => {
    expect(slugify('Épicerie d’Anjou & Fils')).toBe('epicerie-d-anjou-et-fils');
    expect(slugify('  Vélo  Sud ')).toBe('velo-sud');
  });
});
