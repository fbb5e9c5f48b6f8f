/**
 * Starts the reference portal: opens (and migrates, and seeds) the database, then listens.
 * Used by cli.ts and, as a library, by the tests (port 0 = a random free port).
 *
 * By default it listens on both loopback addresses, 127.0.0.1 and ::1, on the same port:
 * Chromium resolves `localhost` and `*.localhost` to loopback and may try ::1 first.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { createFetchHandler } from './app';
import { systemClock, type Clock } from './store/clock';
import type { PortalContext } from './context';
import { openDatabase, type Db } from './store/db';
import { createAdminSessions } from './admin/admin-auth';
import { createFaultState } from './admin/faults';
import { createRequestLog } from './admin/request-log';
import { createMerchantListCache } from './api/merchant-list';
import { SCRYPT_PARAMS, createHashGate, type ScryptParams } from './api/passwords';
import { DEFAULT_LIMITS, createThrottles, type PortalLimits } from './api/throttle';
import { seed } from './demo/seed';
import { createStore, type Store } from './store/store';

export const DEFAULT_PORT = 8787;
export const DEFAULT_DATA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data');
export const DEFAULT_ADMIN_KEY = 'demo-admin';
export const DEFAULT_POSTBACK_SECRET = 'reseau-demo-postback';
export const MAX_MERCHANTS = 100_000;
/** The shortest admin key or postback secret accepted on an address others can reach. */
const MIN_SECRET_LENGTH = 16;
/** How often expired sessions, finished throttle entries and admin sessions are purged. */
export const MAINTENANCE_INTERVAL_MS = 10 * 60 * 1000;

export interface PortalOptions {
  /** 0 = a random free port. Default 8787. */
  port?: number;
  /** Folder of `portal.sqlite`. Default `portal/data`. */
  dataDir?: string;
  /** Delete the database and seed it again. */
  reset?: boolean;
  /** Serve this many merchants: the demo ones, then generated ones (up to 100,000). */
  merchants?: number;
  /**
   * Listen on this address only (e.g. `0.0.0.0`). Default: 127.0.0.1 and ::1. Any address but a
   * loopback one needs `adminKey` and `postbackSecret` of the operator's own.
   */
  host?: string;
  /** Log one line per request. */
  log?: boolean;
  /** Default (loopback only) `demo-admin`. */
  adminKey?: string;
  /** Default (loopback only) `reseau-demo-postback`. */
  postbackSecret?: string;
  /**
   * The origin members reach the portal at (e.g. `https://cashback.example`): the API builds every
   * URL it hands out on it. Default `http://localhost:<port>`.
   */
  publicUrl?: string;
  /** Attempt limits and hashing concurrency, each defaulting to DEFAULT_LIMITS (throttle.ts). */
  limits?: Partial<PortalLimits>;
  /**
   * scrypt parameters of new password hashes. Default SCRYPT_PARAMS (OWASP's); weaker ones only
   * on loopback, for throwaway portals (the contract tests start dozens).
   */
  scrypt?: ScryptParams;
  /** The portal's clock (tests move it to expire tokens). */
  now?: Clock;
}

export interface RunningPortal {
  /** `http://localhost:<port>` */
  url: string;
  /** The configured public origin, or `url`. */
  publicUrl: string;
  port: number;
  /** The addresses actually bound, e.g. `['127.0.0.1', '::1']`. */
  addresses: string[];
  dataFile: string;
  adminKey: string;
  postbackSecret: string;
  db: Db;
  store: Store;
  close(): Promise<void>;
}

export async function startPortal(options: PortalOptions = {}): Promise<RunningPortal> {
  const merchantCount = options.merchants;
  if (
    merchantCount !== undefined &&
    (!Number.isInteger(merchantCount) || merchantCount < 0 || merchantCount > MAX_MERCHANTS)
  ) {
    throw new RangeError(
      `merchants must be an integer from 0 to ${MAX_MERCHANTS}: ${merchantCount}`,
    );
  }
  const secrets = secretsFor(options);
  const scrypt = options.scrypt ?? SCRYPT_PARAMS;
  if (
    options.host !== undefined &&
    !isLoopback(options.host) &&
    (scrypt.N < SCRYPT_PARAMS.N || scrypt.r < SCRYPT_PARAMS.r || scrypt.p < SCRYPT_PARAMS.p)
  ) {
    throw new Error(
      `Refusing to listen on ${options.host} with scrypt parameters weaker than ` +
        `N=${SCRYPT_PARAMS.N}, r=${SCRYPT_PARAMS.r}, p=${SCRYPT_PARAMS.p}.`,
    );
  }
  const limits: PortalLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const configuredOrigin =
    options.publicUrl === undefined ? undefined : parsePublicUrl(options.publicUrl);
  const now = options.now ?? systemClock;
  const { db, file, created } = openDatabase(options.dataDir ?? DEFAULT_DATA_DIR, {
    reset: options.reset,
  });
  try {
    const store = createStore(db, now, {
      params: scrypt,
      gate: createHashGate({ concurrency: limits.concurrentHashes, queue: limits.hashQueue }),
    });
    if (created) await seed(store);
    const demoCount = store.merchants.demo().length;
    store.merchants.syncGenerated(Math.max(0, (merchantCount ?? 0) - demoCount));

    let internalOrigin = '';
    const requestedPort = options.port ?? DEFAULT_PORT;
    let publicOrigin =
      configuredOrigin ?? (requestedPort === 0 ? '' : `http://localhost:${requestedPort}`);
    const faults = createFaultState();
    const ctx: PortalContext = {
      store,
      merchantList: createMerchantListCache(store.merchants, () => publicOrigin, {
        terms: store.orderTerms,
        legacy: () => faults.faults.legacyPortal,
      }),
      throttles: createThrottles(limits, now),
      faults,
      requests: createRequestLog(),
      adminKey: secrets.adminKey,
      adminSessions: createAdminSessions(now),
      postbackSecret: secrets.postbackSecret,
      publicOrigin: () => publicOrigin,
      internalOrigin: () => internalOrigin,
    };
    const listener = getRequestListener(createFetchHandler(ctx, { log: options.log }));
    const servers = await listen(
      () =>
        http.createServer((request, response) => {
          // Host names are case-insensitive; @hono/node-server rejects an upper-case Host.
          if (request.headers.host) request.headers.host = request.headers.host.toLowerCase();
          // The listener answers its own failures (a 500): nothing is left to catch here.
          void listener(request, response);
        }),
      requestedPort,
      options.host,
    );
    const port = (servers[0]!.address() as AddressInfo).port;
    const addresses = servers.map((server) => (server.address() as AddressInfo).address);
    internalOrigin = `http://${loopbackFor(addresses[0]!)}:${port}`;
    const url = `http://localhost:${port}`;
    publicOrigin = configuredOrigin ?? url;
    // Serialise and compress the list before answering anything, so that even the first request
    // for 100,000 merchants is served from memory (about 2 s of work at that size).
    try {
      const warm = ctx.merchantList.get();
      await Promise.all([warm.encoded('gzip'), warm.encoded('br')]);
    } catch (error) {
      await Promise.all(servers.map(closeServer));
      throw error;
    }

    // Expired sessions are refused anyway; purging keeps the table (and the limiters) small.
    const maintain = () => {
      try {
        store.members.purgeExpiredSessions();
        ctx.throttles.sweep();
        ctx.adminSessions.sweep();
      } catch (error) {
        console.error(error);
      }
    };
    maintain();
    const maintenance = setInterval(maintain, MAINTENANCE_INTERVAL_MS);
    maintenance.unref();

    let closing: Promise<void> | undefined;
    return {
      url,
      publicUrl: publicOrigin,
      port,
      addresses,
      dataFile: file,
      adminKey: ctx.adminKey,
      postbackSecret: ctx.postbackSecret,
      db,
      store,
      close() {
        clearInterval(maintenance);
        closing ??= Promise.all(servers.map(closeServer)).then(() => {
          db.close();
        });
        return closing;
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

function isLoopback(host: string): boolean {
  const address = host.replace(/^\[(.*)\]$/, '$1');
  if (address.toLowerCase() === 'localhost') return true;
  const family = net.isIP(address);
  return family !== 0 && LOOPBACK.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The admin key and the postback secret. The demo's are published (README, tests): with the admin
 * key anyone confirms cashback, with the postback secret anyone credits an order to any click. So
 * they are only good enough on loopback; on any other address the operator gives both, long,
 * distinct, and not the demo's.
 */
function secretsFor(options: PortalOptions): { adminKey: string; postbackSecret: string } {
  const adminKey = options.adminKey ?? DEFAULT_ADMIN_KEY;
  const postbackSecret = options.postbackSecret ?? DEFAULT_POSTBACK_SECRET;
  if (options.host === undefined || isLoopback(options.host)) return { adminKey, postbackSecret };
  const problems: string[] = [];
  const check = (
    name: string,
    value: string | undefined,
    demo: string,
    flag: string,
    env: string,
  ) => {
    if (value === undefined) problems.push(`no ${name} (${flag} or ${env})`);
    else if (value === demo) problems.push(`the ${name} is the demo's (${flag} or ${env})`);
    else if (value.length < MIN_SECRET_LENGTH) {
      problems.push(
        `the ${name} is shorter than ${MIN_SECRET_LENGTH} characters (${flag} or ${env})`,
      );
    }
  };
  check('admin key', options.adminKey, DEFAULT_ADMIN_KEY, '--admin-key', 'RISTOURNE_ADMIN_KEY');
  check(
    'postback secret',
    options.postbackSecret,
    DEFAULT_POSTBACK_SECRET,
    '--postback-secret',
    'RISTOURNE_POSTBACK_SECRET',
  );
  if (problems.length === 0 && adminKey === postbackSecret) {
    problems.push('the admin key and the postback secret must differ');
  }
  if (problems.length > 0) {
    throw new Error(
      `Refusing to listen on ${options.host}: ${problems.join('; ')}. ` +
        'Anyone who reaches the portal could confirm cashback with the admin key and credit ' +
        'orders with the postback secret. Give each a secret of your own, at least ' +
        `${MIN_SECRET_LENGTH} characters (e.g. \`openssl rand -base64 24\`): --admin-key or ` +
        'RISTOURNE_ADMIN_KEY, and --postback-secret or RISTOURNE_POSTBACK_SECRET ' +
        '(or listen on loopback only, the default).',
    );
  }
  return { adminKey, postbackSecret };
}

/** `https://host[:port]`, from a URL that is an http(s) origin and nothing more. */
function parsePublicUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`The public URL must be an absolute http(s) URL: ${value}`);
  }
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.username ||
    url.password ||
    url.pathname !== '/' ||
    url.search ||
    url.hash
  ) {
    throw new Error(
      `The public URL must be an http(s) origin, without path, query or credentials ` +
        `(e.g. https://cashback.example): ${value}`,
    );
  }
  return url.origin;
}

/** How this process reaches itself when bound to `address`. */
function loopbackFor(address: string): string {
  if (address === '0.0.0.0' || address === '::' || address === '127.0.0.1') return '127.0.0.1';
  return address.includes(':') ? `[${address}]` : address;
}

async function listen(
  create: () => http.Server,
  port: number,
  host: string | undefined,
): Promise<http.Server[]> {
  if (host !== undefined) return [await bind(create(), port, host)];
  // A random port free on 127.0.0.1 may be taken on ::1: try a few.
  for (let attempt = 0; ; attempt += 1) {
    const v4 = await bind(create(), port, '127.0.0.1');
    const chosen = (v4.address() as AddressInfo).port;
    try {
      return [v4, await bind(create(), chosen, '::1')];
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // No IPv6 on this machine: 127.0.0.1 is all there is.
      if (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT') return [v4];
      await closeServer(v4);
      if (code !== 'EADDRINUSE' || port !== 0 || attempt >= 5) {
        throw new Error(`Cannot listen on [::1]:${chosen}: ${code ?? String(error)}`, {
          cause: error,
        });
      }
    }
  }
}

function bind(server: http.Server, port: number, host: string): Promise<http.Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    // Keep-alive sockets would hold close() open until they time out.
    server.closeAllConnections();
  });
}
