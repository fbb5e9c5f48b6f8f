/** The options page, as a member changes their settings there. */
import type { Locator, Page } from '@playwright/test';
import type { PartLocator, Scope } from './scope';

/** The options page's parts, as any browser's driver finds them. */
export class OptionsParts<L extends PartLocator<L>> {
  constructor(protected readonly root: Scope<L>) {}

  get remindersCheckbox(): L {
    return this.root.getByRole('checkbox', {
      name: "Me proposer d'activer le cashback sur les sites partenaires",
    });
  }

  get checkoutOnlyCheckbox(): L {
    return this.root.getByRole('checkbox', { name: 'Seulement sur les pages panier et paiement' });
  }

  /** The one status line of the settings ("Réglage enregistré."). */
  get saveStatus(): L {
    return this.root.locator('.toast');
  }

  get mutedSection(): L {
    return this.root.getByRole('region', { name: 'Sites masqués' });
  }

  /** One row per muted site. */
  get mutedSites(): L {
    return this.mutedSection.getByRole('listitem');
  }

  unmuteButton(merchantName: string): L {
    return this.mutedSection.getByRole('button', {
      name: `Réafficher le bandeau sur ${merchantName}`,
    });
  }

  get syncSection(): L {
    return this.root.getByRole('region', { name: 'Liste des marchands' });
  }

  get syncNowButton(): L {
    return this.syncSection.getByRole('button', { name: 'Synchroniser maintenant' });
  }

  /** The `<time>` of the last successful sync (its `datetime` is an ISO timestamp). */
  get lastSync(): L {
    return this.syncSection.locator('time');
  }

  get disclosure(): L {
    return this.root.getByRole('region', { name: 'Confidentialité et affiliation' });
  }

  /** At the top while the member withholds host access ("Accès aux sites"). */
  get hostAccessSection(): L {
    return this.root.getByRole('region', { name: 'Accès aux sites' });
  }
}

export class OptionsPage extends OptionsParts<Locator> {
  constructor(
    readonly page: Page,
    readonly extensionId: string,
  ) {
    super(page);
  }

  async open(): Promise<void> {
    await this.page.goto(`chrome-extension://${this.extensionId}/options.html`);
  }
}
