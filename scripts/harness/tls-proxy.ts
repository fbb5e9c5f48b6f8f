/**
 * https for the reference portal's stand-ins of real https sites (the search engines): a TLS
 * server with a throwaway self-signed certificate that hands every decrypted connection to the
 * portal's plain http port. Chromium reaches it with
 * `--host-resolver-rules="MAP *:443 127.0.0.1:<tls port>, MAP * 127.0.0.1:<port>"` and
 * `--ignore-certificate-errors` (launchBrowser in tests/e2e/fixtures.ts, the demo's tour): the
 * engines' real https addresses, which the extension's match patterns name, then load from here.
 * The certificate is made by `openssl req -x509` at start, in a temporary folder.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:tls';
import { promisify } from 'node:util';

export interface TlsProxy {
  port: number;
  close(): Promise<void>;
}

async function selfSignedCertificate(): Promise<{ key: Buffer; cert: Buffer }> {
  const dir = await mkdtemp(join(tmpdir(), 'ristourne-tls-'));
  try {
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=ristourne-test-engines',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ]).catch((error: Error) => {
      throw new Error(`openssl could not make the test certificate: ${error.message}`);
    });
    return { key: await readFile(keyFile), cert: await readFile(certFile) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Listens on a free loopback port; every connection is forwarded to `targetPort`. */
export async function startTlsProxy(targetPort: number): Promise<TlsProxy> {
  const { key, cert } = await selfSignedCertificate();
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer({ key, cert }, (socket) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(socket).add(upstream);
    const drop = () => {
      socket.destroy();
      upstream.destroy();
      sockets.delete(socket);
      sockets.delete(upstream);
    };
    socket.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    socket.pipe(upstream).pipe(socket);
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Chromium's flags to reach https hosts through the proxy and everything else on the portal. */
export function mappedHostArgs(portalPort: number, tlsPort?: number): string[] {
  return tlsPort === undefined
    ? [`--host-resolver-rules=MAP * 127.0.0.1:${portalPort}`]
    : [
        `--host-resolver-rules=MAP *:443 127.0.0.1:${tlsPort}, MAP * 127.0.0.1:${portalPort}`,
        '--ignore-certificate-errors',
      ];
}
