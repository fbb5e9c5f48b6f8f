/**
 * Firefox runs the background as an event page, which it suspends after a while without events
 * (30 s by default; here 1 s, so that it is suspended between most steps). A suspended page
 * loses its memory: the stand-down, the activation and the session must come back from storage
 * (storage.session, storage.local, IndexedDB) when an event wakes it.
 */
import type { ExtensionChannel } from '../../scripts/harness/firefox';
import { until } from '../../scripts/harness/firefox';
import { DEMO_MEMBER, expect, test } from './fixtures';
import { FirefoxBanner, FirefoxPopup, FirefoxShop } from './pages';

test.use({ firefoxPrefs: { 'extensions.background.idle.timeout': 1000 } });

declare const browser: { runtime: { getBackgroundPage(): Promise<Record<string, unknown>> } };

/**
 * Marks the running background page, then waits until the background page is another one: the
 * marked one was suspended, and an event (this question) started a new one.
 */
async function untilBackgroundRestarts(channel: ExtensionChannel): Promise<void> {
  const marked = () =>
    channel.tab.evaluate(async () => {
      const page = await browser.runtime.getBackgroundPage();
      const wasMarked = page.ristourneTestMark === true;
      page.ristourneTestMark = true;
      return wasMarked;
    });
  await marked();
  await until('the event page to be suspended and started again', async () =>
    (await marked()) ? undefined : true,
  );
}

test('suspended and woken again, the event page keeps the stand-down, the activation and the session', async ({
  firefox,
  portal,
  extension,
}) => {
  expect(await extension.call('account:sign-in', DEMO_MEMBER)).toMatchObject({ ok: true });

  // Another affiliate's visit to Atelier Vendôme; our own activation at Numéria.
  const landing = await firefox.newTab();
  await FirefoxShop.on(landing, 'atelier-vendome', portal.port).goto('/produit/1?awc=123');
  await new FirefoxBanner(landing).expectNone();
  const numeria = await firefox.newTab();
  const numeriaShop = FirefoxShop.on(numeria, 'numeria', portal.port);
  const numeriaBanner = new FirefoxBanner(numeria);
  await numeriaShop.openProduct(1);
  await numeriaBanner.activate();
  await numeria.waitForURL(/\/produit\/1\?rdclid=[^&]+$/);
  await numeriaBanner.expectText('Cashback activé');

  await untilBackgroundRestarts(extension);

  const later = await firefox.newTab();
  await FirefoxShop.on(later, 'atelier-vendome', portal.port).openProduct(2);
  await new FirefoxBanner(later).expectNone();
  await numeriaShop.openCart();
  await numeriaBanner.expectNone();

  await untilBackgroundRestarts(extension);

  const popup = await FirefoxPopup.open(extension, await extension.tabIdOf(numeria));
  await expect
    .poll(() => popup.offer.text())
    .toContain('Cashback activé — Vos achats chez Numéria sont maintenant suivis.');
  await expect.poll(() => popup.cagnotte.text()).toContain('Connecté en tant que Camille Martin');
  await popup.reopen(await extension.tabIdOf(later));
  await expect
    .poll(() => popup.offer.text())
    .toContain("Cette visite vient déjà d'un site partenaire");
});
