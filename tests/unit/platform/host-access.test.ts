import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { tabStates } from '../../../utils/background/stores';
import {
  hasAccessTo,
  hasAllSitesAccess,
  onHostAccessChange,
  requestAllSitesAccess,
} from '../../../utils/platform/host-access';
import { restoreOpenMerchantTabs } from '../../../utils/platform/host-access-watch';
import { tabOffer } from '../../../utils/visit/tab-offer';
import { handleCommittedNavigation } from '../../../utils/visit/flow';
import { fakeDeps } from '../helpers/fake-background';
import { fakeHostAccess } from '../helpers/fake-host-access';
import { installMessages } from '../helpers/i18n';

const probe = { allSites: hasAllSitesAccess, site: hasAccessTo };

beforeEach(() => {
  fakeBrowser.reset();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('host access', () => {
  it('tells whether the member left access to all sites', async () => {
    const access = fakeHostAccess({ allSites: true });
    expect(await hasAllSitesAccess()).toBe(true);
    access.withdraw();
    expect(await hasAllSitesAccess()).toBe(false);
    expect(access.contains).toHaveBeenLastCalledWith({ origins: ['<all_urls>'] });
  });

  it('asks about a site by scheme and host, without the port Firefox refuses in a pattern', async () => {
    const access = fakeHostAccess({ allSites: false, sites: ['https://www.fnac.com/*'] });
    expect(await hasAccessTo('https://www.fnac.com:443/panier?x=1#top')).toBe(true);
    expect(await hasAccessTo('http://shop.localhost:8787/')).toBe(false);
    expect(access.contains).toHaveBeenLastCalledWith({ origins: ['http://shop.localhost/*'] });
  });

  it('does not ask about pages that host access does not cover', async () => {
    const access = fakeHostAccess({ allSites: false });
    expect(await hasAccessTo('chrome://newtab/')).toBe(true);
    expect(await hasAccessTo('not a url')).toBe(true);
    expect(access.contains).not.toHaveBeenCalled();
  });

  it('requests all sites, and answers what the member chose in the prompt', async () => {
    const access = fakeHostAccess({ allSites: false });
    access.answerPrompt(false);
    expect(await requestAllSitesAccess()).toBe(false);
    expect(await hasAllSitesAccess()).toBe(false);
    access.answerPrompt(true);
    expect(await requestAllSitesAccess()).toBe(true);
    expect(await hasAllSitesAccess()).toBe(true);
  });

  it('follows the member withdrawing and giving back access, until unsubscribed', () => {
    const access = fakeHostAccess({ allSites: true });
    const changes = vi.fn();
    const stop = onHostAccessChange(changes);
    access.withdraw();
    access.grant();
    expect(changes).toHaveBeenCalledTimes(2);
    stop();
    access.withdraw();
    expect(changes).toHaveBeenCalledTimes(2);
    expect(access.listenerCount()).toBe(0);
  });
});

describe("the popup's offer without host access", () => {
  it('says access is missing on a merchant the navigation events still name', async () => {
    const { deps } = fakeDeps();
    fakeHostAccess({ allSites: false });
    await handleCommittedNavigation(deps, {
      tabId: 4,
      url: 'https://www.fnac.com/panier',
      clientRedirect: false,
    });
    expect(await tabOffer(deps, 4, undefined, probe)).toEqual({
      kind: 'no-access',
      hostname: 'www.fnac.com',
    });
  });

  it('says access is missing, not "not a merchant" nor "no site", when the address is hidden', async () => {
    const { deps } = fakeDeps();
    const access = fakeHostAccess({ allSites: false });
    // Without host access nor the `tabs` permission, tabs.get() gives no URL.
    expect(await tabOffer(deps, 9, undefined, probe)).toEqual({
      kind: 'no-access',
      hostname: null,
    });
    access.grant();
    expect(await tabOffer(deps, 9, undefined, probe)).toEqual({ kind: 'unsupported' });
  });

  it('shows the offer on a site the member still allows, and every offer once access is back', async () => {
    const { deps } = fakeDeps();
    const access = fakeHostAccess({ allSites: false, sites: ['https://www.fnac.com/*'] });
    expect(await tabOffer(deps, 2, 'https://www.fnac.com/livres', probe)).toMatchObject({
      kind: 'merchant',
      merchant: { id: 'fnac' },
    });
    expect(await tabOffer(deps, 3, 'https://www.hotel-co.fr/', probe)).toEqual({
      kind: 'no-access',
      hostname: 'www.hotel-co.fr',
    });
    access.grant();
    expect(await tabOffer(deps, 3, 'https://www.hotel-co.fr/', probe)).toMatchObject({
      kind: 'merchant',
      merchant: { id: 'hotel-co' },
    });
  });
});

describe('access given back', () => {
  it('brings back the badge and banner of the merchant tabs already open, and only theirs', async () => {
    installMessages('fr');
    const { deps } = fakeDeps();
    fakeHostAccess({ allSites: false });
    for (const [tabId, url] of [
      [1, 'https://www.fnac.com/panier'],
      [2, 'https://www.exemple.fr/'],
    ] as const) {
      await handleCommittedNavigation(deps, { tabId, url, clientRedirect: false });
    }
    vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([{ id: 1 }, { id: 2 }] as never);
    const inject = vi.spyOn(fakeBrowser.scripting, 'executeScript').mockResolvedValue([]);
    await fakeBrowser.action.setBadgeText({ tabId: 1, text: '' });

    // Nothing comes back while the member has not given access back.
    await restoreOpenMerchantTabs(deps);
    expect(inject).not.toHaveBeenCalled();

    fakeHostAccess({ allSites: true });
    await restoreOpenMerchantTabs(deps);
    expect(await fakeBrowser.action.getBadgeText({ tabId: 1 })).toBe('4,5%');
    expect(inject.mock.calls.map(([injection]) => injection.target.tabId)).toContain(1);
    expect(inject.mock.calls.every(([injection]) => injection.target.tabId === 1)).toBe(true);
    expect(await tabStates.get(1)).toMatchObject({ bannerInjected: true });
  });
});
