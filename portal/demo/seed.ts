/**
 * The demo data written at first start (or `--reset`): the demo member with a short history,
 * so the cagnotte is not empty, and a bank account for transfers; a premium member, who earns
 * the premium rates and has no bank account yet; and the demo merchants with their premium rates.
 */
import { DEMO_MERCHANTS } from './demo-merchants';
import { SCRYPT_PARAMS, type ScryptParams } from '../api/passwords';
import { demoOrderTerms } from './demo-order-terms';
import { PREMIUM_RATES } from './premium-rates';
import type { TransactionStatus } from '../../utils/contract/schemas';
import type { Store } from '../store/store';

export const DEMO_MEMBER = {
  email: 'demo@ristourne.test',
  password: 'cagnotte-demo',
  displayName: 'Camille Martin',
} as const;

/**
 * The demo password's hash with the default parameters (SCRYPT_PARAMS), made once: the password
 * is public anyway, and hashing it at each seed would cost a second or more per start (every
 * end-to-end test starts a fresh portal). A portal with other parameters hashes it at seed.
 */
const DEMO_PASSWORD_HASH =
  'scrypt$131072$8$1$7RIiuDdL2eZD73SE5/pGHQ==$OvXrCMARFdZ9e8H1HBOFwg/ufLW+stORpTCGIZnID/E=';

/** The demo member's account for transfers (a valid IBAN: its check digits are right). */
export const DEMO_IBAN = 'FR7630006000011234567890189';

/** A member of the paid tier: the badge, the banner and the popup show them the premium rates. */
export const PREMIUM_MEMBER = {
  email: 'premium@ristourne.test',
  password: 'cagnotte-premium',
  displayName: 'Alex Bernard',
} as const;

const PREMIUM_PASSWORD_HASH =
  'scrypt$131072$8$1$zd4Lybyc8do5+jubYTHS0Q==$38V7sNLdUYHv4Lebr5VugeDpNzimxHmcxDKuiHSRHuM=';

const DAY_MS = 24 * 60 * 60 * 1000;

interface HistoryEntry {
  merchantId: string;
  daysAgo: number;
  orderAmount: number;
  status: TransactionStatus;
}

const PREMIUM_HISTORY: HistoryEntry[] = [
  { merchantId: 'atelier-vendome', daysAgo: 3, orderAmount: 15900, status: 'pending' },
  { merchantId: 'hotel-des-cimes', daysAgo: 45, orderAmount: 31000, status: 'confirmed' },
  { merchantId: 'maison-lenoir', daysAgo: 80, orderAmount: 12000, status: 'confirmed' },
  { merchantId: 'cap-montagne', daysAgo: 150, orderAmount: 21000, status: 'paid' },
];

const HISTORY: HistoryEntry[] = [
  { merchantId: 'numeria', daysAgo: 2, orderAmount: 12999, status: 'pending' },
  { merchantId: 'atelier-vendome', daysAgo: 6, orderAmount: 8900, status: 'pending' },
  { merchantId: 'belle-de-jour', daysAgo: 21, orderAmount: 6200, status: 'cancelled' },
  { merchantId: 'hotel-des-cimes', daysAgo: 38, orderAmount: 24000, status: 'confirmed' },
  { merchantId: 'la-grange-aux-meubles', daysAgo: 64, orderAmount: 45900, status: 'confirmed' },
  { merchantId: 'librairie-des-quais', daysAgo: 97, orderAmount: 3450, status: 'paid' },
  { merchantId: 'cap-montagne', daysAgo: 131, orderAmount: 18900, status: 'paid' },
  { merchantId: 'ailleurs-voyages', daysAgo: 170, orderAmount: 89000, status: 'paid' },
];

export async function seed(store: Store): Promise<void> {
  store.merchants.insertDemo(DEMO_MERCHANTS);
  for (const [merchantId, cashback] of Object.entries(PREMIUM_RATES)) {
    store.merchants.setTierRate(merchantId, 'premium', cashback, 'seed');
  }
  for (const merchant of DEMO_MERCHANTS)
    store.orderTerms.set(merchant.id, demoOrderTerms(merchant));
  const defaultParams = sameParams(store.members.params, SCRYPT_PARAMS);
  const member = store.members.insert({
    ...DEMO_MEMBER,
    passwordHash: defaultParams
      ? DEMO_PASSWORD_HASH
      : await store.members.hash(DEMO_MEMBER.password),
  });
  if (!member) throw new Error('The demo member already exists: seed a fresh database.');
  addHistory(store, member.rowId, HISTORY, 'DEMO');
  store.payouts.setBankAccount(member.rowId, DEMO_IBAN, DEMO_MEMBER.displayName);

  const premium = store.members.insert({
    ...PREMIUM_MEMBER,
    passwordHash: defaultParams
      ? PREMIUM_PASSWORD_HASH
      : await store.members.hash(PREMIUM_MEMBER.password),
  });
  if (!premium) throw new Error('The premium member already exists: seed a fresh database.');
  store.members.setTier(premium.rowId, 'premium');
  addHistory(store, premium.rowId, PREMIUM_HISTORY, 'PREMIUM');
}

function sameParams(a: ScryptParams, b: ScryptParams): boolean {
  return a.N === b.N && a.r === b.r && a.p === b.p;
}

/** The member's past orders, at their tier's rates (ledger.ts). */
function addHistory(store: Store, memberRowId: number, history: HistoryEntry[], prefix: string) {
  const now = store.now().getTime();
  history.forEach((entry, index) => {
    const merchant = store.merchants.get(entry.merchantId)!;
    store.ledger.addTransaction({
      memberRowId,
      merchant,
      clickId: null,
      orderRef: `${prefix}-${String(index + 1).padStart(4, '0')}`,
      orderedAt: new Date(now - entry.daysAgo * DAY_MS).toISOString(),
      orderAmount: entry.orderAmount,
      status: entry.status,
    });
  });
}
