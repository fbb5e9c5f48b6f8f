import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { badgeChanges, showBadge } from '../../../utils/visit/badge';
import { FNAC } from '../helpers/fake-background';
import { installMessages, plain } from '../helpers/i18n';

describe('the toolbar badge', () => {
  const calls = () => ({
    text: vi.spyOn(fakeBrowser.action, 'setBadgeText').mockResolvedValue(),
    title: vi.spyOn(fakeBrowser.action, 'setTitle').mockResolvedValue(),
    color: vi.spyOn(fakeBrowser.action, 'setBadgeBackgroundColor').mockResolvedValue(),
  });

  beforeEach(() => {
    fakeBrowser.reset();
    vi.restoreAllMocks();
  });

  it.each([
    ['fr', '4,5%', "Ristourne — Fnac : Jusqu'à 4,5 %"],
    ['en', '4.5%', 'Ristourne — Fnac: Up to 4.5%'],
  ] as const)(
    'on a merchant, in %s: the rate, and the offer in the title',
    async (locale, text, title) => {
      installMessages(locale);
      const set = calls();
      await showBadge(7, FNAC);
      expect(set.text).toHaveBeenCalledWith({ tabId: 7, text });
      expect(plain(set.title.mock.calls[0]![0].title)).toBe(title);
    },
  );

  it('writes figures in the language of the words, whatever the browser says', async () => {
    installMessages('fr');
    vi.spyOn(fakeBrowser.i18n, 'getUILanguage').mockReturnValue('en-US');
    const set = calls();
    await showBadge(7, FNAC);
    expect(set.text).toHaveBeenCalledWith({ tabId: 7, text: '4,5%' });
  });

  it('elsewhere: no badge, the brand as title', async () => {
    installMessages('fr');
    const set = calls();
    await showBadge(7, null);
    expect(set.text).toHaveBeenCalledWith({ tabId: 7, text: '' });
    expect(set.title).toHaveBeenCalledWith({ tabId: 7, title: 'Ristourne' });
    expect(set.color).not.toHaveBeenCalled();
  });

  it('stays quiet when the tab closed meanwhile', async () => {
    installMessages('fr');
    vi.spyOn(fakeBrowser.action, 'setBadgeText').mockRejectedValue(new Error('No tab with id: 7'));
    await expect(showBadge(7, FNAC)).resolves.toBeUndefined();
  });

  it.each([
    ['no merchant before, none now: the badge is blank already', null, null, false],
    ['a merchant now', null, FNAC, true],
    ['a merchant before, none now: its badge comes down', 'fnac', null, true],
    ['from one merchant to another', 'fnac', FNAC, true],
  ] as const)('%s', (_, previousMerchantId, merchant, changes) => {
    expect(badgeChanges(previousMerchantId, merchant)).toBe(changes);
  });
});
