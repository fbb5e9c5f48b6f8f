/**
 * Two tabs of the same merchant, "Activer" clicked in both at once: the portal records one
 * click, one tab goes through it, and both end activated (the affiliation is the merchant's).
 */
import { DEMO_MEMBER, expect, test, type PortalHandle } from './fixtures';
import { BannerPart, CLICKABLE_AFTER_MS } from '../../scripts/harness/pages/banner';
import { ShopPage } from '../../scripts/harness/pages/shop';

const SLUG = 'atelier-vendome';
const VENDOME_OFFER = "Jusqu'à 6,5 % de cashback chez Atelier Vendôme";
const ACTIVATED = 'Cashback activé';

const recordedClicks = async (portal: PortalHandle) =>
  (await portal.admin<{ clicks: { id: string; followCount: number }[] }>('/clicks')).clicks;

test('two tabs of one merchant clicking Activer at once create one click, and both end activated', async ({
  context,
  portal,
  extension,
}) => {
  expect(await extension.ask('account:sign-in', DEMO_MEMBER)).toMatchObject({
    value: { ok: true },
  });
  const banners: BannerPart[] = [];
  for (const product of [1, 2]) {
    const page = await context.newPage();
    await ShopPage.on(page, SLUG, portal.port).openProduct(product);
    const banner = new BannerPart(page);
    await banner.expectText(VENDOME_OFFER);
    banners.push(banner);
  }

  // Both clicks leave before the background has answered either: real mouse clicks (the banner
  // ignores synthetic ones) at the buttons' places, once both banners have been on screen long
  // enough for a click to count, without waiting for the second banner in between, which the
  // first click may already have turned into "activating…".
  await banners[0]!.page.waitForTimeout(CLICKABLE_AFTER_MS);
  const boxes = await Promise.all(banners.map((banner) => banner.boxOf('activate')));
  await Promise.all(
    banners.map((banner, i) =>
      banner.page.mouse.click(
        boxes[i]!.x + boxes[i]!.width / 2,
        boxes[i]!.y + boxes[i]!.height / 2,
      ),
    ),
  );

  for (const banner of banners) await banner.expectText(ACTIVATED);
  const clicks = await recordedClicks(portal);
  expect(clicks).toHaveLength(1);
  expect(clicks[0]!.followCount).toBe(1);
});
