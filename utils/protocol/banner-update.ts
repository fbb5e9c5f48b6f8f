/**
 * The banner's receiver checks every message before acting on it: only a `BannerUpdate` of the
 * exact shape the background sends (utils/banner/delivery.ts) is taken, anything else is
 * ignored. By hand rather than with zod, which would weigh more than the whole banner.
 */
import type { Cashback } from '../contract/schemas';
import type {
  ActivationFailure,
  BannerText,
  BannerUpdate,
  BannerView,
  MerchantSummary,
} from './messages';

type Check = (value: unknown) => boolean;
/** Every key of every member of a union: a field added to the types must be checked here too. */
type KeysOfUnion<T> = T extends unknown ? keyof T : never;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text =
  (max: number, min = 0): Check =>
  (value) =>
    typeof value === 'string' && value.length >= min && value.length <= max;
const oneOf =
  (...allowed: unknown[]): Check =>
  (value) =>
    allowed.includes(value);
/** One of the keys: written as `{ … } satisfies Record<Union, 1>`, the compiler checks it lists all. */
const among =
  (values: Record<string, 1>): Check =>
  (value) =>
    typeof value === 'string' && Object.hasOwn(values, value);
const optional =
  (check: Check): Check =>
  (value) =>
    value === undefined || check(value);
const positive: Check = (value) => typeof value === 'number' && Number.isFinite(value) && value > 0;

/** An object with exactly these keys (absent optional ones allowed), each passing its check. */
const shape =
  (fields: Record<string, Check>): Check =>
  (value) =>
    isRecord(value) &&
    Object.keys(value).every((key) => Object.hasOwn(fields, key)) &&
    Object.keys(fields).every((key) => fields[key]!(value[key]));

const isCashback: Check = (value) =>
  isRecord(value) &&
  shape({
    type: among({ percent: 1, amount: 1 } satisfies Record<Cashback['type'], 1>),
    value: positive,
    upTo: oneOf(true, false),
    currency: value.type === 'amount' ? text(3, 3) : oneOf(undefined),
  } satisfies Record<KeysOfUnion<Cashback>, Check>)(value);

const isFailure: Check = (value) =>
  isRecord(value) &&
  shape({
    reason: among({
      'signed-out': 1,
      'portal-unreachable': 1,
      'unknown-merchant': 1,
      blocked: 1,
      'not-a-merchant': 1,
      failed: 1,
    } satisfies Record<ActivationFailure['reason'], 1>),
    host: value.reason === 'blocked' ? text(253) : oneOf(undefined),
    detail: value.reason === 'failed' ? text(2000) : oneOf(undefined),
  } satisfies Record<KeysOfUnion<ActivationFailure>, Check>)(value);

const isBannerText: Check = shape({
  title: text(4000, 1),
  detail: optional(text(4000)),
  action: optional(shape({ label: text(200, 1), busy: oneOf(true, false) })),
  canMute: oneOf(true, false),
  region: text(400),
  close: text(200),
  mute: text(200),
} satisfies Record<keyof BannerText, Check>);

export const isBannerView = shape({
  merchant: shape({
    id: text(200, 1),
    name: text(200, 1),
    cashback: isCashback,
    terms: optional(text(2000)),
    logoUrl: optional(text(2000)),
    prompts: among({ allowed: 1, 'checkout-only': 1, never: 1 } satisfies Record<
      MerchantSummary['prompts'],
      1
    >),
  } satisfies Record<keyof MerchantSummary, Check>),
  variant: among({
    offer: 1,
    'checkout-reminder': 1,
    activating: 1,
    activated: 1,
    error: 1,
  } satisfies Record<BannerView['variant'], 1>),
  failure: optional(isFailure),
  figure: optional(text(100, 1)),
  text: optional(isBannerText),
} satisfies Record<keyof BannerView, Check>) as (value: unknown) => value is BannerView;

export const isBannerUpdate = shape({
  type: oneOf('background:banner-view' satisfies BannerUpdate['type']),
  view: (view) => view === null || isBannerView(view),
} satisfies Record<keyof BannerUpdate, Check>) as (message: unknown) => message is BannerUpdate;
