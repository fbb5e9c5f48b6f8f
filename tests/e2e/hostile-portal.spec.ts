/**
 * A broken portal, in the browser: with a good list synced and the member signed in, each fault
 * of the reference portal (portal/admin/faults.ts) is switched on and "Synchroniser maintenant" pressed
 * in the options page. Each time the page says why in French, the merchant's page keeps its badge
 * and banner (the last good list), and the popup stays usable with the last figures; once the
 * fault is cleared, the next sync recovers.
 */
import type { BrowserContext } from '@playwright/test';
import { badgeText, tabIdOf } from '../../scripts/harness/browser-state';
import { DEMO_MEMBER, expect, test, type PortalHandle } from './fixtures';
import { BannerPart } from '../../scripts/harness/pages/banner';
import { OptionsPage } from '../../scripts/harness/pages/options';
import { PopupPage } from '../../scripts/harness/pages/popup';
import { ShopPage } from '../../scripts/harness/pages/shop';

/** Each fault that ends, and what the options page says of it. */
const FAULTS: [fault: string, reason: string][] = [
  ['unavailable', 'le portail a répondu par une erreur'],
  ['retry-after', 'le portail a répondu par une erreur'],
  ['redirect-other-origin', 'le portail a répondu par une erreur'],
  ['html-error', 'le portail a envoyé une liste illisible'],
  ['invalid-json', 'le portail a envoyé une liste illisible'],
  ['too-large', 'le portail a envoyé une liste trop volumineuse, refusée'],
];

async function setFault(portal: PortalHandle, api: string | null): Promise<void> {
  await portal.admin('/faults', {
    method: 'PUT',
    body: JSON.stringify({ api }),
    headers: { 'Content-Type': 'application/json' },
  });
}

async function newPopup(context: BrowserContext, extensionId: string): Promise<PopupPage> {
  return new PopupPage(await context.newPage(), extensionId);
}

test('each fault of a broken portal: the last list and figures stay, the options page says why, the next sync recovers', async ({
  context,
  extensionId,
  portal,
  serviceWorker,
  extension,
}) => {
  test.setTimeout(90_000);
  const merchantCount = (await extension.call('sync:status')).merchantCount;
  expect(merchantCount).toBeGreaterThan(0);

  const popup = await newPopup(context, extensionId);
  await popup.open();
  await popup.signIn(DEMO_MEMBER.email, DEMO_MEMBER.password);
  await expect(popup.pending).toHaveText(/^9,04[\u00a0\u202f]€$/);

  const shopPage = await context.newPage();
  const shop = ShopPage.on(shopPage, 'numeria', portal.port);
  const banner = new BannerPart(shopPage);
  const options = new OptionsPage(await context.newPage(), extensionId);

  /** The member's side, whatever the portal does: badge, banner, popup with offer and figures. */
  async function expectExtensionUsable(): Promise<void> {
    await shop.openProduct(2);
    await expect.poll(() => badgeText(serviceWorker, shopPage)).toBe('2,5%');
    await banner.expectText('Numéria');
    await popup.open(await tabIdOf(serviceWorker, shopPage));
    await expect(popup.offer).toContainText('Numéria');
    await expect(popup.pending).toHaveText(/^9,04[\u00a0\u202f]€$/);
  }

  for (const [fault, reason] of FAULTS) {
    await test.step(fault, async () => {
      await setFault(portal, fault);
      await options.open();
      await options.syncNowButton.click();
      await expect(options.syncSection).toContainText(`Dernier échec (maintenant) : ${reason}`);
      await expect(options.syncSection).toContainText(`${merchantCount} marchands partenaires`);
      await expect(options.syncNowButton).toHaveText('Synchroniser maintenant');
      await expectExtensionUsable();
    });
  }

  await test.step('slow-body', async () => {
    await setFault(portal, 'slow-body');
    await options.open();
    await options.syncNowButton.click();
    // While the list trickles in, nothing the member does waits for it.
    const syncButton = options.syncSection.getByRole('button');
    await expect(syncButton).toHaveText('Synchronisation…');
    await expectExtensionUsable();
    await expect(syncButton).toHaveText('Synchronisation…');
    // The portal gives up (the body ends, cut): the sync fails and says so.
    await setFault(portal, null);
    await expect(options.syncSection).toContainText('Dernier échec (maintenant) : le portail');
    await expect(syncButton).toHaveText('Synchroniser maintenant');
  });

  await test.step('recovery', async () => {
    await setFault(portal, null);
    await options.open();
    await options.syncNowButton.click();
    await expect(options.lastSync).toHaveText('Dernière mise à jour : maintenant');
    await expect(options.syncSection).not.toContainText('Dernier échec');
    // The success is written, then the sync's lease released: "syncing" ends a moment later.
    await expect(options.syncNowButton).toHaveText('Synchroniser maintenant');
    await expect
      .poll(() => extension.ask('sync:status'))
      .toMatchObject({ value: { merchantCount, lastError: null, syncing: false } });
    await expectExtensionUsable();
  });
});
