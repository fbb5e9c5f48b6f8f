/**
 * The banner, as the tests and the demo tour see it and use it. Its shadow root is closed (the
 * page must neither read nor restyle it), so Playwright's locators, which pierce open roots only,
 * cannot reach it. In Chromium (`BannerPart`) the root is read through the Chrome DevTools
 * Protocol (`DOM.getDocument` with `pierce` sees closed roots, `DOM.resolveNode` hands it to a
 * function run in the page), and the banner's buttons are pressed with the real mouse at their
 * place on screen. In Firefox (`BannerParts`, with scripts/harness/firefox-locator.ts) the driver
 * reaches the closed root through WebDriver BiDi. Either way a button is pressed once the banner
 * has been on screen long enough for its clicks to count (components/banner/click-guard.ts).
 * What the page's own scripts can do to the banner is no part of this: the hostile pages try it.
 */
import { expect, type CDPSession, type Locator, type Page } from '@playwright/test';
import { MIN_VISIBLE_MS } from '../../../components/banner/click-guard';
import type { PartLocator, Scope } from './scope';

/**
 * How long a page is watched before concluding that no banner comes: the background injects it
 * after DOMContentLoaded, within tens of milliseconds of a warm worker (tests/bench/banner.ts).
 */
export const NO_BANNER_SETTLE_MS = 1500;
/**
 * A click counts once the banner has been visible MIN_VISIBLE_MS; its entrance (180 ms) and the
 * browser's visibility report (up to 100 ms late) come first.
 */
export const CLICKABLE_AFTER_MS = MIN_VISIBLE_MS + 500;

export type BannerButton = 'close' | 'activate' | 'mute';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What the banner shows, read in its root. */
export interface BannerSnapshot {
  /** The card's accessible name ("Ristourne : offre de cashback"). */
  name: string;
  /** Its text, whitespace collapsed (as Playwright's `toContainText` compares a string). */
  text: string;
  /** Its text as it is (no-break spaces kept: a RegExp is matched against it, as Playwright does). */
  rawText: string;
  buttons: { name: BannerButton; label: string; box: Box; focused: boolean }[];
}

interface DomNode {
  nodeName: string;
  backendNodeId: number;
  children?: DomNode[];
  shadowRoots?: DomNode[];
}

/** The banner's parts by role and name, for a driver that reaches its closed root (Firefox's). */
export class BannerParts<L extends PartLocator<L>> {
  readonly region: L;

  constructor(protected readonly root: Scope<L>) {
    this.region = root.getByRole('region', { name: /offre de cashback/ });
  }

  get activateButton(): L {
    return this.region.getByRole('button', { name: /^(Activer|Réessayer|Se connecter)$/ });
  }

  get closeButton(): L {
    return this.region.getByRole('button', { name: 'Fermer' });
  }

  get muteButton(): L {
    return this.region.getByRole('button', { name: 'Ne plus afficher sur ce site' });
  }

  /** The banner's host element, which the banner script appends under <html>. */
  get host(): L {
    return this.root.locator('html > div[popover]');
  }
}

export class BannerPart {
  private session: Promise<CDPSession> | undefined;
  private isolated: { loaderId: string; contextId: number } | undefined;
  /** When each banner root (by its node) was first seen on screen. */
  private readonly firstSeen = new Map<number, number>();

  constructor(readonly page: Page) {}

  /** The banner's host element, which the banner script appends under <html>. */
  get host(): Locator {
    return this.page.locator('html > div[popover]');
  }

  /**
   * Runs `read` in the page with the banner's closed root (and an argument), or answers null
   * when there is no banner. The function is serialised, as with `page.evaluate`.
   */
  async inRoot<T, A = undefined>(
    read: (root: ShadowRoot, arg: A) => T | Promise<T>,
    arg?: A,
  ): Promise<T | null> {
    const found = await this.root();
    if (!found) return null;
    const cdp = await this.cdp();
    const answer = await cdp.send('Runtime.callFunctionOn', {
      objectId: found.objectId,
      // `__name`: the helper esbuild (tsx) wraps named functions in when keeping their names.
      functionDeclaration: `function (arg) { const __name = (f) => f; return (${read.toString()})(this, arg); }`,
      arguments: [{ value: arg }],
      returnByValue: true,
      awaitPromise: true,
    });
    if (answer.exceptionDetails) {
      throw new Error(
        answer.exceptionDetails.exception?.description ?? answer.exceptionDetails.text,
      );
    }
    return answer.result.value as T;
  }

  /** What the banner shows now, or null when there is none. */
  async snapshot(): Promise<BannerSnapshot | null> {
    const found = await this.root().catch(() => null);
    if (!found) return null;
    const snapshot = await this.inRoot(readSnapshot).catch(() => null);
    if (snapshot && !this.firstSeen.has(found.node)) this.firstSeen.set(found.node, Date.now());
    return snapshot;
  }

  /** Waits until the banner's text contains `expected` (a string, or matches a RegExp). */
  async expectText(expected: string | RegExp, options: { timeout?: number } = {}): Promise<void> {
    const read = (raw: boolean) => () =>
      this.snapshot().then(
        (snapshot) => (raw ? snapshot?.rawText : snapshot?.text) ?? '(no banner)',
      );
    if (typeof expected === 'string') {
      await expect.poll(read(false), options).toContain(expected.replace(/\s+/g, ' ').trim());
    } else {
      await expect.poll(read(true), options).toMatch(expected);
    }
  }

  /** Waits until a banner is on the page. */
  async expectShown(): Promise<void> {
    await expect.poll(async () => (await this.snapshot()) !== null).toBe(true);
  }

  /** Waits until no banner is on the page (closed, muted, removed). */
  async expectGone(): Promise<void> {
    await expect.poll(() => this.snapshot()).toBeNull();
  }

  /** Waits until the primary button reads `label` (busy ones too: "Activation…"); `null`: none. */
  async expectAction(label: string | RegExp | null): Promise<void> {
    const action = () =>
      this.snapshot().then(
        (snapshot) => snapshot?.buttons.find((button) => button.name === 'activate')?.label ?? null,
      );
    if (label === null) await expect.poll(action).toBeNull();
    else if (typeof label === 'string') await expect.poll(action).toBe(label);
    else await expect.poll(action).toMatch(label);
  }

  /** Waits until this button of the banner has the keyboard focus. */
  async expectFocused(which: BannerButton): Promise<void> {
    await expect.poll(async () => (await this.button(which))?.focused ?? false).toBe(true);
  }

  /** The button's box on screen, once the banner is there. */
  async boxOf(which: BannerButton): Promise<Box> {
    let box: Box | undefined;
    await expect
      .poll(
        async () => {
          box = (await this.button(which))?.box;
          return box !== undefined && box.width > 0 && box.height > 0;
        },
        { message: `the banner's ${which} button` },
      )
      .toBe(true);
    return box!;
  }

  /** The member clicks "Activer" (or "Réessayer", "Se connecter") with the mouse. */
  activate(): Promise<void> {
    return this.press('activate');
  }

  /** The member clicks ×. */
  close(): Promise<void> {
    return this.press('close');
  }

  /** The member clicks "Ne plus afficher sur ce site". */
  mute(): Promise<void> {
    return this.press('mute');
  }

  /**
   * The member looks at the banner before clicking: its clicks count from now on plus
   * CLICKABLE_AFTER_MS (after the page moved it, say).
   */
  async lookAgain(): Promise<void> {
    const found = await this.root();
    if (found) this.firstSeen.set(found.node, Date.now());
  }

  /**
   * Nothing shows on this page: once it has loaded, no banner arrives within the settle time
   * (nor any host element, so an empty or hidden banner does not pass either).
   */
  async expectNone(): Promise<void> {
    await this.page.waitForLoadState('load');
    await this.page.waitForTimeout(NO_BANNER_SETTLE_MS);
    // Read once, not retried: a banner still there after the settle time is a failure.
    expect(await this.snapshot()).toBeNull();
    expect(await this.host.count()).toBe(0);
  }

  /** A real click at the button's centre, once the banner has been on screen long enough. */
  private async press(which: BannerButton): Promise<void> {
    await this.boxOf(which);
    const found = await this.root();
    const seenAt = (found && this.firstSeen.get(found.node)) ?? Date.now();
    const wait = seenAt + CLICKABLE_AFTER_MS - Date.now();
    if (wait > 0) await this.page.waitForTimeout(wait);
    // Read again: the card has finished its entrance.
    const box = await this.boxOf(which);
    await this.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  }

  private async button(which: BannerButton) {
    return (await this.snapshot())?.buttons.find((button) => button.name === which);
  }

  private cdp(): Promise<CDPSession> {
    this.session ??= this.page.context().newCDPSession(this.page);
    return this.session;
  }

  /**
   * A world of our own in the page's document, where the page's scripts cannot reach (a page
   * that patched the built-ins of its own world would break reads made there).
   */
  private async world(): Promise<number> {
    const cdp = await this.cdp();
    const { frameTree } = await cdp.send('Page.getFrameTree');
    const { id, loaderId } = frameTree.frame;
    if (this.isolated?.loaderId !== loaderId) {
      const { executionContextId } = await cdp.send('Page.createIsolatedWorld', {
        frameId: id,
        worldName: 'banner-harness',
      });
      this.isolated = { loaderId, contextId: executionContextId };
    }
    return this.isolated.contextId;
  }

  /** The banner's closed root: its node, and a handle on it in our world of the page. */
  private async root(): Promise<{ node: number; objectId: string } | null> {
    const cdp = await this.cdp();
    const executionContextId = await this.world();
    const { root } = await cdp.send('DOM.getDocument', { depth: 3, pierce: true });
    const html = (root as DomNode).children?.find((node) => node.nodeName === 'HTML');
    for (const host of html?.children ?? []) {
      const shadow = host.nodeName === 'DIV' ? host.shadowRoots?.[0] : undefined;
      if (!shadow) continue;
      const { object } = await cdp.send('DOM.resolveNode', {
        backendNodeId: shadow.backendNodeId,
        executionContextId,
      });
      if (!object.objectId) continue;
      const ours = await cdp.send('Runtime.callFunctionOn', {
        objectId: object.objectId,
        functionDeclaration: 'function () { return this.querySelector(".card") !== null; }',
        returnByValue: true,
      });
      if (ours.result.value === true)
        return { node: shadow.backendNodeId, objectId: object.objectId };
    }
    return null;
  }
}

/** Runs in the page, on the banner's root. */
function readSnapshot(root: ShadowRoot): BannerSnapshot | null {
  const region = root.querySelector('[role="region"]');
  if (!region || !root.host.isConnected) return null;
  const plain = (text: string | null) =>
    (text ?? '')
      .replace(/\u200b/g, '')
      .replace(/\s+/g, ' ')
      .trim();
  const kinds = [
    ['close', '.close'],
    ['activate', '.primary'],
    ['mute', '.link'],
  ] as const;
  const buttons: BannerSnapshot['buttons'] = [];
  for (const [name, selector] of kinds) {
    const button = root.querySelector(selector);
    if (!button) continue;
    const rect = button.getBoundingClientRect();
    buttons.push({
      name,
      label: plain(button.getAttribute('aria-label') ?? button.textContent),
      box: { x: rect.x, y: rect.y, width: rect.width, height: rect.height },
      focused: root.activeElement === button,
    });
  }
  return {
    name: region.getAttribute('aria-label') ?? '',
    text: plain(region.textContent),
    rawText: region.textContent ?? '',
    buttons,
  };
}
