/**
 * Build-time settings: the portal the extension talks to and the brand it wears.
 * The one place that reads the environment (wxt.config.ts and vitest.config.ts call it);
 * the rest of the code reads the result through utils/config.ts.
 * No zod here: utils/config.ts is imported by the banner script, which must stay tiny.
 */
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
}

type Env = Record<string, string | undefined>;

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

export function resolveBuildConfig(env: Env): BuildConfig {
  const portalUrl = parsePortalUrl(env.WXT_PORTAL_URL ?? 'http://localhost:8787');
  const name = env.WXT_BRAND_NAME?.trim() || 'Ristourne';
  return {
    portalUrl,
    brand: {
      name,
      shortName: env.WXT_BRAND_SHORT_NAME?.trim() || name.slice(0, 12),
      primaryColor: parseColor('WXT_BRAND_COLOR', env.WXT_BRAND_COLOR ?? '#0b6e4f'),
      onPrimaryColor: parseColor('WXT_BRAND_ON_COLOR', env.WXT_BRAND_ON_COLOR ?? '#ffffff'),
    },
    firefoxId: parseFirefoxId(env.WXT_FIREFOX_ID ?? 'extension@ristourne.example'),
    pages: {
      account: parsePageUrl('WXT_ACCOUNT_URL', env.WXT_ACCOUNT_URL ?? `${portalUrl}/compte`),
      signUp: parsePageUrl('WXT_SIGNUP_URL', env.WXT_SIGNUP_URL ?? `${portalUrl}/inscription`),
      help: parsePageUrl('WXT_HELP_URL', env.WXT_HELP_URL ?? `${portalUrl}/aide`),
    },
  };
}

function parsePortalUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`WXT_PORTAL_URL is not a URL: "${raw}"`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new Error(`WXT_PORTAL_URL must be https (or http on a loopback host): "${raw}"`);
  }
  if (url.pathname !== '/' || url.search || url.hash) {
    throw new Error(`WXT_PORTAL_URL must be an origin, without path: "${raw}"`);
  }
  return url.origin;
}

function parsePageUrl(name: string, raw: string): string {
  try {
    return new URL(raw).href;
  } catch {
    throw new Error(`${name} is not a URL: "${raw}"`);
  }
}

/** Firefox accepts an email-like id or a GUID in braces. */
function parseFirefoxId(raw: string): string {
  const id = raw.trim();
  if (!/^[\w.+-]+@[\w.-]+$/.test(id) && !/^\{[0-9a-fA-F-]{36}\}$/.test(id)) {
    throw new Error(`WXT_FIREFOX_ID must look like name@brand.example or a {GUID}: "${raw}"`);
  }
  return id;
}

function parseColor(name: string, raw: string): string {
  if (!HEX_COLOR.test(raw)) throw new Error(`${name} must be a colour like #0b6e4f: "${raw}"`);
  return raw.toLowerCase();
}

export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '[::1]' ||
    /^127(\.\d{1,3}){3}$/.test(hostname)
  );
}

/** The compile-time constant through which the bundles receive the config. */
export function buildConfigDefine(env: Env): Record<string, string> {
  return { __BUILD_CONFIG__: JSON.stringify(resolveBuildConfig(env)) };
}
