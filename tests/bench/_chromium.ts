/**
 * Real Chromium for the benchmarks: the production extension built for a reference portal on a
 * fixed port, a fresh profile, and a raw DevTools connection to the extension's service worker
 * (heap figures, stopping the worker) that Playwright does not offer.
 */
import { chromium, type BrowserContext, type Worker } from '@playwright/test';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { extensionArgs, findChromium } from '../../scripts/harness/chromium';

export interface BenchBrowser {
  context: BrowserContext;
  worker(): Promise<Worker>;
  extensionId: string;
  devtools: DevTools;
  close(): Promise<void>;
}

export async function launchBenchBrowser(
  extensionDir: string,
  port: number,
): Promise<BenchBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'ristourne-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: findChromium(),
    headless: true,
    args: [
      ...extensionArgs(extensionDir),
      `--host-resolver-rules=MAP * 127.0.0.1:${port}`,
      '--remote-debugging-port=0',
      '--no-first-run',
    ],
  });
  const worker = async () =>
    context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL((await worker()).url()).host;
  const [debugPort, debugPath] = (await readFile(join(profile, 'DevToolsActivePort'), 'utf8'))
    .trim()
    .split('\n');
  const devtools = await connectDevTools(`ws://127.0.0.1:${debugPort}${debugPath}`);
  return {
    context,
    worker,
    extensionId,
    devtools,
    async close() {
      devtools.close();
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export interface DevTools {
  send<T = Record<string, unknown>>(
    method: string,
    params?: object,
    sessionId?: string,
  ): Promise<T>;
  /** A DevTools session on the extension's service worker, if it runs. */
  attachWorker(): Promise<string | null>;
  /** Stops the service worker, as Chrome does after 30 s of idleness. */
  stopWorker(): Promise<void>;
  /**
   * Memory of the worker after a full garbage collection, in bytes: the JS heap plus the
   * backing stores of typed arrays, which live outside it.
   */
  workerHeap(sessionId: string): Promise<number>;
  close(): void;
}

async function connectDevTools(url: string): Promise<DevTools> {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  let nextId = 0;
  const waiting = new Map<number, (message: { result?: unknown; error?: unknown }) => void>();
  socket.on('message', (data) => {
    // ws hands a text frame over as a Buffer (its default binaryType).
    const message = JSON.parse((data as Buffer).toString('utf8')) as {
      id?: number;
      result?: unknown;
      error?: unknown;
    };
    if (message.id !== undefined) waiting.get(message.id)?.(message);
  });
  const send = <T>(method: string, params: object = {}, sessionId?: string) =>
    new Promise<T>((resolve, reject) => {
      const id = ++nextId;
      waiting.set(id, (message) => {
        waiting.delete(id);
        if (message.error) reject(new Error(`${method}: ${JSON.stringify(message.error)}`));
        else resolve(message.result as T);
      });
      socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  const workerTarget = async () => {
    const { targetInfos } = await send<{
      targetInfos: { targetId: string; type: string; url: string }[];
    }>('Target.getTargets');
    return targetInfos.find(
      (target) => target.type === 'service_worker' && target.url.startsWith('chrome-extension://'),
    );
  };
  return {
    send,
    async attachWorker() {
      const target = await workerTarget();
      if (!target) return null;
      const { sessionId } = await send<{ sessionId: string }>('Target.attachToTarget', {
        targetId: target.targetId,
        flatten: true,
      });
      return sessionId;
    },
    async stopWorker() {
      const target = await workerTarget();
      if (target) await send('Target.closeTarget', { targetId: target.targetId });
      for (let i = 0; i < 100 && (await workerTarget()); i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async workerHeap(sessionId) {
      // A worker that just started may not offer the heap profiler yet: measure without a GC.
      await send('HeapProfiler.enable', {}, sessionId)
        .then(() => send('HeapProfiler.collectGarbage', {}, sessionId))
        .catch(() => undefined);
      const usage = await send<{ usedSize: number; backingStorageSize?: number }>(
        'Runtime.getHeapUsage',
        {},
        sessionId,
      );
      return usage.usedSize + (usage.backingStorageSize ?? 0);
    },
    close: () => socket.close(),
  };
}

/**
 * Makes the reference portal on `port` answer the changes route 404, as a portal without it: the
 * extension then syncs the whole list (the full-sync figures).
 */
export async function withoutChanges(port: number): Promise<void> {
  const response = await fetch(`http://localhost:${port}/admin/api/faults`, {
    method: 'PUT',
    headers: { 'X-Admin-Key': 'demo-admin', 'Content-Type': 'application/json' },
    body: JSON.stringify({ api: null, changes: 'unsupported' }),
  });
  if (!response.ok) throw new Error(`faults: ${response.status}`);
}
