/**
 * The shared page objects (scripts/harness/pages/) on Firefox: the parts are the same, found by
 * the same roles and names; only how a page is opened and how the test waits differ.
 */
import type { FirefoxLocator } from '../../scripts/harness/firefox-locator';
import type { ExtensionChannel, FirefoxTab } from '../../scripts/harness/firefox';
import { AdminParts, catalogueMerchantPath } from '../../scripts/harness/pages/admin';
import {
  BannerParts,
  CLICKABLE_AFTER_MS,
  NO_BANNER_SETTLE_MS,
} from '../../scripts/harness/pages/banner';
import { OptionsParts } from '../../scripts/harness/pages/options';
import { PopupParts } from '../../scripts/harness/pages/popup';
import { ShopParts, shopOrigin } from '../../scripts/harness/pages/shop';
import { WelcomeParts } from '../../scripts/harness/pages/welcome';
import { expect } from './fixtures';

export class FirefoxBanner extends BannerParts<FirefoxLocator> {
  constructor(readonly tab: FirefoxTab) {
    super(tab);
  }

  /** The member clicks "Activer" (or "Réessayer", "Se connecter"). */
  activate(): Promise<void> {
    return this.press(this.activateButton);
  }

  /** The member clicks "Ne plus afficher sur ce site". */
  mute(): Promise<void> {
    return this.press(this.muteButton);
  }

  /**
   * A real click, once the banner has been on screen long enough for it to count (Firefox has no
   * occlusion report: the click guard counts from the banner's entry in the top layer,
   * components/banner/click-guard.ts).
   */
  private async press(button: FirefoxLocator): Promise<void> {
    await expect.poll(() => button.count()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, CLICKABLE_AFTER_MS));
    await button.click();
  }

  /** The banner's text once it shows `expected`. */
  async expectText(expected: string): Promise<void> {
    await expect.poll(() => this.region.text()).toContain(expected);
  }

  /**
   * Nothing shows on this page: once it has loaded, no banner arrives within the settle time
   * (nor any host element, so an empty or hidden banner does not pass either).
   */
  async expectNone(): Promise<void> {
    await this.tab.waitForLoad();
    await new Promise((resolve) => setTimeout(resolve, NO_BANNER_SETTLE_MS));
    expect(await this.region.count()).toBe(0);
    expect(await this.host.count()).toBe(0);
  }
}

export class FirefoxShop extends ShopParts<FirefoxLocator> {
  constructor(
    readonly tab: FirefoxTab,
    origin: string,
  ) {
    super(tab, origin);
  }

  static on(tab: FirefoxTab, slug: string, port: number): FirefoxShop {
    return new FirefoxShop(tab, shopOrigin(slug, port));
  }

  async goto(path = '/'): Promise<void> {
    await this.tab.goto(this.url(path));
  }

  async openCart(): Promise<void> {
    await this.goto('/panier');
    await expect.poll(() => this.heading.text()).toBe('Votre panier');
  }

  async openProduct(number = 1): Promise<void> {
    await this.goto(`/produit/${number}`);
    await expect.poll(() => this.product.count()).toBe(1);
  }

  /** From a product page: add it and land on the cart (/panier). */
  async addToCart(): Promise<void> {
    await this.addToCartButton.click();
    await this.tab.waitForURL(/\/panier$/);
    await this.tab.waitForLoad();
  }

  async payOrder(): Promise<{ tracked: boolean; amount: string }> {
    await this.goto('/commande');
    await this.payButton.click();
    await expect.poll(() => this.cashbackStatus.count()).toBe(1);
    return {
      tracked: (await this.cashbackStatus.getAttribute('data-tracked')) === 'true',
      amount: (await this.orderAmount.text()) ?? '',
    };
  }
}

/** The toolbar popup, opened as a tab by the extension (the driver cannot click the toolbar). */
export class FirefoxPopup extends PopupParts<FirefoxLocator> {
  constructor(readonly tab: FirefoxTab) {
    super(tab);
  }

  static async open(channel: ExtensionChannel, tabId?: number): Promise<FirefoxPopup> {
    const tab = await channel.openTab(popupPath(tabId));
    await tab.waitForLoad();
    return new FirefoxPopup(tab);
  }

  /** Opens the popup again in the same tab (as the member reopens it). */
  async reopen(tabId?: number): Promise<void> {
    await this.tab.gotoExtensionPage(popupPath(tabId));
  }
}

function popupPath(tabId?: number): string {
  return tabId === undefined ? '/popup.html' : `/popup.html?tabId=${tabId}`;
}

export class FirefoxOptions extends OptionsParts<FirefoxLocator> {
  constructor(readonly tab: FirefoxTab) {
    super(tab);
  }

  static async open(channel: ExtensionChannel): Promise<FirefoxOptions> {
    const tab = await channel.openTab('/options.html');
    await tab.waitForLoad();
    return new FirefoxOptions(tab);
  }
}

export class FirefoxWelcome extends WelcomeParts<FirefoxLocator> {
  constructor(readonly tab: FirefoxTab) {
    super(tab);
  }
}

/** The reference portal's back office, in a tab of the same Firefox. */
export class FirefoxAdmin extends AdminParts<FirefoxLocator> {
  constructor(
    readonly tab: FirefoxTab,
    /** The portal's origin, e.g. http://localhost:41234 */
    readonly origin: string,
  ) {
    super(tab);
  }

  /** Opens `path`, signing in first with `key` when the portal asks for it. */
  async open(path: string, key: string): Promise<void> {
    await this.tab.goto(`${this.origin}${path}`);
    if ((await this.keyField.count()) > 0) {
      await this.keyField.fill(key);
      await this.signInButton.click();
      await expect.poll(() => this.signOutButton.count()).toBe(1);
      await this.tab.goto(`${this.origin}${path}`);
    }
  }

  /** Changes a merchant's rate in its form and waits for the new version. */
  async setRate(merchantId: string, rate: string, key: string): Promise<void> {
    await this.open(catalogueMerchantPath(merchantId), key);
    await this.rateField.fill(rate);
    await this.saveButton.click();
    await expect.poll(() => this.savedStatus.text()).toContain('Enregistré : nouvelle version');
  }
}
