/**
 * What the page objects ask of a browser driver, in Playwright's words: Playwright's `Page` and
 * `Locator` speak them natively (the Chromium suite and the demo), and the Firefox driver
 * (scripts/harness/firefox-locator.ts, over WebDriver BiDi) speaks the same subset. So each
 * page object says once where its parts are — by role and accessible name, as a member finds
 * them — and each browser's suite adds only how it opens a page and how it waits.
 */

/** The roles the page objects look for (Playwright knows them all; the Firefox driver these). */
export type Role =
  | 'alert'
  | 'button'
  | 'checkbox'
  | 'form'
  | 'heading'
  | 'link'
  | 'list'
  | 'listitem'
  | 'region'
  | 'searchbox'
  | 'status'
  | 'textbox';

export interface RoleOptions {
  /** A substring (case-insensitive), the whole name with `exact`, or a pattern. */
  name?: string | RegExp;
  exact?: boolean;
  /** Headings only. */
  level?: number;
}

/** A page, or a part of it, in which to find more parts. */
export interface Scope<L> {
  getByRole(role: Role, options?: RoleOptions): L;
  getByText(text: string | RegExp, options?: { exact?: boolean }): L;
  getByLabel(text: string | RegExp, options?: { exact?: boolean }): L;
  getByTestId(testId: string): L;
  locator(selector: string): L;
}

/** A part of a page: found again at each use, so it follows the page as it changes. */
export interface PartLocator<L> extends Scope<L> {
  nth(index: number): L;
  first(): L;
  /** A trusted click, as the member's. */
  click(): Promise<void>;
  fill(value: string): Promise<void>;
}
