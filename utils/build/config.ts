/**
 * Build-time settings: the portal the extension talks to and the brand it wears.
 * The one place that reads them (wxt.config.ts, vitest.config.ts, the brand-icons module and
 * the store-listing script call it); the rest of the code reads the result through
 * utils/config.ts.
 *
 * A brand is a folder: `brand.json` and its logo (default `brand/ristourne`, another one with
 * WXT_BRAND_DIR). Environment variables override single fields of it.
 *
 * Build time only: no bundle imports this file but for its types (.dependency-cruiser.cjs).
 * Files are read through `process.getBuiltinModule`, only when a build resolves the config.
 */
import { isLoopbackHost, isSecurePortalUrl } from '../contract/origin';
import { DEFAULT_GOOGLE_DOMAINS } from '../search/engines';

export interface BuildConfig {
  /** Origin of the portal API, no trailing slash. */
  portalUrl: string;
  brand: {
    name: string;
    shortName: string;
    /** Main colour of buttons and accents (CSS colour). */
    primaryColor: string;
    /** Text colour on the primary colour. */
    onPrimaryColor: string;
  };
  /** Firefox Add-ons id (`browser_specific_settings.gecko.id`): stable across versions of one brand. */
  firefoxId: string;
  /** The portal's public pages, opened from the extension's UI. */
  pages: {
    account: string;
    signUp: string;
    help: string;
  };
  /** The search engines' sites of the portal's market, where results are marked. */
  search: {
    /** Google's country domains (`google.fr`): results on `www.<domain>/search`. */
    googleDomains: string[];
  };
}

/** What a build needs beyond the bundles' config: where the brand lives and its logo. */
export interface Brand {
  /** Inlined into the bundles: no path, no file content. */
  config: BuildConfig;
  /** Absolute path of the brand folder. */
  dir: string;
  /** Absolute path of the logo: a square SVG, the source of every icon. */
  logoFile: string;
  logoSvg: string;
}

type Env = Record<string, string | undefined>;

/** The brand.json format. Relative page paths are resolved against the portal URL. */
interface BrandFile {
  name: string;
  shortName?: string;
  colors: { primary: string; onPrimary: string };
  logo: string;
  portalUrl: string;
  pages: { account: string; signUp: string; help: string };
  firefoxId: string;
  googleDomains?: string[];
}

export const DEFAULT_BRAND_DIR = 'brand/ristourne';

/** Chrome Web Store limits for the manifest's name and short_name. */
const NAME_MAX = 75;
const SHORT_NAME_MAX = 12;
/** WCAG AA for normal text: the buttons' labels sit on the primary colour. */
const MIN_CONTRAST = 4.5;
const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/**
 * The brand folder (WXT_BRAND_DIR, relative to `root`, default brand/ristourne) with the
 * environment's overrides, validated. Throws an Error that names the field and the file.
 */
export function resolveBrand(env: Env, root: string = process.cwd()): Brand {
  const fs = process.getBuiltinModule('node:fs');
  const path = process.getBuiltinModule('node:path');
  const dir = path.resolve(root, env.WXT_BRAND_DIR?.trim() || DEFAULT_BRAND_DIR);
  const brandJson = path.join(dir, 'brand.json');
  let text: string;
  try {
    text = fs.readFileSync(brandJson, 'utf8');
  } catch {
    throw new Error(`Brand: no brand.json in ${dir} (set WXT_BRAND_DIR to a brand folder)`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`Brand: ${brandJson} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const file = readBrandFile(parsed, brandJson);

  /** A field of brand.json, or the environment variable that overrides it. */
  const field = (variable: string, fromFile: string) => {
    const fromEnv = env[variable]?.trim();
    return fromEnv ? { value: fromEnv, source: variable } : { value: fromFile, source: brandJson };
  };
  const portal = field('WXT_PORTAL_URL', file.portalUrl);
  const portalUrl = parsePortalUrl(portal.value, portal.source);
  const name = field('WXT_BRAND_NAME', file.name);
  // A name given alone (without its short name) is cut to fit.
  const shortName = field(
    'WXT_BRAND_SHORT_NAME',
    (name.source === brandJson ? file.shortName : undefined) ??
      name.value.slice(0, SHORT_NAME_MAX).trim(),
  );
  const primary = field('WXT_BRAND_COLOR', file.colors.primary);
  const onPrimary = field('WXT_BRAND_ON_COLOR', file.colors.onPrimary);
  const primaryColor = parseColor(primary.value, `${primary.source} (primary colour)`);
  const onPrimaryColor = parseColor(onPrimary.value, `${onPrimary.source} (text colour)`);
  const contrast = contrastRatio(primaryColor, onPrimaryColor);
  if (contrast < MIN_CONTRAST) {
    throw new Error(
      `Brand (${onPrimary.source}, ${primary.source}): the text colour ${onPrimaryColor} on ` +
        `${primaryColor} has a contrast of ` +
        `${contrast.toFixed(2)}:1; buttons need at least ${MIN_CONTRAST}:1 to be readable`,
    );
  }
  const page = (variable: string, fromFile: string, label: string) => {
    const chosen = field(variable, fromFile);
    return parsePageUrl(chosen.value, portalUrl, `${chosen.source} (${label})`);
  };
  const firefoxId = field('WXT_FIREFOX_ID', file.firefoxId);

  const logo = field('WXT_BRAND_LOGO', file.logo);
  const logoFile = path.resolve(logo.source === brandJson ? dir : root, logo.value);
  let logoSvg: string;
  try {
    logoSvg = fs.readFileSync(logoFile, 'utf8');
  } catch {
    throw new Error(`Brand: the logo ${logoFile} (from ${logo.source}) cannot be read`);
  }
  if (!/\.svg$/i.test(logoFile) || !/<svg[\s>]/.test(logoSvg)) {
    throw new Error(`Brand: the logo ${logoFile} must be an SVG file`);
  }

  return {
    config: {
      portalUrl,
      brand: {
        name: parseName(name.value, NAME_MAX, `${name.source} (name)`),
        shortName: parseName(shortName.value, SHORT_NAME_MAX, `${shortName.source} (short name)`),
        primaryColor,
        onPrimaryColor,
      },
      firefoxId: parseFirefoxId(firefoxId.value, firefoxId.source),
      pages: {
        account: page('WXT_ACCOUNT_URL', file.pages.account, 'account page'),
        signUp: page('WXT_SIGNUP_URL', file.pages.signUp, 'sign-up page'),
        help: page('WXT_HELP_URL', file.pages.help, 'help page'),
      },
      search: { googleDomains: file.googleDomains ?? [...DEFAULT_GOOGLE_DOMAINS] },
    },
    dir,
    logoFile,
    logoSvg,
  };
}

export function resolveBuildConfig(env: Env, root?: string): BuildConfig {
  return resolveBrand(env, root).config;
}

/** The compile-time constant through which the bundles receive the config. */
export function buildConfigDefine(env: Env, root?: string): Record<string, string> {
  return { __BUILD_CONFIG__: JSON.stringify(resolveBuildConfig(env, root)) };
}

/**
 * The extension pages' Content-Security-Policy (the popup, options and welcome pages, and the
 * background, which runs under it too). Besides the browsers' own rules (scripts of the package
 * only, no eval), the one host the extension talks to or loads from is the portal: no third
 * party learns anything from a page of ours (a logo elsewhere, a stray request), even if a URL
 * slipped through (utils/merchants/summary.ts keeps logos to the portal's origin). No plugins,
 * no `<base>`, no form sent anywhere (the sign-in goes through the background). Chrome and
 * Firefox take the same MV3 key (`content_security_policy.extension_pages`); docs/permissions.md.
 */
export function extensionPagesCsp(portalUrl: string): string {
  const portal = new URL(portalUrl).origin;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "style-src 'self'",
    `img-src 'self' ${portal}`,
    `connect-src 'self' ${portal}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * Why this config must not become a store package, or null. A portal on a loopback host (the
 * reference portal of the demo and the tests) or in plain http is a development build: shipped,
 * it would talk to each member's own machine and every activation would fail. `npm run zip`
 * refuses it (wxt.config.ts); `npm run build` still builds it, for the demo and the tests.
 */
export function releaseBlocker(config: BuildConfig): string | null {
  const addresses: [string, string][] = [
    ['portal', config.portalUrl],
    ['account page', config.pages.account],
    ['sign-up page', config.pages.signUp],
    ['help page', config.pages.help],
  ];
  for (const [what, address] of addresses) {
    const url = new URL(address);
    const problem = isLoopbackHost(url.hostname)
      ? 'a loopback address'
      : url.protocol === 'https:'
        ? null
        : 'not https';
    if (problem) {
      return (
        `npm run zip packages the extension for the stores, but the ${what} of this brand is ` +
        `${address} (${problem}): this is a development build. Set the portal's public https ` +
        `origin as "portalUrl" in the brand's brand.json (or WXT_PORTAL_URL, and the pages with ` +
        `WXT_ACCOUNT_URL, WXT_SIGNUP_URL, WXT_HELP_URL), then zip again.`
      );
    }
  }
  return null;
}

function readBrandFile(raw: unknown, file: string): BrandFile {
  const fail = (message: string): never => {
    throw new Error(`Brand: ${file}: ${message}`);
  };
  const object = (value: unknown, at: string, keys: string[]): Record<string, unknown> => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return fail(`${at} must be an object`);
    }
    const unknown = Object.keys(value).filter((key) => !keys.includes(key));
    if (unknown.length > 0)
      fail(`unknown field ${unknown.map((key) => `"${at}${key}"`).join(',')}`);
    return value as Record<string, unknown>;
  };
  const text = (value: unknown, at: string, optional = false): string | undefined => {
    if (value === undefined && optional) return undefined;
    if (typeof value !== 'string' || value.trim() === '') {
      return fail(`"${at}" must be a non-empty string`);
    }
    return value.trim();
  };
  const top = object(raw, '', [
    'name',
    'shortName',
    'colors',
    'logo',
    'portalUrl',
    'pages',
    'firefoxId',
    'googleDomains',
  ]);
  const colors = object(top.colors, 'colors.', ['primary', 'onPrimary']);
  const pages = object(top.pages, 'pages.', ['account', 'signUp', 'help']);
  return {
    name: text(top.name, 'name')!,
    shortName: text(top.shortName, 'shortName', true),
    colors: {
      primary: text(colors.primary, 'colors.primary')!,
      onPrimary: text(colors.onPrimary, 'colors.onPrimary')!,
    },
    logo: text(top.logo, 'logo')!,
    portalUrl: text(top.portalUrl, 'portalUrl')!,
    pages: {
      account: text(pages.account, 'pages.account')!,
      signUp: text(pages.signUp, 'pages.signUp')!,
      help: text(pages.help, 'pages.help')!,
    },
    firefoxId: text(top.firefoxId, 'firefoxId')!,
    ...(top.googleDomains === undefined
      ? {}
      : { googleDomains: googleDomains(top.googleDomains, fail) }),
  };
}

/** `google.fr`, `google.co.uk`: Google's country domains, without `www.` (at least one). */
function googleDomains(raw: unknown, fail: (message: string) => never): string[] {
  const valid = (domain: unknown) =>
    typeof domain === 'string' && /^google(?:\.[a-z]{2,3}){1,2}$/.test(domain);
  if (!Array.isArray(raw) || raw.length === 0 || !raw.every(valid)) {
    return fail('"googleDomains" must list Google domains such as "google.fr"');
  }
  return [...new Set(raw as string[])];
}

function parsePortalUrl(raw: string, source: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${source}: the portal URL is not a URL: "${raw}"`);
  }
  if (!isSecurePortalUrl(url)) {
    throw new Error(
      `${source}: the portal URL must be https (or http on a loopback host): "${raw}"`,
    );
  }
  if (url.pathname !== '/' || url.search || url.hash) {
    throw new Error(`${source}: the portal URL must be an origin, without path: "${raw}"`);
  }
  return url.origin;
}

/** Absolute, or a path on the portal ("/compte"); https unless on a loopback host. */
function parsePageUrl(raw: string, portalUrl: string, source: string): string {
  let url: URL;
  try {
    url = new URL(raw, `${portalUrl}/`);
  } catch {
    throw new Error(`${source} is not a URL: "${raw}"`);
  }
  if (!isSecurePortalUrl(url)) {
    throw new Error(`${source} must be https (or http on a loopback host): "${raw}"`);
  }
  return url.href;
}

function parseName(raw: string, max: number, source: string): string {
  const name = raw.trim();
  if (name.length === 0 || name.length > max) {
    throw new Error(`${source} must have 1 to ${max} characters: "${raw}"`);
  }
  return name;
}

/** Firefox accepts an email-like id or a GUID in braces. */
function parseFirefoxId(raw: string, source: string): string {
  const id = raw.trim();
  if (!/^[\w.+-]+@[\w.-]+$/.test(id) && !/^\{[0-9a-fA-F-]{36}\}$/.test(id)) {
    throw new Error(
      `${source}: the Firefox id must look like name@brand.example or a {GUID}: "${raw}"`,
    );
  }
  return id;
}

function parseColor(raw: string, source: string): string {
  if (!HEX_COLOR.test(raw)) throw new Error(`${source} must be a colour like #0b6e4f: "${raw}"`);
  return raw.toLowerCase();
}

/** WCAG 2 contrast ratio of two #rrggbb colours. */
export function contrastRatio(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((at) => {
      const channel = parseInt(hex.slice(at, at + 2), 16) / 255;
      return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}
