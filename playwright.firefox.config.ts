import { defineConfig } from '@playwright/test';

/**
 * The Firefox end-to-end suite (tests/firefox/): Playwright Test runs it, and each test drives
 * Debian's Firefox ESR through puppeteer over WebDriver BiDi (Playwright's own Firefox is a
 * patched build it would download; see docs/browsers.md). One Firefox at a time, as Chromium.
 */
export default defineConfig({
  testDir: 'tests/firefox',
  globalSetup: './tests/firefox/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI
    ? [['list']]
    : [['list'], ['html', { open: 'never', outputFolder: 'playwright-report-firefox' }]],
});
