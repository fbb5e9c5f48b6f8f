/**
 * The whole server as one fetch handler. The Host header says which part of the world a request
 * is for (the same port serves them all):
 *
 *   clic.reseau-demo.localhost        the demo network's click tracker      (network.ts)
 *   www.awin1.com, awin1.com          Awin's click host                     (network.ts)
 *   click.linksynergy.com             Rakuten's click host                  (network.ts)
 *   www.igraal.com, www.poulpeo.com…  competing portals' pages              (network.ts)
 *   www.google.fr, www.bing.com…      search engines' results pages         (search-engines.ts)
 *   a merchant's domain or subdomain  that merchant's demo shop             (shops.ts)
 *   anything else                     the portal: API, pages, admin, logos
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { adminRoutes } from './admin/admin';
import { IMPORT_MAX_BYTES, IMPORT_PATHS } from './admin/catalogue';
import { apiRoutes } from './api/routes';
import { apiFaults } from './admin/faults';
import { extensionCors } from './api/cors';
import type { PortalContext } from './context';
import { errorJson } from './api/http';
import { logoRoutes } from './api/logos';
import { normalizeHost } from './api/merchants';
import {
  AWIN_HOSTS,
  COMPETITOR_HOSTS,
  NETWORK_HOP_HOST,
  RAKUTEN_HOSTS,
  awinRoutes,
  competitorRoutes,
  networkHopRoutes,
  postbackRoutes,
  rakutenRoutes,
} from './demo/network';
import { pageRoutes } from './site/pages';
import { shopRoutes } from './demo/shops';
import { SEARCH_ENGINE_HOSTS, searchEngineRoutes } from './demo/search-engines';
import { securityHeaders } from './security-headers';

export type FetchHandler = (request: Request, env?: unknown) => Promise<Response>;
type SubApp = { fetch(request: Request, env?: unknown): Response | Promise<Response> };

export function portalApp(ctx: PortalContext): Hono {
  const app = new Hono();
  app.use(securityHeaders());
  // Every JSON body of the contract is small; a huge one is a mistake or an attack. A catalogue
  // import (admin) is the one large body.
  const smallBodies = bodyLimit({
    maxSize: 64 * 1024,
    onError: (c) => errorJson(c, 413, 'payload_too_large', 'The request body is over 64 KiB.'),
  });
  const catalogues = bodyLimit({
    maxSize: IMPORT_MAX_BYTES,
    onError: (c) => errorJson(c, 413, 'payload_too_large', 'The catalogue is over 32 MiB.'),
  });
  app.use((c, next) =>
    IMPORT_PATHS.includes(c.req.path) ? catalogues(c, next) : smallBodies(c, next),
  );
  // First: a fault the admin injects still reaches the extension as the status it is.
  app.use('/api/v1/*', extensionCors());
  app.use('/api/v1/*', apiFaults(ctx.faults));
  app.route('/', apiRoutes(ctx));
  app.route('/', postbackRoutes(ctx));
  app.route('/', adminRoutes(ctx));
  app.route('/', logoRoutes(ctx.store.merchants));
  app.route('/', pageRoutes(ctx));
  app.notFound((c) => errorJson(c, 404, 'not_found', `No route ${c.req.method} ${c.req.path}.`));
  app.onError((error, c) => {
    console.error(error);
    return errorJson(c, 500, 'internal_error', 'The portal failed to answer; try again.');
  });
  return app;
}

export function createFetchHandler(
  ctx: PortalContext,
  options: { log?: boolean } = {},
): FetchHandler {
  const portal = portalApp(ctx);
  const hop = networkHopRoutes(ctx);
  const awin = awinRoutes();
  const rakuten = rakutenRoutes();
  const competitors = new Map(
    [...new Set(Object.values(COMPETITOR_HOSTS))].map((name) => [name, competitorRoutes(name)]),
  );
  const shops = shopRoutes(ctx);
  const searchEngines = searchEngineRoutes(ctx);
  const htmlError = (message: string) =>
    new Response(`<!doctype html><title>Erreur</title><h1>${message}</h1>`, {
      status: 500,
      headers: { 'Content-Type': 'text/html; charset=utf-8' },
    });
  for (const app of [hop, awin, rakuten, shops, searchEngines, ...competitors.values()]) {
    app.onError((error) => {
      console.error(error);
      return htmlError('Erreur du serveur');
    });
  }

  function appFor(host: string): SubApp {
    if (host === NETWORK_HOP_HOST) return hop;
    if (AWIN_HOSTS.includes(host)) return awin;
    if (RAKUTEN_HOSTS.includes(host)) return rakuten;
    const competitor = COMPETITOR_HOSTS[host];
    if (competitor) return competitors.get(competitor)!;
    if (SEARCH_ENGINE_HOSTS[host]) return searchEngines;
    if (ctx.store.merchants.forHost(host)) return shops;
    return portal;
  }

  return async (request, env) => {
    const started = performance.now();
    const url = new URL(request.url);
    ctx.requests.record({ method: request.method, url });
    const response = await appFor(normalizeHost(url.hostname)).fetch(request, env);
    if (options.log) {
      const ms = (performance.now() - started).toFixed(1);
      console.log(`${request.method} ${url.host}${url.pathname} → ${response.status} (${ms} ms)`);
    }
    return response;
  };
}
