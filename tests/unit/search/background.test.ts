/**
 * The background's side of the search marks: which hostnames get a mark (and with which words),
 * an activation from a mark that lands on the result's page, and the registration of the script.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { activateSearchResult, resumeActivationAfterSignIn } from '../../../utils/activation/flow';
import { lastingStandDowns, signInActivations, tabStates } from '../../../utils/background/stores';
import { decideSearchMark } from '../../../utils/search/decision';
import { matchSearchResults } from '../../../utils/search/match';
import {
  registrationChange,
  searchMarksRegistration,
  syncSearchMarksScript,
  SEARCH_MARKS_SCRIPT_ID,
} from '../../../utils/search/registration';
import { handleCommittedNavigation, recordNavigationRequest } from '../../../utils/visit/flow';
import { FNAC, HOTEL, PORTAL_URL, fakeDeps } from '../helpers/fake-background';
import { plain, translator } from '../helpers/i18n';
import type { StoredMerchant } from '../../../utils/merchants/list';

const SEARCH_PAGE = 'https://www.google.fr/search?q=livre+harry+potter';
const RESULT = 'https://www.fnac.com/a123/harry-potter?ref=seo';
const NEVER: StoredMerchant = {
  ...FNAC,
  id: 'darty',
  name: 'Darty',
  domains: ['darty.com'],
  prompts: 'never',
};

beforeEach(() => {
  fakeBrowser.reset();
  vi.restoreAllMocks();
});

describe('decideSearchMark', () => {
  const allowed = { prompts: 'allowed' as const };
  it.each([
    [
      { enabled: false, merchant: allowed, standDown: false, muted: false },
      { mark: false, reason: 'off' },
    ],
    [
      { enabled: true, merchant: allowed, standDown: true, muted: false },
      { mark: false, reason: 'stand-down' },
    ],
    [
      { enabled: true, merchant: { prompts: 'never' as const }, standDown: false, muted: false },
      { mark: false, reason: 'policy-never' },
    ],
    [
      { enabled: true, merchant: allowed, standDown: false, muted: true },
      { mark: false, reason: 'muted' },
    ],
    [
      {
        enabled: true,
        merchant: { prompts: 'checkout-only' as const },
        standDown: false,
        muted: false,
      },
      { mark: true },
    ],
    [{ enabled: true, merchant: allowed, standDown: false, muted: false }, { mark: true }],
  ])('%o → %o', (input, decision) => {
    expect(decideSearchMark(input)).toEqual(decision);
  });
});

describe('matchSearchResults', () => {
  it('answers per hostname: the offer of a merchant to mark, null otherwise', async () => {
    const { deps } = fakeDeps({
      merchants: {
        ...fakeDeps().deps.merchants,
        matchUrl: async (url) =>
          [FNAC, HOTEL, NEVER].find((m) =>
            m.domains.some((d) => new URL(url).hostname.endsWith(d)),
          ) ?? null,
      },
    });
    const answer = await matchSearchResults(
      deps,
      ['www.fnac.com', 'fr.wikipedia.org', 'hotel-co.fr', 'www.darty.com', 'www.fnac.com'],
      translator('fr'),
    );
    expect(Object.keys(answer.offers)).toEqual([
      'www.fnac.com',
      'fr.wikipedia.org',
      'hotel-co.fr',
      'www.darty.com',
    ]);
    expect(answer.offers['www.fnac.com']).toEqual({
      merchantId: 'fnac',
      label: expect.any(String),
      action: expect.any(String),
    });
    expect(plain(answer.offers['www.fnac.com']!.label)).toBe("Jusqu'à 4,5 % de cashback");
    expect(plain(answer.offers['www.fnac.com']!.action)).toBe(
      "Activer Jusqu'à 4,5 % de cashback chez Fnac avec Ristourne",
    );
    expect(plain(answer.offers['hotel-co.fr']!.label)).toBe('15,00 € de cashback');
    expect(answer.offers['fr.wikipedia.org']).toBeNull();
    expect(answer.offers['www.darty.com']).toBeNull();
    expect(answer.words).toEqual({
      activating: 'Activation…',
      failed: 'Échec, réessayer',
      signIn: 'Connectez-vous pour activer',
    });
  });

  it('marks no merchant standing down, nor one the member muted, nor any when turned off', async () => {
    const fake = fakeDeps();
    await lastingStandDowns.set('fnac', {
      since: fake.deps.now(),
      until: fake.deps.now() + 60 * 60_000,
      signal: { kind: 'param', value: 'awc' },
    });
    fake.muted.add('hotel-co');
    const answer = await matchSearchResults(
      fake.deps,
      ['www.fnac.com', 'hotel-co.fr'],
      translator('fr'),
    );
    expect(answer.offers).toEqual({ 'www.fnac.com': null, 'hotel-co.fr': null });

    await lastingStandDowns.remove('fnac');
    fake.settings.searchMarks = false;
    const off = await matchSearchResults(fake.deps, ['www.fnac.com'], translator('fr'));
    expect(off.offers).toEqual({ 'www.fnac.com': null });
  });
});

describe('activateSearchResult', () => {
  async function openSearchTab(deps: ReturnType<typeof fakeDeps>['deps']) {
    const tab = await browser.tabs.create({ url: SEARCH_PAGE });
    await handleCommittedNavigation(deps, {
      tabId: tab.id!,
      url: SEARCH_PAGE,
      clientRedirect: false,
    });
    return tab.id!;
  }

  it('creates the click for the result’s page, sends the search tab through it, and its landing is ours', async () => {
    const { deps, portal } = fakeDeps();
    const tabId = await openSearchTab(deps);
    const update = vi.spyOn(browser.tabs, 'update');

    expect(await activateSearchResult(deps, tabId, RESULT, async () => {})).toEqual({
      state: 'activating',
    });
    // The result's URL, never the results page's (which holds the query).
    expect(portal.createClick).toHaveBeenCalledWith('tok', { merchantId: 'fnac', url: RESULT });
    expect(update).toHaveBeenCalledWith(tabId, { url: `${PORTAL_URL}/go/c_1?m=fnac` });

    for (const url of [
      `${PORTAL_URL}/go/c_1?m=fnac`,
      'http://clic.reseau-demo.localhost/clk?c=c_1',
    ]) {
      await recordNavigationRequest(tabId, { url, requestId: 'r1' }, deps.now());
    }
    const landing = `${RESULT}&rdclid=c_1`;
    await recordNavigationRequest(tabId, { url: landing, requestId: 'r1' }, deps.now());
    const visit = await handleCommittedNavigation(deps, {
      tabId,
      url: landing,
      clientRedirect: false,
    });
    expect(visit.landing).toBe('own-activation');
    expect(visit.state.landedFromActivation).toBe(true);
  });

  it('through a network hop page that redirects by itself, the landing is still ours', async () => {
    const { deps } = fakeDeps();
    const tabId = await openSearchTab(deps);
    await activateSearchResult(deps, tabId, RESULT, async () => {});
    const hopPage = 'https://clic.reseau.example/clk?c=c_1';
    await recordNavigationRequest(
      tabId,
      { url: `${PORTAL_URL}/go/c_1?m=fnac`, requestId: 'r1' },
      deps.now(),
    );
    await recordNavigationRequest(tabId, { url: hopPage, requestId: 'r1' }, deps.now());
    await handleCommittedNavigation(deps, { tabId, url: hopPage, clientRedirect: false });
    // The hop page's meta refresh: a new chain, without our redirect URL in it.
    const landing = `${RESULT}&rdclid=c_1`;
    await recordNavigationRequest(
      tabId,
      { url: landing, requestId: 'r2', initiator: 'https://clic.reseau.example' },
      deps.now(),
    );
    const visit = await handleCommittedNavigation(deps, {
      tabId,
      url: landing,
      clientRedirect: true,
    });
    expect(visit.landing).toBe('own-activation');
  });

  it('a result that is no merchant activates nothing', async () => {
    const { deps, portal } = fakeDeps();
    const tabId = await openSearchTab(deps);
    expect(
      await activateSearchResult(deps, tabId, 'https://fr.wikipedia.org/', async () => {}),
    ).toEqual({
      state: 'error',
      failure: { reason: 'not-a-merchant' },
    });
    expect(portal.createClick).not.toHaveBeenCalled();
  });

  it('signed out: the sign-in first, then the activation resumes on the same results page only', async () => {
    const { deps, portal, signOut } = fakeDeps();
    signOut();
    const tabId = await openSearchTab(deps);
    expect(await activateSearchResult(deps, tabId, RESULT, async () => {})).toEqual({
      state: 'error',
      failure: { reason: 'signed-out' },
    });
    const pending = await signInActivations.get('pending');
    expect(pending).toMatchObject({ tabId, merchantId: 'fnac', landingUrl: RESULT });
    // Signed in meanwhile (fakeDeps' token is back):
    const { deps: signedIn } = fakeDeps();
    await resumeActivationAfterSignIn({ ...signedIn, portal: deps.portal }, async () => {});
    expect(portal.createClick).toHaveBeenCalledWith('tok', { merchantId: 'fnac', url: RESULT });
  });

  it('does not resume when the tab has moved on to another page', async () => {
    const { deps, portal, signOut } = fakeDeps();
    signOut();
    const tabId = await openSearchTab(deps);
    await activateSearchResult(deps, tabId, RESULT, async () => {});
    const tab = (await tabStates.get(tabId))!;
    await tabStates.set(tabId, { ...tab, url: 'https://www.example.org/', at: tab.at + 1 });
    const { deps: signedIn } = fakeDeps();
    await resumeActivationAfterSignIn({ ...signedIn, portal: deps.portal }, async () => {});
    expect(portal.createClick).not.toHaveBeenCalled();
    expect(await signInActivations.get('pending')).toBeNull();
  });
});

describe('the registration of the results pages’ script', () => {
  const wanted = searchMarksRegistration(['google.fr', 'google.be']);

  it('matches the exact results paths of each engine, never a whole host', () => {
    expect(wanted.matches).toEqual([
      'https://www.google.fr/search*',
      'https://www.google.be/search*',
      'https://www.bing.com/search*',
      'https://duckduckgo.com/?*',
      'https://html.duckduckgo.com/html*',
      'https://www.qwant.com/?*',
      'https://www.ecosia.org/search*',
    ]);
    for (const pattern of wanted.matches) expect(pattern).not.toMatch(/^https:\/\/[^/]+\/\*$/);
    expect(wanted).toMatchObject({
      js: ['search-marks.js'],
      allFrames: false,
      persistAcrossSessions: true,
    });
  });

  it.each([
    [undefined, wanted, 'register'],
    [wanted, wanted, 'none'],
    [{ ...wanted, js: ['/search-marks.js'] }, wanted, 'none'],
    [{ ...wanted, matches: [...wanted.matches].reverse() }, wanted, 'none'],
    [{ ...wanted, matches: ['https://www.google.fr/search*'] }, wanted, 'update'],
    [{ ...wanted, js: ['old.js'] }, wanted, 'update'],
    [{ ...wanted, runAt: 'document_idle' }, wanted, 'update'],
    [wanted, null, 'unregister'],
    [undefined, null, 'none'],
  ] as const)('%# from %o to %o: %s', (current, target, change) => {
    expect(registrationChange(current, target)).toBe(change);
  });

  it('follows the setting: registered on, unregistered off, the last of quick toggles wins', async () => {
    let registered: { id: string }[] = [];
    const scripting = browser.scripting as unknown as Record<string, unknown>;
    scripting.getRegisteredContentScripts = vi.fn(async ({ ids }: { ids: string[] }) =>
      registered.filter((script) => ids.includes(script.id)),
    );
    scripting.registerContentScripts = vi.fn(async (scripts: { id: string }[]) => {
      registered = [...registered, ...scripts];
    });
    scripting.unregisterContentScripts = vi.fn(async ({ ids }: { ids: string[] }) => {
      registered = registered.filter((script) => !ids.includes(script.id));
    });
    expect(await syncSearchMarksScript(true)).toBe('register');
    expect(await syncSearchMarksScript(true)).toBe('none');
    expect(registered.map((script) => script.id)).toEqual([SEARCH_MARKS_SCRIPT_ID]);
    await Promise.all([
      syncSearchMarksScript(false),
      syncSearchMarksScript(true),
      syncSearchMarksScript(false),
    ]);
    expect(registered).toEqual([]);
  });
});
