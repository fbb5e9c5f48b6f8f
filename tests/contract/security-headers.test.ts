/**
 * Every page the server renders (the portal's, the admin's, the shops', the network's and the
 * competitors') is sent with a Content-Security-Policy that lets no injected script or style run
 * (inline ones carry the response's nonce), cannot be framed, is not sniffed and keeps the
 * browser's default referrer policy. Every other answer (JSON, SVG, scripts) is not sniffed
 * either. The shops' hostile pages play another site's pages: their policy (or its absence) is
 * theirs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRICT_CSP } from '../../portal/demo/hostile-pages';
import {
  send,
  startTestPortal,
  type RawRequest,
  type RawResponse,
  type TestPortal,
} from './helpers';

let portal: TestPortal;
beforeAll(async () => {
  portal = await startTestPortal();
});
afterAll(() => portal.stop());

const deepLink = () => `http://numeria.localhost:${portal.port}/produit/1`;

/** Every kind of HTML page, by host and path. */
function htmlPages(): [string, RawRequest][] {
  const at = (host: string) => `${host}:${portal.port}`;
  const form = (path: string, body: string): RawRequest => ({
    method: 'POST',
    path,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  return [
    ['portal home', { path: '/' }],
    ['portal account', { path: '/compte' }],
    ['portal sign-up form', { path: '/inscription' }],
    ['portal sign-up error', form('/inscription', 'email=x')],
    ['portal help', { path: '/aide' }],
    ['portal unknown click', { path: '/go/c_nope' }],
    ['admin sign-in', { path: '/admin' }],
    ['shop home', { host: at('numeria.localhost'), path: '/' }],
    ['shop product', { host: at('numeria.localhost'), path: '/produit/1' }],
    ['shop cart', { host: at('numeria.localhost'), path: '/panier' }],
    ['shop checkout', { host: at('numeria.localhost'), path: '/commande' }],
    ['shop bad product', { host: at('numeria.localhost'), ...form('/panier/ajouter', 'x=1') }],
    ['shop 404', { host: at('numeria.localhost'), path: '/nulle-part' }],
    ['network home', { host: at('clic.reseau-demo.localhost'), path: '/' }],
    [
      'network hop by script',
      {
        host: at('clic.reseau-demo.localhost'),
        path: `/clk?m=numeria&p=autre&hop=script&url=${encodeURIComponent(deepLink())}`,
      },
    ],
    [
      'network hop by meta refresh',
      {
        host: at('clic.reseau-demo.localhost'),
        path: `/clk?m=numeria&p=autre&hop=meta-refresh&url=${encodeURIComponent(deepLink())}`,
      },
    ],
    ['network bad link', { host: at('clic.reseau-demo.localhost'), path: '/clk?m=x' }],
    ['network 404', { host: at('clic.reseau-demo.localhost'), path: '/nulle-part' }],
    ['awin 404', { host: 'www.awin1.com', path: '/nulle-part' }],
    ['rakuten bad link', { host: 'click.linksynergy.com', path: '/deeplink' }],
    ['competitor', { host: 'www.igraal.com', path: `/?to=${encodeURIComponent(deepLink())}` }],
    ['competitor 404', { host: 'www.igraal.com', path: '/nulle-part' }],
  ];
}

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name!.toLowerCase(), values]),
  );
}

/** What, in an HTML answer, lets an injected or inline script or style run, or framing. */
function weaknesses(response: RawResponse): string[] {
  const problems: string[] = [];
  const policy = response.headers['content-security-policy'];
  if (typeof policy !== 'string') return ['no Content-Security-Policy'];
  const csp = directives(policy);
  const nonce = /'nonce-([A-Za-z0-9+/_-]+=*)'/.exec(policy)?.[1];
  if (csp.get('default-src')?.join(' ') !== "'none'") problems.push('default-src is not none');
  if (csp.get('frame-ancestors')?.join(' ') !== "'none'") problems.push('frame-ancestors');
  if (csp.get('base-uri')?.join(' ') !== "'none'") problems.push('base-uri');
  if (csp.get('form-action')?.join(' ') !== "'self'") problems.push('form-action');
  if (csp.get('object-src') && csp.get('object-src')!.join(' ') !== "'none'") {
    problems.push('object-src');
  }
  for (const name of ['script-src', 'style-src']) {
    const sources = csp.get(name) ?? [];
    if (sources.some((s) => /unsafe|\*|^https?:$|^data:$/.test(s))) {
      problems.push(`${name} allows ${sources.join(' ')}`);
    }
  }
  if (response.headers['x-frame-options'] !== 'DENY') problems.push('X-Frame-Options');
  if (response.headers['x-content-type-options'] !== 'nosniff') problems.push('nosniff');
  if (response.headers['referrer-policy'] !== 'strict-origin-when-cross-origin') {
    problems.push('Referrer-Policy');
  }
  const body = response.text();
  for (const tag of body.matchAll(/<(script|style)\b([^>]*)>/gi)) {
    const [, name, attributes] = tag;
    if (name!.toLowerCase() === 'script' && /\ssrc=/i.test(attributes!)) continue;
    if (!nonce || !attributes!.includes(`nonce="${nonce}"`)) {
      problems.push(`inline <${name}> without the response's nonce`);
    }
  }
  if (/\sstyle=/i.test(body)) problems.push('a style attribute');
  if (/\son[a-z]+=/i.test(body)) problems.push('an inline event handler');
  if (/javascript:/i.test(body)) problems.push('a javascript: URL');
  return problems;
}

describe('HTML pages', () => {
  it('are all sent with a strict policy, unframable, unsniffed, with inline code nonced', async () => {
    for (const [label, request] of htmlPages()) {
      const response = await send(portal, request);
      expect(response.headers['content-type'], label).toMatch(/^text\/html/);
      expect(weaknesses(response), `${label} (${response.status})`).toEqual([]);
    }
  });

  it('get a fresh nonce per answer', async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 5; i += 1) {
      const policy = String((await send(portal, { path: '/' })).headers['content-security-policy']);
      nonces.add(/'nonce-([^']+)'/.exec(policy)![1]!);
    }
    expect(nonces.size).toBe(5);
    for (const nonce of nonces)
      expect(Buffer.from(nonce, 'base64').length).toBeGreaterThanOrEqual(16);
  });

  it('leave the hostile pages their own policy, or none, as the attack they play', async () => {
    const at = (path: string) => send(portal, { host: `numeria.localhost:${portal.port}`, path });
    const strict = await at('/hostile/csp');
    expect(strict.status).toBe(200);
    expect(strict.headers['content-security-policy']).toBe(STRICT_CSP);
    const none = await at('/hostile/remover');
    expect(none.status).toBe(200);
    expect(none.headers['content-security-policy']).toBeUndefined();
    const script = await at('/hostile/assets/remover.js');
    expect(script.headers['content-security-policy']).toBeUndefined();
    for (const response of [strict, none, script]) {
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
    for (const response of [strict, none]) {
      expect(response.headers['x-frame-options']).toBe('DENY');
    }
  });
});

describe('other answers', () => {
  it('are not sniffed and cannot be framed: JSON, errors, logos, redirects', async () => {
    for (const [label, request] of [
      ['merchant list', { path: '/api/v1/merchants' }],
      ['OpenAPI document', { path: '/api/v1/openapi.json' }],
      ['API error', { path: '/api/v1/me' }],
      ['unknown route', { path: '/nulle-part' }],
      ['logo', { path: '/logos/numeria.svg' }],
      ['admin API error', { path: '/admin/api/transactions' }],
      ['click redirect', { path: `/go/c_nope` }],
      [
        'network redirect',
        {
          host: `clic.reseau-demo.localhost:${portal.port}`,
          path: `/clk?m=numeria&p=autre&url=${encodeURIComponent(deepLink())}`,
        },
      ],
    ] as [string, RawRequest][]) {
      const response = await send(portal, request);
      expect(response.headers['x-content-type-options'], label).toBe('nosniff');
      const csp = directives(String(response.headers['content-security-policy']));
      expect(csp.get('frame-ancestors')?.join(' '), label).toBe("'none'");
    }
  });
});
