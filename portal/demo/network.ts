/**
 * The rest of the affiliate world, played on the same port and told apart by the Host header:
 * - the demo network's tracking host (`clic.reseau-demo.localhost`): our clicks hop through it and
 *   land on the merchant with `rdclid=<clickId>`; it also serves other publishers' links;
 * - real networks' click hosts (Awin, Rakuten), for end-to-end tests that map them to loopback;
 * - competing portals' pages, whose links bring a visitor with their referrer;
 * - the postback endpoint on the portal host, through which a shop reports a conversion.
 */
import crypto from 'node:crypto';
import { Hono, type Context } from 'hono';
import { html, raw } from 'hono/html';
import { z } from 'zod';
import type { PortalContext } from '../context';
import { NetworkHopSchema, type NetworkHop } from '../admin/faults';
import { describeIssues, errorJson, readJson } from '../api/http';
import { page } from '../layout';
import { sameSecret } from '../secrets';
import { cspNonce, securityHeaders } from '../security-headers';

export const NETWORK_HOP_HOST = 'clic.reseau-demo.localhost';
export const NETWORK_NAME = 'Réseau Démo';
/** The tracking parameter the demo network adds to the landing URL. */
export const TRACKING_PARAM = 'rdclid';

export const AWIN_HOSTS = ['www.awin1.com', 'awin1.com'];
export const RAKUTEN_HOSTS = ['click.linksynergy.com'];
export const COMPETITOR_HOSTS: Record<string, string> = {
  'www.igraal.com': 'iGraal',
  'igraal.com': 'iGraal',
  'www.poulpeo.com': 'Poulpeo',
  'poulpeo.com': 'Poulpeo',
};

const NETWORK_COLOR = '#37474f';
const httpUrl = z.url({ protocol: /^https?$/ }).max(8000);
const label = z.string().trim().min(1).max(200);

/**
 * `url` with `params` appended, keeping its own query (byte for byte) and hash. A parameter the
 * URL already has with the same name is replaced, as a network overwrites its own stale id.
 */
export function addTrackingParams(url: string, params: Record<string, string>): string {
  const parsed = new URL(url);
  const names = new Set(Object.keys(params));
  const kept = parsed.search
    .slice(1)
    .split('&')
    .filter((part) => part && !names.has(paramName(part)));
  const added = Object.entries(params).map(
    ([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`,
  );
  parsed.search = `?${[...kept, ...added].join('&')}`;
  return parsed.href;
}

function paramName(part: string): string {
  const raw = part.split('=')[0]!.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function randomId(bytes = 8): string {
  return crypto.randomBytes(bytes).toString('hex');
}

function redirect(c: Context, location: string): Response {
  c.header('Cache-Control', 'no-store');
  return c.redirect(location, 302);
}

/**
 * Sends the member on to `location` the way the network hops: a 302, or a page of its own that
 * commits and then moves on by `<meta http-equiv="refresh">` or by a `location.replace` script
 * (as some real networks do, to set their cookies or fingerprint first).
 */
function handOver(c: Context, location: string, hop: NetworkHop): Response | Promise<Response> {
  if (hop === 'redirect') return redirect(c, location);
  c.header('Cache-Control', 'no-store');
  const move =
    hop === 'meta-refresh'
      ? html`<meta http-equiv="refresh" content="0; url=${location}" />`
      : html`<script nonce="${cspNonce(c)}">
          location.replace(${raw(JSON.stringify(location).replace(/</g, '\\u003c'))});
        </script>`;
  return c.html(
    html`<!doctype html>
      <html lang="fr">
        <head>
          <meta charset="utf-8" />
          <title>${NETWORK_NAME}</title>
          ${move}
        </head>
        <body>
          <p data-testid="network-hand-over">Redirection vers le marchand…</p>
        </body>
      </html>`,
  );
}

function networkPage(c: Context, status: 200 | 400 | 404, title: string, message: string) {
  return c.html(
    page({
      nonce: cspNonce(c),
      title,
      siteName: NETWORK_NAME,
      accent: NETWORK_COLOR,
      body: html`<h1>${title}</h1>
        <p>${message}</p>`,
      footer: 'Réseau d’affiliation de démonstration.',
    }),
    status,
  );
}

/** Query parameters validated with zod, or a 400 page naming what is wrong. */
function query<S extends z.ZodType>(
  c: Context,
  schema: S,
): { ok: true; data: z.output<S> } | { ok: false; response: Response | Promise<Response> } {
  const parsed = schema.safeParse(c.req.query());
  if (parsed.success) return { ok: true, data: parsed.data };
  return {
    ok: false,
    response: networkPage(c, 400, 'Lien de suivi invalide', describeIssues(parsed.error)),
  };
}

/** `clic.reseau-demo.localhost`: the demo network's click tracker. */
export function networkHopRoutes(ctx: PortalContext): Hono {
  const app = new Hono();
  app.use(securityHeaders());

  // `hop` (redirect | meta-refresh | script) picks how the member is sent on; our own clicks,
  // which come from /go/ without it, follow the portal's `networkHop` setting (admin faults).
  app.get('/clk', (c) => {
    const hop = NetworkHopSchema.optional().safeParse(c.req.query('hop'));
    if (!hop.success) {
      return networkPage(
        c,
        400,
        'Lien de suivi invalide',
        'hop: redirect, meta-refresh ou script.',
      );
    }
    // Our own click: the portal's /go/ sent the member here.
    if (c.req.query('c') !== undefined) {
      const params = query(c, z.object({ c: label }));
      if (!params.ok) return params.response;
      const click = ctx.store.ledger.getClick(params.data.c);
      if (!click) return networkPage(c, 404, 'Lien inconnu', 'Ce lien de suivi n’existe pas.');
      return handOver(
        c,
        addTrackingParams(click.url, { [TRACKING_PARAM]: click.id }),
        hop.data ?? ctx.faults.faults.networkHop,
      );
    }
    // Another publisher's link: no click of ours, a foreign tracking id.
    const params = query(c, z.object({ m: label, p: label, url: httpUrl }));
    if (!params.ok) return params.response;
    return handOver(
      c,
      addTrackingParams(params.data.url, { [TRACKING_PARAM]: `ext-${randomId()}` }),
      hop.data ?? 'redirect',
    );
  });

  app.get('/', (c) =>
    networkPage(c, 200, NETWORK_NAME, 'Ce serveur suit les clics vers les marchands partenaires.'),
  );
  app.notFound((c) => networkPage(c, 404, 'Page introuvable', 'Cette page n’existe pas.'));
  return app;
}

/**
 * `www.awin1.com/cread.php?awinmid=&awinaffid=&ued=`: lands with `awc`; with `bare=1`, on the deep
 * link as it is (a program tracked by the network's own cookie: only its host tells).
 */
export function awinRoutes(): Hono {
  const app = new Hono();
  app.use(securityHeaders());
  app.get('/cread.php', (c) => {
    const params = query(
      c,
      z.object({ awinmid: label, awinaffid: label, ued: httpUrl, bare: z.literal('1').optional() }),
    );
    if (!params.ok) return params.response;
    if (params.data.bare) return redirect(c, params.data.ued);
    const awc = `${params.data.awinmid}_${Math.floor(Date.now() / 1000)}_${randomId(16)}`;
    return redirect(c, addTrackingParams(params.data.ued, { awc }));
  });
  app.notFound((c) => networkPage(c, 404, 'Page introuvable', 'Cette page n’existe pas.'));
  return app;
}

/** `click.linksynergy.com/deeplink?id=&mid=&murl=`: lands with `ranMID` and `ranSiteID`. */
export function rakutenRoutes(): Hono {
  const app = new Hono();
  app.use(securityHeaders());
  app.get('/deeplink', (c) => {
    const params = query(c, z.object({ id: label, mid: label, murl: httpUrl }));
    if (!params.ok) return params.response;
    return redirect(
      c,
      addTrackingParams(params.data.murl, {
        ranMID: params.data.mid,
        ranSiteID: `${params.data.id}-${randomId(11)}`,
      }),
    );
  });
  app.notFound((c) => networkPage(c, 404, 'Page introuvable', 'Cette page n’existe pas.'));
  return app;
}

/**
 * A competing portal's page `/?to=<url>` with a plain link to the merchant: following it arrives
 * with this host as referrer (no rel=noreferrer), as a visit from that portal does.
 */
export function competitorRoutes(name: string): Hono {
  const app = new Hono();
  app.use(securityHeaders());
  app.get('/', (c) => {
    const to = c.req.query('to');
    const target = to === undefined ? undefined : httpUrl.safeParse(to);
    if (target && !target.success) {
      return c.html(
        page({
          nonce: cspNonce(c),
          title: name,
          siteName: name,
          accent: '#e4572e',
          body: html`<h1>Lien invalide</h1>
            <p>Le paramètre « to » doit être une adresse http(s).</p>`,
        }),
        400,
      );
    }
    return c.html(
      page({
        nonce: cspNonce(c),
        title: `${name} — cashback`,
        siteName: name,
        accent: '#e4572e',
        body: target
          ? html`<h1>Activez votre cashback</h1>
              <p>Vous allez être redirigé vers le marchand.</p>
              <p>
                <a href="${target.data}" class="button" data-testid="competitor-link"
                  >Aller sur le site du marchand</a
                >
              </p>`
          : html`<h1>${name}</h1>
              <p>Portail de cashback concurrent (démonstration).</p>`,
      }),
    );
  });
  app.notFound((c) => c.html('<h1>Page introuvable</h1>', 404));
  return app;
}

const PostbackSchema = z.object({
  clickId: label,
  merchantId: label,
  orderRef: label,
  orderAmount: z.number().int().min(0).max(1_000_000_000),
  currency: z.literal('EUR'),
  orderedAt: z.iso.datetime({ offset: true }).optional(),
});
export type Postback = z.infer<typeof PostbackSchema>;

export const POSTBACK_PATH = '/network/postback';

/**
 * `POST /network/postback` on the portal host: the network reports a conversion.
 * 201 credited, 200 already credited, 404 unknown click (someone else's), 409 wrong merchant.
 */
export function postbackRoutes(ctx: PortalContext): Hono {
  const app = new Hono();
  app.post(POSTBACK_PATH, async (c) => {
    const secret = c.req.header('x-postback-secret') ?? '';
    if (!sameSecret(secret, ctx.postbackSecret)) {
      return errorJson(c, 401, 'unauthorized', 'Missing or wrong X-Postback-Secret.');
    }
    const body = await readJson(c, PostbackSchema);
    if (!body.ok) return body.response;
    const result = ctx.store.ledger.recordConversion(body.data);
    switch (result.kind) {
      case 'unknown_click':
        return errorJson(c, 404, 'unknown_click', `No click ${body.data.clickId} on this portal.`);
      case 'merchant_mismatch':
        return errorJson(
          c,
          409,
          'merchant_mismatch',
          `Click ${body.data.clickId} was not made for ${body.data.merchantId}.`,
        );
      case 'created':
      case 'duplicate':
        return c.json({ transaction: result.transaction }, result.kind === 'created' ? 201 : 200);
    }
  });
  return app;
}
