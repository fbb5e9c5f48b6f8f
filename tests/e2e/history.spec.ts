/**
 * The whole history, without opening the portal's site (issue 14, item 6), in Chromium against
 * the reference portal: "Tout voir" in the popup opens the history page, with the transactions
 * and a payout newest first, the expected dates, "Voir plus" past the first page without moving
 * a row, and the filters by merchant and status; two streams of more than a page, interleaved in
 * time, merged by date across pages; an older portal shows no link; signed out, the page says so.
 */
import { DEMO_MEMBER, expect, test, type PortalHandle } from './fixtures';
import { HistoryPage } from '../../scripts/harness/pages/history';
import { PopupPage } from '../../scripts/harness/pages/popup';

/** The extension's page size (utils/account/history.ts): 20 a stream. */
const PAGE_SIZE = 20;
/** The demo member's transactions at seed (portal/demo/seed.ts). */
const SEEDED = 8;

/** Signs the demo member in on the portal's API: their id and a token of their own. */
async function demoSession(portal: PortalHandle): Promise<{ id: string; token: string }> {
  const response = await fetch(`${portal.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(DEMO_MEMBER),
  });
  expect(response.status).toBe(200);
  const { token, user } = (await response.json()) as { token: string; user: { id: string } };
  return { id: user.id, token };
}

/** A past sale the network reported, through the admin API. */
function addSale(
  portal: PortalHandle,
  memberId: string,
  sale: { merchantId: string; daysAgo: number; status: string; orderAmount?: number },
) {
  return portal.admin(`/members/${memberId}/transactions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ orderAmount: 5000, ...sale }),
  });
}

async function signedInPopup(popup: PopupPage): Promise<void> {
  await popup.open();
  await popup.signIn(DEMO_MEMBER.email, DEMO_MEMBER.password);
  await expect(popup.transactions.first()).toBeVisible();
}

test('"Tout voir" opens the whole history: merged, paged, filtered', async ({
  context,
  extension,
  portal,
}) => {
  const member = await demoSession(portal);
  // Past the first page: a late pending cashback, and older sales.
  await addSale(portal, member.id, {
    merchantId: 'atelier-vendome',
    daysAgo: 60,
    status: 'pending',
  });
  for (let day = 0; day < 14; day += 1) {
    await addSale(portal, member.id, {
      merchantId: 'la-toupie-bleue',
      daysAgo: 180 + day,
      status: 'confirmed',
    });
  }
  const total = SEEDED + 15;
  // A transfer asked today: the newest entry.
  const payout = await fetch(`${portal.url}/api/v1/me/payouts`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${member.token}`,
      'Idempotency-Key': crypto.randomUUID(),
    },
    body: JSON.stringify({ method: 'transfer', amount: 2000, currency: 'EUR' }),
  });
  expect(payout.status).toBe(201);

  const popup = new PopupPage(await context.newPage(), extension.extensionId);
  await signedInPopup(popup);
  const [page] = await Promise.all([context.waitForEvent('page'), popup.historyLink.click()]);
  const history = new HistoryPage(page, extension.extensionId);
  await expect(history.heading).toBeVisible();
  expect(page.url()).toBe(`chrome-extension://${extension.extensionId}/history.html`);

  // The first page of each: the payout, then the transactions down to the 20th.
  await expect(history.rows).toHaveCount(PAGE_SIZE + 1);
  await expect(history.count).toHaveText(`Opérations chargées : ${PAGE_SIZE + 1}`);
  await expect(history.rows.first()).toContainText('Virement vers FR76 •••• 0189');
  await expect(history.rows.first()).toContainText('Demandé');
  await expect(history.rows.nth(1)).toContainText('Numéria');
  await expect(history.rows.nth(1)).toContainText('En attente');
  await expect(history.confirmations.first()).toContainText("Confirmation attendue d'ici le");
  await expect(
    history.rows.filter({ hasText: 'Confirmation en retard' }).getByRole('rowheader'),
  ).toContainText('Atelier Vendôme');

  // "Voir plus": the rest appended below, nothing above it moved.
  // Where the rows sit in the page (not the viewport: the page scrolls to the button).
  const boxes = async () =>
    Promise.all(
      [0, PAGE_SIZE].map((index) =>
        history.rows.nth(index).evaluate((row) => {
          const box = row.getBoundingClientRect();
          return { top: box.top + window.scrollY, height: box.height, width: box.width };
        }),
      ),
    );
  const before = await boxes();
  await history.moreButton.click();
  await expect(history.rows).toHaveCount(total + 1);
  expect(await boxes()).toEqual(before);
  await expect(history.moreButton).toHaveCount(0);
  await expect(history.endNote).toBeVisible();
  await expect(history.rows.last()).toContainText('La Toupie Bleue');

  // Filters: a merchant, then a status of each kind.
  await history.merchantFilter.selectOption('belle-de-jour');
  await expect(history.rows).toHaveCount(1);
  await expect(history.rows.first()).toContainText('Belle de Jour');
  await expect(history.rows.first()).toContainText('Annulé');
  await expect(history.count).toHaveText(`Correspondent aux filtres : 1 sur ${total + 1} chargées`);

  await history.merchantFilter.selectOption('');
  await history.statusFilter.selectOption('payout:requested');
  await expect(history.rows).toHaveCount(1);
  await expect(history.rows.first()).toContainText('Virement vers');

  await history.statusFilter.selectOption('transaction:pending');
  await expect(history.rows).toHaveCount(3);
  await history.merchantFilter.selectOption('atelier-vendome');
  await expect(history.rows).toHaveCount(2);
  await expect(history.rows.filter({ hasText: 'Atelier Vendôme' })).toHaveCount(2);
});

test('two streams of more than a page each, interleaved in time: merged by date across pages', async ({
  context,
  extension,
  portal,
}) => {
  const member = await demoSession(portal);
  // Sales and donations taken in turn: each stream's first page ends among the other's entries.
  const turns = PAGE_SIZE + 1;
  for (let turn = 0; turn < turns; turn += 1) {
    await addSale(portal, member.id, { merchantId: 'numeria', daysAgo: 0, status: 'pending' });
    const donation = await fetch(`${portal.url}/api/v1/me/payouts`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${member.token}`,
        'Idempotency-Key': crypto.randomUUID(),
      },
      body: JSON.stringify({
        method: 'donation',
        amount: 100,
        currency: 'EUR',
        charityId: 'lire-et-grandir',
      }),
    });
    expect(donation.status).toBe(201);
  }
  const total = SEEDED + 2 * turns;

  await signedInPopup(new PopupPage(await context.newPage(), extension.extensionId));
  const history = new HistoryPage(await context.newPage(), extension.extensionId);
  await history.open();
  await expect(history.moreButton).toBeVisible();
  const dates = () =>
    history.rows
      .locator('time')
      .evaluateAll((times) => times.map((time) => Date.parse(time.getAttribute('datetime')!)));
  const labels = () => history.rows.getByRole('rowheader').allTextContents();
  const firstDates = await dates();
  const firstLabels = await labels();
  // Only what no later page can precede: fewer than the two pages fetched.
  expect(firstLabels.length).toBeLessThan(2 * PAGE_SIZE);
  expect(firstLabels.length).toBeGreaterThan(PAGE_SIZE);

  await history.moreButton.click();
  await expect(history.rows).toHaveCount(total);
  const allDates = await dates();
  // Newest first throughout, and what was shown is still first, in the same order.
  expect(allDates).toEqual([...allDates].sort((a, b) => b - a));
  expect((await labels()).slice(0, firstLabels.length)).toEqual(firstLabels);
  expect(allDates.slice(0, firstDates.length)).toEqual(firstDates);
  await expect(history.rows.filter({ hasText: 'Don à' })).toHaveCount(turns);
});

test('an older portal: no "Tout voir", and the page says the history is not available', async ({
  context,
  extension,
  portal,
}) => {
  await portal.admin('/faults', {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ api: null, legacyPortal: true }),
  });
  const popup = new PopupPage(await context.newPage(), extension.extensionId);
  await signedInPopup(popup);
  // What the popup asked the background, asked again: known now, from the portal's 404.
  expect(await extension.call('history:supported')).toBe(false);
  await expect(popup.historyLink).toHaveCount(0);
  await popup.page.reload();
  await expect(popup.transactions.first()).toBeVisible();
  await expect(popup.historyLink).toHaveCount(0);

  const history = new HistoryPage(await context.newPage(), extension.extensionId);
  await history.open();
  await expect(history.problem).toContainText('L’historique complet n’est pas disponible');
  await expect(history.rows).toHaveCount(0);
  await expect(history.moreButton).toHaveCount(0);

  // The portal upgraded: the page has the history again.
  await portal.admin('/faults', {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ api: null }),
  });
  await history.page.reload();
  await expect(history.rows).toHaveCount(SEEDED);
});

test('signed out, the history page says so and offers nothing else', async ({
  context,
  extension,
}) => {
  const history = new HistoryPage(await context.newPage(), extension.extensionId);
  await history.open();
  await expect(history.problem).toContainText('Vous n’êtes pas connecté');
  await expect(history.page.getByRole('button')).toHaveCount(0);
  await expect(history.page.getByRole('combobox')).toHaveCount(0);
  await expect(history.page.getByRole('table')).toHaveCount(0);
});
