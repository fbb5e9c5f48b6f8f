/**
 * Signals that another affiliate referred a visit (docs/affiliate-signals.md), as data, and their
 * merge with the portal's `standDown` list into sets that the background worker queries in
 * O(labels) per host (uBlock's "strip one label at a time" lookup).
 *
 * Conventions of the compiled structure:
 * - Parameter names compare case-insensitively (stored lower-cased): networks and merchants' sites
 *   vary the case (`ranSiteID`, `ransiteid`) and no ad or analytics parameter differs from a signal
 *   by case alone, so a missed stand-down costs more than the collision risk.
 * - A host entry matches itself and its subdomains, on label boundaries only (`awin1.com` matches
 *   `www.awin1.com`, never `notawin1.com` nor `awin1.com.evil.net`); lower-case ASCII (punycode).
 * - The same hosts are signals as a redirect hop and as the referrer.
 */
import type { StandDownList } from '../contract/schemas';

export interface ParamSignal {
  /** Lower-case. */
  name: string;
  /** Only this exact value counts (e.g. `afsrc=1`; `afsrc=0` explicitly says "no affiliate"). */
  value?: string;
  /** Only on these hosts and their subdomains (a name that is generic elsewhere). */
  onHosts?: readonly string[];
}

export interface NetworkSignals {
  network: string;
  /** Redirect hosts; each matches itself and its subdomains. */
  hosts: readonly string[];
  /** Parameters the network adds to the landing URL. */
  params: readonly ParamSignal[];
}

export interface BuiltInSignals {
  networks: readonly NetworkSignals[];
  /** Competing cashback and coupon portals; each matches itself and its subdomains. */
  portalHosts: readonly string[];
  /** Portals whose registrable domain also serves unrelated sites: these exact hosts only. */
  portalExactHosts: readonly string[];
}

const EBAY_SITES = [
  'ebay.com',
  'ebay.co.uk',
  'ebay.fr',
  'ebay.de',
  'ebay.it',
  'ebay.es',
  'ebay.nl',
  'ebay.be',
  'ebay.at',
  'ebay.ch',
  'ebay.ie',
  'ebay.pl',
  'ebay.ca',
  'ebay.com.au',
];

export const BUILT_IN_SIGNALS: BuiltInSignals = {
  networks: [
    {
      network: 'generic',
      hosts: [],
      // afsrc=1 is Impact's flag, also used by other networks.
      params: [{ name: 'afsrc', value: '1' }, { name: 'affsource' }, { name: 'affsrc' }],
    },
    // Awin's optional `sn=1` only qualifies an `awc` click (sub-network publisher): not a signal alone.
    { network: 'Awin', hosts: ['awin1.com'], params: [{ name: 'awc' }] },
    {
      network: 'ShareASale',
      hosts: ['shareasale.com', 'shareasale-analytics.com'],
      params: [{ name: 'sscid' }, { name: 'afftrack' }],
    },
    {
      network: 'CJ',
      hosts: [
        'anrdoezrs.net',
        'dpbolvw.net',
        'jdoqocy.com',
        'kqzyfj.com',
        'tkqlhce.com',
        'qksrv.net',
        'emjcd.com',
        'apmebf.com',
        'ftjcfx.com',
        'lduhtrp.net',
        'tqlkg.com',
      ],
      params: [{ name: 'cjevent' }],
    },
    {
      network: 'Rakuten Advertising',
      hosts: ['linksynergy.com'], // covers click.linksynergy.com
      params: [{ name: 'ransiteid' }, { name: 'ranmid' }, { name: 'raneaid' }],
    },
    {
      // Brands' vanity tracking hosts cannot be listed: their `irclickid`/`afsrc=1` give them away.
      network: 'Impact',
      hosts: ['sjv.io', 'pxf.io', '7eer.net', 'evyy.net', 'ojrq.net'],
      params: [{ name: 'irclickid' }],
    },
    { network: 'Partnerize', hosts: ['prf.hn'], params: [{ name: 'clickref' }] },
    {
      // Only the click hosts: tradedoubler.com itself is the company's site.
      network: 'Tradedoubler',
      hosts: ['clk.tradedoubler.com', 'clkuk.tradedoubler.com'],
      params: [{ name: 'tduid' }],
    },
    { network: 'Effiliation', hosts: ['track.effiliation.com'], params: [{ name: 'eff_cpt' }] },
    { network: 'Kwanko', hosts: ['action.metaffiliation.com'], params: [{ name: 'kwks2s' }] },
    { network: 'TimeOne', hosts: [], params: [{ name: 'tog_sb' }] },
    { network: 'Webgains', hosts: ['track.webgains.com'], params: [{ name: 'wgcampaignid' }] },
    { network: 'Skimlinks', hosts: ['go.redirectingat.com'], params: [] },
    {
      // rover.ebay.com, not ebay.com (a merchant). `campid`/`mkevt` count on eBay's own sites only:
      // EPN lands nowhere else, and `campid` is a common campaign name on unrelated shops.
      network: 'eBay Partner Network',
      hosts: ['rover.ebay.com'],
      params: [
        { name: 'mkevt', onHosts: EBAY_SITES },
        { name: 'campid', onHosts: EBAY_SITES },
      ],
    },
  ],
  portalHosts: [
    'igraal.com',
    'poulpeo.com',
    'widilo.fr',
    'ebuyclub.com',
    'quidco.com',
    'topcashback.com',
    'topcashback.co.uk',
    'topcashback.fr',
    'topcashback.de',
    'o.honey.io',
    'joinhoney.com',
    'befrugal.com',
    'swagbucks.com',
    'mrrebates.com',
    'ebates.com',
    'capitaloneshopping.com',
  ],
  // Rakuten's US cashback site; the French marketplace lives on rakuten.fr and fr.shopping.rakuten.com.
  portalExactHosts: ['rakuten.com', 'www.rakuten.com'],
};

/** Ad-click and campaign parameters, never signals whatever a list says: the rules leave
 * `utm_medium=affiliate` and the like to per-merchant configuration, which this list is not. */
const NEVER_SIGNALS = new Set(['gclid', 'gbraid', 'wbraid', 'dclid', 'fbclid', 'msclkid']);

export const isNeverASignal = (lowerCaseName: string): boolean =>
  NEVER_SIGNALS.has(lowerCaseName) || lowerCaseName.startsWith('utm_');

export interface ParamRule {
  value?: string;
  onHosts?: ReadonlySet<string>;
}

export interface CompiledSignals {
  /** Lower-case parameter name → the condition on it. */
  params: ReadonlyMap<string, ParamRule>;
  /** Networks' and portals' hosts, matched with their subdomains. */
  hostSuffixes: ReadonlySet<string>;
  /** Hosts matched exactly. */
  exactHosts: ReadonlySet<string>;
}

/**
 * Lower-case punycode form of a list entry, or undefined when it is not a plain hostname.
 * Single labels are dropped: `com` would stand down on a whole TLD.
 */
export function normaliseListHost(entry: string): string | undefined {
  const trimmed = entry
    .trim()
    .replace(/^\*?\./, '')
    .replace(/\.+$/, '');
  if (!/^[^\s/?#@:\\]+$/.test(trimmed)) return undefined;
  let host: string;
  try {
    host = new URL(`http://${trimmed}`).hostname;
  } catch {
    return undefined;
  }
  return host.includes('.') ? host : undefined;
}

/** The entry of `suffixes` that `hostname` is or is a subdomain of. */
export function matchHostSuffix(
  hostname: string,
  suffixes: ReadonlySet<string>,
): string | undefined {
  let host = hostname.toLowerCase().replace(/\.+$/, '');
  while (host !== '') {
    if (suffixes.has(host)) return host;
    const dot = host.indexOf('.');
    if (dot < 0) return undefined;
    host = host.slice(dot + 1);
  }
  return undefined;
}

/** The signal entry that `hostname` matches (a network or portal host), if any. */
export function matchSignalHost(hostname: string, signals: CompiledSignals): string | undefined {
  const host = hostname.toLowerCase().replace(/\.+$/, '');
  if (signals.exactHosts.has(host)) return host;
  return matchHostSuffix(host, signals.hostSuffixes);
}

/**
 * Built-in signals plus the portal's list. The portal's parameters count with any value, except
 * that a built-in condition on the same name (`afsrc=1`, `campid` on eBay) is kept; its
 * `referrerHosts` match with their subdomains, like the built-in portals.
 */
export function mergeStandDownSignals(
  builtIn: BuiltInSignals,
  portalList: StandDownList,
): CompiledSignals {
  const params = new Map<string, ParamRule>();
  for (const raw of portalList.params) {
    const name = raw.trim().toLowerCase();
    if (name !== '' && !isNeverASignal(name)) params.set(name, {});
  }
  const hostSuffixes = new Set<string>();
  for (const network of builtIn.networks) {
    for (const host of network.hosts) hostSuffixes.add(host.toLowerCase());
    for (const { name, value, onHosts } of network.params) {
      const lowerCaseName = name.toLowerCase();
      if (isNeverASignal(lowerCaseName)) continue;
      params.set(lowerCaseName, {
        ...(value === undefined ? {} : { value }),
        ...(onHosts === undefined ? {} : { onHosts: new Set(onHosts) }),
      });
    }
  }
  for (const host of builtIn.portalHosts) hostSuffixes.add(host.toLowerCase());
  for (const entry of portalList.referrerHosts) {
    const host = normaliseListHost(entry);
    if (host !== undefined) hostSuffixes.add(host);
  }
  const exactHosts = new Set(builtIn.portalExactHosts.map((host) => host.toLowerCase()));
  return { params, hostSuffixes, exactHosts };
}
