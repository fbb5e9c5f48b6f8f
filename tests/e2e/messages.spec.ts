/**
 * Messages in a real browser: a web page cannot reach the extension at all, and our own banner
 * script's world in a merchant page (the most exposed context we have) can only speak about its
 * own tab: asking about another tab, or for the member's account, gets no answer and changes
 * nothing.
 */
import type { CDPSession, Page } from '@playwright/test';
import { tabIdOf } from '../../scripts/harness/browser-state';
import { DEMO_MEMBER, expect, test } from './fixtures';
import { BannerPart, NO_BANNER_SETTLE_MS } from '../../scripts/harness/pages/banner';
import { ShopPage } from '../../scripts/harness/pages/shop';

const VENDOME_OFFER = "Jusqu'à 6,5 % de cashback chez Atelier Vendôme";
const NUMERIA_OFFER = "Jusqu'à 2,5 % de cashback chez Numéria";

interface ExecutionContext {
  id: number;
  origin: string;
  name: string;
  auxData?: { frameId?: string; isDefault?: boolean; type?: string };
}

/**
 * Runs `chrome.runtime.sendMessage` in the isolated world where our banner script lives in this
 * page (reached through the DevTools protocol: Playwright's own API only sees the page's world).
 * Answers "no answer" when the background did not respond.
 */
async function bannerWorldOf(
  page: Page,
  extensionId: string,
): Promise<{ send(message: object): Promise<unknown>; cdp: CDPSession }> {
  const cdp = await page.context().newCDPSession(page);
  const contexts: ExecutionContext[] = [];
  cdp.on('Runtime.executionContextCreated', ({ context }) =>
    contexts.push(context as ExecutionContext),
  );
  await cdp.send('Runtime.enable');
  const ours = () =>
    contexts.find(
      (context) =>
        context.origin === `chrome-extension://${extensionId}` &&
        context.auxData?.type === 'isolated',
    );
  await expect.poll(() => ours() !== undefined).toBe(true);
  const contextId = ours()!.id;
  return {
    cdp,
    async send(message) {
      const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
        contextId,
        awaitPromise: true,
        returnByValue: true,
        expression: `chrome.runtime.sendMessage(${JSON.stringify(message)}).then(
          (answer) => answer === undefined ? 'no answer' : answer,
          () => 'no answer')`,
      });
      if (exceptionDetails) throw new Error(exceptionDetails.text);
      return result.value as unknown;
    },
  };
}

test('a web page cannot reach the extension: no runtime messaging in its world, no listener for postMessage', async ({
  context,
  portal,
  serviceWorker,
  extension,
}) => {
  expect(await extension.ask('account:sign-in', DEMO_MEMBER)).toMatchObject({ ok: true });
  const manifest = await serviceWorker.evaluate(() =>
    (
      globalThis as unknown as { chrome: { runtime: { getManifest(): object } } }
    ).chrome.runtime.getManifest(),
  );
  expect(manifest).not.toHaveProperty('externally_connectable');

  const page = await context.newPage();
  await ShopPage.on(page, 'atelier-vendome', portal.port).openProduct(1);
  await new BannerPart(page).expectText(VENDOME_OFFER);
  const reach = await page.evaluate(async (extensionId) => {
    const chrome = (window as unknown as { chrome?: { runtime?: Record<string, unknown> } }).chrome;
    // The page tries the protocol every way it could: postMessage into the content script.
    window.postMessage({ type: 'banner:activate' }, '*');
    window.postMessage({ type: 'popup:activate', tabId: 1, extensionId }, '*');
    return {
      sendMessage: typeof chrome?.runtime?.sendMessage,
      connect: typeof chrome?.runtime?.connect,
    };
  }, extension.extensionId);
  expect(reach).toEqual({ sendMessage: 'undefined', connect: 'undefined' });
  // Had anything listened, "Activer" would have sent the tab away within this time.
  await page.waitForTimeout(NO_BANNER_SETTLE_MS);
  expect((await portal.admin<{ clicks: unknown[] }>('/clicks')).clicks).toEqual([]);
  await new BannerPart(page).expectText(VENDOME_OFFER);
});

test("the banner script's world can only speak about its own tab: another tab and the account are out of reach", async ({
  context,
  portal,
  serviceWorker,
  extensionId,
  extension,
}) => {
  expect(await extension.ask('account:sign-in', DEMO_MEMBER)).toMatchObject({ ok: true });

  const victim = await context.newPage();
  await ShopPage.on(victim, 'numeria', portal.port).openProduct(1);
  const victimBanner = new BannerPart(victim);
  await victimBanner.expectText(NUMERIA_OFFER);
  const victimTab = await tabIdOf(serviceWorker, victim);

  const page = await context.newPage();
  await ShopPage.on(page, 'atelier-vendome', portal.port).openProduct(1);
  const banner = new BannerPart(page);
  await banner.expectText(VENDOME_OFFER);
  const world = await bannerWorldOf(page, extensionId);

  // Requests only extension pages may make: no answer at all.
  for (const forged of [
    { type: 'popup:activate', tabId: victimTab },
    { type: 'popup:get-offer', tabId: victimTab },
    { type: 'account:get' },
    { type: 'account:sign-out' },
    { type: 'settings:set', reminders: false },
    { type: 'steal:token' },
  ]) {
    expect(await world.send(forged), JSON.stringify(forged)).toBe('no answer');
  }
  // A banner request naming the other tab is about the sender's own tab.
  expect(await world.send({ type: 'banner:get-view', tabId: victimTab })).toMatchObject({
    ok: true,
    value: { merchant: { id: 'atelier-vendome' } },
  });
  expect(await world.send({ type: 'banner:dismiss', tabId: victimTab })).toEqual({
    ok: true,
    value: null,
  });
  await banner.expectGone();

  // The other tab is untouched: still its offer, no click made, the member still signed in.
  await victimBanner.expectText(NUMERIA_OFFER);
  await victim.reload();
  await victimBanner.expectText(NUMERIA_OFFER);
  expect((await portal.admin<{ clicks: unknown[] }>('/clicks')).clicks).toEqual([]);
  expect(await extension.ask('account:get')).toMatchObject({
    ok: true,
    value: { signedIn: true },
  });
  expect(await extension.ask('settings:get')).toMatchObject({
    ok: true,
    value: { reminders: true },
  });
  await world.cdp.detach();
});
