import { describe, expect, it } from 'vitest';
import { resultTarget, unwrapResultUrl } from '../../../utils/search/unwrap';

const b64url = (text: string) =>
  Buffer.from(text, 'utf8')
    .toString('base64')
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

describe('unwrapResultUrl', () => {
  it.each([
    ['a direct link', 'https://www.numeria.fr/tv?ref=x', 'https://www.numeria.fr/tv?ref=x'],
    ['http', 'http://shop.example/', 'http://shop.example/'],
    [
      "Google's /url?q= (pages without script)",
      'https://www.google.fr/url?q=https://www.numeria.fr/tv%3Fa%3D1%26b%3D2&sa=U&ved=2ahUK&usg=AOv',
      'https://www.numeria.fr/tv?a=1&b=2',
    ],
    [
      "Google's /url?url= (a clicked link)",
      'https://www.google.ch/url?sa=t&rct=j&url=https%3A%2F%2Fnumeria.fr%2F&ved=0',
      'https://numeria.fr/',
    ],
    ['Google on .co.uk', 'https://www.google.co.uk/url?q=https://a.example/', 'https://a.example/'],
    [
      "Bing's /ck/a?…&u=a1<base64url>",
      `https://www.bing.com/ck/a?!&&p=abc&ptn=3&ver=2&hsh=3&fclid=1&u=a1${b64url('https://www.numeria.fr/télé?x=1')}&ntb=1`,
      'https://www.numeria.fr/t%C3%A9l%C3%A9?x=1',
    ],
    [
      "DuckDuckGo's //duckduckgo.com/l/?uddg=",
      'https://duckduckgo.com/l/?uddg=https%3A%2F%2Fwww.numeria.fr%2Fpromo%3Fid%3D7&rut=9f2',
      'https://www.numeria.fr/promo?id=7',
    ],
    [
      'a redirect inside a redirect',
      `https://www.google.fr/url?q=${encodeURIComponent('https://duckduckgo.com/l/?uddg=https%3A%2F%2Fa.example%2F')}`,
      'https://a.example/',
    ],
  ])('%s → its target', (_, href, target) => {
    expect(unwrapResultUrl(href)).toBe(target);
  });

  it.each([
    [
      'a Google ad click',
      'https://www.googleadservices.com/pagead/aclk?sa=L&adurl=https://a.example/',
    ],
    ['a Google /aclk', 'https://www.google.fr/aclk?sa=l&adurl=https://a.example/'],
    ['a Bing ad click', 'https://www.bing.com/aclk?ld=e8&u=aHR0cHM6Ly9hLmV4YW1wbGUv'],
    [
      'a DuckDuckGo ad click',
      'https://duckduckgo.com/y.js?ad_domain=a.example&u3=https%3A%2F%2Fa.example',
    ],
    ['Google /url without a target', 'https://www.google.fr/url?sa=t&ved=0'],
    ['Google /url to javascript:', 'https://www.google.fr/url?q=javascript:alert(1)'],
    ['Bing /ck/a without a1', 'https://www.bing.com/ck/a?!&&p=abc&u=zzz&ntb=1'],
    ['Bing /ck/a with broken base64', 'https://www.bing.com/ck/a?u=a1%%%&ntb=1'],
    [
      'Bing /ck/a with invalid UTF-8',
      `https://www.bing.com/ck/a?u=a1${Buffer.from([0xff, 0xfe]).toString('base64url')}`,
    ],
    ['DuckDuckGo /l/ without uddg', 'https://duckduckgo.com/l/?rut=1'],
    ['another scheme', 'mailto:shop@numeria.fr'],
    ['not a URL', 'not a url'],
    [
      'three redirects deep',
      `https://www.google.fr/url?q=${encodeURIComponent(`https://www.google.fr/url?q=${encodeURIComponent(`https://www.google.fr/url?q=${encodeURIComponent('https://a.example/')}`)}`)}`,
    ],
    ['a link of 5,000 characters', `https://a.example/${'x'.repeat(5000)}`],
  ])('%s → nothing to match', (_, href) => {
    expect(unwrapResultUrl(href)).toBeNull();
  });
});

describe('resultTarget', () => {
  it('gives the target and its hostname, lower-case and in punycode', () => {
    expect(resultTarget('https://WWW.Café.example/a')).toEqual({
      target: 'https://www.xn--caf-dma.example/a',
      hostname: 'www.xn--caf-dma.example',
    });
  });

  it.each(['http://192.168.1.10/admin', 'http://[::1]/', 'http://localhost/'])(
    '%s is no merchant: no hostname to ask about',
    (href) => {
      expect(resultTarget(href)).toBeNull();
    },
  );
});
