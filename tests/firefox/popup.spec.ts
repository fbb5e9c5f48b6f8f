/**
 * The toolbar popup in Firefox, opened as a tab: sign-in (a wrong password first), the cagnotte
 * in French, the session kept in the extension's IndexedDB and forgotten at sign-out, and the
 * activation of the merchant tab it was opened for.
 */
import type { ExtensionChannel } from '../../scripts/harness/firefox';
import { DEMO_MEMBER, expect, openTab, test } from './fixtures';
import { FirefoxPopup } from './pages';

/**
 * The French amount ("9,04 €"), as a pattern that takes either no-break space (U+00A0 or
 * U+202F: it depends on the ICU version, and Firefox has its own) but never a plain space.
 */
function euros(minor: number): RegExp {
  const text = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(
    minor / 100,
  );
  return new RegExp(`^${text.replace(/[\u00a0\u202f]/g, '[\\u00a0\\u202f]')}$`);
}

/**
 * What the background keeps of the session (the token among it), in the extension's IndexedDB
 * (utils/account/store.ts), read with the plain IndexedDB API from an extension page: the same
 * origin, so the same database.
 */
function storedAccount(channel: ExtensionChannel): Promise<unknown> {
  return channel.tab.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('ristourne');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('account')) return resolve(null);
          const read = db.transaction('account').objectStore('account').get('member');
          read.onsuccess = () => {
            db.close();
            resolve((read.result as { account?: unknown } | undefined)?.account ?? null);
          };
          read.onerror = () => reject(read.error);
        };
      }),
  );
}

test('a wrong password is refused; signing in shows the cagnotte in French; signing out forgets it', async ({
  extension,
}) => {
  const popup = await FirefoxPopup.open(extension);
  await popup.signIn(DEMO_MEMBER.email, 'pas-le-bon-mot-de-passe');
  await expect
    .poll(() => popup.signInError.text())
    .toBe('Adresse e-mail ou mot de passe incorrect.');
  expect(await extension.call('account:get')).toEqual({ signedIn: false });
  expect(await storedAccount(extension)).toBeNull();

  await popup.signIn(DEMO_MEMBER.email, DEMO_MEMBER.password);
  await expect.poll(() => popup.pending.rawText()).toMatch(euros(904));
  expect(await popup.confirmed.rawText()).toMatch(euros(4295));
  expect(await popup.paid.rawText()).toMatch(euros(4643));
  expect(await popup.payout.text()).toBe('Vous pouvez retirer votre cashback confirmé.');
  expect(await popup.cagnotte.text()).toContain('Connecté en tant que Camille Martin');
  expect(await popup.transactions.count()).toBe(5);
  const latest = popup.transaction(0);
  expect(await latest.merchant.text()).toBe('Numéria');
  expect(await latest.amount.rawText()).toMatch(euros(325));
  expect(await latest.status.text()).toBe('En attente');
  expect(await storedAccount(extension)).toMatchObject({ token: expect.any(String) });

  // Opened again, it paints the figures at once.
  await popup.reopen();
  await expect.poll(() => popup.pending.rawText()).toMatch(euros(904));

  await popup.signOut();
  await expect.poll(() => popup.emailField.count()).toBe(1);
  expect(await popup.cagnotte.count()).toBe(0);
  expect(await extension.call('account:get')).toEqual({ signedIn: false });
  expect(await storedAccount(extension)).toBeNull();
});

test('the popup shows the offer of the merchant tab it was opened for, and activates it', async ({
  firefox,
  portal,
  extension,
}) => {
  const merchant = await openTab(firefox, portal.shopUrl('atelier-vendome', '/produit/1'));
  const popup = await FirefoxPopup.open(extension, await extension.tabIdOf(merchant));
  await expect.poll(() => popup.offer.rawText()).toMatch(/Jusqu'à 6,5[\u00a0\u202f]% de cashback/);
  expect(await popup.offer.text()).toContain('Atelier Vendôme');
  await popup.signIn(DEMO_MEMBER.email, DEMO_MEMBER.password);
  await expect.poll(() => popup.pending.rawText()).toMatch(euros(904));

  await popup.activateButton.click();

  await merchant.waitForURL(/\/produit\/1\?rdclid=[^&]+$/);
  await expect
    .poll(() => popup.activationStatus.text())
    .toBe('Cashback activé — Vos achats chez Atelier Vendôme sont maintenant suivis.');
  expect(await popup.activateButton.count()).toBe(0);
  const clickId = new URL(merchant.url()).searchParams.get('rdclid');
  const { clicks } = await portal.admin<{ clicks: { id: string; merchantId: string }[] }>(
    '/clicks',
  );
  expect(clicks).toEqual([expect.objectContaining({ id: clickId, merchantId: 'atelier-vendome' })]);
});
