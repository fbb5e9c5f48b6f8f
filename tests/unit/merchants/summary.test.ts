/**
 * What the UI gets of a merchant: its logo only from the portal's own origin (a logo elsewhere
 * would tell a third party each time the member opens the popup on that merchant), or its
 * initials in place of it.
 */
import { describe, expect, it } from 'vitest';
import type { StoredMerchant } from '../../../utils/merchants/list';
import { merchantInitials, summariseMerchant } from '../../../utils/merchants/summary';

const PORTAL = 'http://localhost:8787';
const merchant = (logoUrl?: string): StoredMerchant => ({
  id: 'fnac',
  name: 'Fnac',
  domains: ['fnac.com'],
  cashback: { type: 'percent', value: 4, upTo: false },
  prompts: 'allowed',
  ...(logoUrl === undefined ? {} : { logoUrl }),
});

describe('summariseMerchant: the logo', () => {
  it.each<[string, string, boolean]>([
    ['on the portal’s origin', `${PORTAL}/logos/fnac.png`, true],
    ['on the portal’s origin, host in capitals', 'http://LOCALHOST:8787/logos/fnac.png', true],
    ['on a third-party CDN', 'https://cdn.example/logos/fnac.png', false],
    ['on the merchant’s own site', 'https://www.fnac.com/logo.png', false],
    ['on the portal’s host, another port', 'http://localhost:9999/logos/fnac.png', false],
    ['on a look-alike host', 'http://localhost:8787.evil.example/logo.png', false],
    ['with credentials before the host', 'http://localhost:8787@evil.example/logo.png', false],
    ['not a URL', 'logo.png', false],
  ])('%s → kept: %s', (_name, logoUrl, kept) => {
    const summary = summariseMerchant(merchant(logoUrl), PORTAL);
    if (kept) expect(summary.logoUrl).toBe(new URL(logoUrl).href);
    else expect(summary).not.toHaveProperty('logoUrl');
  });

  it('requires https for a portal that is not on loopback', () => {
    const portal = 'https://portail.example';
    expect(summariseMerchant(merchant('https://portail.example/l.png'), portal).logoUrl).toBe(
      'https://portail.example/l.png',
    );
    expect(summariseMerchant(merchant('http://portail.example/l.png'), portal)).not.toHaveProperty(
      'logoUrl',
    );
  });

  it('uses the build’s portal by default', () => {
    expect(summariseMerchant(merchant(`${PORTAL}/l.png`)).logoUrl).toBe(`${PORTAL}/l.png`);
    expect(summariseMerchant(merchant('https://cdn.example/l.png'))).not.toHaveProperty('logoUrl');
  });
});

describe('merchantInitials', () => {
  it.each([
    ['Fnac', 'F'],
    ['Atelier Vendôme', 'AV'],
    ['la grange aux meubles', 'LG'],
    ['  Hotel & Co  ', 'HC'],
    ['élan', 'É'],
    ['3 Suisses', '3S'],
    ['😀 Shop', '😀S'],
    ['', '?'],
    ['&&', '?'],
  ])('%s → %s', (name, initials) => {
    expect(merchantInitials(name)).toBe(initials);
  });
});
