// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Options } from '../../../components/options/Options';
import type { MutedSiteView, Settings } from '../../../utils/protocol/messages';
import { sendToBackground } from '../../../utils/protocol/send';
import { fakeHostAccess } from '../helpers/fake-host-access';
import { installMessages, plain } from '../helpers/i18n';

vi.mock('../../../utils/protocol/send', () => ({ sendToBackground: vi.fn() }));

const MUTED: MutedSiteView[] = [
  { merchantId: 'fnac', name: 'Fnac', mutedAt: Date.parse('2026-11-20T12:00:00Z') },
  { merchantId: 'darty', name: 'Darty', mutedAt: Date.parse('2026-11-21T12:00:00Z') },
];

function background() {
  let settings: Settings = {
    reminders: true,
    checkoutOnly: false,
    notifications: true,
    searchMarks: true,
  };
  let muted = [...MUTED];
  const send = vi.mocked(sendToBackground) as unknown as ReturnType<
    typeof vi.fn<(type: string, request: unknown) => Promise<unknown>>
  >;
  send.mockImplementation(async (type, request) => {
    switch (type) {
      case 'settings:get':
        return settings;
      case 'settings:set':
        settings = { ...settings, ...(request as Partial<Settings>) };
        return settings;
      case 'muted:list':
        return muted;
      case 'muted:unmute':
        muted = muted.filter(
          (site) => site.merchantId !== (request as { merchantId: string }).merchantId,
        );
        return muted;
      case 'sync:status':
        return {
          merchantCount: 12345,
          lastSuccessAt: Date.now() - 5 * 60_000,
          lastError: null,
          syncing: false,
        };
      case 'history:activations':
        return [
          {
            merchantId: 'fnac',
            merchantName: 'Fnac',
            at: Date.parse('2026-11-20T12:00:00Z'),
            source: 'popup',
            clickId: 'c_8f2a',
          },
        ];
      case 'account:get':
        return {
          signedIn: true,
          user: { id: 'u_1', email: 'demo@ristourne.test', displayName: 'Camille' },
          cagnotte: null,
          refreshError: null,
        };
      default:
        throw new Error(`unexpected ${type}`);
    }
  });
  return { send, settings: () => settings };
}

beforeEach(() => {
  fakeBrowser.reset();
  vi.mocked(sendToBackground).mockReset();
  installMessages('fr');
  fakeHostAccess({ allSites: true });
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the options page', () => {
  it('saves a change at once and keeps "checkout only" meaningful', async () => {
    const { send, settings } = background();
    render(<Options />);
    const reminders = await screen.findByLabelText(
      "Me proposer d'activer le cashback sur les sites partenaires",
    );
    const checkoutOnly = screen.getByLabelText('Seulement sur les pages panier et paiement');
    expect((checkoutOnly as HTMLInputElement).disabled).toBe(false);

    fireEvent.click(reminders);
    await screen.findByText('Réglage enregistré.');
    expect(send).toHaveBeenCalledWith('settings:set', { reminders: false });
    expect(settings().reminders).toBe(false);
    expect((checkoutOnly as HTMLInputElement).disabled).toBe(true);

    fireEvent.click(
      screen.getByLabelText('Me prévenir quand un cashback apparaît ou est confirmé'),
    );
    await waitFor(() => expect(settings().notifications).toBe(false));
  });

  it('turns the search results’ marks off and on, saying what they read', async () => {
    const { send, settings } = background();
    render(<Options />);
    const marks = await screen.findByLabelText(
      'Signaler le cashback des marchands partenaires dans les résultats de Google, Bing, DuckDuckGo, Qwant et Ecosia',
    );
    expect((marks as HTMLInputElement).checked).toBe(true);
    // The switch is described by what the feature reads.
    const hint = document.getElementById(marks.getAttribute('aria-describedby')!);
    expect(hint?.textContent).toMatch(
      /lit seulement l'adresse des liens des résultats.*ni votre recherche ni l'adresse de la page ne sont envoyées/,
    );
    fireEvent.click(marks);
    await waitFor(() => expect(settings().searchMarks).toBe(false));
    expect(send).toHaveBeenCalledWith('settings:set', { searchMarks: false });
    // The disclosure says it too.
    expect(
      screen.getByText(/Dans les résultats de Google, Bing, DuckDuckGo, Qwant et Ecosia/),
    ).toBeTruthy();
  });

  it('lists hidden sites and unhides one', async () => {
    const { send } = background();
    render(<Options />);
    const list = await screen.findByRole('list', { name: 'Sites masqués' });
    expect(within(list).getByText('Fnac')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Réafficher le bandeau sur Fnac' }));
    expect(await screen.findByText("Le bandeau s'affichera de nouveau sur Fnac.")).toBeTruthy();
    expect(send).toHaveBeenCalledWith('muted:unmute', { merchantId: 'fnac' });
    expect(screen.queryByRole('button', { name: 'Réafficher le bandeau sur Fnac' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Réafficher le bandeau sur Darty' })).toBeTruthy();
  });

  it('shows the merchant list state and the account', async () => {
    background();
    render(<Options />);
    expect(plain((await screen.findByText(/marchands partenaires$/)).textContent)).toBe(
      '12 345 marchands partenaires',
    );
    expect(screen.getByText('Dernière mise à jour : il y a 5 min')).toBeTruthy();
    expect(
      await screen.findByText('Connecté en tant que Camille (demo@ristourne.test)'),
    ).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Confidentialité et affiliation' })).toBeTruthy();
  });
});

describe('the options page, when the member took host access back', () => {
  it('says so first, with the button that gives it back', async () => {
    background();
    const access = fakeHostAccess({ allSites: false, sites: ['https://www.fnac.com/*'] });
    render(<Options />);

    const heading = await screen.findByRole('heading', { name: 'Accès aux sites' });
    // The first section of the page: nothing else works as expected until it is solved.
    expect(screen.getAllByRole('heading', { level: 2 })[0]).toBe(heading);
    const section = heading.closest('section')!;
    expect(
      within(section).getByText(/^Ristourne n'a pas accès à tous les sites que vous visitez/),
    ).toBeTruthy();

    fireEvent.click(within(section).getByRole('button', { name: 'Autoriser' }));
    expect(access.request).toHaveBeenCalledWith({ origins: ['<all_urls>'] });
    await waitFor(() =>
      expect(screen.queryByRole('heading', { name: 'Accès aux sites' })).toBeNull(),
    );
  });

  it('appears when access is withdrawn in the browser while the page is open, and not before', async () => {
    background();
    const access = fakeHostAccess({ allSites: true });
    render(<Options />);
    await screen.findByText(/12.345 marchands/);
    expect(screen.queryByRole('heading', { name: 'Accès aux sites' })).toBeNull();

    access.withdraw();
    expect(await screen.findByRole('heading', { name: 'Accès aux sites' })).toBeTruthy();
  });
});

describe('activation history', () => {
  it('lists each activation with where it was clicked and its click id', async () => {
    background();
    render(<Options />);
    const list = await screen.findByTestId('activation-history');
    expect(list.textContent).toContain('Fnac');
    expect(list.textContent).toContain("depuis le bouton de la barre d'outils");
    expect(list.textContent).toContain('c_8f2a');
  });
});
