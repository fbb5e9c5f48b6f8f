/**
 * The whole history in Firefox (issue 14, item 6): the popup offers "Tout voir" to the history
 * page, which lists the transactions past the first page with "Voir plus".
 */
import { DEMO_MEMBER, expect, test } from './fixtures';
import { FirefoxHistory, FirefoxPopup } from './pages';

/** The demo member's transactions at seed (portal/demo/seed.ts), and the page size (20). */
const SEEDED = 8;
const PAGE_SIZE = 20;

test('"Tout voir" opens the whole history, and "Voir plus" reaches its start', async ({
  extension,
  portal,
}) => {
  const login = await fetch(`${portal.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(DEMO_MEMBER),
  });
  const { user } = (await login.json()) as { user: { id: string } };
  const older = 14;
  for (let day = 0; day < older; day += 1) {
    await portal.admin(`/members/${user.id}/transactions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        merchantId: 'la-toupie-bleue',
        orderAmount: 5000,
        status: 'confirmed',
        daysAgo: 180 + day,
      }),
    });
  }

  const popup = await FirefoxPopup.open(extension);
  await popup.signIn(DEMO_MEMBER.email, DEMO_MEMBER.password);
  const history = await FirefoxHistory.openFrom(popup, extension);
  await expect.poll(() => history.heading.count()).toBe(1);
  await expect.poll(() => history.rows.count()).toBe(PAGE_SIZE);
  expect(await history.rows.first().text()).toContain('Numéria');
  expect(await history.confirmations.first().text()).toContain("Confirmation attendue d'ici le");

  await history.moreButton.click();
  await expect.poll(() => history.rows.count()).toBe(SEEDED + older);
  expect(await history.rows.nth(SEEDED + older - 1).text()).toContain('La Toupie Bleue');
  await expect.poll(() => history.endNote.count()).toBe(1);
  expect(await history.moreButton.count()).toBe(0);
});
