/**
 * The contract suite's tools: a reference portal per test file (random port, temporary data),
 * and a raw HTTP client (node:http) that sends any Host header to 127.0.0.1, never follows
 * redirects and never decompresses — so the tests see exactly what the portal sends.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { ErrorBodySchema, LoginResponseSchema, type ErrorBody } from '../../utils/contract/schemas';
import { startPortal, type PortalOptions, type RunningPortal } from '../../portal/start';

export const DEMO = { email: 'demo@ristourne.test', password: 'cagnotte-demo' };
export const ADMIN_KEY = 'demo-admin';

export interface TestPortal extends RunningPortal {
  dataDir: string;
  /** Close the portal and delete its data. */
  stop(): Promise<void>;
}

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ristourne-contract-'));
}

/**
 * Password hashes at a sixteenth of the real cost (N = 2^14 instead of OWASP's 2^17, ~1 s here):
 * the suite signs in a hundred times. Tests of hashing itself pass `scrypt: SCRYPT_PARAMS`.
 */
export const TEST_SCRYPT = { N: 2 ** 14, r: 8, p: 1 };

export async function startTestPortal(options: PortalOptions = {}): Promise<TestPortal> {
  const dataDir = options.dataDir ?? tempDataDir();
  const portal = await startPortal({
    port: 0,
    log: false,
    scrypt: TEST_SCRYPT,
    ...options,
    dataDir,
  });
  return {
    ...portal,
    dataDir,
    async stop() {
      await portal.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text(): string;
  json(): unknown;
}

export interface RawRequest {
  method?: string;
  /** Path and query. */
  path: string;
  /** Host header; default `localhost:<port>`. */
  host?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Address to connect to; default 127.0.0.1. */
  address?: string;
}

export function send(portal: { port: number }, request: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: request.address ?? '127.0.0.1',
        port: portal.port,
        method: request.method ?? 'GET',
        path: request.path,
        headers: { host: request.host ?? `localhost:${portal.port}`, ...request.headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            text: () => body.toString('utf8'),
            json: () => JSON.parse(body.toString('utf8')) as unknown,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
}

/** A JSON call on the portal host. */
export function api(
  portal: { port: number },
  method: string,
  apiPath: string,
  options: {
    token?: string;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<RawResponse> {
  const body =
    options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return send(portal, {
    method,
    path: apiPath,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body,
  });
}

export function admin(
  portal: { port: number },
  method: string,
  adminPath: string,
  body?: unknown,
): Promise<RawResponse> {
  return api(portal, method, `/admin/api${adminPath}`, {
    body,
    headers: { 'x-admin-key': ADMIN_KEY },
  });
}

/** Asserts the contract's error shape and code; returns the body. */
export function expectError(response: RawResponse, status: number, code: string): ErrorBody {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const body = ErrorBodySchema.parse(response.json());
  expect(body.error.code).toBe(code);
  expect(body.error.message).toBeTruthy();
  return body;
}

export async function login(portal: { port: number }, credentials = DEMO): Promise<string> {
  const response = await api(portal, 'POST', '/api/v1/auth/login', { body: credentials });
  expect(response.status).toBe(200);
  return LoginResponseSchema.parse(response.json()).token;
}

/** A fresh member (through the admin API), signed in: tests that count money start from zero. */
export async function newMember(
  portal: { port: number },
  name = 'Test',
): Promise<{ email: string; password: string; token: string; id: string }> {
  const email = `${name.toLowerCase()}-${Math.random().toString(36).slice(2, 10)}@example.test`;
  const password = 'mot-de-passe-de-test';
  const created = await admin(portal, 'POST', '/members', { email, password, displayName: name });
  expect(created.status).toBe(201);
  const { user } = created.json() as { user: { id: string } };
  return { email, password, token: await login(portal, { email, password }), id: user.id };
}

/** A tiny cookie jar for one host: enough for the shops' cart and tracking cookies. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: RawResponse): void {
    for (const line of response.headers['set-cookie'] ?? []) {
      const [pair, ...attributes] = line.split(';');
      const [name, ...value] = pair!.split('=');
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired) this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value.join('='));
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  header(): Record<string, string> {
    if (this.cookies.size === 0) return {};
    return { cookie: [...this.cookies].map(([n, v]) => `${n}=${v}`).join('; ') };
  }
}

/** Where a redirect goes: status 302/303 and the Location, resolved against `base`. */
export function redirectTarget(response: RawResponse, status = 302, base?: string): URL {
  expect(response.status).toBe(status);
  expect(response.headers.location).toBeTruthy();
  return new URL(response.headers.location!, base ?? 'http://relative.invalid');
}

/** A request to `url` as a browser mapping every host to the portal would send it. */
export function visit(
  portal: { port: number },
  url: URL | string,
  options: Omit<RawRequest, 'path' | 'host'> = {},
): Promise<RawResponse> {
  const target = new URL(url);
  return send(portal, { ...options, host: target.host, path: target.pathname + target.search });
}
