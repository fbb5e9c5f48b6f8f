/**
 * The demo data written at first start (or `--reset`): the demo member with a short history,
 * so the cagnotte is not empty, and the demo merchants.
 */
import { DEMO_MERCHANTS } from './demo-merchants';
import { demoOrderTerms } from './demo-order-terms';
import { SCRYPT_PARAMS } from '../api/passwords';
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

const DAY_MS = 24 * 60 * 60 * 1000;

const HISTORY: {
  merchantId: string;
  daysAgo: number;
  orderAmount: number;
  status: TransactionStatus;
}[] = [
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
  for (const merchant of DEMO_MERCHANTS)
    store.orderTerms.set(merchant.id, demoOrderTerms(merchant));
  const { params } = store.members;
  const defaultParams =
    params.N === SCRYPT_PARAMS.N && params.r === SCRYPT_PARAMS.r && params.p === SCRYPT_PARAMS.p;
  const member = store.members.insert({
    ...DEMO_MEMBER,
    passwordHash: defaultParams
      ? DEMO_PASSWORD_HASH
      : await store.members.hash(DEMO_MEMBER.password),
  });
  if (!member) throw new Error('The demo member already exists: seed a fresh database.');
  const now = store.now().getTime();
  HISTORY.forEach((entry, index) => {
    const merchant = store.merchants.get(entry.merchantId)!;
    store.ledger.addTransaction({
      memberRowId: member.rowId,
      merchant,
      clickId: null,
      orderRef: `DEMO-${String(index + 1).padStart(4, '0')}`,
      orderedAt: new Date(now - entry.daysAgo * DAY_MS).toISOString(),
      orderAmount: entry.orderAmount,
      status: entry.status,
    });
  });
}
