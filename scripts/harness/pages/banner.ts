/** The banner inside its shadow root (open, so Playwright's locators reach it). */
import { expect, type Locator, type Page } from '@playwright/test';
import type { PartLocator, Scope } from './scope';

/**
 * How long a page is watched before concluding that no banner comes: the background injects it
 * after DOMContentLoaded, within tens of milliseconds of a warm worker (tests/bench/banner.ts).
 */
export const NO_BANNER_SETTLE_MS = 1500;

/** The banner's parts, as any browser's driver finds them. */
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

export class BannerPart extends BannerParts<Locator> {
  constructor(readonly page: Page) {
    super(page);
  }

  /**
   * Nothing shows on this page: once it has loaded, no banner arrives within the settle time
   * (nor any host element, so an empty or hidden banner does not pass either).
   */
  async expectNone(): Promise<void> {
    await this.page.waitForLoadState('load');
    await this.page.waitForTimeout(NO_BANNER_SETTLE_MS);
    // Counted once, not retried: a banner still there after the settle time is a failure.
    expect(await this.region.count()).toBe(0);
    expect(await this.host.count()).toBe(0);
  }
}
