import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BUILT_IN_SIGNALS,
  mergeStandDownSignals,
  normaliseListHost,
  type CompiledSignals,
} from '../../../utils/visit/affiliate-signals';
import {
  STAND_DOWN_MS,
  detectAffiliateReferral,
  isStandDownActive,
  recogniseOwnLanding,
  HAND_OVER_MAX_MS,
  standDownUntil,
  type LandingNavigation,
  type PendingActivation,
  type StandDownSignal,
} from '../../../utils/visit/stand-down';

const builtInOnly = mergeStandDownSignals(BUILT_IN_SIGNALS, { params: [], referrerHosts: [] });
// The example list of docs/portal-api.md §2 plus a portal's own click id and host.
const withPortalList = mergeStandDownSignals(BUILT_IN_SIGNALS, {
  params: ['awc', 'cjevent', 'ranMID', 'ranSiteID', 'irclickid', 'clickref', 'RDCLID'],
  referrerHosts: ['igraal.com', 'poulpeo.com', 'Cashback-Rival.example.', 'bücher.example'],
});

const detect = (
  chain: string[],
  referrer?: string,
  signals: CompiledSignals = builtInOnly,
  ownActivation = false,
) => detectAffiliateReferral({ chain, referrer, ownActivation }, signals);

const standsDown = (kind: StandDownSignal['kind'], value: string) => ({
  standDown: true,
  signal: { kind, value },
});

describe('detectAffiliateReferral: one positive per network', () => {
  it.each<[string, string[], string | undefined, StandDownSignal['kind'], string]>([
    [
      'Awin click through cread.php, landing with awc and sn=1',
      [
        'https://www.awin1.com/cread.php?awinmid=12345&awinaffid=67890&ued=https%3A%2F%2Fwww.fnac.com%2F',
        'https://www.fnac.com/?awc=12345_1732350000_0a1b2c3d4e5f&sn=1',
      ],
      'https://blog.example/',
      'param',
      'awc',
    ],
    [
      'Awin awclick.php hop, parameters stripped by the merchant',
      ['https://www.awin1.com/awclick.php?mid=12345&id=67890', 'https://www.fnac.com/'],
      undefined,
      'network-host',
      'awin1.com',
    ],
    [
      'ShareASale r.cfm then sscid',
      [
        'https://shareasale.com/r.cfm?b=123&u=456&m=789&urllink=&afftrack=',
        'https://www.shop.example/?sscid=a1k7_1b2c3',
      ],
      undefined,
      'param',
      'sscid',
    ],
    [
      'ShareASale analytics hop',
      ['https://shareasale-analytics.com/u.cfm?d=1&m=2&u=3', 'https://www.shop.example/'],
      undefined,
      'network-host',
      'shareasale-analytics.com',
    ],
    [
      'ShareASale afftrack on the landing',
      ['https://www.shop.example/product/1?afftrack=newsletter'],
      undefined,
      'param',
      'afftrack',
    ],
    [
      'CJ cjevent on the landing',
      ['https://www.shop.example/fr/?cjevent=0f1e2d3c4b5a11ef81a2009a0a1c0e0c'],
      undefined,
      'param',
      'cjevent',
    ],
    [
      'Rakuten Advertising deeplink',
      [
        'https://click.linksynergy.com/deeplink?id=AbCdEf&mid=44583&murl=https%3A%2F%2Fwww.shop.example%2F',
        'https://www.shop.example/?ranMID=44583&ranEAID=AbCdEf&ranSiteID=AbCdEf-xyz123',
      ],
      undefined,
      'param',
      'ranmid',
    ],
    [
      'Rakuten Advertising hop only',
      [
        'https://click.linksynergy.com/fs-bin/click?id=AbCdEf&offerid=1',
        'https://www.shop.example/',
      ],
      undefined,
      'network-host',
      'linksynergy.com',
    ],
    [
      'Impact on a brand subdomain of sjv.io',
      [
        'https://nike.sjv.io/c/123456/789012/3456',
        'https://www.nike.example/fr/?irclickid=Wx9yZ0abc&irgwc=1&afsrc=1',
      ],
      undefined,
      'param',
      'irclickid',
    ],
    [
      'Impact vanity host with afsrc=1 only',
      ['https://goto.brand.example/c/1/2/3', 'https://www.brand.example/?afsrc=1'],
      undefined,
      'param',
      'afsrc',
    ],
    [
      'Impact pxf.io hop',
      ['https://brand.pxf.io/c/1/2/3', 'https://www.brand.example/'],
      undefined,
      'network-host',
      'pxf.io',
    ],
    [
      'Partnerize prf.hn then clickref',
      [
        'https://prf.hn/click/camref:1011l3AbC/destination:https%3A%2F%2Fwww.shop.example%2F',
        'https://www.shop.example/?clickref=1101lxYz',
      ],
      undefined,
      'param',
      'clickref',
    ],
    [
      'Tradedoubler click then tduid',
      [
        'https://clk.tradedoubler.com/click?p=123&a=456&g=789',
        'https://www.shop.example/?tduid=0a1b2c3d4e5f',
      ],
      undefined,
      'param',
      'tduid',
    ],
    [
      'Tradedoubler UK click host',
      ['https://clkuk.tradedoubler.com/click?p=1&a=2', 'https://www.shop.example/'],
      undefined,
      'network-host',
      'clkuk.tradedoubler.com',
    ],
    [
      'Effiliation',
      [
        'https://track.effiliation.com/servlet/effi.click?id_compteur=12345678',
        'https://www.shop.example/?eff_cpt=12345678',
      ],
      undefined,
      'param',
      'eff_cpt',
    ],
    [
      'Kwanko hop',
      ['https://action.metaffiliation.com/trk.php?mclic=P4A2B1C', 'https://www.shop.example/'],
      undefined,
      'network-host',
      'action.metaffiliation.com',
    ],
    ['Kwanko kwks2s', ['https://www.shop.example/?kwks2s=aBc123'], undefined, 'param', 'kwks2s'],
    ['TimeOne tog_sb', ['https://www.shop.example/?tog_sb=xYz789'], undefined, 'param', 'tog_sb'],
    [
      'Webgains',
      [
        'https://track.webgains.com/click.html?wgcampaignid=123&wgprogramid=456',
        'https://www.shop.example/?wgcampaignid=123',
      ],
      undefined,
      'param',
      'wgcampaignid',
    ],
    [
      'Skimlinks',
      [
        'https://go.redirectingat.com/?id=12345X678&xs=1&url=https%3A%2F%2Fwww.shop.example%2F',
        'https://www.shop.example/',
      ],
      undefined,
      'network-host',
      'go.redirectingat.com',
    ],
    [
      'eBay Partner Network rover hop',
      [
        'https://rover.ebay.com/rover/1/709-53476-19255-0/1?ipn=psmain&toolid=10001',
        'https://www.ebay.fr/',
      ],
      undefined,
      'network-host',
      'rover.ebay.com',
    ],
    [
      'eBay Partner Network landing parameters',
      ['https://www.ebay.fr/itm/123456?mkevt=1&mkcid=1&mkrid=709-53476-19255-0&campid=5338'],
      undefined,
      'param',
      'mkevt',
    ],
    [
      'eBay campid alone on eBay UK',
      ['https://www.ebay.co.uk/itm/123456?campid=5338&toolid=10001'],
      undefined,
      'param',
      'campid',
    ],
    [
      'generic affsource',
      ['https://www.shop.example/?affsource=partner42'],
      undefined,
      'param',
      'affsource',
    ],
    ['generic affsrc', ['https://www.shop.example/?affsrc=7'], undefined, 'param', 'affsrc'],
    [
      'network parameter on an intermediate hop only',
      ['https://www.shop.example/go?cjevent=abc', 'https://www.shop.example/'],
      undefined,
      'param',
      'cjevent',
    ],
  ])('%s', (_name, chain, referrer, kind, value) => {
    expect(detect(chain, referrer)).toEqual(standsDown(kind, value));
  });

  it.each(BUILT_IN_SIGNALS.networks.find((n) => n.network === 'CJ')?.hosts ?? [])(
    'CJ redirect host %s',
    (host) => {
      expect(
        detect([`https://www.${host}/click-1234567-7654321`, 'https://shop.example/']),
      ).toEqual(standsDown('network-host', host));
    },
  );
});

describe('detectAffiliateReferral: referrers', () => {
  it.each([
    ['https://www.igraal.com/codes-promo/fnac', 'igraal.com'],
    ['https://www.poulpeo.com/reductions-fnac.htm', 'poulpeo.com'],
    ['https://www.widilo.fr/', 'widilo.fr'],
    ['https://www.ebuyclub.com/', 'ebuyclub.com'],
    ['https://www.quidco.com/', 'quidco.com'],
    ['https://www.topcashback.com/', 'topcashback.com'],
    ['https://www.topcashback.co.uk/', 'topcashback.co.uk'],
    ['https://www.topcashback.fr/', 'topcashback.fr'],
    ['https://www.topcashback.de/', 'topcashback.de'],
    ['https://www.rakuten.com/', 'www.rakuten.com'],
    ['https://rakuten.com/', 'rakuten.com'],
    ['https://o.honey.io/', 'o.honey.io'],
    ['https://www.joinhoney.com/', 'joinhoney.com'],
    ['https://www.befrugal.com/', 'befrugal.com'],
    ['https://www.swagbucks.com/', 'swagbucks.com'],
    ['https://www.awin1.com/', 'awin1.com'],
    ['https://WWW.IGRAAL.COM./', 'igraal.com'],
  ])('%s → stand-down', (referrer, value) => {
    expect(detect(['https://www.fnac.com/'], referrer)).toEqual(standsDown('referrer', value));
  });

  it('a competing portal in the redirect chain counts like a network hop', () => {
    expect(
      detect(['https://www.igraal.com/go/fnac?t=1', 'https://www.fnac.com/'], 'https://x.example/'),
    ).toEqual(standsDown('network-host', 'igraal.com'));
  });
});

describe('detectAffiliateReferral: negatives', () => {
  it.each<[string, string[], string?]>([
    ['organic visit from a search engine', ['https://www.fnac.com/'], 'https://www.google.com/'],
    ['typed URL, no referrer', ['https://www.fnac.com/livres'], ''],
    ['http → https redirect', ['http://fnac.com/', 'https://www.fnac.com/']],
    ['Google Ads click', ['https://www.fnac.com/?gclid=Cj0KCQiA-abc&gbraid=0AAAAA']],
    ['Meta click', ['https://www.fnac.com/?fbclid=IwAR2xyz']],
    ['Microsoft Ads click', ['https://www.fnac.com/?msclkid=0a1b2c']],
    [
      'utm_medium=affiliate (per-merchant configuration only)',
      ['https://www.fnac.com/?utm_source=partner&utm_medium=affiliate&utm_campaign=x'],
    ],
    ['lookalike: network host as a subdomain of another', ['https://awin1.com.evil.net/cread.php']],
    ['lookalike: network host as a suffix of a label', ['https://notawin1.com/cread.php']],
    ['lookalike: other TLD', ['https://www.awin1.co/cread.php']],
    ['lookalike referrer', ['https://www.fnac.com/'], 'https://igraal.com.phish.example/'],
    ['lookalike referrer by label suffix', ['https://www.fnac.com/'], 'https://notigraal.com/'],
    ['Rakuten France marketplace referrer', ['https://www.fnac.com/'], 'https://www.rakuten.fr/'],
    [
      'Rakuten France marketplace on rakuten.com',
      ['https://www.fnac.com/'],
      'https://fr.shopping.rakuten.com/offer/buy/123',
    ],
    ['rakuten.fr in the chain', ['https://www.rakuten.fr/s/livre', 'https://www.rakuten.fr/']],
    ['afsrc=0 says "no affiliate"', ['https://www.brand.example/?afsrc=0']],
    ['Awin sn=1 alone', ['https://www.fnac.com/?sn=1']],
    // Fragments are ignored: networks use the query, and the server never sees a fragment.
    ['network parameter in the fragment only', ['https://www.fnac.com/#awc=123_456_abc']],
    ['network parameter in a hash route', ['https://spa.example/#/product?irclickid=xyz']],
    ['campid off eBay', ['https://www.shop.example/?campid=summer-sale']],
    ['mkevt off eBay', ['https://www.shop.example/?mkevt=1']],
    ['network name as a value, not a parameter', ['https://www.shop.example/?ref=awc&q=cjevent']],
    ['network host in a parameter value', ['https://www.shop.example/?from=www.awin1.com']],
    ['empty chain', []],
  ])('%s', (_name, chain, referrer) => {
    expect(detect(chain, referrer)).toEqual({ standDown: false });
  });

  it('our own activation never stands down, though it passed a network and carries its params', () => {
    const chain = [
      'https://portal.example/go/c_9f2',
      'https://www.awin1.com/cread.php?awinmid=12345&awinaffid=1&clickref=c_9f2',
      'https://www.fnac.com/livres?awc=12345_1732350000_abc&rdclid=c_9f2&sn=1',
    ];
    expect(detect(chain, 'https://www.igraal.com/', withPortalList, true)).toEqual({
      standDown: false,
    });
    // The same navigation, not recognised as ours, is another affiliate's.
    expect(detect(chain, undefined, withPortalList, false)).toEqual(standsDown('param', 'awc'));
  });

  it('never treats ad-click or utm parameters as signals, even when the portal list sends them', () => {
    const signals = mergeStandDownSignals(BUILT_IN_SIGNALS, {
      params: ['gclid', 'FBCLID', 'msclkid', 'utm_medium', 'UTM_Source', 'utm_whatever'],
      referrerHosts: [],
    });
    for (const url of [
      'https://www.fnac.com/?gclid=1',
      'https://www.fnac.com/?fbclid=1',
      'https://www.fnac.com/?msclkid=1',
      'https://www.fnac.com/?utm_medium=affiliate',
      'https://www.fnac.com/?utm_source=awin',
      'https://www.fnac.com/?utm_whatever=1',
    ]) {
      expect(detect([url], undefined, signals)).toEqual({ standDown: false });
    }
  });
});

describe('detectAffiliateReferral: the portal list merged in', () => {
  it.each<[string, string[], string | undefined, StandDownSignal['kind'], string]>([
    [
      'a portal-supplied parameter, any case',
      ['https://www.fnac.com/?RdClId=abc'],
      undefined,
      'param',
      'rdclid',
    ],
    [
      'a portal-supplied referrer host and its subdomains',
      ['https://www.fnac.com/'],
      'https://app.cashback-rival.example/',
      'referrer',
      'cashback-rival.example',
    ],
    [
      'a portal-supplied host as a redirect hop',
      ['https://go.cashback-rival.example/r/1', 'https://www.fnac.com/'],
      undefined,
      'network-host',
      'cashback-rival.example',
    ],
    [
      'an internationalised portal host, compared in punycode',
      ['https://www.fnac.com/'],
      'https://www.xn--bcher-kva.example/',
      'referrer',
      'xn--bcher-kva.example',
    ],
  ])('%s', (_name, chain, referrer, kind, value) => {
    expect(detect(chain, referrer, withPortalList)).toEqual(standsDown(kind, value));
    expect(detect(chain, referrer, builtInOnly)).toEqual({ standDown: false });
  });

  it('keeps the built-in conditions when the portal list repeats a name', () => {
    const signals = mergeStandDownSignals(BUILT_IN_SIGNALS, {
      params: ['afsrc', 'campid'],
      referrerHosts: [],
    });
    expect(detect(['https://www.brand.example/?afsrc=0'], undefined, signals).standDown).toBe(
      false,
    );
    expect(detect(['https://www.shop.example/?campid=x'], undefined, signals).standDown).toBe(
      false,
    );
    expect(detect(['https://www.brand.example/?afsrc=1'], undefined, signals).standDown).toBe(true);
  });

  it('drops list hosts that are not plain hostnames or are a whole TLD', () => {
    expect(normaliseListHost('com')).toBeUndefined();
    expect(normaliseListHost('')).toBeUndefined();
    expect(normaliseListHost('https://igraal.com/')).toBeUndefined();
    expect(normaliseListHost('evil.example@igraal.com')).toBeUndefined();
    expect(normaliseListHost('*.Poulpeo.com.')).toBe('poulpeo.com');
    const signals = mergeStandDownSignals(BUILT_IN_SIGNALS, {
      params: [],
      referrerHosts: ['com', 'fr'],
    });
    expect(detect(['https://www.fnac.com/'], 'https://www.google.com/', signals).standDown).toBe(
      false,
    );
  });
});

describe('detectAffiliateReferral: case and malformed input', () => {
  it('compares hosts and parameter names case-insensitively, ignoring a trailing dot', () => {
    expect(detect(['https://WWW.AWIN1.COM./cread.php', 'https://www.fnac.com/'])).toEqual(
      standsDown('network-host', 'awin1.com'),
    );
    expect(detect(['https://www.fnac.com/?AWC=1_2_3'])).toEqual(standsDown('param', 'awc'));
    expect(detect(['https://www.shop.example/?RanSiteID=x'])).toEqual(
      standsDown('param', 'ransiteid'),
    );
    expect(detect(['https://WWW.EBAY.FR./itm/1?MKEVT=1'])).toEqual(standsDown('param', 'mkevt'));
  });

  it('skips malformed URLs and referrers without throwing', () => {
    const junk = ['not a url', 'http://', '://awin1.com', 'https://[::1', '', 'https://a b.com/'];
    expect(detect(junk, 'not a referrer')).toEqual({ standDown: false });
    expect(detect([...junk, 'https://www.fnac.com/?awc=1'], '::')).toEqual(
      standsDown('param', 'awc'),
    );
    expect(detect(['https://www.fnac.com/', ...junk], 'https://www.poulpeo.com')).toEqual(
      standsDown('referrer', 'poulpeo.com'),
    );
  });

  it('matches a host only on label boundaries (property)', () => {
    const listed = [...builtInOnly.hostSuffixes];
    const isListed = (host: string) =>
      builtInOnly.exactHosts.has(host) ||
      listed.some((entry) => host === entry || host.endsWith(`.${entry}`));
    fc.assert(
      fc.property(fc.domain(), fc.constantFrom(...listed), (domain, entry) => {
        for (const host of [domain, `${entry}.${domain}`, `x${entry}`, `${domain}.${entry}`]) {
          const verdict = detect([`https://${host}/`]);
          expect(verdict.standDown).toBe(isListed(new URL(`https://${host}/`).hostname));
        }
      }),
    );
  });
});

describe('stand-down duration', () => {
  const now = Date.UTC(2026, 10, 23, 8, 0, 0);
  const HOUR = 60 * 60_000;
  const YEAR = 365 * 24 * HOUR;

  it('lasts 60 minutes in storage.local', () => {
    expect(standDownUntil(now)).toBe(now + 60 * 60_000);
    expect(STAND_DOWN_MS).toBe(3_600_000);
  });

  it.each<[string, { until: number } | null, number, boolean]>([
    ['no record', null, now, false],
    ['just recorded', { until: standDownUntil(now) }, now, true],
    ['59 min later', { until: standDownUntil(now) }, now + 59 * 60_000, true],
    ['exactly 60 min later', { until: standDownUntil(now) }, now + 60 * 60_000, false],
    ['two hours later', { until: standDownUntil(now) }, now + 120 * 60_000, false],
    // Written by a clock that ran ahead, read once it was put right: further ahead than a
    // stand-down can last, so it was never a true 60 minutes from now.
    ['written with the clock a year ahead', { until: standDownUntil(now + YEAR) }, now, false],
    ['written with the clock 2 h ahead', { until: standDownUntil(now + 2 * HOUR) }, now, false],
    ['written with the clock 1 min ahead', { until: standDownUntil(now + 60_000) }, now, false],
    ['until exactly 60 min ahead', { until: now + STAND_DOWN_MS }, now, true],
  ])('%s', (_name, record, at, active) => {
    expect(isStandDownActive(record, at)).toBe(active);
  });
});

describe('recogniseOwnLanding', () => {
  const pending: PendingActivation = {
    tabId: 7,
    merchantId: 'fnac',
    redirectUrl: 'https://portal.example/go/c_9f2',
    createdAt: 1_000_000,
  };
  const chain = [
    'https://portal.example/go/c_9f2',
    'https://www.awin1.com/cread.php?awinmid=1&awinaffid=2',
    'https://www.fnac.com/?awc=1_2_3',
  ];
  const navigation: LandingNavigation = {
    tabId: 7,
    chain,
    landingMerchantId: 'fnac',
    now: 1_000_000 + 20_000,
  };

  it('recognises the landing of our click', () => {
    expect(recogniseOwnLanding(pending, navigation)).toBe(true);
  });

  it('tolerates the browser re-serialising the redirect URL', () => {
    const reported = ['HTTPS://PORTAL.EXAMPLE:443/go/c_9f2', ...chain.slice(1)];
    expect(recogniseOwnLanding(pending, { ...navigation, chain: reported })).toBe(true);
  });

  it.each<[string, PendingActivation | undefined, Partial<LandingNavigation>]>([
    ['no pending click', undefined, {}],
    ['another tab', pending, { tabId: 8 }],
    ['another merchant', pending, { landingMerchantId: 'darty' }],
    ['not a merchant', pending, { landingMerchantId: null }],
    ['too old', pending, { now: pending.createdAt + 5 * 60_000 + 1 }],
    ['before the click', pending, { now: pending.createdAt - 1 }],
    ['chain without our redirect URL', pending, { chain: chain.slice(1) }],
    [
      'another click id of the same portal',
      pending,
      { chain: ['https://portal.example/go/c_000', ...chain.slice(1)] },
    ],
  ])('%s → not ours', (_name, click, override) => {
    expect(recogniseOwnLanding(click, { ...navigation, ...override })).toBe(false);
  });

  it('accepts up to maxAgeMs inclusive', () => {
    const at = { ...navigation, now: pending.createdAt + 5 * 60_000 };
    expect(recogniseOwnLanding(pending, at)).toBe(true);
    expect(recogniseOwnLanding(pending, at, 60_000)).toBe(false);
  });

  describe('after a hop page that handed the tab over (the chain restarted there)', () => {
    const passedAt = pending.createdAt + 1_000;
    const landing: LandingNavigation = {
      ...navigation,
      chain: ['https://www.awin1.com/hop', 'https://www.fnac.com/?awc=1_2_3'],
      handedOver: { redirectUrl: pending.redirectUrl, at: passedAt },
    };

    it('recognises the landing', () => {
      expect(recogniseOwnLanding(pending, landing)).toBe(true);
      expect(recogniseOwnLanding(pending, { ...landing, now: passedAt + HAND_OVER_MAX_MS })).toBe(
        true,
      );
    });

    it.each<[string, Partial<LandingNavigation>]>([
      ['no hand-over', { handedOver: undefined }],
      [
        'a hand-over from another click',
        { handedOver: { redirectUrl: 'https://portal.example/go/c_000', at: passedAt } },
      ],
      ['a hand-over too late', { now: passedAt + HAND_OVER_MAX_MS + 1 }],
      ['a hand-over dated after the landing', { now: passedAt - 1 }],
      ['in another tab', { tabId: 8 }],
      ['on another merchant', { landingMerchantId: 'darty' }],
    ])('%s → not ours', (_name, override) => {
      expect(recogniseOwnLanding(pending, { ...landing, ...override })).toBe(false);
    });
  });
});
