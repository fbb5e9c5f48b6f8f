/**
 * Firefox for the end-to-end tests: finds it (FIREFOX_PATH first), launches it headless through
 * puppeteer over WebDriver BiDi (Firefox's own protocol: no driver to install, no patched build),
 * installs the built package as a temporary add-on, and gives the tests its tabs and a channel
 * to the extension's background through one of the extension's own pages.
 */
import { clockShiftScript } from './clock';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type {
  Answer,
  BackgroundProtocol,
  BackgroundRequestType,
} from '../../utils/protocol/messages';
import { FirefoxScope, isTransient } from './firefox-locator';

const CANDIDATES: Partial<Record<NodeJS.Platform, string[]>> = {
  linux: ['/usr/bin/firefox-esr', '/usr/bin/firefox', '/usr/lib/firefox-esr/firefox-esr'],
  darwin: ['/Applications/Firefox.app/Contents/MacOS/firefox'],
  win32: [join(process.env.PROGRAMFILES ?? 'C:\\Program Files', 'Mozilla Firefox', 'firefox.exe')],
};

export function findFirefox(): string {
  const fromEnv = process.env.FIREFOX_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`FIREFOX_PATH points to nothing: ${fromEnv}`);
    return fromEnv;
  }
  const found = (CANDIDATES[process.platform] ?? []).find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      'No Firefox found. Install one (Debian: apt-get install firefox-esr firefox-esr-l10n-fr) ' +
        'or set FIREFOX_PATH to its executable.',
    );
  }
  return found;
}

/** The extension's address, fixed in advance (Firefox draws a random one per profile). */
export const EXTENSION_UUID = '6f1c2b9e-4a57-4d0b-9c3e-2f8a1d7b5e40';

/**
 * The preferences of a test profile:
 * - every `http:` host goes to the reference portal through an HTTP proxy on loopback (the
 *   portal answers by Host header), `localhost` and `*.localhost` included, as Chromium's
 *   --host-resolver-rules do;
 * - a French interface (Debian's firefox-esr-l10n-fr brings the language pack);
 * - the extension's UUID fixed, so its pages have a known address;
 * - the permission prompt of `permissions.request` answered "yes" (a headless test cannot click
 *   Firefox's doorhanger): the extension's call, from the member's click, still runs for real.
 */
export function testPrefs(options: {
  proxyPort: number;
  geckoId: string;
}): Record<string, unknown> {
  return {
    'network.proxy.type': 1,
    'network.proxy.http': '127.0.0.1',
    'network.proxy.http_port': options.proxyPort,
    'network.proxy.no_proxies_on': '',
    'network.proxy.allow_hijacking_localhost': true,
    // Plain http hosts stay http (the portal plays them on one port).
    'dom.security.https_first': false,
    'dom.security.https_first_schemeless': false,
    'intl.locale.requested': 'fr',
    'extensions.webextensions.uuids': JSON.stringify({ [options.geckoId]: EXTENSION_UUID }),
    'extensions.webextOptionalPermissionPrompts': false,
  };
}

declare const browser: {
  runtime: { sendMessage(message: object): Promise<unknown> };
  tabs: {
    query(query: object): Promise<{ id?: number; url?: string }[]>;
    create(properties: { url: string }): Promise<{ id?: number }>;
  };
  action: { getBadgeText(details: { tabId: number }): Promise<string> };
  permissions: {
    contains(permissions: { origins: string[] }): Promise<boolean>;
    remove(permissions: { origins: string[] }): Promise<boolean>;
  };
};

type Response<T extends BackgroundRequestType> = BackgroundProtocol[T]['response'];

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value other than undefined, or throws at the deadline. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms: ${what}`);
    await pause(100);
  }
}

/** A tab: a web page, or one of the extension's pages. */
export class FirefoxTab extends FirefoxScope {
  constructor(
    readonly session: FirefoxSession,
    page: Page,
    label = 'tab',
  ) {
    super(page, label);
  }

  /** Loads a web page and waits for its `load` event. */
  async goto(url: string): Promise<void> {
    await this.page.goto(url, { waitUntil: 'load' });
  }

  /** The address of a web page (the driver shows extension pages as about:blank: see href). */
  url(): string {
    return this.page.url();
  }

  /** The address as the page itself knows it (extension pages too). */
  async href(): Promise<string> {
    return this.evaluate(() => location.href);
  }

  /** Runs `fn` in the page, again if a navigation replaced the document meanwhile. */
  async evaluate<A extends unknown[], T>(
    fn: (...args: A) => T | Promise<T>,
    ...args: A
  ): Promise<T> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        return await this.page.evaluate(fn as never, ...(args as unknown as never[]));
      } catch (error) {
        if (!isTransient(error) || Date.now() > deadline) throw error;
        await pause(50);
      }
    }
  }

  /** Waits for the address to match (a web page's, as the driver reports it). */
  async waitForURL(match: string | RegExp, timeoutMs = 10_000): Promise<void> {
    await until(
      `${this.describe()} to be at ${match} (it is at ${this.page.url()})`,
      () => {
        const url = this.page.url();
        return Promise.resolve(
          (typeof match === 'string' ? url === match : match.test(url)) || undefined,
        );
      },
      timeoutMs,
    );
  }

  /** Waits until the document has loaded. */
  async waitForLoad(): Promise<void> {
    await until(`${this.describe()} to load`, async () =>
      (await this.evaluate(() => document.readyState)) === 'complete' ? true : undefined,
    );
  }

  /** Goes to another page of the extension, from this one (the driver may not). */
  async gotoExtensionPage(path: string): Promise<void> {
    const url = this.session.extensionUrl(path);
    await this.evaluate((target) => location.assign(target), url);
    await until(`${this.describe()} to show ${url}`, async () => {
      const state = await this.evaluate(() => [location.href, document.readyState]).catch(
        () => undefined,
      );
      return state?.[0] === url && state[1] === 'complete' ? true : undefined;
    });
  }

  /**
   * Whether the tab was closed, by the test or by the extension. (The driver may miss the close
   * of a tab the extension removed, and keep reporting it open: the tab is asked.)
   */
  async isGone(): Promise<boolean> {
    if (this.page.isClosed()) return true;
    try {
      await this.page.evaluate(() => true);
      return false;
    } catch {
      return true;
    }
  }

  async close(): Promise<void> {
    if (!this.page.isClosed()) await this.page.close();
  }
}

/** An extension page kept open to talk to the background and to read the browser's state. */
export class ExtensionChannel {
  constructor(readonly tab: FirefoxTab) {}

  /** Sends a protocol request to the background, as the extension's own pages do. */
  ask<T extends BackgroundRequestType>(
    type: T,
    request?: BackgroundProtocol[T]['request'],
  ): Promise<Answer<Response<T>>> {
    return this.tab.evaluate(
      (type, request) => browser.runtime.sendMessage({ type, ...request }),
      type,
      request ?? {},
    ) as Promise<Answer<Response<T>>>;
  }

  /** The same, for the answer's value (throws on an error answer). */
  async call<T extends BackgroundRequestType>(
    type: T,
    request?: BackgroundProtocol[T]['request'],
  ): Promise<Response<T>> {
    const answer = await this.ask(type, request);
    if (!answer.ok) throw new Error(`${type}: ${answer.error}`);
    return answer.value;
  }

  /** Resolves once the merchant list is synced: before that, nothing matches. */
  async untilMerchantListSynced(timeoutMs = 15_000): Promise<void> {
    await until(
      'the merchant list to be synced',
      async () => ((await this.call('sync:status')).merchantCount > 0 ? true : undefined),
      timeoutMs,
    );
  }

  /** The browser's id of the tab showing a web page (the extension sees its address). */
  async tabIdOf(tab: FirefoxTab): Promise<number> {
    const url = tab.url();
    const ids = await this.tab.evaluate(
      async (target) =>
        (await browser.tabs.query({}))
          .filter((each) => each.url === target)
          .map((each) => each.id ?? -1),
      url,
    );
    if (ids.length !== 1) throw new Error(`${ids.length} tabs show ${url}`);
    return ids[0]!;
  }

  /** The toolbar button's badge on the tab showing `tab`. */
  async badgeText(tab: FirefoxTab): Promise<string> {
    const tabId = await this.tabIdOf(tab);
    return this.tab.evaluate((id) => browser.action.getBadgeText({ tabId: id }), tabId);
  }

  /** Whether the extension has host access to all sites. */
  hasAllSitesAccess(): Promise<boolean> {
    return this.tab.evaluate(() => browser.permissions.contains({ origins: ['<all_urls>'] }));
  }

  /**
   * Takes host access to all sites back, as the member does in Firefox's extensions panel or
   * in about:addons (both call the same ExtensionPermissions.remove, which fires
   * `permissions.onRemoved`). Firefox lets an MV3 extension remove its own host permissions,
   * unlike Chrome ("You cannot remove required permissions").
   */
  async withdrawAllSitesAccess(): Promise<void> {
    await this.tab.evaluate(() => browser.permissions.remove({ origins: ['<all_urls>'] }));
  }

  /**
   * Moves the background page's clock `ms` ahead (scripts/harness/clock.ts), from this page:
   * the moved clock lives as long as both pages do (keep the event page awake meanwhile:
   * `extensions.background.idle.timeout`).
   */
  async advanceBackgroundClock(ms: number): Promise<void> {
    await this.tab.page.evaluate(clockShiftScript(ms, 'browser.runtime.getBackgroundPage()'));
  }

  /** Opens a page of the extension in a new tab (`tabs.create`, as the extension itself does). */
  async openTab(path: string): Promise<FirefoxTab> {
    const known = new Set(await this.tab.session.browser.pages());
    const url = this.tab.session.extensionUrl(path);
    await this.tab.evaluate((target) => browser.tabs.create({ url: target }), url);
    return this.tab.session.extensionTab((href) => href === url, known);
  }
}

export interface FirefoxLaunchOptions {
  executablePath: string;
  /** The built package (`.output/…/firefox-mv3`), installed as a temporary add-on. */
  extensionDir: string;
  /** Every `http:` host is served through this port on loopback (the reference portal's). */
  proxyPort: number;
  /** More preferences, over the test ones. */
  prefs?: Record<string, unknown>;
  /**
   * A profile Firefox has already started once (`prepareProfileTemplate`), copied for this
   * session: a first start in an empty profile costs seconds more. None: an empty one.
   */
  profileTemplate?: string;
  /** Firefox's output, the extension's console included, on this process's. */
  debug?: boolean;
}

export class FirefoxSession {
  private constructor(
    readonly browser: Browser,
    /** moz-extension://<uuid> */
    readonly extensionOrigin: string,
    private readonly profile: string | undefined,
  ) {}

  static async launch(options: FirefoxLaunchOptions): Promise<FirefoxSession> {
    const manifest = JSON.parse(
      await readFile(join(options.extensionDir, 'manifest.json'), 'utf8'),
    ) as { browser_specific_settings: { gecko: { id: string } } };
    const geckoId = manifest.browser_specific_settings.gecko.id;
    let profile: string | undefined;
    if (options.profileTemplate) {
      profile = await mkdtemp(join(tmpdir(), 'ristourne-firefox-'));
      await cp(options.profileTemplate, profile, { recursive: true });
    }
    const browser = await puppeteer
      .launch({
        browser: 'firefox',
        executablePath: options.executablePath,
        headless: true,
        dumpio: options.debug ?? false,
        userDataDir: profile,
        extraPrefsFirefox: {
          ...testPrefs({ proxyPort: options.proxyPort, geckoId }),
          ...(options.debug ? { 'devtools.console.stdout.content': true } : {}),
          ...options.prefs,
        },
      })
      .catch(async (error: unknown) => {
        if (profile) await rm(profile, { recursive: true, force: true });
        throw error;
      });
    const session = new FirefoxSession(browser, `moz-extension://${EXTENSION_UUID}`, profile);
    try {
      // Firefox wants an absolute path.
      await browser.installExtension(resolve(options.extensionDir));
    } catch (error) {
      await session.close();
      throw error;
    }
    return session;
  }

  extensionUrl(path: string): string {
    return `${this.extensionOrigin}${path.startsWith('/') ? path : `/${path}`}`;
  }

  async newTab(): Promise<FirefoxTab> {
    return new FirefoxTab(this, await this.browser.newPage());
  }

  /**
   * The tab of an extension page whose address passes `match`, once it is there (opened by the
   * extension, or by `ExtensionChannel.openTab`); tabs in `except` are not considered.
   */
  async extensionTab(
    match: (href: string) => boolean,
    except: Set<Page> = new Set(),
    timeoutMs = 10_000,
  ): Promise<FirefoxTab> {
    return until(
      'an extension tab',
      async () => {
        for (const page of await this.browser.pages()) {
          if (except.has(page) || page.isClosed()) continue;
          const href = await page.evaluate(() => location.href).catch(() => '');
          if (href.startsWith(this.extensionOrigin) && match(href)) {
            const path = href.slice(this.extensionOrigin.length);
            return new FirefoxTab(this, page, `extension tab ${path}`);
          }
        }
        return undefined;
      },
      timeoutMs,
    );
  }

  /** The welcome tab the extension opens at install. */
  welcomeTab(): Promise<FirefoxTab> {
    return this.extensionTab((href) => href === this.extensionUrl('/welcome.html'));
  }

  /** A channel to the background, through an options page opened from the welcome tab. */
  async openChannel(): Promise<ExtensionChannel> {
    const welcome = await this.welcomeTab();
    await welcome.waitForLoad();
    const options = await new ExtensionChannel(welcome).openTab('/options.html');
    await options.waitForLoad();
    return new ExtensionChannel(options);
  }

  async close(): Promise<void> {
    try {
      await this.browser.close();
    } finally {
      if (this.profile) await rm(this.profile, { recursive: true, force: true });
    }
  }
}

/**
 * Starts Firefox once in a new profile folder and closes it, so that the tests' profiles, copied
 * from it, skip the work of a first start. Returns the folder (the caller removes it).
 */
export async function prepareProfileTemplate(executablePath: string): Promise<string> {
  const profile = await mkdtemp(join(tmpdir(), 'ristourne-firefox-template-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    userDataDir: profile,
  });
  await browser.close();
  return profile;
}
