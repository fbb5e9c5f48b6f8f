import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { config } from '../../../utils/config';
import type { FiguresChange } from '../../../utils/account/account';
import type { Cagnotte, Payout, Transaction } from '../../../utils/contract/schemas';
import type { Settings } from '../../../utils/protocol/messages';
import {
  CAGNOTTE_CHECK_ALARM,
  CAGNOTTE_NOTIFICATION_ID,
  cagnotteEvents,
  notificationFor,
  type NotificationPayload,
} from '../../../utils/account/notifications';
import {
  checkCagnotte,
  setUpNotifications,
  type NotificationDeps,
} from '../../../utils/account/notifications-setup';
import { plain, translator } from '../helpers/i18n';

const fr = translator('fr');
const en = translator('en');

const tx = (id: string, status: Transaction['status'], cashback = 585): Transaction => ({
  id,
  merchantId: `m_${id}`,
  merchantName: `Shop ${id}`,
  orderedAt: '2026-11-20T12:00:00Z',
  orderAmount: 12999,
  cashback,
  status,
});

const cagnotte = (transactions: Transaction[], totals: Partial<Cagnotte> = {}): Cagnotte => ({
  currency: 'EUR',
  pending: 1250,
  confirmed: 4200,
  paid: 0,
  payoutThreshold: 1000,
  transactions,
  ...totals,
});

const text = (payload: ReturnType<typeof notificationFor>) =>
  payload && { title: plain(payload.title), message: plain(payload.message) };

describe('cagnotteEvents', () => {
  it('says nothing about the first figures after a sign-in', () => {
    expect(cagnotteEvents(null, cagnotte([tx('1', 'pending'), tx('2', 'confirmed')]))).toEqual([]);
  });

  it('sees a transaction that appears', () => {
    const before = cagnotte([tx('1', 'pending')]);
    const after = cagnotte([tx('2', 'pending'), tx('1', 'pending')]);
    expect(cagnotteEvents(before, after)).toEqual([
      { kind: 'new', transaction: tx('2', 'pending') },
    ]);
  });

  it('sees a transaction that becomes confirmed', () => {
    const before = cagnotte([tx('1', 'pending')]);
    const after = cagnotte([tx('1', 'confirmed')]);
    expect(cagnotteEvents(before, after)).toEqual([
      { kind: 'confirmed', transaction: tx('1', 'confirmed') },
    ]);
  });

  it('reports a transaction that appears already confirmed once, as confirmed', () => {
    expect(cagnotteEvents(cagnotte([]), cagnotte([tx('1', 'confirmed')]))).toEqual([
      { kind: 'confirmed', transaction: tx('1', 'confirmed') },
    ]);
  });

  it('ignores what is unchanged, cancelled or paid out', () => {
    const before = cagnotte([tx('1', 'pending'), tx('2', 'confirmed'), tx('3', 'pending')]);
    const after = cagnotte([
      tx('1', 'pending'),
      tx('2', 'paid'),
      tx('3', 'cancelled'),
      tx('4', 'cancelled'),
    ]);
    expect(cagnotteEvents(before, after)).toEqual([]);
    expect(cagnotteEvents(after, after)).toEqual([]);
  });
});

describe('notificationFor', () => {
  it('gives nothing when nothing changed', () => {
    expect(notificationFor([], cagnotte([]), 'fr', fr)).toBeNull();
  });

  it('describes one new cashback', () => {
    const events = cagnotteEvents(cagnotte([]), cagnotte([tx('fnac', 'pending')]));
    expect(text(notificationFor(events, cagnotte([]), 'fr', fr))).toEqual({
      title: 'Nouveau cashback chez Shop fnac',
      message: '5,85 € de cashback en attente de validation par le marchand.',
    });
    expect(text(notificationFor(events, cagnotte([]), 'en', en))?.title).toBe(
      'New cashback at Shop fnac',
    );
  });

  it('describes one confirmation', () => {
    const events = cagnotteEvents(cagnotte([tx('1', 'pending')]), cagnotte([tx('1', 'confirmed')]));
    expect(text(notificationFor(events, cagnotte([]), 'en', en))).toEqual({
      title: 'Cashback confirmed at Shop 1',
      message: '€5.85 cashback confirmed in your balance.',
    });
  });

  it('sums up many changes in ONE notification, after a long offline period', () => {
    const before = cagnotte(Array.from({ length: 10 }, (_, i) => tx(`old${i}`, 'pending')));
    const after = cagnotte(
      [
        ...Array.from({ length: 30 }, (_, i) => tx(`new${i}`, 'pending')),
        ...Array.from({ length: 10 }, (_, i) => tx(`old${i}`, 'confirmed')),
      ],
      { pending: 17550, confirmed: 5850 },
    );
    const events = cagnotteEvents(before, after);
    expect(events).toHaveLength(40);
    expect(text(notificationFor(events, after, 'fr', fr))).toEqual({
      title: 'Du nouveau dans votre cagnotte',
      message: '40 opérations ont changé. En attente : 175,50 € · Confirmé : 58,50 €.',
    });
  });
});

describe('checkCagnotte', () => {
  function deps(change: FiguresChange | null, settings: Partial<Settings> = {}) {
    const notify = vi.fn(async (_payload: NotificationPayload, _id?: string) => undefined);
    const refreshCagnotte = vi.fn(async () => ({ view: { signedIn: false as const }, change }));
    const value: NotificationDeps = {
      account: { refreshCagnotte },
      settings: async () => ({
        reminders: true,
        checkoutOnly: false,
        notifications: true,
        searchMarks: true,
        ...settings,
      }),
      t: fr,
      notify,
    };
    return { value, notify, refreshCagnotte };
  }
  const confirmed: FiguresChange = {
    previous: { figures: cagnotte([tx('1', 'pending')]), fetchedAt: 0 },
    next: cagnotte([tx('1', 'confirmed')]),
  };

  it('refreshes and notifies what changed', async () => {
    const { value, notify } = deps(confirmed);
    await checkCagnotte(value);
    expect(notify).toHaveBeenCalledTimes(1);
    expect(plain(notify.mock.calls[0]![0].title)).toBe('Cashback confirmé chez Shop 1');
  });

  it('does not even ask the portal when notifications are off', async () => {
    const { value, notify, refreshCagnotte } = deps(confirmed, { notifications: false });
    expect(await checkCagnotte(value)).toBeNull();
    expect(refreshCagnotte).not.toHaveBeenCalled();
    expect(notify).not.toHaveBeenCalled();
  });

  it('tells each missing order once, in its own notification', async () => {
    const { value, notify } = deps({ previous: null, next: cagnotte([]) });
    const missingOrders = vi.fn(async () => [
      { key: 'u_1|fnac|ref:CMD-1', merchantName: 'Fnac', label: 'CMD-1' },
      { key: 'u_1|darty|click:c_2', merchantName: 'Darty', label: null },
    ]);
    await checkCagnotte({ ...value, missingOrders });
    expect(notify).toHaveBeenCalledTimes(2);
    expect(notify.mock.calls[0]![1]).toBe('missing-order:u_1|fnac|ref:CMD-1');
    expect(plain(notify.mock.calls[0]![0].title)).toBe('Cashback manquant chez Fnac ?');
    expect(plain(notify.mock.calls[1]![0].message)).toContain('Votre commande n');
  });

  it('tells no missing order when notifications are off', async () => {
    const { value, notify } = deps(
      { previous: null, next: cagnotte([]) },
      { notifications: false },
    );
    const missingOrders = vi.fn(async () => [{ key: 'k', merchantName: 'Fnac', label: null }]);
    await checkCagnotte({ ...value, missingOrders });
    expect(missingOrders).not.toHaveBeenCalled();
    expect(notify).not.toHaveBeenCalled();
  });

  it('stays quiet when nothing was fetched (signed out, offline) or nothing changed', async () => {
    const offline = deps(null);
    await checkCagnotte(offline.value);
    expect(offline.notify).not.toHaveBeenCalled();
    const firstFigures = deps({ previous: null, next: cagnotte([tx('1', 'pending')]) });
    await checkCagnotte(firstFigures.value);
    expect(firstFigures.notify).not.toHaveBeenCalled();
  });
});

describe('setUpNotifications', () => {
  const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

  afterEach(() => {
    vi.restoreAllMocks();
  });

  // WXT's fake browser has no alarms nor notifications: stub what the wiring touches.
  function stubBrowser(existingAlarm: boolean) {
    let onAlarm: ((alarm: { name: string }) => void) | undefined;
    let onClicked: ((id: string) => void) | undefined;
    vi.spyOn(fakeBrowser.alarms.onAlarm, 'addListener').mockImplementation((listener) => {
      onAlarm = listener as typeof onAlarm;
    });
    vi.spyOn(fakeBrowser.notifications.onClicked, 'addListener').mockImplementation((listener) => {
      onClicked = listener;
    });
    const get = vi
      .spyOn(fakeBrowser.alarms, 'get')
      .mockResolvedValue(existingAlarm ? ({ name: CAGNOTTE_CHECK_ALARM } as never) : undefined);
    const create = vi.spyOn(fakeBrowser.alarms, 'create').mockResolvedValue(undefined);
    const clear = vi.spyOn(fakeBrowser.notifications, 'clear').mockResolvedValue(true);
    const openTab = vi.spyOn(fakeBrowser.tabs, 'create').mockResolvedValue({} as never);
    return { onAlarm: () => onAlarm, onClicked: () => onClicked, get, create, clear, openTab };
  }

  function deps() {
    const notify = vi.fn(async (_payload: NotificationPayload, _id?: string) => undefined);
    const change: FiguresChange = {
      previous: { figures: cagnotte([tx('1', 'pending')]), fetchedAt: 0 },
      next: cagnotte([tx('1', 'confirmed')]),
    };
    return {
      notify,
      value: {
        account: { refreshCagnotte: async () => ({ view: { signedIn: false as const }, change }) },
        settings: async () => ({
          reminders: true,
          checkoutOnly: false,
          notifications: true,
          searchMarks: true,
        }),
        t: fr,
        notify,
      },
    };
  }

  it('registers its listeners synchronously, so an alarm that wakes the worker is heard', () => {
    const browser = stubBrowser(true);
    setUpNotifications(deps().value);
    expect(browser.onAlarm()).toBeTypeOf('function');
    expect(browser.onClicked()).toBeTypeOf('function');
  });

  it('creates the 3-hour alarm once, and leaves an existing one (and its timer) alone', async () => {
    const fresh = stubBrowser(false);
    setUpNotifications(deps().value);
    await vi.waitFor(() =>
      expect(fresh.create).toHaveBeenCalledWith(CAGNOTTE_CHECK_ALARM, {
        delayInMinutes: 180,
        periodInMinutes: 180,
      }),
    );
    vi.restoreAllMocks();
    const existing = stubBrowser(true);
    setUpNotifications(deps().value);
    await vi.waitFor(() => expect(existing.get).toHaveBeenCalled());
    await settle();
    expect(existing.create).not.toHaveBeenCalled();
  });

  it('checks on its own alarm only, and opens the account page on a click', async () => {
    const browser = stubBrowser(true);
    const { value, notify } = deps();
    setUpNotifications(value);
    browser.onAlarm()!({ name: 'merchant-sync' });
    browser.onAlarm()!({ name: CAGNOTTE_CHECK_ALARM });
    await vi.waitFor(() => expect(notify).toHaveBeenCalled());
    await settle();
    expect(notify).toHaveBeenCalledTimes(1);

    browser.onClicked()!('someone-else');
    expect(browser.openTab).not.toHaveBeenCalled();
    browser.onClicked()!(CAGNOTTE_NOTIFICATION_ID);
    expect(browser.openTab).toHaveBeenCalledWith({ url: config.pages.account });
    expect(browser.clear).toHaveBeenCalledWith(CAGNOTTE_NOTIFICATION_ID);
  });
});

describe('the payout notifications', () => {
  const PAID: Payout = {
    id: 'p_1',
    method: 'transfer',
    amount: 4245,
    fee: 50,
    currency: 'EUR',
    status: 'paid',
    requestedAt: '2026-11-23T10:00:00Z',
    settledAt: '2026-11-24T10:00:00Z',
    account: 'FR76 •••• 0189',
  };

  it.each([
    ['crosses the threshold', 900, 1100, [{ kind: 'threshold' }]],
    ['reaches it exactly', 999, 1000, [{ kind: 'threshold' }]],
    ['was above it already', 1100, 1500, []],
    ['stays below it', 200, 900, []],
    ['falls below it (a withdrawal)', 4200, 0, []],
  ])('the confirmed cashback %s', (_case, before, after, expected) => {
    expect(
      cagnotteEvents(cagnotte([], { confirmed: before }), cagnotte([], { confirmed: after })),
    ).toEqual(expected);
  });

  it('says once that the cashback can be withdrawn', () => {
    expect(text(notificationFor([{ kind: 'threshold' }], cagnotte([]), 'fr', fr))).toEqual({
      title: 'Votre cashback peut être retiré',
      message: '42,00 € confirmés : retirez-les depuis le bouton de l’extension.',
    });
  });

  it('says a payout was paid, and sums up when more happened', () => {
    expect(
      text(notificationFor([{ kind: 'payout-paid', payout: PAID }], cagnotte([]), 'fr', fr)),
    ).toEqual({ title: 'Retrait payé', message: 'Virement vers FR76 •••• 0189 : 42,45 €' });
    const several = notificationFor(
      [{ kind: 'payout-paid', payout: PAID }, { kind: 'threshold' }],
      cagnotte([]),
      'fr',
      fr,
    );
    expect(plain(several!.title)).toBe(plain(fr('notif_summary_title')));
  });

  it('notifies a payout paid since the last check, with the cagnotte’s changes, in one notification', async () => {
    const notify = vi.fn(async (_payload: NotificationPayload) => undefined);
    const change: FiguresChange = {
      previous: { figures: cagnotte([]), fetchedAt: 0 },
      next: cagnotte([]),
    };
    const payload = await checkCagnotte({
      account: { refreshCagnotte: async () => ({ view: { signedIn: false }, change }) },
      payouts: { paidSince: async () => [PAID] },
      settings: async () => ({
        reminders: true,
        checkoutOnly: false,
        notifications: true,
        searchMarks: true,
      }),
      t: fr,
      notify,
    });
    expect(notify).toHaveBeenCalledTimes(1);
    expect(plain(payload!.title)).toBe('Retrait payé');
  });
});
