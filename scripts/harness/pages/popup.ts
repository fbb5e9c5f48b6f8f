/**
 * The toolbar popup, opened as a tab (Playwright cannot click the toolbar): it is then not
 * attached to the merchant's tab, so the tab is passed in with `?tabId=`.
 */
import type { Locator, Page } from '@playwright/test';
import type { PartLocator, Scope } from './scope';

/** The popup's parts, as any browser's driver finds them. */
export class PopupParts<L extends PartLocator<L>> {
  constructor(protected readonly root: Scope<L>) {}

  get offer(): L {
    return this.root.getByRole('region', { name: 'Sur ce site' });
  }

  get activateButton(): L {
    return this.offer.getByRole('button', { name: /^(Activer le cashback|Réessayer)$/ });
  }

  /** The live region under the offer: progress, success or the reason of an error. */
  get activationStatus(): L {
    return this.offer.getByRole('status');
  }

  /** In place of the offer while the member withholds the extension's access to the site. */
  get accessNotice(): L {
    return this.offer.getByText(/n'a pas accès à/);
  }

  get allowAccessButton(): L {
    return this.offer.getByRole('button', { name: 'Autoriser' });
  }

  get cagnotte(): L {
    return this.root.getByRole('region', { name: 'Ma cagnotte' });
  }

  /** Where the cashback of each order seen stands ("Cashback attendu d'ici le …", "Suivi ✓"). */
  get orderStatuses(): L {
    return this.root.getByTestId('order').locator('.order-status');
  }

  /** The orders seen, one row each (components/popup/OrdersPanel.tsx). */
  get orders(): L {
    return this.root.getByTestId('order');
  }

  /** "Réclamer", on an order whose cashback is missing. */
  get claimButtons(): L {
    return this.root.getByTestId('orders').getByRole('button', { name: 'Réclamer' });
  }

  /** The claim's form, pre-filled from the order. */
  get claimForm(): L {
    return this.root.getByTestId('claim-form');
  }

  claimField(label: 'Référence de commande' | 'Date de la commande' | 'Montant payé'): L {
    return this.claimForm.getByLabel(label);
  }

  get claimSendButton(): L {
    return this.claimForm.getByRole('button', { name: 'Envoyer la réclamation' });
  }

  /** The member's claims with their statuses ("Réclamation envoyée", "Acceptée : …"). */
  get claims(): L {
    return this.root.getByTestId('claim');
  }

  get pending(): L {
    return this.root.getByTestId('cagnotte-pending');
  }

  get confirmed(): L {
    return this.root.getByTestId('cagnotte-confirmed');
  }

  get paid(): L {
    return this.root.getByTestId('cagnotte-paid');
  }

  /** "Encore 3,40 € avant de pouvoir retirer" or "Vous pouvez retirer…". */
  get payout(): L {
    return this.cagnotte.locator('.payout');
  }

  /** The latest transactions, most recent first. */
  get transactions(): L {
    return this.cagnotte.getByRole('listitem');
  }

  /** The parts of one of the latest transactions (0: the most recent). */
  transaction(index: number): { merchant: L; amount: L; status: L } {
    const row = this.transactions.nth(index);
    return {
      merchant: row.locator('.transaction-merchant'),
      amount: row.locator('.transaction-amount'),
      status: row.locator('.status'),
    };
  }

  /** "Tout voir": the whole history, in its own page (only when the portal has it). */
  get historyLink(): L {
    return this.cagnotte.getByRole('link', { name: /^Tout voir/ });
  }

  /** The withdrawal and the latest payouts (components/popup/PayoutsPanel.tsx). */
  get payouts(): L {
    return this.root.getByRole('region', { name: 'Retraits et dons' });
  }

  get withdrawButton(): L {
    return this.payouts.getByRole('button', { name: 'Retirer' });
  }

  /** A method of the withdrawal form: 'Virement bancaire', 'Bon d’achat', 'Don à une association'. */
  withdrawMethod(name: string): L {
    return this.payouts.getByLabel(name, { exact: true });
  }

  get withdrawAmount(): L {
    return this.payouts.getByLabel('Montant');
  }

  get continueButton(): L {
    return this.payouts.getByRole('button', { name: 'Continuer' });
  }

  get confirmButton(): L {
    return this.payouts.getByRole('button', { name: 'Confirmer' });
  }

  /** The confirmation step: what, to whom, the fee. */
  get withdrawConfirmation(): L {
    return this.payouts.getByTestId('withdraw-confirm');
  }

  /** After a payout was asked for: what was asked, to whom. */
  get withdrawDone(): L {
    return this.payouts.getByTestId('withdraw-done');
  }

  /** The latest payouts, newest first. */
  get payoutRows(): L {
    return this.payouts.getByTestId('payouts').getByRole('listitem');
  }

  get voucherCode(): L {
    return this.payouts.getByTestId('voucher-code');
  }

  get signInForm(): L {
    return this.root.getByRole('form', { name: 'Connexion' });
  }

  get emailField(): L {
    return this.signInForm.getByLabel('Adresse e-mail');
  }

  get passwordField(): L {
    return this.signInForm.getByLabel('Mot de passe');
  }

  get signInButton(): L {
    return this.signInForm.getByRole('button', { name: 'Se connecter' });
  }

  /** The sign-in form's error (wrong credentials, portal unreachable…). */
  get signInError(): L {
    return this.signInForm.getByRole('alert');
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.root.getByLabel('Adresse e-mail').fill(email);
    await this.root.getByLabel('Mot de passe').fill(password);
    await this.root.getByRole('button', { name: 'Se connecter' }).click();
  }

  async signOut(): Promise<void> {
    await this.root.getByRole('button', { name: 'Se déconnecter' }).click();
  }

  get searchField(): L {
    return this.offer.getByRole('searchbox', { name: 'Chercher un marchand partenaire' });
  }

  get searchResults(): L {
    return this.offer
      .getByRole('list', { name: 'Résultats de la recherche' })
      .getByRole('listitem');
  }

  async search(query: string): Promise<void> {
    await this.searchField.fill(query);
    await this.offer.getByRole('button', { name: 'Chercher' }).click();
  }
}

export class PopupPage extends PopupParts<Locator> {
  constructor(
    readonly page: Page,
    readonly extensionId: string,
  ) {
    super(page);
  }

  async open(tabId?: number): Promise<void> {
    const query = tabId === undefined ? '' : `?tabId=${tabId}`;
    await this.page.goto(`chrome-extension://${this.extensionId}/popup.html${query}`);
  }
}
