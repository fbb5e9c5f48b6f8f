/**
 * What of a URL is kept in storage.session (utils/visit/stored-url.ts): short URLs whole, long
 * ones reduced to what stand-down reads, bounded whatever the page sends; and stand-down decides
 * the same on the reduced URL as on the original.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_SIGNALS, mergeStandDownSignals } from '../../../utils/visit/affiliate-signals';
import { detectAffiliateReferral } from '../../../utils/visit/stand-down';
import {
  MAX_REDUCED_URL_LENGTH,
  MAX_WHOLE_HOP_LENGTH,
  MAX_WHOLE_URL_LENGTH,
  storedHop,
  storedUrl,
} from '../../../utils/visit/stored-url';

const PORTAL = 'https://portail.example';
const LONG = 'x'.repeat(3000);
/** Reduced URLs compared against the original: the same verdict, every run. */
export const REDUCED_URL_RUNS = 300;

describe('storedHop', () => {
  it.each<[string, string, string]>([
    [
      'a short hop, whole',
      'https://www.awin1.com/cread.php?awinmid=1&p=x',
      'https://www.awin1.com/cread.php?awinmid=1&p=x',
    ],
    [
      'a long hop, reduced to its host and parameters',
      `https://r.tracker.example/${LONG}?awc=1_2&pad=${LONG}`,
      'https://r.tracker.example/?awc=1_2&pad=',
    ],
    [
      'a long hop keeps a short signal value',
      `https://shop.example/${LONG}?afsrc=1&AFSRC=0`,
      'https://shop.example/?afsrc=1&AFSRC=0',
    ],
    ['a long hop without a query', `https://shop.example/${LONG}`, 'https://shop.example/'],
    [
      'a parameter name no signal has (over 64 characters) is left out',
      `https://shop.example/?${'n'.repeat(65)}=1&awc=2&x=${LONG}`,
      'https://shop.example/?awc=2&x=',
    ],
    ['not a URL, cut', `not a url ${LONG}`, `not a url ${LONG}`.slice(0, MAX_REDUCED_URL_LENGTH)],
    [
      'our portal’s redirect, whole up to the contract’s limit',
      `${PORTAL}/go/c_1?x=${LONG}`,
      `${PORTAL}/go/c_1?x=${LONG}`,
    ],
  ])('%s', (_name, raw, stored) => {
    expect(storedHop(raw, PORTAL)).toBe(stored);
  });

  it('bounds a hop of any size, the portal’s too', () => {
    const giant = `https://r.example/?${Array.from({ length: 5000 }, (_, i) => `p${i}=${i}`).join('&')}`;
    expect(storedHop(giant, PORTAL).length).toBeLessThanOrEqual(MAX_REDUCED_URL_LENGTH);
    expect(
      storedHop(`${PORTAL}/go/1?x=${'y'.repeat(MAX_WHOLE_URL_LENGTH)}`, PORTAL).length,
    ).toBeLessThanOrEqual(MAX_REDUCED_URL_LENGTH);
    expect(
      storedHop(`https://a.example/${'p'.repeat(MAX_WHOLE_HOP_LENGTH - 18)}`, PORTAL),
    ).toHaveLength(MAX_WHOLE_HOP_LENGTH);
  });
});

describe('storedUrl (a tab’s page)', () => {
  it('keeps a page whole up to the contract’s limit, and reduces a longer one', () => {
    const page = `https://shop.example/produit/${'p'.repeat(MAX_WHOLE_URL_LENGTH - 40)}?awc=3`;
    expect(page.length).toBeLessThanOrEqual(MAX_WHOLE_URL_LENGTH);
    expect(storedUrl(page)).toBe(page);
    const longer = `https://shop.example/produit/${LONG}${LONG}${LONG}?awc=3&q=${'y'.repeat(100)}`;
    expect(storedUrl(longer)).toBe('https://shop.example/?awc=3&q=');
  });
});

describe('stand-down on a reduced URL', () => {
  const signals = mergeStandDownSignals(BUILT_IN_SIGNALS, {
    params: ['rdclid', 'partner_id'],
    referrerHosts: ['igraal.com'],
  });
  const names = [
    'awc',
    'AFSRC',
    'afsrc',
    'campid',
    'utm_source',
    'gclid',
    'ref',
    'partner_id',
    'q',
    'cjevent',
  ];
  const hosts = ['www.fnac.com', 'www.awin1.com', 'rover.ebay.com', 'www.ebay.fr', 'shop.example'];

  it('decides as on the original URL, however long it is', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...hosts),
        fc.string({ maxLength: 3000 }),
        fc.array(
          fc.tuple(
            fc.constantFrom(...names),
            fc.oneof(fc.constantFrom('1', '0', ' 1', ''), fc.string({ maxLength: 200 })),
          ),
          { maxLength: 8 },
        ),
        (host, path, params) => {
          const url = new URL(`https://${host}/`);
          url.pathname = path;
          for (const [name, value] of params) url.searchParams.append(name, value);
          const original = url.href;
          const verdict = (chain: string[]) =>
            detectAffiliateReferral({ chain, ownActivation: false }, signals);
          expect(verdict([storedUrl(original, 0)])).toEqual(verdict([original]));
          expect(verdict([storedHop(original, PORTAL)])).toEqual(verdict([original]));
        },
      ),
      { numRuns: REDUCED_URL_RUNS },
    );
  });
});
