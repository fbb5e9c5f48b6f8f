/** A search engine's results page (the reference portal's stand-in), with the extension's marks. */
import type { Locator, Page } from '@playwright/test';
import { RESULTS_PAGES, type StandInEngine } from '../../../portal/demo/search-engines';

export interface ShownMark {
  /** The title of the result the mark follows (its link's text). */
  title: string;
  text: string;
  name: string;
}

export class SearchResultsPage {
  constructor(
    readonly page: Page,
    readonly engine: StandInEngine,
  ) {}

  /** The engine's real address (https), e.g. https://www.google.fr/search?q=… */
  url(query: string, host?: string): string {
    const address = new URL(`${RESULTS_PAGES[this.engine]}${encodeURIComponent(query)}`);
    if (host) address.hostname = host;
    return address.href;
  }

  async open(query: string, host?: string): Promise<void> {
    await this.page.goto(this.url(query, host));
  }

  /** Every mark's button (Playwright's CSS reaches into open shadow roots). */
  get marks(): Locator {
    return this.page.locator('[data-ristourne-mark] button');
  }

  mark(name: RegExp | string): Locator {
    return this.page.getByRole('button', { name });
  }

  /** The marks in document order, each with the result it follows. */
  shownMarks(): Promise<ShownMark[]> {
    return this.page.evaluate(() =>
      [...document.querySelectorAll('[data-ristourne-mark]')].map((host) => {
        const link = host.previousElementSibling as HTMLAnchorElement | null;
        const button = host.shadowRoot?.querySelector('button');
        return {
          title: (link?.querySelector('h3, h2') ?? link)?.textContent?.trim() ?? '',
          // Intl's no-break spaces ("2,5 %") read as plain ones.
          text: (button?.textContent ?? '').replace(/\s/g, ' '),
          name: button?.getAttribute('aria-label') ?? '',
        };
      }),
    );
  }

  async showMore(): Promise<void> {
    await this.page.getByRole('button', { name: 'Plus de résultats' }).click();
  }
}
