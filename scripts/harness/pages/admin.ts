/**
 * The reference portal's back office as its admin uses it: the sign-in form (the key typed once,
 * a session cookie after it: portal/admin/admin-auth.ts) and a merchant's form in the catalogue
 * (portal/admin/catalogue.ts).
 */
import { expect, type Locator, type Page } from '@playwright/test';
import type { PartLocator, Scope } from './scope';

/** The path of a merchant's form in the catalogue. */
export function catalogueMerchantPath(merchantId: string): string {
  return `/admin/marchands/${encodeURIComponent(merchantId)}`;
}

/** The admin pages' parts, as any browser's driver finds them. */
export class AdminParts<L extends PartLocator<L>> {
  constructor(protected readonly root: Scope<L>) {}

  /** Shown instead of any admin page while signed out. */
  get keyField(): L {
    return this.root.getByLabel('Clé d’administration');
  }

  get signInButton(): L {
    return this.root.getByRole('button', { name: 'Se connecter' });
  }

  /** The signed-in admin's way out (on the transactions page). */
  get signOutButton(): L {
    return this.root.getByRole('button', { name: 'Se déconnecter' });
  }

  /** A merchant's rate in its form: "4,5" for a percentage, "15,00" for an amount. */
  get rateField(): L {
    return this.root.getByLabel('Valeur (pourcentage : 4,5 · montant : 15,00)');
  }

  /** A payout's row on the admin page (portal/admin/payouts-admin.ts), newest first. */
  payoutRow(index: number): L {
    return this.root.getByTestId('admin-payout').nth(index);
  }

  /** A claim's row on the claims page (portal/admin/claims-admin.ts), the ones to decide first. */
  claimRow(index: number): L {
    return this.root.getByTestId('admin-claim').nth(index);
  }

  get saveButton(): L {
    return this.root.getByRole('button', { name: 'Enregistrer' });
  }

  /** "Enregistré : nouvelle version de la liste …" after a change that changed something. */
  get savedStatus(): L {
    return this.root.getByRole('status');
  }
}

export class AdminPage extends AdminParts<Locator> {
  constructor(
    readonly page: Page,
    /** The portal's origin, e.g. http://localhost:41234 */
    readonly origin: string,
  ) {
    super(page);
  }

  /** Opens `path`, signing in first with `key` when the portal asks for it. */
  async open(path: string, key: string): Promise<void> {
    await this.page.goto(`${this.origin}${path}`);
    if ((await this.keyField.count()) > 0) {
      await this.keyField.fill(key);
      await this.signInButton.click();
      await expect(this.signOutButton).toBeVisible();
      await this.page.goto(`${this.origin}${path}`);
    }
  }

  /** Changes a merchant's rate in its form and waits for the new version. */
  async setRate(merchantId: string, rate: string, key: string): Promise<void> {
    await this.open(catalogueMerchantPath(merchantId), key);
    await this.rateField.fill(rate);
    await this.saveButton.click();
    await expect(this.savedStatus).toContainText('Enregistré : nouvelle version');
  }
}
