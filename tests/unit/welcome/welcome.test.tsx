// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Welcome } from '../../../components/welcome/Welcome';
import { sendToBackground } from '../../../utils/protocol/send';
import { fakeHostAccess } from '../helpers/fake-host-access';
import { installMessages } from '../helpers/i18n';

vi.mock('../../../utils/protocol/send', () => ({ sendToBackground: vi.fn() }));

const ACCESS_HEADING = "Une dernière étape : l'accès aux sites";
const GRANTED =
  "C'est fait : Ristourne peut maintenant vous rappeler le cashback chez les marchands partenaires.";

beforeEach(() => {
  fakeBrowser.reset();
  installMessages('fr');
  vi.mocked(sendToBackground).mockReset();
  vi.mocked(sendToBackground).mockResolvedValue({ signedIn: false });
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the welcome page', () => {
  it('with host access, asks only to sign in', async () => {
    fakeHostAccess({ allSites: true });
    render(<Welcome />);
    expect(await screen.findByRole('form', { name: 'Connectez-vous pour commencer' })).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(screen.queryByRole('heading', { name: ACCESS_HEADING })).toBeNull();
    expect(screen.queryByText(GRANTED)).toBeNull();
  });

  it('installed without host access (Firefox), asks for it first; given, says it is done', async () => {
    const access = fakeHostAccess({ allSites: false });
    render(<Welcome />);

    const heading = await screen.findByRole('heading', { name: ACCESS_HEADING });
    expect(screen.getAllByRole('heading', { level: 2 })[0]).toBe(heading);
    const section = heading.closest('section')!;
    expect(
      within(section).getByText(/^Ristourne n'a pas accès à tous les sites que vous visitez/),
    ).toBeTruthy();

    fireEvent.click(within(section).getByRole('button', { name: 'Autoriser' }));
    expect(access.request).toHaveBeenCalledWith({ origins: ['<all_urls>'] });
    expect(await screen.findByText(GRANTED)).toBeTruthy();
    expect(screen.queryByRole('heading', { name: ACCESS_HEADING })).toBeNull();
  });

  it('follows access given in the browser menu, and a refusal keeps the request', async () => {
    const access = fakeHostAccess({ allSites: false });
    access.answerPrompt(false);
    render(<Welcome />);
    const heading = await screen.findByRole('heading', { name: ACCESS_HEADING });
    fireEvent.click(within(heading.closest('section')!).getByRole('button', { name: 'Autoriser' }));
    expect(await screen.findByText(/^Accès non accordé/)).toBeTruthy();
    expect(screen.queryByText(GRANTED)).toBeNull();

    access.grant();
    await waitFor(() => expect(screen.queryByRole('heading', { name: ACCESS_HEADING })).toBeNull());
    expect(screen.getByText(GRANTED)).toBeTruthy();
  });
});
