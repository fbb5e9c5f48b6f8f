/**
 * The Portal API v1 (docs/portal-api.md): what the extension calls. Requests are validated and
 * responses typed with the contract's schemas (utils/contract/schemas.ts).
 */
import crypto from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import {
  API,
  ClickRequestSchema,
  SINCE_PARAM,
  LoginRequestSchema,
  type Cagnotte,
  type ClickResponse,
  type LoginResponse,
  type User,
} from '../../utils/contract/schemas';
import { OPENAPI_DOCUMENT_PATH, portalOpenApiDocument } from '../../utils/contract/openapi';
import type { PortalContext } from '../context';
import { busy, clientAddress, errorJson, readJson, tooManyRequests, unauthorized } from './http';
import {
  CACHE_CONTROL,
  etagMatches,
  negotiateEncoding,
  serialized,
  type SerializedList,
} from './merchant-list';
import { normalizeEmail, type Member } from './members';
import { HashingBusyError } from './passwords';
import { mountClaimRoutes } from './claim-routes';
import { normalizeHost } from './merchants';
import { payoutRoutes } from './payouts';

type Env = { Variables: { member: Member; token: string } };

const BEARER = /^Bearer\s+([A-Za-z0-9_-]{1,512})\s*$/i;

function publicUser(member: Member): User {
  return {
    id: member.id,
    email: member.email,
    displayName: member.displayName,
    tier: member.tier,
  };
}

/** Whether `url` is on one of the domains (the domain itself or a subdomain). */
export function urlOnDomains(url: string, domains: readonly string[]): boolean {
  const host = normalizeHost(new URL(url).hostname);
  return domains.some((domain) => {
    const d = normalizeHost(domain);
    return host === d || host.endsWith(`.${d}`);
  });
}

export function apiRoutes(ctx: PortalContext): Hono<Env> {
  const { members, merchants, ledger } = ctx.store;
  const app = new Hono<Env>();

  const requireMember: MiddlewareHandler<Env> = async (c, next) => {
    const token = BEARER.exec(c.req.header('authorization') ?? '')?.[1];
    const member = token ? members.memberForToken(token) : undefined;
    if (!token || !member) return unauthorized(c);
    c.set('member', member);
    c.set('token', token);
    c.header('Cache-Control', 'no-store');
    await next();
  };

  app.post(API.login, async (c) => {
    const body = await readJson(c, LoginRequestSchema);
    if (!body.ok) return body.response;
    // Failures are limited per address and per account (known or not: a limit only real accounts
    // had would tell which ones exist); throttle.ts says how many and why.
    const attempt = ctx.throttles.login(clientAddress(c), normalizeEmail(body.data.email));
    if (!attempt.ok) {
      return tooManyRequests(c, attempt.retryAfterMs, 'Trop de tentatives de connexion');
    }
    let member: Member | undefined;
    try {
      member = await members.verifyLogin(body.data.email, body.data.password);
    } catch (error) {
      if (!(error instanceof HashingBusyError)) throw error;
      attempt.abandoned();
      return busy(c);
    }
    if (!member) {
      return errorJson(c, 401, 'invalid_credentials', 'Adresse e-mail ou mot de passe incorrect.');
    }
    attempt.succeeded();
    const response: LoginResponse = {
      token: members.openSession(member),
      user: publicUser(member),
    };
    c.header('Cache-Control', 'no-store');
    return c.json(response, 200);
  });

  app.post(API.logout, requireMember, (c) => {
    members.revokeSession(c.get('token'));
    return c.body(null, 204);
  });

  app.get(API.me, requireMember, (c) => c.json(publicUser(c.get('member'))));

  app.get(API.cagnotte, requireMember, (c) => {
    const cagnotte: Cagnotte = ledger.cagnotte(c.get('member'));
    // Since 1.3: when each pending transaction should be confirmed (not when playing 1.0).
    if (ctx.faults.faults.legacyPortal) return c.json(cagnotte);
    return c.json(ctx.store.orderTerms.withExpectedConfirmations(cagnotte));
  });

  mountClaimRoutes(app, ctx, requireMember);

  /** A public answer from memory: 304 on a matching If-None-Match, else the negotiated bytes. */
  async function servePublic(
    c: Context,
    served: SerializedList,
    cacheControl: string,
    counted: { whole: boolean },
  ): Promise<Response> {
    const { stats } = ctx.faults;
    const headers = { ETag: served.etag, 'Cache-Control': cacheControl, Vary: 'Accept-Encoding' };
    if (etagMatches(c.req.header('if-none-match'), served.etag)) {
      if (counted.whole) stats.notModified += 1;
      else stats.changesNotModified += 1;
      return c.body(null, 304, headers);
    }
    const encoding = negotiateEncoding(c.req.header('accept-encoding'));
    const body = await served.encoded(encoding);
    return c.body(
      new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength),
      200,
      {
        ...headers,
        'Content-Type': 'application/json; charset=UTF-8',
        'Content-Length': String(body.byteLength),
        ...(encoding === 'identity' ? {} : { 'Content-Encoding': encoding }),
      },
    );
  }

  app.get(API.merchants, async (c) => {
    const list = ctx.merchantList.get();
    const response = await servePublic(c, list, CACHE_CONTROL.list, { whole: true });
    if (response.status === 200) ctx.faults.stats.downloads += 1;
    return response;
  });

  // The changes since the version the client holds (docs/portal-api.md §2b).
  app.get(API.merchantChanges, async (c) => {
    const { stats, faults } = ctx.faults;
    const since = c.req.query(SINCE_PARAM) ?? '';
    if (faults.changes === 'unsupported') {
      return errorJson(c, 404, 'not_found', `No route GET ${API.merchantChanges}.`);
    }
    if (faults.changes === 'whole-list') {
      stats.downloads += 1;
      return servePublic(c, ctx.merchantList.get(), CACHE_CONTROL.list, {
        whole: true,
      });
    }
    const served =
      faults.changes === 'gone' ? ({ kind: 'too-old' } as const) : ctx.merchantList.changes(since);
    switch (served.kind) {
      case 'invalid':
        return errorJson(
          c,
          400,
          'invalid_request',
          `${SINCE_PARAM}: a version of this portal's list is expected.`,
        );
      case 'unknown':
      case 'too-old':
        stats.changesGone += 1;
        c.header('Cache-Control', CACHE_CONTROL.gone);
        return errorJson(
          c,
          410,
          served.kind === 'unknown' ? 'unknown_version' : 'version_too_old',
          served.kind === 'unknown'
            ? 'Version inconnue : téléchargez la liste complète.'
            : 'Version trop ancienne : téléchargez la liste complète.',
        );
      case 'changes': {
        let body = served.body;
        if (faults.changes === 'wrong-base' || faults.changes === 'unknown-removal') {
          const delta = JSON.parse(body.identity.toString('utf8')) as {
            from: string;
            removed: string[];
          };
          if (faults.changes === 'wrong-base') delta.from = `${delta.from}-other`;
          else delta.removed.push('never-listed-merchant');
          body = serialized(delta);
        }
        const response = await servePublic(c, body, CACHE_CONTROL.changes, { whole: false });
        if (response.status === 200) {
          stats.changes += 1;
          if (!served.empty || faults.changes === 'unknown-removal') stats.changesApplied += 1;
        }
        return response;
      }
    }
  });

  app.post(API.clicks, requireMember, async (c) => {
    const body = await readJson(c, ClickRequestSchema);
    if (!body.ok) return body.response;
    const merchant = merchants.get(body.data.merchantId);
    if (!merchant) {
      return errorJson(c, 404, 'unknown_merchant', `Marchand inconnu : ${body.data.merchantId}.`);
    }
    // The network would send the member to this URL: only on the merchant's own site, or the
    // portal's /go/ links would redirect anywhere.
    if (!urlOnDomains(body.data.url, merchant.domains)) {
      return errorJson(
        c,
        400,
        'invalid_request',
        `url: not on the domains of ${merchant.id} (${merchant.domains.join(', ')}).`,
      );
    }
    const click = ledger.createClick(c.get('member'), merchant, body.data.url);
    const response: ClickResponse = {
      clickId: click.id,
      redirectUrl: `${ctx.publicOrigin()}/go/${click.id}`,
    };
    return c.json(response, 201);
  });

  // The member's money (1.2): payout options, payouts, the whole history (payouts.ts).
  app.route('/', payoutRoutes(ctx, requireMember));

  // The contract as OpenAPI 3.1, for people and tools: public, built once, revalidated by ETag.
  const openApi = JSON.stringify(portalOpenApiDocument());
  const openApiEtag = `"${crypto.createHash('sha256').update(openApi).digest('base64url').slice(0, 27)}"`;
  app.get(OPENAPI_DOCUMENT_PATH, (c) => {
    const headers = { ETag: openApiEtag, 'Cache-Control': 'no-cache' };
    if (etagMatches(c.req.header('if-none-match'), openApiEtag)) return c.body(null, 304, headers);
    return c.body(openApi, 200, { ...headers, 'Content-Type': 'application/json; charset=UTF-8' });
  });

  methodNotAllowed(app, {
    [API.login]: 'POST',
    [API.logout]: 'POST',
    [API.me]: 'GET, HEAD',
    [API.cagnotte]: 'GET, HEAD',
    [API.merchants]: 'GET, HEAD',
    [API.merchantChanges]: 'GET, HEAD',
    [API.clicks]: 'POST',
    [API.transactions]: 'GET, HEAD',
    [API.payoutOptions]: 'GET, HEAD',
    [API.payouts]: 'GET, HEAD, POST',
    [API.claims]: 'GET, HEAD, POST',
    [OPENAPI_DOCUMENT_PATH]: 'GET, HEAD',
  });
  return app;
}

/** A known path with the wrong method is a 405, not a 404. */
function methodNotAllowed<E extends Env>(app: Hono<E>, allowed: Record<string, string>): void {
  for (const [path, methods] of Object.entries(allowed)) {
    app.all(path, (c: Context) => {
      c.header('Allow', methods);
      return errorJson(c, 405, 'method_not_allowed', `${c.req.method} ${path}: use ${methods}.`);
    });
  }
}
