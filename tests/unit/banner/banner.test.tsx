// @vitest-environment happy-dom
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Banner, trusted, type BannerActions } from '../../../components/banner/Banner';
import { bannerCopy } from '../../../utils/banner/copy';
import type {
  ActivationFailure,
  BannerView,
  MerchantSummary,
} from '../../../utils/protocol/messages';
import type { Translate } from '../../../utils/format/i18n';
import { ROOT, localeMessages, translator } from '../helpers/i18n';

const fr = translator('fr');
/** Intl and French typography put no-break spaces in ("4,5 %", "15,00 €", "bloqué :"). */
const plain = (text: string | null | undefined) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ');

const FNAC: MerchantSummary = {
  id: 'fnac',
  name: 'Fnac',
  cashback: { type: 'percent', value: 4.5, upTo: true },
  prompts: 'allowed',
};
const DARTY: MerchantSummary = {
  ...FNAC,
  id: 'darty',
  name: 'Darty',
  cashback: { type: 'percent', value: 3, upTo: false },
};
const HOTEL: MerchantSummary = {
  id: 'hotel-co',
  name: 'Hotel & Co',
  cashback: { type: 'amount', value: 1500, currency: 'EUR', upTo: false },
  prompts: 'checkout-only',
};

function setup(view: BannerView, t: Translate = fr) {
  const actions: BannerActions = {
    activate: vi.fn(),
    dismiss: vi.fn(),
    mute: vi.fn(),
    escape: vi.fn(),
  };
  const result = render(<Banner view={view} actions={actions} t={t} />);
  return { actions, ...result };
}

/**
 * happy-dom's events have no `isTrusted` (so they count as synthetic, like a page's
 * `dispatchEvent`); a real browser never lets scripts set it. Forging it here stands for the user.
 */
function asUser<E extends Event>(event: E): E {
  Object.defineProperty(event, 'isTrusted', { value: true });
  return event;
}
const userClick = (element: Element) =>
  element.dispatchEvent(asUser(new MouseEvent('click', { bubbles: true })));
const userKey = (element: Element, key: string) =>
  element.dispatchEvent(asUser(new KeyboardEvent('keydown', { key, bubbles: true })));

const text = () => plain(screen.getByRole('region').textContent);

afterEach(cleanup);

describe('Banner wording (French)', () => {
  it.each([
    [FNAC, "Jusqu'à 4,5 % de cashback chez Fnac"],
    [DARTY, '3 % de cashback chez Darty'],
    [HOTEL, '15,00 € de cashback chez Hotel & Co'],
  ])('offer for %s', (merchant, wording) => {
    setup({ merchant, variant: 'offer' });
    expect(text()).toContain(wording);
    expect(screen.getByRole('button', { name: 'Activer' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Ne plus afficher sur ce site' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Fermer' })).toBeTruthy();
  });

  it('is a region labelled with the brand, whose text is a polite live region', () => {
    setup({ merchant: FNAC, variant: 'offer' });
    const region = screen.getByRole('region', { name: /^Ristourne\s:\soffre de cashback$/ });
    expect(region.querySelector('[aria-live="polite"]')?.textContent).toContain('Fnac');
  });

  it('shows the merchant terms under the offer', () => {
    setup({ merchant: { ...FNAC, terms: 'Hors cartes cadeaux.' }, variant: 'offer' });
    expect(text()).toContain('Hors cartes cadeaux.');
  });

  it.each([
    [
      FNAC,
      "Votre panier peut vous rapporter jusqu'à 4,5 % de cashback chez Fnac — activez-le avant de payer.",
    ],
    [
      HOTEL,
      'Votre panier peut vous rapporter 15,00 € de cashback chez Hotel & Co — activez-le avant de payer.',
    ],
  ])('checkout reminder for %s', (merchant, wording) => {
    setup({ merchant, variant: 'checkout-reminder' });
    expect(text()).toContain(wording);
    expect(screen.getByRole('button', { name: 'Activer' })).toBeTruthy();
  });

  it('is busy while activating, and a click then does nothing', () => {
    const { actions } = setup({ merchant: FNAC, variant: 'activating' });
    const button = screen.getByRole('button', { name: 'Activation…' });
    expect(button.getAttribute('aria-busy')).toBe('true');
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(text()).toContain('nous passons par Ristourne');
    userClick(button);
    expect(actions.activate).not.toHaveBeenCalled();
    expect(screen.queryByRole('button', { name: 'Ne plus afficher sur ce site' })).toBeNull();
  });

  it('confirms the activation without any action but close', () => {
    setup({ merchant: FNAC, variant: 'activated' });
    expect(text()).toContain('Cashback activé');
    expect(text()).toContain('Vos achats chez Fnac sont maintenant suivis');
    expect(screen.getAllByRole('button').map((b) => b.getAttribute('aria-label'))).toEqual([
      'Fermer',
    ]);
  });
});

describe("the background's words", () => {
  const never: Translate = (key) => {
    throw new Error(`the page translated ${key}`);
  };

  it('draws a view that brings its words without translating or formatting anything', () => {
    const view: BannerView = {
      merchant: FNAC,
      variant: 'offer',
      text: {
        title: 'Titre du fond',
        detail: 'Détail du fond',
        action: { label: 'Bouton du fond', busy: false },
        canMute: true,
        region: 'Région du fond',
        close: 'Fermer du fond',
        mute: 'Muet du fond',
      },
    };
    setup(view, never);
    expect(screen.getByRole('region', { name: 'Région du fond' })).toBeTruthy();
    expect(text()).toContain('Titre du fond');
    expect(text()).toContain('Détail du fond');
    expect(screen.getByRole('button', { name: 'Bouton du fond' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Fermer du fond' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Muet du fond' })).toBeTruthy();
  });

  it("uses the background's figure for the views it derives (no Intl in the page)", () => {
    const copy = bannerCopy({ merchant: FNAC, variant: 'activating', figure: '9,9 %' }, fr, 'R');
    expect(plain(copy.title)).toBe("Jusqu'à 9,9 % de cashback chez Fnac");
    const reminder = bannerCopy(
      { merchant: DARTY, variant: 'checkout-reminder', figure: '7 %' },
      fr,
      'R',
    );
    expect(plain(reminder.title)).toContain('7 %');
  });
});

describe('Banner errors', () => {
  const cases: [ActivationFailure, string, string | null][] = [
    [
      { reason: 'signed-out' },
      'Connectez-vous à Ristourne pour activer votre cashback chez Fnac.',
      'Se connecter',
    ],
    [{ reason: 'portal-unreachable' }, 'Ristourne est injoignable pour le moment.', 'Réessayer'],
    [
      { reason: 'unknown-merchant' },
      "Cette offre de cashback n'est plus disponible chez Fnac.",
      null,
    ],
    [
      { reason: 'not-a-merchant' },
      "Cette offre de cashback n'est plus disponible chez Fnac.",
      null,
    ],
    [
      { reason: 'blocked', host: 'track.awin.example' },
      'Un bloqueur de publicités a bloqué la redirection : autorisez track.awin.example puis réessayez.',
      'Réessayer',
    ],
    [{ reason: 'failed', detail: 'HTTP 500' }, "L'activation n'a pas abouti.", 'Réessayer'],
  ];

  it.each(cases)('%j says why and offers %s', (failure, reason, action) => {
    const { actions } = setup({ merchant: FNAC, variant: 'error', failure });
    expect(text()).toContain(reason);
    expect(text()).not.toContain('HTTP 500');
    const primary = screen.getByRole('region').querySelector('.primary');
    expect(primary?.textContent ?? null).toBe(action);
    if (primary) {
      // Retry and sign-in go through the same request: the background decides what it does.
      userClick(primary);
      expect(actions.activate).toHaveBeenCalledTimes(1);
    }
  });

  it('has a generic reason when the failure is missing', () => {
    setup({ merchant: FNAC, variant: 'error' });
    expect(text()).toContain("L'activation n'a pas abouti.");
  });
});

describe('Banner actions', () => {
  it('ignores a synthetic click on Activer and obeys the user', () => {
    const { actions } = setup({ merchant: FNAC, variant: 'offer' });
    const button = screen.getByRole('button', { name: 'Activer' });
    fireEvent.click(button);
    (button as HTMLButtonElement).click();
    expect(actions.activate).not.toHaveBeenCalled();
    userClick(button);
    expect(actions.activate).toHaveBeenCalledTimes(1);
  });

  it('× dismisses; a synthetic click does not', () => {
    const { actions } = setup({ merchant: FNAC, variant: 'offer' });
    const close = screen.getByRole('button', { name: 'Fermer' });
    fireEvent.click(close);
    expect(actions.dismiss).not.toHaveBeenCalled();
    userClick(close);
    expect(actions.dismiss).toHaveBeenCalledTimes(1);
    expect(actions.mute).not.toHaveBeenCalled();
  });

  it('"Ne plus afficher sur ce site" mutes', () => {
    const { actions } = setup({ merchant: FNAC, variant: 'checkout-reminder' });
    const mute = screen.getByRole('button', { name: 'Ne plus afficher sur ce site' });
    fireEvent.click(mute);
    expect(actions.mute).not.toHaveBeenCalled();
    userClick(mute);
    expect(actions.mute).toHaveBeenCalledTimes(1);
    expect(actions.dismiss).not.toHaveBeenCalled();
  });

  it('Escape inside the banner dismisses, and the page does not see that Escape', () => {
    const { actions } = setup({ merchant: FNAC, variant: 'offer' });
    const pageListener = vi.fn();
    document.addEventListener('keydown', pageListener);
    userKey(screen.getByRole('button', { name: 'Activer' }), 'Escape');
    document.removeEventListener('keydown', pageListener);
    expect(actions.escape).toHaveBeenCalledTimes(1);
    expect(pageListener).not.toHaveBeenCalled();
  });

  it("leaves the page's own Escape and other keys alone", () => {
    const { actions } = setup({ merchant: FNAC, variant: 'offer' });
    const pageListener = vi.fn();
    document.addEventListener('keydown', pageListener);
    userKey(document.body, 'Escape');
    userKey(screen.getByRole('button', { name: 'Activer' }), 'Enter');
    fireEvent.keyDown(screen.getByRole('button', { name: 'Activer' }), { key: 'Escape' });
    document.removeEventListener('keydown', pageListener);
    expect(actions.escape).not.toHaveBeenCalled();
    expect(pageListener).toHaveBeenCalledTimes(3);
  });

  it('never focuses itself', () => {
    setup({ merchant: FNAC, variant: 'offer' });
    expect(document.activeElement).toBe(document.body);
    expect(screen.getByRole('region').querySelector('[autofocus]')).toBeNull();
  });
});

describe('trusted', () => {
  it('passes only events the user made', () => {
    const handler = vi.fn();
    const guarded = trusted(handler);
    guarded({ isTrusted: false });
    guarded({});
    expect(handler).not.toHaveBeenCalled();
    const event = { isTrusted: true } as Event;
    guarded(event);
    expect(handler).toHaveBeenCalledWith(event);
  });
});

describe('banner messages', () => {
  const fromCode = (file: string) =>
    [...readFileSync(resolve(ROOT, file), 'utf8').matchAll(/'(banner_\w+)'/g)].map((m) => m[1]!);
  const used = new Set([
    ...readdirSync(resolve(ROOT, 'components/banner'))
      .filter((file) => /\.tsx?$/.test(file))
      .flatMap((file) => fromCode(`components/banner/${file}`)),
    ...fromCode('utils/banner/copy.ts'),
  ]);
  const keys = (locale: string) =>
    Object.keys(localeMessages(locale))
      .filter((key) => key.startsWith('banner_'))
      .sort();

  it('finds the keys the code uses', () => {
    expect(used.size).toBeGreaterThan(15);
  });

  it.each(['fr', 'en'])('%s has every key the banner uses, and no other banner key', (locale) => {
    expect(keys(locale)).toEqual([...used].sort());
  });

  it.each(['fr', 'en'] as const)('%s words every state without a missing piece', (locale) => {
    const t = translator(locale);
    const failures: ActivationFailure[] = [
      { reason: 'signed-out' },
      { reason: 'portal-unreachable' },
      { reason: 'unknown-merchant' },
      { reason: 'not-a-merchant' },
      { reason: 'blocked', host: 'a.example' },
      { reason: 'failed', detail: '' },
    ];
    const views: BannerView[] = [
      ...(['offer', 'checkout-reminder', 'activating', 'activated'] as const).flatMap((variant) =>
        [FNAC, HOTEL].map((merchant) => ({ merchant, variant })),
      ),
      ...failures.map((failure) => ({ merchant: FNAC, variant: 'error' as const, failure })),
    ];
    for (const view of views) {
      const copy = bannerCopy(view, t, 'Ristourne');
      for (const part of [copy.title, copy.detail ?? 'x', copy.action?.label ?? 'x']) {
        expect(part, JSON.stringify(view)).toMatch(/^[^$]+$/);
      }
      // The offer's figure and phrase come from the shared common_* messages.
      if (['offer', 'checkout-reminder', 'activating'].includes(view.variant)) {
        expect(copy.title, JSON.stringify(view)).toMatch(/\d.*cashback/);
      }
    }
  });
});
