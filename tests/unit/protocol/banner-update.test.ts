/**
 * The banner's receiver takes only the background's `BannerUpdate`, checked without zod
 * (utils/protocol/banner-update.ts): what the background really sends passes, anything else — a
 * different shape, extra keys, wrong types, absurd values — is ignored.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBannerUpdate, isBannerView } from '../../../utils/protocol/banner-update';
import {
  BannerUpdateSchema,
  type BannerUpdate,
  type BannerView,
  type MerchantSummary,
} from '../../../utils/protocol/messages';
import { arbitraryFrom, oneChangeFrom } from '../helpers/arbitrary-from-schema';

const FNAC: MerchantSummary = {
  id: 'fnac',
  name: 'Fnac',
  cashback: { type: 'percent', value: 4.5, upTo: true },
  terms: 'Hors marketplace.',
  logoUrl: 'https://portal.example/logos/fnac.svg',
  prompts: 'allowed',
};
const HOTEL: MerchantSummary = {
  id: 'hotel-co',
  name: 'Hotel & Co',
  cashback: { type: 'amount', value: 1500, currency: 'EUR', upTo: false },
  prompts: 'checkout-only',
};

/** Every view the background can send (utils/banner/view.ts). */
const VALID_VIEWS: BannerView[] = [
  { merchant: FNAC, variant: 'offer' },
  { merchant: HOTEL, variant: 'checkout-reminder' },
  { merchant: FNAC, variant: 'activating' },
  { merchant: FNAC, variant: 'activated' },
  { merchant: FNAC, variant: 'error', failure: { reason: 'signed-out' } },
  { merchant: FNAC, variant: 'error', failure: { reason: 'portal-unreachable' } },
  { merchant: FNAC, variant: 'error', failure: { reason: 'unknown-merchant' } },
  { merchant: FNAC, variant: 'error', failure: { reason: 'not-a-merchant' } },
  { merchant: FNAC, variant: 'error', failure: { reason: 'blocked', host: 'clic.example' } },
  { merchant: FNAC, variant: 'error', failure: { reason: 'failed', detail: 'HTTP 500' } },
];

const update = (view: unknown) => ({ type: 'background:banner-view', view });
const withMerchant = (merchant: object) =>
  update({ merchant: { ...FNAC, ...merchant }, variant: 'offer' });

/** Messages a forger or a bug could produce: none may reach the banner. */
const REJECTED: [string, unknown][] = [
  ['nothing', undefined],
  ['null', null],
  ['a string', 'background:banner-view'],
  ['an array', [update(null)]],
  ['another type', { type: 'banner:activate', view: null }],
  ['no view', { type: 'background:banner-view' }],
  ['an extra key', { ...update(null), extra: true }],
  ['a view that is a string', update('activated')],
  ['an unknown variant', update({ merchant: FNAC, variant: 'jackpot' })],
  ['a view without merchant', update({ variant: 'offer' })],
  ['a merchant without name', update({ merchant: { ...FNAC, name: undefined }, variant: 'offer' })],
  ['an empty merchant id', withMerchant({ id: '' })],
  ['a huge merchant name', withMerchant({ name: 'x'.repeat(201) })],
  ['a merchant name that is not text', withMerchant({ name: { toString: 'x' } })],
  ['an unknown prompts policy', withMerchant({ prompts: 'always' })],
  ['a merchant with an extra key', withMerchant({ token: 'secret' })],
  ['a negative rate', withMerchant({ cashback: { type: 'percent', value: -1, upTo: false } })],
  [
    'a rate that is not a number',
    withMerchant({ cashback: { type: 'percent', value: '5', upTo: false } }),
  ],
  [
    'an infinite rate',
    withMerchant({ cashback: { type: 'percent', value: Infinity, upTo: false } }),
  ],
  [
    'an amount without currency',
    withMerchant({ cashback: { type: 'amount', value: 5, upTo: false } }),
  ],
  [
    'a percent with a currency',
    withMerchant({ cashback: { type: 'percent', value: 5, upTo: false, currency: 'EUR' } }),
  ],
  [
    'an unknown cashback type',
    withMerchant({ cashback: { type: 'points', value: 5, upTo: false } }),
  ],
  ['terms that are not text', withMerchant({ terms: 42 })],
  ['an unknown failure', update({ merchant: FNAC, variant: 'error', failure: { reason: 'boom' } })],
  [
    'a blocked failure without host',
    update({ merchant: FNAC, variant: 'error', failure: { reason: 'blocked' } }),
  ],
  [
    'a failure with an extra key',
    update({ merchant: FNAC, variant: 'error', failure: { reason: 'signed-out', host: 'x' } }),
  ],
  ['an extra key on the view', update({ merchant: FNAC, variant: 'offer', script: 'alert(1)' })],
];

/** The count in docs/testing.md (tests/unit/docs/hostile-table.test.ts). */
const REJECTED_COUNT = 27;

describe('isBannerUpdate', () => {
  it.each(VALID_VIEWS.map((view) => [view.variant, view.failure?.reason ?? '', view] as const))(
    'takes the view %s %s',
    (_variant, _reason, view) => {
      const message: BannerUpdate = { type: 'background:banner-view', view };
      expect(isBannerUpdate(message)).toBe(true);
      expect(isBannerUpdate(structuredClone(message))).toBe(true);
    },
  );

  it('takes the update that removes the banner', () => {
    expect(isBannerUpdate(update(null))).toBe(true);
  });

  it('tries as many forged messages as docs/testing.md says', () => {
    expect(REJECTED).toHaveLength(REJECTED_COUNT);
  });

  it.each(REJECTED)('ignores %s', (_name, message) => {
    expect(isBannerUpdate(message)).toBe(false);
  });

  it('checks views the same way on their own', () => {
    expect(VALID_VIEWS.every(isBannerView)).toBe(true);
    expect(isBannerView({ merchant: FNAC, variant: 'jackpot' })).toBe(false);
  });
});

/** fast-check runs per property (seeded like the other fuzz tests: FUZZ_SEED replays a failure). */
const AGREEMENT_RUNS = 1000;
/** Valid updates, each changed in every way one change can (about 400 changes each). */
const CHANGED_RUNS = 100;
const seed = Number(process.env.FUZZ_SEED ?? 20261123);

// Bounded by their counts, not by time: a loaded machine may take several seconds.
describe("the banner's check agrees with the protocol's schema", { timeout: 60_000 }, () => {
  const valid = arbitraryFrom(BannerUpdateSchema);
  const agree = (message: unknown) => {
    expect(isBannerUpdate(message)).toBe(BannerUpdateSchema.safeParse(message).success);
  };

  it('takes every update the schema describes', () => {
    fc.assert(
      fc.property(valid, (message) => isBannerUpdate(message)),
      { numRuns: AGREEMENT_RUNS, seed },
    );
  });

  it('decides as the schema does on every update with one thing changed', () => {
    fc.assert(
      fc.property(valid, (message) => oneChangeFrom(message).forEach(agree)),
      { numRuns: CHANGED_RUNS, seed },
    );
  });

  it('decides as the schema does on anything at all', () => {
    fc.assert(fc.property(fc.anything(), agree), { numRuns: AGREEMENT_RUNS, seed });
  });

  it.each(REJECTED)('the schema refuses %s too', (_name, message) => {
    expect(BannerUpdateSchema.safeParse(message).success).toBe(false);
  });
});
