/**
 * The reference portal under load on loopback, with autocannon: what one portal process answers
 * per second, and its p99, for what a million installs would ask — list revalidations (304),
 * whole lists, changes (200 and 304), clicks and cagnotte reads — and whether the sign-in
 * limiter holds a storm of wrong passwords. The portal runs in its own process (`npm run
 * portal`), autocannon in this one. Bounded: each scenario `DURATION_S` seconds, `CONNECTIONS`
 * connections. BENCH_LOAD_MERCHANTS sets the list's size (default 100,000).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '../../scripts/harness/free-port';
import { projectRoot } from '../../scripts/harness/build-extension';
import { API } from '../../utils/contract/schemas';
import { rawRequest } from './_http';
import type { BenchRow } from './_shared';

const DURATION_S = Number(process.env.BENCH_LOAD_SECONDS ?? 5);
const CONNECTIONS = 16;
const MERCHANTS = Number(process.env.BENCH_LOAD_MERCHANTS ?? 100_000);
const ADMIN = { 'X-Admin-Key': 'demo-admin' };
const DEMO = { email: 'demo@ristourne.test', password: 'cagnotte-demo' };

async function startPortalProcess(port: number, dataDir: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'portal/cli.ts',
      '--port',
      String(port),
      '--data',
      dataDir,
      '--merchants',
      String(MERCHANTS),
      '--quiet',
    ],
    { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the portal exited (${code})`)));
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ristourne reference portal')) resolve();
    });
  });
  child.stdout.resume();
  return child;
}

interface Scenario {
  name: string;
  path: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** The status every answer should have. */
  expect: number;
  /** Fewer connections for large bodies: 16 × 3 MB would only measure the loopback's queue. */
  connections?: number;
  note?: string;
}

async function run(port: number, scenario: Scenario): Promise<BenchRow[]> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${scenario.path}`,
    method: scenario.method ?? 'GET',
    headers: { host: `localhost:${port}`, ...scenario.headers },
    ...(scenario.body === undefined ? {} : { body: scenario.body }),
    connections: scenario.connections ?? CONNECTIONS,
    duration: DURATION_S,
    timeout: 30,
  });
  const statuses = Object.entries(result.statusCodeStats ?? {})
    .map(([status, stats]) => `${status}×${stats?.count ?? 0}`)
    .join(' ');
  const unexpected = Object.entries(result.statusCodeStats ?? {})
    .filter(([status]) => Number(status) !== scenario.expect)
    .reduce((sum, [, stats]) => sum + (stats?.count ?? 0), 0);
  console.log(
    `  ${scenario.name}: ${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms (${statuses})`,
  );
  return [
    {
      metric: `${scenario.name}: requests/s`,
      value: Math.round(result.requests.average),
      unit: 'req/s',
      note: `${(result.throughput.average / 1e6).toFixed(1)} MB/s; ${statuses}${unexpected + result.errors > 0 ? `; ${unexpected} unexpected, ${result.errors} errors` : ''}${scenario.note ? `; ${scenario.note}` : ''}`,
    },
    { metric: `${scenario.name}: p99 latency`, value: result.latency.p99, unit: 'ms' },
  ];
}

export default async function portalLoad(): Promise<BenchRow[]> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'ristourne-bench-load-'));
  const portal = await startPortalProcess(port, dataDir);
  try {
    const version = (
      JSON.parse((await rawRequest(port, API.merchants)).body.toString()) as { version: string }
    ).version;
    // 1 % of the list changed since `version`, through the admin's import (one request).
    const page = JSON.parse(
      (
        await rawRequest(port, '/admin/api/merchants?limit=1000&query=', { headers: ADMIN })
      ).body.toString(),
    ) as { merchants: { cashback: { type: string; value: number } }[] };
    const changed = page.merchants.map((m) => ({
      ...m,
      cashback:
        m.cashback.type === 'percent'
          ? { ...m.cashback, value: 9.5 }
          : { ...m.cashback, value: 950 },
    }));
    const imported = await rawRequest(port, '/admin/api/merchants/import', {
      method: 'POST',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify(changed),
    });
    if (imported.status !== 200)
      throw new Error(`import: ${imported.status} ${imported.body.toString()}`);
    // The list after the change, compressed once (then served from memory) and its ETag.
    const list = await rawRequest(port, API.merchants, { headers: { 'accept-encoding': 'gzip' } });
    const etag = String(list.headers.etag);
    const changes = `${API.merchantChanges}?since=${encodeURIComponent(version)}`;
    const delta = await rawRequest(port, changes, { headers: { 'accept-encoding': 'gzip' } });
    const login = JSON.parse(
      (
        await rawRequest(port, API.login, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(DEMO),
        })
      ).body.toString(),
    ) as { token: string };
    const bearer = { authorization: `Bearer ${login.token}` };
    const first = (
      JSON.parse((await rawRequest(port, API.merchants)).body.toString()) as {
        merchants: { id: string; domains: string[] }[];
      }
    ).merchants[0]!;

    const rows: BenchRow[] = [];
    const scenarios: Scenario[] = [
      {
        name: 'list revalidation (304)',
        path: API.merchants,
        headers: { 'if-none-match': etag, 'accept-encoding': 'gzip' },
        expect: 304,
      },
      {
        name: `whole list, gzip (${(list.body.length / 1e6).toFixed(1)} MB)`,
        path: API.merchants,
        headers: { 'accept-encoding': 'gzip' },
        expect: 200,
        connections: 4,
      },
      {
        name: `changes of 1 %, gzip (${(delta.body.length / 1e3).toFixed(1)} kB)`,
        path: changes,
        headers: { 'accept-encoding': 'gzip' },
        expect: 200,
      },
      {
        name: 'changes revalidation (304)',
        path: changes,
        headers: { 'if-none-match': String(delta.headers.etag), 'accept-encoding': 'gzip' },
        expect: 304,
      },
      { name: 'cagnotte reads', path: API.cagnotte, headers: bearer, expect: 200 },
      {
        name: 'clicks (one SQLite write each)',
        path: API.clicks,
        method: 'POST',
        headers: { ...bearer, 'content-type': 'application/json' },
        body: JSON.stringify({ merchantId: first.id, url: `http://${first.domains[0]}/panier` }),
        expect: 201,
      },
    ];
    for (const scenario of scenarios) rows.push(...(await run(port, scenario)));
    rows.push(...(await loginStorm(port)));
    return rows;
  } finally {
    portal.kill('SIGTERM');
    await new Promise((resolve) => portal.once('exit', resolve));
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * Wrong passwords for the demo member as fast as the portal answers. A portal with a sign-in
 * limiter answers 429 to nearly all of them without hashing them (a hash costs about a second of
 * a core), so the storm neither slows the portal nor gets more than a handful of guesses; the
 * member's own right password, just after, tells how long the account stays locked. A portal
 * without a limiter is reported as such, the scenario skipped.
 */
async function loginStorm(port: number): Promise<BenchRow[]> {
  const signIn = (password: string) =>
    rawRequest(port, API.login, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO.email, password }),
    });
  const probe: number[] = [];
  for (let i = 0; i < 30; i++) probe.push((await signIn('wrong-password')).status);
  if (!probe.includes(429)) {
    return [
      {
        metric: 'sign-in storm: wrong passwords answered 429',
        value: Number.NaN,
        unit: '%',
        note: 'skipped: this portal has no sign-in limiter (30 wrong passwords, no 429); re-run once it has one',
      },
    ];
  }
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${API.login}`,
    method: 'POST',
    headers: { host: `localhost:${port}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email: DEMO.email, password: 'wrong-password' }),
    connections: CONNECTIONS,
    duration: DURATION_S,
  });
  const counts = result.statusCodeStats ?? {};
  const total = Object.values(counts).reduce((sum, stats) => sum + (stats?.count ?? 0), 0);
  const limited = counts['429']?.count ?? 0;
  const checked = counts['401']?.count ?? 0;
  const member = await signIn(DEMO.password);
  const retryAfter = Number(member.headers['retry-after'] ?? Number.NaN);
  console.log(
    `  sign-in storm: ${Math.round(result.requests.average)} req/s, ${limited}/${total} limited, ${checked} checked; the member then: ${member.status} (Retry-After ${retryAfter} s)`,
  );
  return [
    {
      metric: 'sign-in storm: wrong passwords answered 429',
      value: Math.round((limited / Math.max(1, total)) * 1000) / 10,
      unit: '%',
      note: `${total} attempts in ${DURATION_S} s after ${probe.length} one by one (${probe.filter((s) => s === 401).length} checked): ${limited} limited, ${checked} checked (401), ${result.errors} errors`,
    },
    {
      metric: 'sign-in storm: requests/s',
      value: Math.round(result.requests.average),
      unit: 'req/s',
    },
    { metric: 'sign-in storm: p99 latency', value: result.latency.p99, unit: 'ms' },
    {
      metric: "sign-in storm: the member's right password just after",
      value: member.status,
      unit: 'status',
      note: `Retry-After ${retryAfter} s: the account stays locked that long`,
    },
  ];
}
