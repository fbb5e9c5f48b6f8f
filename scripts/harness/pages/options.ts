/** The options page, as a member changes their settings there. */
import type { Locator, Page } from '@playwright/test';

export class OptionsPage {
  constructor(
    readonly page: Page,
    readonly extensionId: string,
  ) {}

  async open(): Promise<void> {
    await this.page.goto(`chrome-extension://${this.extensionId}/options.html`);
  }

  get remindersCheckbox(): Locator {
    return this.page.getByRole('checkbox', {
      name: "Me proposer d'activer le cashback sur les sites partenaires",
    });
  }

  get checkoutOnlyCheckbox(): Locator {
    return this.page.getByRole('checkbox', { name: 'Seulement sur les pages panier et paiement' });
  }

  /** The one status line of the settings ("Réglage enregistré."). */
  get saveStatus(): Locator {
    return this.page.locator('.toast');
  }

  get mutedSection(): Locator {
    return this.page.getByRole('region', { name: 'Sites masqués' });
  }

  /** One row per muted site. */
  get mutedSites(): Locator {
    return this.mutedSection.getByRole('listitem');
  }

  unmuteButton(merchantName: string): Locator {
    return this.mutedSection.getByRole('button', {
      name: `Réafficher le bandeau sur ${merchantName}`,
    });
  }

  get syncSection(): Locator {
    return this.page.getByRole('region', { name: 'Liste des marchands' });
  }

  get syncNowButton(): Locator {
    return this.syncSection.getByRole('button', { name: 'Synchroniser maintenant' });
  }

  /** The `<time>` of the last successful sync (its `datetime` is an ISO timestamp). */
  get lastSync(): Locator {
    return this.syncSection.locator('time');
  }

  get disclosure(): Locator {
    return this.page.getByRole('region', { name: 'Confidentialité et affiliation' });
  }
}
