/** The history page (components/history/), as a member reads and filters it. */
import type { Locator, Page } from '@playwright/test';
import type { PartLocator, Scope } from './scope';

/** The history page's parts, as any browser's driver finds them. */
export class HistoryParts<L extends PartLocator<L>> {
  constructor(protected readonly root: Scope<L>) {}

  get heading(): L {
    return this.root.getByRole('heading', { name: 'Historique de ma cagnotte', level: 1 });
  }

  /** The table's rows, newest first (transactions and payouts). */
  get rows(): L {
    return this.root.getByTestId('history-row');
  }

  /** "Opérations chargées : 21", or how many the filters let through. */
  get count(): L {
    return this.root.getByTestId('history-count');
  }

  /** "Confirmation attendue d'ici le …", "Confirmation en retard : …". */
  get confirmations(): L {
    return this.root.getByTestId('history-confirmation');
  }

  get statusFilter(): L {
    return this.root.getByLabel('Statut', { exact: true });
  }

  get merchantFilter(): L {
    return this.root.getByLabel('Marchand', { exact: true });
  }

  get moreButton(): L {
    return this.root.getByRole('button', { name: 'Voir plus' });
  }

  /** Under the list once everything is loaded. */
  get endNote(): L {
    return this.root.getByText(/Vous avez tout vu/);
  }

  /** In place of the list: signed out, or an older portal. */
  get problem(): L {
    return this.root.getByTestId('history-problem');
  }
}

export class HistoryPage extends HistoryParts<Locator> {
  constructor(
    readonly page: Page,
    readonly extensionId: string,
  ) {
    super(page);
  }

  async open(): Promise<void> {
    await this.page.goto(`chrome-extension://${this.extensionId}/history.html`);
  }
}
