/**
 * The demo data written at first start (or `--reset`): the demo member with a short history,
 * so the cagnotte is not empty, and the demo merchants.
 */
import { DEMO_MERCHANTS } from './demo-merchants';
import type { TransactionStatus } from '../../utils/contract/schemas';
import type { Store } from '../store/store';

export const DEMO_MEMBER = {
  email: 'demo@ristourne.test',
  password: 'cagnotte-demo',
  displayName: 'Camille Martin',
} as const;

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
  const member = await store.members.create(DEMO_MEMBER);
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
