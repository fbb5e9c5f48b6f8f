// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  ACTIVATION_RECHECK_MS,
  CONFIRMATION_MS,
  createBannerController,
  viewAfterActivation,
  type BannerController,
  type SendToBackground,
} from '../../../components/banner/controller';
import type {
  ActivationStatus,
  BannerView,
  MerchantSummary,
} from '../../../utils/protocol/messages';
import { sendToBackground } from '../../../utils/protocol/send';
import { handOverView } from '../../../utils/banner/delivery';
import { bannerDom } from '../helpers/banner-dom';
import { translator } from '../helpers/i18n';

vi.mock('../../../utils/protocol/send', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../utils/protocol/messages')>()),
  sendToBackground: vi.fn(),
}));

const fr = translator('fr');

const FNAC: MerchantSummary = {
  id: 'fnac',
  name: 'Fnac',
  cashback: { type: 'percent', value: 4.5, upTo: true },
  prompts: 'allowed',
};
const offer: BannerView = { merchant: FNAC, variant: 'offer' };

type Answers = {
  'banner:get-view'?: BannerView | null;
  'banner:activate'?: ActivationStatus | Promise<ActivationStatus>;
};

function fakeSend(answers: Answers = {}) {
  return vi.fn(async (type: string) => {
    if (type === 'banner:get-view') return answers['banner:get-view'] ?? null;
    if (type === 'banner:activate') return answers['banner:activate'] ?? { state: 'activating' };
    return null;
  }) as unknown as SendToBackground & ReturnType<typeof vi.fn>;
}

let dom: ReturnType<typeof bannerDom>;
const hosts = () => dom.hosts();
const shadowText = (banner: BannerController) =>
  (dom.root(banner.host).textContent ?? '').replace(/[\u00a0\u202f]/g, ' ');
const button = (banner: BannerController, selector: string) =>
  dom.root(banner.host).querySelector<HTMLButtonElement>(selector)!;
const userClick = (element: Element) => dom.click(element);
/** An event as the browser makes it for the user (happy-dom cannot make trusted ones). */
function userEvent(type: string): Event {
  const event = new Event(type);
  Object.defineProperty(event, 'isTrusted', { value: true });
  return event;
}
const flush = () => new Promise((done) => setTimeout(done, 0));

beforeEach(() => {
  dom = bannerDom();
  for (const host of hosts()) host.remove();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('createBannerController', () => {
  it('shows nothing until there is a view, and removes itself for null', async () => {
    const banner = createBannerController(document, fr, fakeSend());
    await banner.refresh();
    expect(banner.host.isConnected).toBe(false);
    banner.show(offer);
    expect(hosts()).toEqual([banner.host]);
    expect(banner.host.tagName).toBe('DIV');
    expect(banner.host.getAttribute('popover')).toBe('manual');
    expect(dom.root(banner.host).querySelector('style')?.textContent).toContain('--r-primary');
    expect(shadowText(banner)).toContain("Jusqu'à 4,5 % de cashback chez Fnac");
    banner.show(null);
    expect(banner.host.isConnected).toBe(false);
  });

  it('survives the page removing its host, and comes back only with the next update', () => {
    const banner = createBannerController(document, fr, fakeSend());
    banner.show(offer);
    banner.host.remove();
    expect(hosts()).toEqual([]);
    expect(() => banner.show({ merchant: FNAC, variant: 'activated' })).not.toThrow();
    expect(hosts()).toEqual([banner.host]);
    expect(shadowText(banner)).toContain('Cashback activé');
  });

  it('works when the page defined custom elements of its own', () => {
    customElements.define('ristourne-banner', class extends HTMLElement {});
    const banner = createBannerController(document, fr, fakeSend());
    banner.show(offer);
    expect(dom.root(banner.host).querySelector('[role="region"]')).not.toBeNull();
  });

  it('× sends banner:dismiss and removes the banner at once; a late repeat is ignored', async () => {
    const send = fakeSend();
    const banner = createBannerController(document, fr, send);
    banner.show(offer);
    await userClick(button(banner, '.close'));
    expect(send).toHaveBeenCalledWith('banner:dismiss', {});
    expect(banner.host.isConnected).toBe(false);
    banner.show(offer);
    expect(banner.host.isConnected).toBe(false);
    banner.show({ merchant: FNAC, variant: 'activated' });
    expect(banner.host.isConnected).toBe(true);
  });

  it('"Ne plus afficher sur ce site" sends banner:mute and removes the banner', async () => {
    const send = fakeSend();
    const banner = createBannerController(document, fr, send);
    banner.show(offer);
    await userClick(button(banner, '.link'));
    expect(send).toHaveBeenCalledWith('banner:mute', {});
    expect(send).not.toHaveBeenCalledWith('banner:dismiss', {});
    expect(banner.host.isConnected).toBe(false);
  });

  it('Activer shows progress at once, then what the background answered', async () => {
    let answer!: (status: ActivationStatus) => void;
    const send = fakeSend({ 'banner:activate': new Promise((done) => (answer = done)) });
    const banner = createBannerController(document, fr, send);
    banner.show(offer);
    await userClick(button(banner, '.primary'));
    expect(send).toHaveBeenCalledWith('banner:activate', {});
    expect(banner.view?.variant).toBe('activating');
    answer({ state: 'error', failure: { reason: 'blocked', host: 'awin1.com' } });
    await flush();
    expect(banner.view).toEqual({
      merchant: FNAC,
      variant: 'error',
      failure: { reason: 'blocked', host: 'awin1.com' },
    });
    expect(shadowText(banner)).toContain('autorisez awin1.com');
  });

  it('a synthetic click on Activer sends nothing', () => {
    const send = fakeSend();
    const banner = createBannerController(document, fr, send);
    banner.show(offer);
    button(banner, '.primary').click();
    expect(send).not.toHaveBeenCalled();
    expect(banner.view?.variant).toBe('offer');
  });

  describe('a click the member could not have meant', () => {
    it('the page cannot reach the banner: its root is closed', () => {
      const banner = createBannerController(document, fr, fakeSend());
      banner.show(offer);
      expect(banner.host.shadowRoot).toBeNull();
    });

    it.each<[string, (activate: Element) => Parameters<typeof dom.clickWhere>[1]]>([
      ['on a banner that just appeared', () => ({ waitMs: 50 })],
      ['where an element of the page is on top', () => ({ page: document.body })],
      [
        'where, in the banner, something else is on top',
        (activate) => ({ root: activate.parentElement }),
      ],
    ])('%s does nothing', async (_name, where) => {
      const send = fakeSend();
      const banner = createBannerController(document, fr, send);
      banner.show(offer);
      const activate = button(banner, '.primary');
      await dom.clickWhere(activate, where(activate));
      expect(send).not.toHaveBeenCalled();
      expect(banner.view?.variant).toBe('offer');
      // The member's own click right after does count.
      await userClick(activate);
      expect(send).toHaveBeenCalledWith('banner:activate', {});
    });

    it('neither closes nor mutes on such a click', async () => {
      const send = fakeSend();
      const banner = createBannerController(document, fr, send);
      banner.show(offer);
      await dom.clickWhere(button(banner, '.close'), { waitMs: 10 });
      await dom.clickWhere(button(banner, '.link'), { page: null });
      expect(send).not.toHaveBeenCalled();
      expect(banner.host.isConnected).toBe(true);
    });

    it('two clicks judged at once activate once', async () => {
      const send = fakeSend({ 'banner:activate': new Promise(() => undefined) });
      const banner = createBannerController(document, fr, send);
      banner.show(offer);
      await Promise.all([
        userClick(button(banner, '.primary')),
        userClick(button(banner, '.primary')),
      ]);
      expect(send.mock.calls.filter(([type]) => type === 'banner:activate')).toHaveLength(1);
    });
  });

  it('a view pushed by the background during the activation wins over the late answer', async () => {
    let answer!: (status: ActivationStatus) => void;
    const send = fakeSend({ 'banner:activate': new Promise((done) => (answer = done)) });
    const banner = createBannerController(document, fr, send);
    banner.show(offer);
    await userClick(button(banner, '.primary'));
    banner.show({ merchant: FNAC, variant: 'activated' });
    answer({ state: 'activating' });
    await flush();
    expect(banner.view?.variant).toBe('activated');
  });

  it('a failed request shows the generic error with a retry', async () => {
    const send = vi.fn(async () => {
      throw new Error('No answer to banner:activate');
    }) as unknown as SendToBackground;
    const banner = createBannerController(document, fr, send);
    banner.show(offer);
    await userClick(button(banner, '.primary'));
    await flush();
    expect(banner.view?.variant).toBe('error');
    expect(shadowText(banner)).toContain('Réessayer');
  });

  it('an activation that never moves asks for the view again, and shows the offer back', async () => {
    vi.useFakeTimers();
    try {
      // The worker died after answering "activating": its successor abandoned the activation.
      const send = fakeSend({
        'banner:activate': { state: 'activating' },
        'banner:get-view': offer,
      });
      const banner = createBannerController(document, fr, send);
      banner.show(offer);
      await userClick(button(banner, '.primary'));
      await vi.advanceTimersByTimeAsync(ACTIVATION_RECHECK_MS - 1);
      expect(banner.view?.variant).toBe('activating');
      expect(send).not.toHaveBeenCalledWith('banner:get-view', {});
      await vi.advanceTimersByTimeAsync(1);
      expect(send).toHaveBeenCalledWith('banner:get-view', {});
      expect(banner.view?.variant).toBe('offer');
    } finally {
      vi.useRealTimers();
    }
  });

  describe('the confirmation', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    it('hides itself, and stays hidden when the same view comes again', () => {
      const send = fakeSend();
      const banner = createBannerController(document, fr, send);
      banner.show({ merchant: FNAC, variant: 'activated' });
      vi.advanceTimersByTime(CONFIRMATION_MS - 1);
      expect(banner.host.isConnected).toBe(true);
      vi.advanceTimersByTime(1);
      expect(banner.host.isConnected).toBe(false);
      expect(send).not.toHaveBeenCalled();
      banner.show({ merchant: FNAC, variant: 'activated' });
      expect(banner.host.isConnected).toBe(false);
    });

    it('waits while the pointer or the keyboard focus is on it', () => {
      const banner = createBannerController(document, fr, fakeSend());
      banner.show({ merchant: FNAC, variant: 'activated' });
      banner.host.dispatchEvent(userEvent('focusin'));
      vi.advanceTimersByTime(CONFIRMATION_MS * 3);
      expect(banner.host.isConnected).toBe(true);
      banner.host.dispatchEvent(userEvent('mouseenter'));
      banner.host.dispatchEvent(userEvent('focusout'));
      vi.advanceTimersByTime(CONFIRMATION_MS * 3);
      expect(banner.host.isConnected).toBe(true);
      banner.host.dispatchEvent(userEvent('mouseleave'));
      vi.advanceTimersByTime(CONFIRMATION_MS);
      expect(banner.host.isConnected).toBe(false);
    });

    it("a page script's hover or focus does not hold it on screen", () => {
      const banner = createBannerController(document, fr, fakeSend());
      banner.show({ merchant: FNAC, variant: 'activated' });
      banner.host.dispatchEvent(new Event('mouseenter'));
      banner.host.dispatchEvent(new Event('focusin'));
      vi.advanceTimersByTime(CONFIRMATION_MS);
      expect(banner.host.isConnected).toBe(false);
    });

    it('does not hide an offer', () => {
      const banner = createBannerController(document, fr, fakeSend());
      banner.show(offer);
      vi.advanceTimersByTime(CONFIRMATION_MS * 10);
      expect(banner.host.isConnected).toBe(true);
    });
  });
});

describe('viewAfterActivation', () => {
  const reminder: BannerView = { merchant: FNAC, variant: 'checkout-reminder' };
  const failed: BannerView = {
    merchant: FNAC,
    variant: 'error',
    failure: { reason: 'portal-unreachable' },
  };
  it.each<[BannerView, ActivationStatus, BannerView]>([
    [offer, { state: 'activating' }, { merchant: FNAC, variant: 'activating' }],
    [offer, { state: 'activated', at: 1 }, { merchant: FNAC, variant: 'activated' }],
    [
      reminder,
      { state: 'error', failure: { reason: 'signed-out' } },
      { merchant: FNAC, variant: 'error', failure: { reason: 'signed-out' } },
    ],
    [reminder, { state: 'none' }, reminder],
    [failed, { state: 'none' }, offer],
  ])('%j + %j → %j', (before, status, after) => {
    expect(viewAfterActivation(before, status)).toEqual(after);
  });
});

describe('the banner script', () => {
  const send = vi.mocked(sendToBackground);

  beforeEach(() => {
    fakeBrowser.reset();
    vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation(fr as never);
    send.mockReset();
    const world = globalThis as Record<string, unknown>;
    for (const name of ['ristourneBanner', 'ristourneInitialView', 'ristourneReceiveView']) {
      delete world[name];
    }
    for (const host of hosts()) host.remove();
  });

  async function run() {
    const { default: script } = await import('../../../entrypoints/banner');
    await script.main();
    await flush();
  }
  const fromBackground = { id: fakeBrowser.runtime.id };
  /** A message reaches the banner's listener, which answers nothing: its result is dropped. */
  async function deliver(...args: Parameters<typeof fakeBrowser.runtime.onMessage.trigger>) {
    void (await fakeBrowser.runtime.onMessage.trigger(...args));
  }

  it('asks its view once, then follows the background', async () => {
    send.mockResolvedValue(offer);
    await run();
    expect(send).toHaveBeenCalledWith('banner:get-view', {});
    expect(hosts()).toHaveLength(1);
    await deliver(
      { type: 'background:banner-view', view: { merchant: FNAC, variant: 'activated' } },
      fromBackground,
    );
    expect(dom.root(hosts()[0]!).textContent).toContain('Cashback activé');
    await deliver({ type: 'something-else', view: null }, fromBackground);
    expect(hosts()).toHaveLength(1);
    await deliver({ type: 'background:banner-view', view: null }, fromBackground);
    expect(hosts()).toHaveLength(0);
  });

  it('ignores updates that do not come from the background, or are not of its shape', async () => {
    send.mockResolvedValue(offer);
    await run();
    const close = { type: 'background:banner-view', view: null };
    // Another extension, a content script of a tab, a forged view: the banner stays as it is.
    await deliver(close, { id: 'another-extension' });
    await deliver(close, {
      ...fromBackground,
      tab: { id: 1 } as never,
    });
    await deliver(
      { type: 'background:banner-view', view: { merchant: { id: 'x' }, variant: 'activated' } },
      fromBackground,
    );
    expect(hosts()).toHaveLength(1);
    expect(dom.root(hosts()[0]!).textContent).toContain('Activer');
    await deliver(close, fromBackground);
    expect(hosts()).toHaveLength(0);
  });

  it('shows nothing when the background says null', async () => {
    send.mockResolvedValue(null);
    await run();
    expect(hosts()).toHaveLength(0);
  });

  // The background sends the view and the script at once (utils/banner/delivery.ts).
  it('draws the view sent before it without asking for it', async () => {
    handOverView(offer, null, location.origin);
    await run();
    expect(send).not.toHaveBeenCalled();
    expect(hosts()).toHaveLength(1);
    expect(dom.root(hosts()[0]!).textContent).toContain('Activer');
  });

  it('draws the view sent with it that arrives after it', async () => {
    send.mockReturnValue(new Promise(() => {}));
    await run();
    expect(hosts()).toHaveLength(0);
    handOverView({ merchant: FNAC, variant: 'activated' }, null, location.origin);
    expect(hosts()).toHaveLength(1);
    expect(dom.root(hosts()[0]!).textContent).toContain('Cashback activé');
  });

  it('injected twice, keeps one banner and asks its view again', async () => {
    send.mockResolvedValue(offer);
    await run();
    await run();
    expect(hosts()).toHaveLength(1);
    expect(send.mock.calls.filter(([type]) => type === 'banner:get-view')).toHaveLength(2);
  });
});
