/** The banner inside its shadow root (open, so Playwright's locators reach it). */
import type { Locator, Page } from '@playwright/test';

export class BannerPart {
  readonly region: Locator;

  constructor(readonly page: Page) {
    this.region = page.getByRole('region', { name: /offre de cashback/ });
  }

  get activateButton(): Locator {
    return this.region.getByRole('button', { name: /^(Activer|Réessayer|Se connecter)$/ });
  }

  get closeButton(): Locator {
    return this.region.getByRole('button', { name: 'Fermer' });
  }

  get muteButton(): Locator {
    return this.region.getByRole('button', { name: 'Ne plus afficher sur ce site' });
  }
}
