/**
 * The banner on pages that fight it (portal/demo/hostile-pages.ts, on a demo merchant's host so that
 * the banner comes): aggressive global CSS, a strict Content-Security-Policy (with and without
 * Trusted Types), scripts that press its buttons or forge messages, scripts that patch the main
 * world's built-ins or remove the banner, and a page that reads everything it can reach.
 * Playwright's `locator.click()` is a real, trusted click; whatever a page script does is not.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page, Worker } from '@playwright/test';
import {
  PATCHED_GLOBALS,
  SCRIPTED_ATTEMPTS,
  TAKEN_ELEMENT_NAMES,
  type HostilePageKind,
} from '../../portal/demo/hostile-pages';
import { badgeText, tabIdOf } from '../../scripts/harness/browser-state';
import { DEMO_MEMBER, expect, test, type ExtensionHandle, type PortalHandle } from './fixtures';
import { BannerPart, CLICKABLE_AFTER_MS } from '../../scripts/harness/pages/banner';
import { PopupPage } from '../../scripts/harness/pages/popup';
import { ShopPage } from '../../scripts/harness/pages/shop';

const SHOP = 'atelier-vendome';
const OFFER = "Jusqu'à 6,5 % de cashback chez Atelier Vendôme";

/** The counts docs/testing.md gives (tests/unit/docs/hostile-table.test.ts), checked below. */
const LOOK_PROPERTY_COUNT = 20;
const STRICT_POLICY_COUNT = 2;
const SCRIPTED_ATTEMPT_COUNT = 11;
const PATCHED_GLOBAL_COUNT = 21;
const TAKEN_NAME_COUNT = 4;
/** The token and MEMBER_SECRETS. */
const SECRET_COUNT = 11;

/**
 * The computed properties compared, on the banner's host, card, title and Activer button, between
 * an ordinary page and a hostile one (besides their boxes, and what is on top at the button).
 */
const LOOK_PROPERTIES = [
  'display',
  'visibility',
  'opacity',
  'position',
  'transform',
  'filter',
  'z-index',
  'direction',
  'font-family',
  'font-size',
  'font-weight',
  'line-height',
  'color',
  'background-color',
  'width',
  'height',
  'padding',
  'border-radius',
  'clip-path',
  'pointer-events',
];

/** The strict-policy pages: the banner must draw on both without one violation. */
const STRICT_POLICY_PAGES: HostilePageKind[] = ['csp', 'csp-trusted-types'];

/** What a signed-in demo member's session holds that no page may read (besides the token). */
const MEMBER_SECRETS = [
  DEMO_MEMBER.email,
  DEMO_MEMBER.password,
  'Camille',
  'Martin',
  // The demo member's cagnotte: pending, confirmed and paid, as the popup writes them and raw.
  '9,04',
  '42,95',
  '46,43',
  '9.04',
  '42.95',
  '46.43',
];

interface RecordedClick {
  id: string;
  merchantId: string;
}

const recordedClicks = async (portal: PortalHandle) =>
  (await portal.admin<{ clicks: RecordedClick[] }>('/clicks')).clicks;

async function signIn(extension: ExtensionHandle): Promise<void> {
  const answer = await extension.ask('account:sign-in', DEMO_MEMBER);
  expect(answer).toMatchObject({ ok: true, value: { ok: true } });
}

async function openHostile(page: Page, portal: PortalHandle, kind: HostilePageKind) {
  await page.goto(portal.shopUrl(SHOP, `/hostile/${kind}`));
  const banner = new BannerPart(page);
  await banner.expectText(OFFER);
  return banner;
}

/**
 * How the banner looks and where it is, read in its closed root (through the DevTools protocol:
 * no script of the page can) once its entrance animation is over: the computed styles that
 * decide whether it shows, its box, and whether its button is the topmost element at its centre.
 */
async function bannerLook(page: Page) {
  const look = await new BannerPart(page).inRoot(async (root, properties) => {
    const host = root.host as HTMLElement;
    const card = root.querySelector('[role="region"]')!;
    const title = root.querySelector('.title')!;
    const activate = [...root.querySelectorAll('button')].find(
      (button) => button.textContent?.trim() === 'Activer',
    )!;
    await Promise.all(root.getAnimations().map((animation) => animation.finished));
    const styles = (element: Element) => {
      const style = getComputedStyle(element);
      return Object.fromEntries(properties.map((name) => [name, style.getPropertyValue(name)]));
    };
    const box = (element: Element) => {
      const rect = element.getBoundingClientRect();
      return { x: rect.x, y: rect.y, width: rect.width, height: rect.height };
    };
    const button = box(activate);
    const centre = [button.x + button.width / 2, button.y + button.height / 2] as const;
    return {
      host: styles(host),
      card: styles(card),
      title: styles(title),
      activate: styles(activate),
      cardBox: box(card),
      activateBox: button,
      topmostInPage: document.elementFromPoint(...centre) === host,
      topmostInBanner: root.elementFromPoint(...centre) === activate,
      inTopLayer: host.matches(':popover-open'),
      visible: card.checkVisibility({ opacityProperty: true, visibilityProperty: true }),
    };
  }, LOOK_PROPERTIES);
  if (!look) throw new Error('no banner on the page');
  return look;
}

/**
 * The page's own elements as the page computes them (every property, pseudo-elements too, and
 * their boxes), and the document's scroll size: all that our stylesheet could leak into.
 */
function pageLook(page: Page) {
  return page.evaluate(() => {
    // The banner's host (its root is closed: the page sees a <div popover> under <html>).
    const ours = (element: Element) =>
      element.parentElement === document.documentElement && element.hasAttribute('popover');
    const rows: string[] = [];
    for (const element of document.querySelectorAll('*')) {
      if (ours(element)) continue;
      for (const pseudo of [null, '::before', '::after', '::marker']) {
        const style = getComputedStyle(element, pseudo);
        const values = [...style].map((name) => `${name}:${style.getPropertyValue(name)}`);
        rows.push(`${element.tagName}${pseudo ?? ''} ${values.join(';')}`);
      }
      const rect = element.getBoundingClientRect();
      rows.push(`${element.tagName} box ${rect.x},${rect.y},${rect.width},${rect.height}`);
    }
    const root = document.documentElement;
    rows.push(`scroll ${root.scrollWidth}x${root.scrollHeight} at ${scrollX},${scrollY}`);
    return rows;
  });
}

/** The page's pixels away from the banner (it sits at the bottom right of a 1280×720 viewport). */
const pagePixels = (page: Page) =>
  page.screenshot({
    clip: { x: 0, y: 0, width: 860, height: 720 },
    animations: 'disabled',
    caret: 'hide',
  });

const violations = (page: Page) =>
  page.evaluate(() => (window as unknown as { cspViolations: object[] }).cspViolations);

/** The member's token, as the background keeps it (utils/account/store.ts). */
function storedToken(worker: Worker): Promise<string | null> {
  return worker.evaluate(
    () =>
      new Promise<string | null>((resolve, reject) => {
        const open = indexedDB.open('ristourne');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const read = open.result.transaction('account').objectStore('account').get('member');
          read.onsuccess = () =>
            resolve(
              (read.result as { account?: { token?: string } } | undefined)?.account?.token ?? null,
            );
          read.onerror = () => reject(read.error);
        };
      }),
  );
}

test.describe('hostile CSS', () => {
  test('global rules aimed at injected UI neither hide, restyle nor move the banner, and it changes nothing of the page', async ({
    context,
    portal,
    extension: _ready,
  }) => {
    // The banner as it looks on an ordinary page of the same merchant.
    const ordinary = await context.newPage();
    await ShopPage.on(ordinary, SHOP, portal.port).openProduct(1);
    await new BannerPart(ordinary).expectText(OFFER);
    expect(LOOK_PROPERTIES).toHaveLength(LOOK_PROPERTY_COUNT);
    const reference = await bannerLook(ordinary);
    expect(reference).toMatchObject({
      topmostInPage: true,
      topmostInBanner: true,
      inTopLayer: true,
      visible: true,
      cardBox: { x: 1280 - 16 - 360, width: 360 },
    });
    expect(reference.cardBox.y + reference.cardBox.height).toBe(720 - 16);

    const page = await context.newPage();
    const banner = await openHostile(page, portal, 'styles');
    expect(await bannerLook(page)).toEqual(reference);
    const withBanner = { styles: await pageLook(page), pixels: await pagePixels(page) };

    // Clickable: the shopper's click reaches the × through the page's overlay.
    await banner.close();
    await banner.expectGone();
    await expect(banner.host).toHaveCount(0);
    expect(await pageLook(page)).toEqual(withBanner.styles);
    expect((await pagePixels(page)).equals(withBanner.pixels)).toBe(true);
  });
});

test.describe('strict Content-Security-Policy', () => {
  test('the strict policies are the ones counted', () => {
    expect(STRICT_POLICY_PAGES).toHaveLength(STRICT_POLICY_COUNT);
  });

  for (const kind of STRICT_POLICY_PAGES) {
    test(`the banner draws, works and causes no violation under the ${kind} page's policy`, async ({
      context,
      portal,
      extension,
    }) => {
      await signIn(extension);
      const ordinary = await context.newPage();
      await ShopPage.on(ordinary, SHOP, portal.port).openProduct(1);
      await new BannerPart(ordinary).expectText(OFFER);
      const reference = await bannerLook(ordinary);

      const page = await context.newPage();
      const banner = await openHostile(page, portal, kind);
      expect(await bannerLook(page)).toEqual(reference);
      expect(await violations(page)).toEqual([]);

      await banner.activate();
      await banner.expectText('Cashback activé');
      expect(page.url()).toContain(`/hostile/${kind}`);
      expect(await recordedClicks(portal)).toHaveLength(1);
      expect(await violations(page)).toEqual([]);

      // The page does watch: its own inline style is a violation it sees.
      await page.evaluate(() => {
        const style = document.createElement('style');
        style.textContent = 'h1 { color: red }';
        document.head.append(style);
      });
      await expect.poll(() => violations(page)).toHaveLength(1);
    });
  }
});

test.describe('page scripts', () => {
  test('synthetic clicks, keys, forged messages and runtime messages neither activate, close nor mute the banner', async ({
    context,
    portal,
    extension,
  }) => {
    await signIn(extension);
    const page = await context.newPage();
    const banner = await openHostile(page, portal, 'scripts');
    const url = page.url();

    const report = await page.evaluate(
      (id) =>
        (
          window as unknown as {
            hostileAttempts(id: string): Promise<{ name: string; outcome: string }[]>;
          }
        ).hostileAttempts(id),
      extension.extensionId,
    );
    expect(report.map((attempt) => attempt.name)).toEqual(SCRIPTED_ATTEMPTS);
    expect(report).toHaveLength(SCRIPTED_ATTEMPT_COUNT);
    // Forging isTrusted is refused by the browser; a page cannot reach our worker at all.
    expect(report.find((a) => a.name === 'click with a forged isTrusted')?.outcome).toMatch(
      /^threw/,
    );
    expect(report.find((a) => a.name === 'chrome.runtime.sendMessage to our id')?.outcome).toMatch(
      /^threw/,
    );

    await banner.expectAction('Activer');
    await banner.expectText(OFFER);
    expect(page.url()).toBe(url);
    expect(await recordedClicks(portal)).toEqual([]);
    // Not closed nor muted for the merchant either: another tab still gets its banner.
    const other = await context.newPage();
    await ShopPage.on(other, SHOP, portal.port).openProduct(2);
    await new BannerPart(other).expectText(OFFER);
    await other.close();

    // The shopper's own click does activate: the attempts above could have succeeded.
    await banner.activate();
    await banner.expectText('Cashback activé');
    expect(await recordedClicks(portal)).toHaveLength(1);
  });

  test('the page cannot tell from events or the extension files that the banner script is there', async ({
    context,
    portal,
    extension,
  }) => {
    // Listens, from before any page script, for WXT's start event and any window message.
    const page = await context.newPage();
    await page.addInitScript((id) => {
      const heard: string[] = [];
      (window as unknown as { heard: string[] }).heard = heard;
      const type = `${id}:banner:wxt:content-script-started`;
      document.addEventListener(type, () => heard.push(`document ${type}`), true);
      window.addEventListener(type, () => heard.push(`window ${type}`), true);
      window.addEventListener('message', (event) => heard.push(`message ${String(event.data)}`));
    }, extension.extensionId);
    const shop = ShopPage.on(page, SHOP, portal.port);
    await shop.openProduct(1);
    const banner = new BannerPart(page);
    await banner.expectText(OFFER);
    // Injected again by a same-document navigation, as single-page shops do.
    await page.evaluate(() => history.pushState(null, '', '/panier'));
    await banner.expectText('Votre panier peut vous rapporter');
    await expect(banner.host).toHaveCount(1);
    expect(await page.evaluate(() => (window as unknown as { heard: string[] }).heard)).toEqual([]);

    // Nothing a page could load from us: no web-accessible resource, no listed content script.
    const extensionDir = process.env.E2E_EXTENSION_DIR!;
    const manifest = JSON.parse(await readFile(join(extensionDir, 'manifest.json'), 'utf8'));
    expect(manifest.web_accessible_resources).toBeUndefined();
    expect(manifest.content_scripts ?? []).toEqual([]);
    for (const inPage of ['banner.js', 'order-watch.js']) {
      const script = await readFile(join(extensionDir, inPage), 'utf8');
      expect(script, inPage).not.toMatch(/dispatchEvent|postMessage|CustomEvent/);
    }
    expect(await readdir(extensionDir)).not.toContain('content-scripts');
    const probe = await page.evaluate(
      (id) =>
        fetch(`chrome-extension://${id}/banner.js`).then(
          (response) => `status ${response.status}`,
          () => 'refused',
        ),
      extension.extensionId,
    );
    expect(probe).toBe('refused');
  });
});

test.describe('a page that fights back', () => {
  test("patched built-ins and our names taken in the main world: the banner works, the page's scripts too", async ({
    context,
    portal,
    serviceWorker,
    extension,
  }) => {
    await signIn(extension);
    const page = await context.newPage();
    // Only locators below: they run in Playwright's own world, untouched by the page's patches.
    const banner = await openHostile(page, portal, 'globals');
    const root = page.locator('html');
    await expect(root).toHaveAttribute('data-page-script', 'ok');
    // Not one call from us went through the page's patched functions.
    await expect(root).toHaveAttribute('data-patched-calls', '0');
    await expect(page.locator('ristourne-banner')).toHaveText('élément de la page');
    await expect(root).toHaveAttribute('data-patched', String(PATCHED_GLOBAL_COUNT));
    await expect(root).toHaveAttribute('data-taken-names', String(TAKEN_NAME_COUNT));
    expect(PATCHED_GLOBALS).toHaveLength(PATCHED_GLOBAL_COUNT);
    expect(TAKEN_ELEMENT_NAMES).toHaveLength(TAKEN_NAME_COUNT);
    await expect(banner.host).toHaveCount(1);
    expect(await badgeText(serviceWorker, page)).not.toBe('');

    await banner.activate();
    await banner.expectText('Cashback activé');
    expect(await recordedClicks(portal)).toHaveLength(1);
    await expect(root).toHaveAttribute('data-patched-calls', '0');
  });

  test('a page that removes the banner breaks nothing else, and gets it back only when it asks', async ({
    context,
    portal,
    serviceWorker,
    extension,
  }) => {
    await signIn(extension);
    const ordinary = await context.newPage();
    await ShopPage.on(ordinary, SHOP, portal.port).openProduct(1);
    await new BannerPart(ordinary).expectText(OFFER);
    const badge = await badgeText(serviceWorker, ordinary);
    expect(badge).not.toBe('');

    const page = await context.newPage();
    await page.goto(portal.shopUrl(SHOP, '/hostile/remover'));
    const root = page.locator('html');
    await expect(root).toHaveAttribute('data-removals', '1');
    const banner = new BannerPart(page);
    await banner.expectGone();
    // The badge, the other tab's banner and the popup are untouched.
    await expect.poll(() => badgeText(serviceWorker, page)).toBe(badge);
    await new BannerPart(ordinary).expectText(OFFER);
    const popup = new PopupPage(await context.newPage(), extension.extensionId);
    await popup.open(await tabIdOf(serviceWorker, page));
    await expect(popup.offer).toContainText('Atelier Vendôme');
    await popup.page.close();
    // No tug of war: the banner did not come back to be removed again.
    await page.waitForTimeout(1000);
    await expect(root).toHaveAttribute('data-removals', '1');

    // The page puts it back, hidden and out of the top layer as far as it can: it still shows,
    // but out of the top layer the page could cover it, so the first click is not taken: it
    // puts the banner back on top, and the shopper's next click counts.
    expect(
      await page.evaluate(() =>
        (window as unknown as { putBackRemoved(): string }).putBackRemoved(),
      ),
    ).toBe('DIV');
    await banner.expectText(OFFER);
    await banner.boxOf('activate');
    await banner.activate();
    await expect
      .poll(() => banner.inRoot((root) => (root.host as HTMLElement).matches(':popover-open')))
      .toBe(true);
    expect(await recordedClicks(portal)).toEqual([]);
    await banner.lookAgain();
    await banner.activate();
    // Through the affiliate link and back to the same page (which removes the confirmation too).
    await expect(page).toHaveURL(/\/hostile\/remover\?rdclid=/);
    expect(await recordedClicks(portal)).toHaveLength(1);
  });
});

test.describe("the member's secrets", () => {
  test("a page reads none of the member's token, email or cagnotte, in its DOM, storage or globals", async ({
    context,
    portal,
    serviceWorker,
    extension,
  }) => {
    await signIn(extension);
    // The figures are fetched and cached, as the popup shows them.
    expect(await extension.ask('account:refresh')).toMatchObject({
      ok: true,
      value: { signedIn: true, cagnotte: { figures: {} } },
    });
    const token = await storedToken(serviceWorker);
    expect(token).toBeTruthy();

    const page = await context.newPage();
    await openHostile(page, portal, 'snoop');
    const seen = await page.evaluate(() =>
      (window as unknown as { snoop(): Promise<Record<string, unknown>> }).snoop(),
    );
    const everything = JSON.stringify(seen);
    // The banner's root is closed: the page reads neither its offer nor its state (which would
    // tell it the visitor is a member), not even by selecting the whole page.
    expect(seen.hostShadowRoots).toEqual(['null']);
    expect(seen.shadows).toEqual([]);
    expect(everything).not.toContain('Atelier Vendôme');
    expect(everything).not.toContain('Activer');
    expect(everything).not.toContain('cashback');
    // The banner was there all along.
    await new BannerPart(page).expectText(OFFER);
    const secrets = [token!, ...MEMBER_SECRETS];
    expect(secrets).toHaveLength(SECRET_COUNT);
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(everything).not.toContain(extension.extensionId);
    expect(seen).toMatchObject({
      localStorage: [],
      sessionStorage: [],
      cookie: '',
      chromeStorage: 'undefined',
      browserGlobal: 'undefined',
    });
    expect((seen.windowNames as string[]).filter((name) => /ristourne/i.test(name))).toEqual([]);
  });
});

/** The clickjacking pages: each tries to turn a click the member meant for something else into an activation. */
const CLICKJACKING_PAGES: HostilePageKind[] = [
  'transparent',
  'zoom',
  'overlay',
  'flash',
  'pointer-events',
];
const CLICKJACKING_COUNT = 5;

/** Where a click lands on "Activer" (inside its box and the viewport), and what is there. */
function activateTarget(banner: BannerPart) {
  return banner.inRoot((root) => {
    const activate = [...root.querySelectorAll('button')].find(
      (button) => button.textContent?.trim() === 'Activer',
    )!;
    const box = activate.getBoundingClientRect();
    const x = (Math.max(box.left, 0) + Math.min(box.right, innerWidth)) / 2;
    const y = (Math.max(box.top, 0) + Math.min(box.bottom, innerHeight)) / 2;
    const hit = root.elementFromPoint(x, y);
    const card = root.querySelector('.card')!.getBoundingClientRect();
    return {
      x,
      y,
      onActivate: hit !== null && activate.contains(hit),
      cardWidth: card.width,
      inTopLayer: (root.host as HTMLElement).matches(':popover-open'),
    };
  });
}

/**
 * The member's click at (x, y), meant for what the page shows there, and what follows: no
 * click recorded by the portal, the page not left, the banner still offering.
 */
async function clickThatMustNotActivate(
  page: Page,
  portal: PortalHandle,
  banner: BannerPart,
  at: { x: number; y: number },
): Promise<void> {
  const url = page.url();
  await page.mouse.click(at.x, at.y);
  await page.waitForTimeout(1500);
  expect(await recordedClicks(portal)).toEqual([]);
  expect(page.url()).toBe(url);
  await banner.expectAction('Activer');
}

/** A click of the member on a banner they can see activates, once. */
async function clickThatActivates(portal: PortalHandle, banner: BannerPart): Promise<void> {
  await banner.activate();
  await banner.expectText('Cashback activé');
  expect(await recordedClicks(portal)).toHaveLength(1);
}

test.describe('clickjacking', () => {
  test('the clickjacking pages are the ones counted', () => {
    expect(CLICKJACKING_PAGES).toHaveLength(CLICKJACKING_COUNT);
  });

  test('a page cannot make the banner transparent: it looks as on an ordinary page, and a click on it is the member’s', async ({
    context,
    portal,
    extension,
  }) => {
    await signIn(extension);
    const ordinary = await context.newPage();
    await ShopPage.on(ordinary, SHOP, portal.port).openProduct(1);
    await new BannerPart(ordinary).expectText(OFFER);
    const reference = await bannerLook(ordinary);

    const page = await context.newPage();
    const banner = await openHostile(page, portal, 'transparent');
    await expect
      .poll(() =>
        page.evaluate(() => (window as unknown as { transparency?: object }).transparency),
      )
      .toEqual({ shadowRoot: 'null', secondRoot: expect.stringMatching(/^refused/) });
    expect(await bannerLook(page)).toEqual(reference);

    // The member sees the banner where the page hid its own button: their click is theirs.
    await clickThatActivates(portal, banner);
  });

  test('a banner zoomed over the whole page does not take a click', async ({
    context,
    portal,
    extension,
  }) => {
    await signIn(extension);
    const page = await context.newPage();
    const banner = await openHostile(page, portal, 'zoom');
    await page.waitForTimeout(CLICKABLE_AFTER_MS);
    const target = (await activateTarget(banner))!;
    // The page's zoom reaches the banner: three times its width, and the click would land on it.
    expect(target.cardWidth).toBe(3 * 360);
    expect(target.onActivate).toBe(true);
    await clickThatMustNotActivate(page, portal, banner, target);
  });

  test('an element of the page laid over the banner, letting clicks through: the click meant for it does not activate', async ({
    context,
    portal,
    extension,
  }) => {
    await signIn(extension);
    const page = await context.newPage();
    const banner = await openHostile(page, portal, 'overlay');
    await expect(page.locator('#decoy')).toHaveText('Continuer vers le paiement');
    await page.waitForTimeout(CLICKABLE_AFTER_MS);
    const target = (await activateTarget(banner))!;
    // The member sees "Continuer vers le paiement"; the click would reach "Activer" under it.
    expect(target.onActivate).toBe(true);
    await clickThatMustNotActivate(page, portal, banner, target);

    // Uncovered, the banner is the member's to click.
    await page.evaluate(() => (window as unknown as { uncover(): void }).uncover());
    await banner.lookAgain();
    await clickThatActivates(portal, banner);
  });

  test('a banner shown a moment before the click does not take it; seen long enough, it does', async ({
    context,
    portal,
    extension,
  }) => {
    await signIn(extension);
    const page = await context.newPage();
    const banner = await openHostile(page, portal, 'flash');
    await expect(page.locator('#decoy')).toHaveText('Cliquez ici');
    await page.waitForTimeout(CLICKABLE_AFTER_MS);
    const target = (await activateTarget(banner))!;
    // The page uncovers the banner just as the member clicks where it said "Cliquez ici".
    await page.evaluate(() => (window as unknown as { flash(): void }).flash());
    await clickThatMustNotActivate(page, portal, banner, target);

    await banner.lookAgain();
    await clickThatActivates(portal, banner);
  });

  test('a banner pulled out of the top layer under an element that lets clicks through: the click puts it back on top, and does not activate', async ({
    context,
    portal,
    extension,
  }) => {
    await signIn(extension);
    const page = await context.newPage();
    const banner = await openHostile(page, portal, 'pointer-events');
    await expect(page.locator('#decoy')).toHaveText('Voir les offres du jour');
    await page.waitForTimeout(CLICKABLE_AFTER_MS);
    const target = (await activateTarget(banner))!;
    expect(target).toMatchObject({ onActivate: true, inTopLayer: false });
    await clickThatMustNotActivate(page, portal, banner, target);

    // Back in the top layer, over the page's element: now the member sees it, and clicks it.
    expect(await activateTarget(banner)).toMatchObject({ inTopLayer: true });
    await banner.lookAgain();
    await clickThatActivates(portal, banner);
  });
});
