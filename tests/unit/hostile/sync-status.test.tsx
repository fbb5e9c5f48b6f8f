// @vitest-environment happy-dom
/**
 * What the options page tells the member when the portal misbehaved: each kind of failure of the
 * last sync (utils/background/handlers.ts sorts the sync's errors into them) in their language,
 * next to the count of the last good list, with the technical detail in a tooltip.
 */
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { MerchantListStatus } from '../../../components/options/MerchantListStatus';
import type { SyncFailureKind, SyncStatusView } from '../../../utils/protocol/messages';
import { sendToBackground } from '../../../utils/protocol/send';
import { installMessages, plain } from '../helpers/i18n';

vi.mock('../../../utils/protocol/send', () => ({ sendToBackground: vi.fn() }));

const SAID: Record<SyncFailureKind, { fr: string; en: string }> = {
  unreachable: { fr: 'le portail est injoignable', en: 'the portal could not be reached' },
  timeout: { fr: "le portail n'a pas répondu à temps", en: 'the portal did not answer in time' },
  'portal-error': {
    fr: 'le portail a répondu par une erreur',
    en: 'the portal answered with an error',
  },
  unreadable: {
    fr: 'le portail a envoyé une liste illisible',
    en: 'the portal sent an unreadable list',
  },
  'too-large': {
    fr: 'le portail a envoyé une liste trop volumineuse, refusée',
    en: 'the portal sent a list too large to accept',
  },
  storage: {
    fr: "la liste n'a pas pu être enregistrée sur cet appareil",
    en: 'the list could not be saved on this device',
  },
};

beforeEach(() => {
  fakeBrowser.reset();
  vi.mocked(sendToBackground).mockReset();
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const cases = (Object.keys(SAID) as SyncFailureKind[]).flatMap((kind) =>
  (['fr', 'en'] as const).map((locale) => [kind, locale] as const),
);

describe('the options page after a failed sync', () => {
  it.each(cases)('%s, in %s: why, and the last good list still counted', async (kind, locale) => {
    installMessages(locale);
    const status: SyncStatusView = {
      merchantCount: 34,
      lastSuccessAt: Date.now() - 60 * 60_000,
      lastError: { kind, message: 'the list is over 67108864 bytes', at: Date.now() },
      syncing: false,
    };
    vi.mocked(sendToBackground).mockResolvedValue(status);

    render(<MerchantListStatus />);

    const said = await screen.findByText((text) => plain(text).includes(SAID[kind][locale]));
    expect(said.getAttribute('title')).toBe('the list is over 67108864 bytes');
    expect(plain(document.body.textContent)).toContain(
      locale === 'fr' ? '34 marchands partenaires' : '34 partner merchants',
    );
  });
});
