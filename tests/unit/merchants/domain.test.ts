import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostnameOfUrl, normaliseDomain } from '../../../utils/merchants/domain';

describe('normaliseDomain', () => {
  it.each([
    ['fnac.com', 'fnac.com'],
    ['FNAC.Com', 'fnac.com'],
    ['fnac.com.', 'fnac.com'],
    ['  www.fnac.com ', 'www.fnac.com'],
    ['café.fr', 'xn--caf-dma.fr'],
    ['CAFÉ.fr', 'xn--caf-dma.fr'],
    ['xn--caf-dma.fr', 'xn--caf-dma.fr'],
    ['fnac.co.uk', 'fnac.co.uk'],
    ['voyages.example.fr', 'voyages.example.fr'],
    ['someone.github.io', 'someone.github.io'],
    ['grand-bazar.localhost', 'grand-bazar.localhost'],
    ['voyages.grand-bazar.localhost', 'voyages.grand-bazar.localhost'],
  ])('%j → %j', (raw, domain) => {
    expect(normaliseDomain(raw)).toEqual({ ok: true, domain });
  });

  it.each([
    ['com', 'a public suffix'],
    ['co.uk', 'a public suffix'],
    ['github.io', 'a public suffix'],
    ['blogspot.com', 'a public suffix'],
    ['localhost', 'a public suffix'],
    ['fr.', 'a public suffix'],
    ['127.0.0.1', 'an IP address'],
    ['0x7f.1', 'an IP address'],
    ['1.2.3', 'an IP address'],
  ])('refuses %j: %s', (raw, reason) => {
    expect(normaliseDomain(raw)).toEqual({ ok: false, reason });
  });

  it.each([
    'fnac.com/panier',
    'fnac.com:8080',
    'user@fnac.com',
    'fn ac.com',
    'fnac.com?x=1',
    'fnac.com#top',
    '[::1]',
    'fn%61c.com',
    'http://fnac.com',
    'fnac\\com',
  ])('refuses %j as not a bare hostname', (raw) => {
    const result = normaliseDomain(raw);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(/^not a bare hostname/);
  });

  it.each([
    '',
    '   ',
    '.fnac.com',
    'fnac..com',
    'fnac.com..',
    'xn--zz.com',
    'ex!ample.com',
    'a'.repeat(64) + '.com',
  ])('refuses %j as invalid', (raw) => {
    expect(normaliseDomain(raw).ok).toBe(false);
  });
});

describe('hostnameOfUrl', () => {
  it.each([
    ['https://www.fnac.com/panier?x=1#y', 'www.fnac.com'],
    ['http://fnac.com', 'fnac.com'],
    ['https://fnac.com:8443/', 'fnac.com'],
    ['https://fnac.com:/', 'fnac.com'],
    ['https://fnac.com.:443/', 'fnac.com'],
    ['https://fnac.com./', 'fnac.com'],
    ['https://WWW.FNAC.COM/', 'www.fnac.com'],
    ['HTTPS://fnac.com/', 'fnac.com'],
    ['https://user:pass@fnac.com/', 'fnac.com'],
    ['https://a@b@fnac.com/', 'fnac.com'],
    ['https://fnac.com@evil.net/', 'evil.net'],
    ['https://fnac.com:80@evil.net/', 'evil.net'],
    ['https://evil.net#@fnac.com', 'evil.net'],
    ['https://evil.net?@fnac.com', 'evil.net'],
    ['https://evil.net\\@fnac.com', 'evil.net'],
    ['https://café.fr/', 'xn--caf-dma.fr'],
    ['https://xn--caf-dma.fr/', 'xn--caf-dma.fr'],
    ['https://fn%61c.com/', 'fnac.com'],
    ['https:fnac.com/x', 'fnac.com'],
    ['https:///fnac.com/x', 'fnac.com'],
    [' https://fnac.com/ ', 'fnac.com'],
    ['https://fn\tac.com/', 'fnac.com'],
    ['https://fnac。com/', 'fnac.com'],
    ['https://a_b.fnac.com/', 'a_b.fnac.com'],
    ['https://shop.localhost:8787/', 'shop.localhost'],
  ])('%j → %j', (url, host) => {
    expect(hostnameOfUrl(url)).toBe(host);
  });

  it.each([
    'http://127.0.0.1/',
    'http://127.0.0.1:8080/',
    'http://0x7f.1/',
    'http://2130706433/',
    'http://0177.0.0.1/',
    'http://[::1]/',
    'http://[2001:db8::1]:8080/',
    'ftp://fnac.com/',
    'file:///home/fnac.com',
    'chrome://newtab/',
    'chrome-extension://abc/popup.html',
    'about:blank',
    'data:text/html,fnac.com',
    'javascript:alert(1)',
    'blob:https://fnac.com/1234',
    'view-source:https://fnac.com/',
    'ws://fnac.com/',
    'fnac.com',
    'https://',
    'https://fnac.com:99999/',
    'https://fnac.com:abc/',
    'https://fn ac.com/',
    'https://xn--zz.com/',
    '',
  ])('%j → null', (url) => {
    expect(hostnameOfUrl(url)).toBeNull();
  });

  it('agrees with the URL parser on generated URLs (fast path and fallback alike)', () => {
    const label = fc.oneof(
      fc.stringMatching(/^[a-zA-Z0-9_-]{1,8}$/),
      fc.constantFrom('xn--caf-dma', 'xn--zz', 'a--b', 'é', '%41b', '0x1f', '12', 'a b'),
    );
    const host = fc.oneof(
      fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.')),
      fc.constantFrom('127.0.0.1', '0x7f.1', '[::1]', 'café.fr', 'fnac.com.', '10.0.0.1.', 'a..b'),
    );
    const url = fc.record({
      scheme: fc.constantFrom('http://', 'https://', 'HTTP://', 'ftp://', 'http:', 'https:///'),
      userinfo: fc.constantFrom('', 'user@', 'user:pw@', 'a.b@', 'x:8@'),
      host,
      port: fc.constantFrom('', ':80', ':8080', ':', ':65535', ':70000', ':x'),
      rest: fc.constantFrom('', '/', '/panier?x=1', '?q', '#f', '\\x', '/a@b.com', '\\@evil.net/'),
    });
    fc.assert(
      fc.property(url, (parts) => {
        const raw = `${parts.scheme}${parts.userinfo}${parts.host}${parts.port}${parts.rest}`;
        expect(hostnameOfUrl(raw)).toBe(referenceHostname(raw));
      }),
      { numRuns: 2000 },
    );
  });
});

/** The slow, obvious way: the URL parser, then the same rules (http(s), no IP, no trailing dot). */
function referenceHostname(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const host = url.hostname.replace(/\.$/, '');
  if (host === '' || host.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/.test(host)) return null;
  return host;
}
