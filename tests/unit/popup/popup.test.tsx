// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Popup } from '../../../components/popup/Popup';
import type { Cagnotte } from '../../../utils/contract/schemas';
import type {
  AccountView,
  BackgroundProtocol,
  OrderView,
  TabOffer,
} from '../../../utils/protocol/messages';
import { sendToBackground } from '../../../utils/protocol/send';
import { fakeHostAccess } from '../helpers/fake-host-access';
import { installMessages, plain } from '../helpers/i18n';

vi.mock('../../../utils/protocol/send', () => ({ sendToBackground: vi.fn() }));

type Responder = {
  [T in keyof BackgroundProtocol]?: (
    request: BackgroundProtocol[T]['request'],
  ) => Promise<BackgroundProtocol[T]['response']>;
};

/** The background, scripted per test: each message type answers what the test says. */
function background(responses: Responder) {
  const send = vi.mocked(sendToBackground) as unknown as ReturnType<
    typeof vi.fn<(type: string, request: unknown) => Promise<unknown>>
  >;
  send.mockImplementation(async (type, request) => {
    const respond = responses[type as keyof BackgroundProtocol] as
      ((request: unknown) => Promise<unknown>) | undefined;
    if (!respond) throw new Error(`unexpected ${type}`);
    return respond(request);
  });
  return send;
}

const FIGURES: Cagnotte = {
  currency: 'EUR',
  pending: 1250,
  confirmed: 660,
  paid: 10000,
  payoutThreshold: 1000,
  transactions: [
    {
      id: 't_1',
      merchantId: 'fnac',
      merchantName: 'Fnac',
      orderedAt: new Date().toISOString(),
      orderAmount: 12999,
      cashback: 585,
      status: 'pending',
    },
  ],
};

const signedIn = (
  figures: Cagnotte,
  ageMs: number,
  refreshError: 'portal-unreachable' | null = null,
): AccountView => ({
  signedIn: true,
  user: { id: 'u_1', email: 'demo@ristourne.test', displayName: 'Camille' },
  cagnotte: { figures, fetchedAt: Date.now() - ageMs },
  refreshError,
});

const FNAC_OFFER: TabOffer = {
  kind: 'merchant',
  merchant: {
    id: 'fnac',
    name: 'Fnac',
    cashback: { type: 'percent', value: 4.5, upTo: true },
    terms: 'Hors cartes cadeaux.',
    prompts: 'never',
  },
  activation: { state: 'none' },
  standDown: false,
  muted: false,
};

const never = <T,>() => new Promise<T>(() => undefined);
const text = (testId: string) => plain(screen.getByTestId(testId).textContent);

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

describe('the merchant’s logo', () => {
  it('shows the portal’s logo, and the initials where there is none', async () => {
    const logoUrl = 'http://localhost:8787/logos/fnac.png';
    background({
      'popup:get-offer': async () => ({
        ...FNAC_OFFER,
        merchant: { ...FNAC_OFFER.merchant, logoUrl },
      }),
      'account:get': async () => ({ signedIn: false }),
    });
    const { container, unmount } = render(<Popup tabId={7} />);
    await screen.findByRole('heading', { name: 'Fnac' });
    expect(container.querySelector('img.merchant-logo')?.getAttribute('src')).toBe(logoUrl);
    unmount();

    background({
      'popup:get-offer': async () => FNAC_OFFER,
      'account:get': async () => ({ signedIn: false }),
    });
    const without = render(<Popup tabId={7} />);
    await screen.findByRole('heading', { name: 'Fnac' });
    expect(without.container.querySelector('img.merchant-logo')).toBeNull();
    expect(without.container.querySelector('.merchant-initials')?.textContent).toBe('F');
  });
});

describe('the popup, signed in', () => {
  it('paints the cached figures at once, in French, while it refreshes', async () => {
    const send = background({
      'popup:get-offer': async () => FNAC_OFFER,
      'account:get': async () => signedIn(FIGURES, 5 * 60_000),
      'account:refresh': never,
    });
    render(<Popup tabId={7} />);

    expect(await screen.findByRole('heading', { name: 'Ma cagnotte' })).toBeTruthy();
    expect(text('cagnotte-pending')).toBe('12,50 €');
    expect(text('cagnotte-confirmed')).toBe('6,60 €');
    expect(text('cagnotte-paid')).toBe('100,00 €');
    expect(screen.getByText('Encore 3,40 € avant de pouvoir retirer')).toBeTruthy();
    expect(screen.getByText('Mis à jour il y a 5 min')).toBeTruthy();
    expect(screen.getByText(/Mise à jour…/)).toBeTruthy();
    expect(screen.getByText('En attente', { selector: '.status' })).toBeTruthy();
    expect(send).toHaveBeenCalledWith('account:refresh', {});
    expect(send).toHaveBeenCalledWith('popup:get-offer', { tabId: 7 });
  });

  it('repaints with the refreshed figures', async () => {
    background({
      'popup:get-offer': async () => FNAC_OFFER,
      'account:get': async () => signedIn(FIGURES, 60 * 60_000),
      'account:refresh': async () => signedIn({ ...FIGURES, pending: 0, confirmed: 1910 }, 0),
    });
    render(<Popup tabId={7} />);
    expect(await screen.findByText('Vous pouvez retirer votre cashback confirmé.')).toBeTruthy();
    expect(text('cagnotte-confirmed')).toBe('19,10 €');
    expect(screen.getByText('Mis à jour maintenant')).toBeTruthy();
  });

  it('keeps the last figures and says so when the portal is unreachable', async () => {
    background({
      'popup:get-offer': async () => FNAC_OFFER,
      'account:get': async () => signedIn(FIGURES, 3 * 60 * 60_000),
      'account:refresh': async () => signedIn(FIGURES, 3 * 60 * 60_000, 'portal-unreachable'),
    });
    render(<Popup tabId={7} />);
    expect(
      await screen.findByText('Ristourne est injoignable : voici vos derniers chiffres connus.'),
    ).toBeTruthy();
    expect(text('cagnotte-pending')).toBe('12,50 €');
  });

  it('shows the offer of the tab it was given', async () => {
    background({
      'popup:get-offer': async () => FNAC_OFFER,
      'account:get': async () => signedIn(FIGURES, 0),
      'account:refresh': never,
    });
    render(<Popup tabId={7} />);
    expect(await screen.findByRole('heading', { name: 'Fnac' })).toBeTruthy();
    expect(screen.getByText("Jusqu'à 4,5 % de cashback")).toBeTruthy();
    expect(screen.getByText('Conditions : Hors cartes cadeaux.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Activer le cashback' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Autoriser' })).toBeNull();
  });
});

describe('the popup’s way to the whole history', () => {
  it.each([
    ['a portal that has it: "Tout voir" opens the history page', true],
    ['an older portal: no link at all', false],
  ])('%s', async (_name, supported) => {
    const send = background({
      'popup:get-offer': async () => FNAC_OFFER,
      'account:get': async () => signedIn(FIGURES, 0),
      'account:refresh': never,
      'history:supported': async () => supported,
    });
    render(<Popup tabId={7} />);
    expect(await screen.findByRole('heading', { name: 'Dernières opérations' })).toBeTruthy();
    await waitFor(() => expect(send).toHaveBeenCalledWith('history:supported', {}));
    const link = () => screen.queryByRole('link', { name: /^Tout voir/ });
    if (supported) {
      await waitFor(() => expect(link()).not.toBeNull());
      expect(link()!.getAttribute('href')).toBe(fakeBrowser.runtime.getURL('/history.html'));
      expect(link()!.getAttribute('target')).toBe('_blank');
    } else {
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(link()).toBeNull();
    }
  });
});

describe('the popup, after a purchase', () => {
  const order = (progress: OrderView['progress']): OrderView => ({
    key: 'u_1|fnac|ref:CMD-1',
    merchantId: 'fnac',
    merchantName: 'Fnac',
    clickId: 'c_1',
    activatedAt: Date.now() - 120_000,
    seenAt: Date.now() - 60_000,
    orderRef: 'CMD-1',
    amount: { value: 5990, currency: 'EUR' },
    progress,
  });

  it('lists each order seen with where its cashback stands', async () => {
    background({
      'popup:get-offer': async () => FNAC_OFFER,
      'account:get': async () => signedIn(FIGURES, 5 * 60_000),
      'account:refresh': never,
      'orders:list': async () => [order({ state: 'tracked', transactionId: 't_1' })],
    });
    render(<Popup tabId={7} />);
    expect(await screen.findByRole('heading', { name: 'Mes commandes' })).toBeTruthy();
    expect(screen.getByText('Suivi ✓')).toBeTruthy();
    expect(screen.getByText('Commande CMD-1')).toBeTruthy();
  });

  it('offers to claim a missing order, pre-filled, and shows the claim sent', async () => {
    const send = background({
      'popup:get-offer': async () => FNAC_OFFER,
      'account:get': async () => signedIn(FIGURES, 5 * 60_000),
      'account:refresh': never,
      'orders:list': async () => [
        order({ state: 'missing', since: Date.now() - 3_600_000, claimableUntil: null }),
      ],
      'claims:list': async () => [],
      'claims:submit': async (request) => ({
        ok: true,
        claim: {
          id: 'cl_1',
          merchantId: 'fnac',
          merchantName: 'Fnac',
          orderRef: request.orderRef,
          status: 'submitted',
          submittedAt: new Date().toISOString(),
        },
      }),
    });
    render(<Popup tabId={7} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Réclamer' }));
    const form = screen.getByTestId('claim-form');
    expect(within(form).getByLabelText<HTMLInputElement>('Référence de commande').value).toBe(
      'CMD-1',
    );
    expect(within(form).getByLabelText<HTMLInputElement>('Montant payé').value).toBe('59,90');
    expect(form.textContent).toContain('c_1');
    fireEvent.submit(form);
    expect(await screen.findAllByText('Réclamation envoyée')).not.toHaveLength(0);
    expect(send).toHaveBeenCalledWith(
      'claims:submit',
      expect.objectContaining({ key: 'u_1|fnac|ref:CMD-1', orderAmount: 5990, currency: 'EUR' }),
    );
  });

  it('offers no claim once the merchant’s claim window has closed, and says so', async () => {
    background({
      'popup:get-offer': async () => FNAC_OFFER,
      'account:get': async () => signedIn(FIGURES, 5 * 60_000),
      'account:refresh': never,
      'orders:list': async () => [
        order({
          state: 'missing',
          since: Date.now() - 100 * 86_400_000,
          claimableUntil: Date.now() - 86_400_000,
        }),
      ],
      'claims:list': async () => [],
    });
    render(<Popup tabId={7} />);
    expect(
      await screen.findByText(/^Cashback manquant : délai de réclamation passé le /),
    ).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Réclamer' })).toBeNull();
  });

  it('shows no orders section when there are none, or the background cannot say', async () => {
    background({
      'popup:get-offer': async () => FNAC_OFFER,
      'account:get': async () => signedIn(FIGURES, 5 * 60_000),
      'account:refresh': never,
    });
    render(<Popup tabId={7} />);
    expect(await screen.findByRole('heading', { name: 'Ma cagnotte' })).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(screen.queryByRole('heading', { name: 'Mes commandes' })).toBeNull();
  });
});

describe('the popup, signed out', () => {
  it('shows the sign-in form, and the error on wrong credentials', async () => {
    const send = background({
      'popup:get-offer': async () => ({ kind: 'not-merchant', hostname: 'www.exemple.fr' }),
      'account:get': async () => ({ signedIn: false }),
      'account:sign-in': async () => ({ ok: false, reason: 'invalid-credentials' }),
    });
    render(<Popup tabId={7} />);

    const email = await screen.findByLabelText('Adresse e-mail');
    const password = screen.getByLabelText('Mot de passe');
    expect(screen.getByRole('link', { name: /Créer un compte/ }).getAttribute('href')).toBe(
      'http://localhost:8787/inscription',
    );
    fireEvent.input(email, { target: { value: 'demo@ristourne.test' } });
    fireEvent.input(password, { target: { value: 'wrong' } });
    fireEvent.click(screen.getByRole('button', { name: 'Se connecter' }));

    expect((await screen.findByRole('alert')).textContent).toBe(
      'Adresse e-mail ou mot de passe incorrect.',
    );
    expect(send).toHaveBeenCalledWith('account:sign-in', {
      email: 'demo@ristourne.test',
      password: 'wrong',
    });
    expect(password.getAttribute('aria-invalid')).toBe('true');
    await waitFor(() => expect(document.activeElement).toBe(password));
    expect(screen.queryByRole('heading', { name: 'Ma cagnotte' })).toBeNull();
  });

  it('does not send a form without an email, and says why', async () => {
    const send = background({
      'popup:get-offer': async () => ({ kind: 'unsupported' }),
      'account:get': async () => ({ signedIn: false }),
    });
    render(<Popup tabId={null} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Se connecter' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Saisissez votre adresse e-mail.');
    expect(send).not.toHaveBeenCalledWith('account:sign-in', expect.anything());
  });

  it('moves to the sign-in form when activating needs it', async () => {
    background({
      'popup:get-offer': async () => FNAC_OFFER,
      'account:get': async () => ({ signedIn: false }),
      'popup:activate': async () => ({ state: 'error', failure: { reason: 'signed-out' } }),
    });
    render(<Popup tabId={7} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Activer le cashback' }));
    expect(await screen.findByText('Connectez-vous pour activer votre cashback.')).toBeTruthy();
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByLabelText('Adresse e-mail')),
    );
  });

  it('signs in and shows the cagnotte', async () => {
    background({
      'popup:get-offer': async () => FNAC_OFFER,
      'account:get': async () => ({ signedIn: false }),
      'account:sign-in': async () => ({
        ok: true,
        account: { ...signedIn(FIGURES, 0), cagnotte: null },
      }),
      'account:refresh': async () => signedIn(FIGURES, 0),
    });
    render(<Popup tabId={7} />);
    fireEvent.input(await screen.findByLabelText('Adresse e-mail'), {
      target: { value: 'demo@ristourne.test' },
    });
    fireEvent.input(screen.getByLabelText('Mot de passe'), { target: { value: 'cagnotte-demo' } });
    fireEvent.click(screen.getByRole('button', { name: 'Se connecter' }));
    await screen.findByTestId('cagnotte-pending');
    expect(text('cagnotte-pending')).toBe('12,50 €');
    expect(screen.getByText('Connecté en tant que Camille')).toBeTruthy();
  });
});

describe('the popup, activating', () => {
  it('an offer asked before the click and answered after it does not undo the activation', async () => {
    let answerReload: (offer: TabOffer) => void = () => undefined;
    const offers: (() => Promise<TabOffer>)[] = [
      async () => FNAC_OFFER,
      // The reload after the sign-in, still on its way when the member clicks.
      () => new Promise<TabOffer>((resolve) => (answerReload = resolve)),
    ];
    background({
      'popup:get-offer': () =>
        (offers.shift() ?? (async () => ({ ...FNAC_OFFER, activation: activated })))(),
      'account:get': async () => ({ signedIn: false }),
      'account:sign-in': async () => ({ ok: true, account: signedIn(FIGURES, 0) }),
      'account:refresh': async () => signedIn(FIGURES, 0),
      'popup:activate': async () => ({ state: 'activating' }),
    });
    const activated = { state: 'activated', at: Date.now() } as const;
    render(<Popup tabId={7} />);
    fireEvent.input(await screen.findByLabelText('Adresse e-mail'), {
      target: { value: 'demo@ristourne.test' },
    });
    fireEvent.input(screen.getByLabelText('Mot de passe'), { target: { value: 'cagnotte-demo' } });
    fireEvent.click(screen.getByRole('button', { name: 'Se connecter' }));
    await screen.findByTestId('cagnotte-pending');
    await waitFor(() => expect(offers).toHaveLength(0));

    fireEvent.click(screen.getByRole('button', { name: 'Activer le cashback' }));
    await screen.findByText("Un instant : l'onglet passe par Ristourne puis revient sur la page.");
    answerReload(FNAC_OFFER);
    // Still followed: the popup asks again until the landing, and says so.
    expect(
      await screen.findByText(
        'Cashback activé — Vos achats chez Fnac sont maintenant suivis.',
        {},
        { timeout: 3000 },
      ),
    ).toBeTruthy();
  });
});

describe('the popup, when the member took host access back', () => {
  const SIGNED_OUT = { 'account:get': async () => ({ signedIn: false }) as const };
  /** The background: no access to the site until the member gives it back. */
  const offerBehind = (access: ReturnType<typeof fakeHostAccess>, hostname: string | null) =>
    background({
      ...SIGNED_OUT,
      'popup:get-offer': async () =>
        (await access.contains({ origins: ['<all_urls>'] }))
          ? FNAC_OFFER
          : { kind: 'no-access', hostname },
    });

  it('says so in place of the offer on the site, and gives it back in one click', async () => {
    const access = fakeHostAccess({ allSites: false });
    offerBehind(access, 'www.fnac.com');
    render(<Popup tabId={7} />);

    expect(
      await screen.findByText(
        "Ristourne n'a pas accès à www.fnac.com : il ne peut pas savoir si ce site paie du cashback, ni vous le rappeler.",
      ),
    ).toBeTruthy();
    expect(screen.queryByText(/ne fait pas partie des marchands partenaires/)).toBeNull();
    expect(screen.queryByRole('button', { name: 'Activer le cashback' })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Autoriser' }));
    // Called in the click itself: the browser grants a permission only during a user gesture.
    expect(access.request).toHaveBeenCalledWith({ origins: ['<all_urls>'] });
    expect(await screen.findByRole('heading', { name: 'Fnac' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Activer le cashback' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Autoriser' })).toBeNull();
  });

  it('keeps the notice and says what to do when the member refuses the prompt', async () => {
    const access = fakeHostAccess({ allSites: false });
    access.answerPrompt(false);
    offerBehind(access, 'www.fnac.com');
    render(<Popup tabId={7} />);

    fireEvent.click(await screen.findByRole('button', { name: 'Autoriser' }));
    expect(await screen.findByText(/^Accès non accordé\./)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Autoriser' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Fnac' })).toBeNull();
  });

  it('names no site when the browser hides the address, and follows access given back in the menu', async () => {
    const access = fakeHostAccess({ allSites: false });
    offerBehind(access, null);
    render(<Popup tabId={7} />);

    expect(
      await screen.findByText(/^Ristourne n'a pas accès à tous les sites que vous visitez/),
    ).toBeTruthy();
    access.grant();
    expect(await screen.findByRole('heading', { name: 'Fnac' })).toBeTruthy();
    expect(screen.queryByText(/n'a pas accès/)).toBeNull();
  });

  it('tells it also off merchants, when some sites only are allowed', async () => {
    fakeHostAccess({ allSites: false, sites: ['https://www.exemple.fr/*'] });
    background({
      ...SIGNED_OUT,
      'popup:get-offer': async () => ({ kind: 'not-merchant', hostname: 'www.exemple.fr' }),
    });
    render(<Popup tabId={7} />);

    expect(
      await screen.findByText(/^Ristourne n'a pas accès à tous les sites que vous visitez/),
    ).toBeTruthy();
    expect(
      screen.getByText('www.exemple.fr ne fait pas partie des marchands partenaires de Ristourne.'),
    ).toBeTruthy();
  });
});
