/**
 * The limits of what a results page's script may ask the background (utils/protocol/messages.ts
 * enforces them; the script keeps to them). Free of zod: the script imports them.
 */

/** Hostnames in one `search:match` request: a page of results holds 10 to 30 links. */
export const SEARCH_MATCH_MAX_HOSTNAMES = 50;
/** The longest hostname DNS allows. */
export const HOSTNAME_MAX_LENGTH = 253;
/** Lower-case ASCII labels (URL's hostname of an http(s) link is punycode, lower-case). */
export const HOSTNAME_PATTERN = /^(?=.{1,253}$)[a-z0-9_-]+(?:\.[a-z0-9_-]+)+$/;
