/**
 * Stand-down in Firefox: another affiliate's visit — a network's parameter on the landing, a
 * network host seen only in the redirect chain (Firefox's webRequest redirect events), a
 * competing portal as the referrer (Firefox's `originUrl`) — silences the merchant in every tab.
 */
import type { ExtensionChannel, FirefoxSession, FirefoxTab } from '../../scripts/harness/firefox';
import { expect, test, type PortalHandle } from './fixtures';
import { FirefoxBanner, FirefoxPopup, FirefoxShop } from './pages';

const SLUG = 'atelier-vendome';
const VENDOME_OFFER = "Jusqu'à 6,5 % de cashback chez Atelier Vendôme";
const NUMERIA_OFFER = "Jusqu'à 2,5 % de cashback chez Numéria";
const STAND_DOWN_SENTENCE =
  "Cette visite vient déjà d'un site partenaire ; vous pouvez tout de même activer votre cashback Ristourne.";

interface Scene {
  firefox: FirefoxSession;
  portal: PortalHandle;
  extension: ExtensionChannel;
}

/**
 * The landing shows no banner, and the popup of its tab still offers activation, neutrally,
 * saying why: the merchant is in stand-down.
 */
async function expectStandDownOn({ extension }: Scene, landing: FirefoxTab) {
  await new FirefoxBanner(landing).expectNone();
  const popup = await FirefoxPopup.open(extension, await extension.tabIdOf(landing));
  await expect.poll(() => popup.offer.text()).toContain(STAND_DOWN_SENTENCE);
  expect(await popup.activateButton.text()).toBe('Activer le cashback');
  await popup.tab.close();
}

/**
 * The same, and in every tab of the merchant (product page and cart), while another merchant is
 * unaffected. (Once: which tabs follow is not Firefox's business, how the signal is seen is.)
 */
async function expectStandDown(scene: Scene, landing: FirefoxTab) {
  await expectStandDownOn(scene, landing);
  const { firefox, portal } = scene;
  const other = await firefox.newTab();
  const otherShop = FirefoxShop.on(other, SLUG, portal.port);
  await otherShop.openProduct(5);
  await new FirefoxBanner(other).expectNone();
  await otherShop.openCart();
  await new FirefoxBanner(other).expectNone();

  const elsewhere = await firefox.newTab();
  await FirefoxShop.on(elsewhere, 'numeria', portal.port).openProduct(1);
  await new FirefoxBanner(elsewhere).expectText(NUMERIA_OFFER);
}

test('a network parameter on the landing (awc) puts the merchant in stand-down, in every tab', async ({
  firefox,
  portal,
  extension,
}) => {
  // A tab of the merchant already showing the offer when the other affiliate's visit comes.
  const before = await firefox.newTab();
  await FirefoxShop.on(before, SLUG, portal.port).openProduct(2);
  await new FirefoxBanner(before).expectText(VENDOME_OFFER);

  const tab = await firefox.newTab();
  await FirefoxShop.on(tab, SLUG, portal.port).goto('/produit/1?awc=123');
  await expectStandDown({ firefox, portal, extension }, tab);
  await expect.poll(() => new FirefoxBanner(before).region.count()).toBe(0);
});

test('a network host alone in the redirect chain (no parameter on the landing) puts the merchant in stand-down', async ({
  firefox,
  portal,
  extension,
}) => {
  const tab = await firefox.newTab();
  const deepLink = FirefoxShop.on(tab, SLUG, portal.port).url('/produit/2');
  await tab.goto(
    `http://www.awin1.com/cread.php?awinmid=1&awinaffid=2&bare=1&ued=${encodeURIComponent(deepLink)}`,
  );
  // Exactly the deep link: only the hop through awin1.com tells.
  await tab.waitForURL(deepLink);
  await expectStandDownOn({ firefox, portal, extension }, tab);
});

test("a competing portal's link (referrer) puts the merchant in stand-down", async ({
  firefox,
  portal,
  extension,
}) => {
  const tab = await firefox.newTab();
  const shop = FirefoxShop.on(tab, SLUG, portal.port);
  const deepLink = shop.url('/produit/4');
  await tab.goto(`http://www.igraal.com/?to=${encodeURIComponent(deepLink)}`);
  await tab.getByTestId('competitor-link').click();
  // No parameter at all on the landing: only the referrer tells.
  await tab.waitForURL(deepLink);
  await expect.poll(() => shop.product.count()).toBe(1);
  await expectStandDownOn({ firefox, portal, extension }, tab);
});
