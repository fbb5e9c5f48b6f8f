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

  /** The live region under the offer: progress, success or the reason of an error. */
  get activationStatus(): Locator {
    return this.offer.getByRole('status');
  }

  /** In place of the offer while the member withholds the extension's access to the site. */
  get accessNotice(): Locator {
    return this.offer.getByText(/n'a pas accès à/);
  }

  get allowAccessButton(): Locator {
    return this.offer.getByRole('button', { name: 'Autoriser' });
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

  get paid(): Locator {
    return this.page.getByTestId('cagnotte-paid');
  }

  /** "Encore 3,40 € avant de pouvoir retirer" or "Vous pouvez retirer…". */
  get payout(): Locator {
    return this.cagnotte.locator('.payout');
  }

  /** The latest transactions, most recent first. */
  get transactions(): Locator {
    return this.cagnotte.getByRole('listitem');
  }

  /** The parts of one of the latest transactions (0: the most recent). */
  transaction(index: number): { merchant: Locator; amount: Locator; status: Locator } {
    const row = this.transactions.nth(index);
    return {
      merchant: row.locator('.transaction-merchant'),
      amount: row.locator('.transaction-amount'),
      status: row.locator('.status'),
    };
  }

  get signInForm(): Locator {
    return this.page.getByRole('form', { name: 'Connexion' });
  }

  get emailField(): Locator {
    return this.signInForm.getByLabel('Adresse e-mail');
  }

  get passwordField(): Locator {
    return this.signInForm.getByLabel('Mot de passe');
  }

  get signInButton(): Locator {
    return this.signInForm.getByRole('button', { name: 'Se connecter' });
  }

  /** The sign-in form's error (wrong credentials, portal unreachable…). */
  get signInError(): Locator {
    return this.signInForm.getByRole('alert');
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.page.getByLabel('Adresse e-mail').fill(email);
    await this.page.getByLabel('Mot de passe').fill(password);
    await this.page.getByRole('button', { name: 'Se connecter' }).click();
  }

  async signOut(): Promise<void> {
    await this.page.getByRole('button', { name: 'Se déconnecter' }).click();
  }

  get searchField(): Locator {
    return this.offer.getByRole('searchbox', { name: 'Chercher un marchand partenaire' });
  }

  get searchResults(): Locator {
    return this.offer
      .getByRole('list', { name: 'Résultats de la recherche' })
      .getByRole('listitem');
  }

  async search(query: string): Promise<void> {
    await this.searchField.fill(query);
    await this.offer.getByRole('button', { name: 'Chercher' }).click();
  }
}
