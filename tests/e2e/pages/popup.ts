/**
 * The toolbar popup, opened as a tab (Playwright cannot click the toolbar): it is then not
 * attached to the merchant's tab, so the tab is passed in with `?tabId=`.
 */
import type { Locator, Page } from '@playwright/test';

export class PopupPage {
  constructor(
    readonly page: Page,
    readonly extensionId: string,
  ) {}

  async open(tabId?: number): Promise<void> {
    const query = tabId === undefined ? '' : `?tabId=${tabId}`;
    await this.page.goto(`chrome-extension://${this.extensionId}/popup.html${query}`);
  }

  get offer(): Locator {
    return this.page.getByRole('region', { name: 'Sur ce site' });
  }

  get activateButton(): Locator {
    return this.offer.getByRole('button', { name: /^(Activer le cashback|Réessayer)$/ });
  }

  get cagnotte(): Locator {
    return this.page.getByRole('region', { name: 'Ma cagnotte' });
  }

  get pending(): Locator {
    return this.page.getByTestId('cagnotte-pending');
  }

  get confirmed(): Locator {
    return this.page.getByTestId('cagnotte-confirmed');
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.page.getByLabel('Adresse e-mail').fill(email);
    await this.page.getByLabel('Mot de passe').fill(password);
    await this.page.getByRole('button', { name: 'Se connecter' }).click();
  }

  async signOut(): Promise<void> {
    await this.page.getByRole('button', { name: 'Se déconnecter' }).click();
  }
}
