/**
 * The routes of the member's money (docs/portal-api.md §5): what may be withdrawn and how
 * (`GET /me/payout-options`), a payout (`POST /me/payouts`, with an Idempotency-Key), the payouts
 * and the whole transaction history a page at a time (`GET /me/payouts`, `GET /me/transactions`);
 * and the charities' logos. The money itself moves in payout-ledger.ts.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import {
  API,
  IdempotencyKeySchema,
  PAGE_CURSOR_PARAM,
  PAGE_LIMIT_PARAM,
  PAGE_MAX_LIMIT,
  PayoutMethodSchema,
  PayoutRequestSchema,
  type Charity,
  type Payout,
  type PayoutOptions,
  type PayoutPage,
  type PayoutRequest,
  type TransactionPage,
  type VoucherBrand,
} from '../../utils/contract/schemas';
import { payoutFee } from '../../utils/contract/payout-fee';
import type { PortalContext } from '../context';
import { CHARITIES, PAYOUT_METHODS, VOUCHER_BRANDS } from '../demo/payout-catalogue';
import { describeIssues, errorJson } from './http';
import { maskIban } from './iban';
import { CURRENCY, PAYOUT_THRESHOLD } from './ledger';
import { logoSvg } from './logos';
import type { Member } from './members';
import { requestHash, type PayoutAttempt } from './payout-ledger';

type Env = { Variables: { member: Member; token: string } };

/** Where the member registers the account transfers go to (site/payout-pages.ts). */
export const BANK_ACCOUNT_PATH = '/compte/rib';
/** The charities' logos: the same drawing as the merchants', on the portal's origin. */
const CHARITY_LOGO_PATH = '/logos/associations';

const DEFAULT_PAYOUT_PAGE = 20;
const DEFAULT_TRANSACTION_PAGE = 50;

export function voucherBrands(origin: string): VoucherBrand[] {
  return VOUCHER_BRANDS.map((brand) => ({
    id: brand.id,
    name: brand.name,
    description: brand.description,
    denominations: brand.denominations,
    logoUrl: `${origin}/logos/${brand.merchantId}.svg`,
  }));
}

export function charities(origin: string, raised: Map<string, number>): Charity[] {
  return CHARITIES.map((charity) => ({
    id: charity.id,
    name: charity.name,
    description: charity.description,
    logoUrl: `${origin}${CHARITY_LOGO_PATH}/${charity.id}.svg`,
    raised: raised.get(charity.id) ?? 0,
  }));
}

/** `?limit=` within 1–100, or the default; null when it is not a number in range. */
function pageLimit(c: Context, fallback: number): number | null {
  const raw = c.req.query(PAGE_LIMIT_PARAM);
  if (raw === undefined) return fallback;
  const limit = Number(raw);
  return /^\d{1,3}$/.test(raw) && limit >= 1 && limit <= PAGE_MAX_LIMIT ? limit : null;
}

const encodeCursor = (value: string) => Buffer.from(value, 'utf8').toString('base64url');

function decodeCursor(raw: string | undefined): string | null | undefined {
  if (raw === undefined) return null;
  if (!/^[A-Za-z0-9_-]{1,500}$/.test(raw)) return undefined;
  return Buffer.from(raw, 'base64url').toString('utf8');
}

const badPage = (c: Context) =>
  errorJson(
    c,
    400,
    'invalid_request',
    `Pagination invalide : ${PAGE_LIMIT_PARAM} de 1 à ${PAGE_MAX_LIMIT}, ${PAGE_CURSOR_PARAM} tel que reçu.`,
  );

export function payoutRoutes(ctx: PortalContext, requireMember: MiddlewareHandler<Env>): Hono<Env> {
  const { ledger, payouts } = ctx.store;
  const app = new Hono<Env>();

  app.get(API.payoutOptions, requireMember, (c) => {
    const member = c.get('member');
    const origin = ctx.publicOrigin();
    const account = payouts.bankAccount(member.rowId);
    const options: PayoutOptions = {
      currency: CURRENCY,
      threshold: PAYOUT_THRESHOLD,
      available: payouts.available(member.rowId),
      transfer: {
        ...PAYOUT_METHODS.transfer,
        account: account ? { masked: maskIban(account.iban), holder: account.holder } : null,
        accountUrl: `${origin}${BANK_ACCOUNT_PATH}`,
      },
      voucher: { ...PAYOUT_METHODS.voucher, brands: voucherBrands(origin) },
      donation: {
        ...PAYOUT_METHODS.donation,
        charities: charities(origin, payouts.raisedByCharity()),
      },
    };
    return c.json(options);
  });

  app.post(API.payouts, requireMember, async (c) => {
    const member = c.get('member');
    const key = c.req.header('idempotency-key');
    if (!IdempotencyKeySchema.safeParse(key).success) {
      return errorJson(
        c,
        400,
        'invalid_request',
        'En-tête Idempotency-Key absent ou invalide : 16 à 200 caractères A–Z, a–z, 0–9, - ou _.',
      );
    }
    let raw: unknown;
    try {
      raw = JSON.parse(await c.req.text());
    } catch {
      return errorJson(c, 400, 'invalid_json', 'Le corps de la requête n’est pas du JSON valide.');
    }
    const method = (raw as { method?: unknown } | null)?.method;
    if (typeof method === 'string' && !PayoutMethodSchema.safeParse(method).success) {
      return errorJson(
        c,
        422,
        'unknown_method',
        `Mode de retrait inconnu : ${method.slice(0, 50)}.`,
      );
    }
    const parsed = PayoutRequestSchema.safeParse(raw);
    if (!parsed.success) {
      return errorJson(
        c,
        400,
        'invalid_request',
        `Requête invalide : ${describeIssues(parsed.error)}`,
      );
    }
    const request = parsed.data;
    const hash = requestHash(request);
    // A key already used answers as it did, whatever the balance or the catalogue since.
    const earlier = payouts.previous(member.rowId, key!, hash);
    if (earlier) return answer(c, earlier);
    if (request.currency !== CURRENCY) {
      return errorJson(c, 400, 'invalid_request', `La cagnotte est en ${CURRENCY}.`);
    }
    const available = payouts.available(member.rowId);
    if (available < PAYOUT_THRESHOLD) return answer(c, { kind: 'below_threshold', available });
    const target = resolveTarget(c, member, request);
    if (target instanceof Response) return target;
    const rules = PAYOUT_METHODS[request.method];
    if (request.amount < rules.minimum) {
      return errorJson(
        c,
        422,
        'below_minimum',
        `Le minimum de ce mode de retrait est de ${rules.minimum} centimes.`,
      );
    }
    return answer(
      c,
      payouts.request({
        memberRowId: member.rowId,
        idempotencyKey: key!,
        requestHash: hash,
        method: request.method,
        amount: request.amount,
        fee: payoutFee(rules.fee, request.amount),
        currency: request.currency,
        ...target,
        threshold: PAYOUT_THRESHOLD,
      }),
    );
  });

  /** Where the money goes, or the refusal: no account yet, no such voucher or charity. */
  function resolveTarget(
    c: Context,
    member: Member,
    request: PayoutRequest,
  ): { target: string; targetName: string } | Response {
    switch (request.method) {
      case 'transfer': {
        const account = payouts.bankAccount(member.rowId);
        if (!account) {
          return errorJson(
            c,
            422,
            'no_bank_account',
            'Aucun compte bancaire enregistré : ajoutez votre RIB sur votre compte.',
          );
        }
        return { target: maskIban(account.iban), targetName: account.holder };
      }
      case 'voucher': {
        const brand = VOUCHER_BRANDS.find((candidate) => candidate.id === request.brandId);
        if (!brand) {
          return errorJson(c, 422, 'unknown_voucher', `Bon d’achat inconnu : ${request.brandId}.`);
        }
        if (!brand.denominations.includes(request.amount)) {
          return errorJson(
            c,
            422,
            'invalid_amount',
            `Montants proposés pour ${brand.name} : ${brand.denominations.join(', ')} centimes.`,
          );
        }
        return { target: brand.id, targetName: brand.name };
      }
      case 'donation': {
        const charity = CHARITIES.find((candidate) => candidate.id === request.charityId);
        if (!charity) {
          return errorJson(
            c,
            422,
            'unknown_charity',
            `Association inconnue : ${request.charityId}.`,
          );
        }
        return { target: charity.id, targetName: charity.name };
      }
    }
  }

  function answer(c: Context, attempt: PayoutAttempt): Response {
    switch (attempt.kind) {
      case 'created':
        return c.json(attempt.payout satisfies Payout, 201);
      case 'replayed':
        c.header('Idempotent-Replayed', 'true');
        return c.json(attempt.payout satisfies Payout, 200);
      case 'idempotency_conflict':
        return errorJson(
          c,
          409,
          'idempotency_conflict',
          'Cette clé d’idempotence a déjà servi pour une autre demande.',
        );
      case 'below_threshold':
        return errorJson(
          c,
          422,
          'below_threshold',
          `Le cashback confirmé (${attempt.available} centimes) n’atteint pas le seuil de retrait.`,
        );
      case 'insufficient_balance':
        return errorJson(
          c,
          422,
          'insufficient_balance',
          `Solde confirmé insuffisant : ${attempt.available} centimes disponibles, frais compris.`,
        );
    }
  }

  app.get(API.payouts, requireMember, (c) => {
    const limit = pageLimit(c, DEFAULT_PAYOUT_PAGE);
    const cursor = decodeCursor(c.req.query(PAGE_CURSOR_PARAM));
    const before = cursor === null ? null : Number(cursor);
    if (
      limit === null ||
      cursor === undefined ||
      (before !== null && !Number.isSafeInteger(before))
    ) {
      return badPage(c);
    }
    const page = payouts.page(c.get('member').rowId, before, limit);
    const body: PayoutPage = {
      payouts: page.payouts,
      nextCursor: page.more && page.last !== null ? encodeCursor(String(page.last)) : null,
    };
    return c.json(body);
  });

  app.get(API.transactions, requireMember, (c) => {
    const limit = pageLimit(c, DEFAULT_TRANSACTION_PAGE);
    const cursor = decodeCursor(c.req.query(PAGE_CURSOR_PARAM));
    const after = cursor === null || cursor === undefined ? null : parseTransactionCursor(cursor);
    if (limit === null || cursor === undefined || (cursor !== null && after === null)) {
      return badPage(c);
    }
    const page = ledger.transactionPage(c.get('member'), after, limit);
    const body: TransactionPage = {
      transactions: page.transactions,
      nextCursor:
        page.more && page.last ? encodeCursor(`${page.last.orderedAt}|${page.last.id}`) : null,
    };
    return c.json(body);
  });

  app.get(`${CHARITY_LOGO_PATH}/:file{[^/]+\\.svg}`, async (c) => {
    const id = c.req.param('file').slice(0, -'.svg'.length);
    const charity = CHARITIES.find((candidate) => candidate.id === id);
    if (!charity) return errorJson(c, 404, 'not_found', 'No such logo.');
    return c.body(await logoSvg(charity), 200, {
      'Content-Type': 'image/svg+xml; charset=utf-8',
      'Cache-Control': 'public, max-age=86400',
    });
  });

  return app;
}

/** `2026-11-20T14:03:00.000Z|42`: the last transaction of the previous page. */
function parseTransactionCursor(cursor: string): { orderedAt: string; id: number } | null {
  const match = /^(\d{4}-\d\d-\d\dT[^|]{1,40})\|([1-9]\d{0,15})$/.exec(cursor);
  return match ? { orderedAt: match[1]!, id: Number(match[2]) } : null;
}
