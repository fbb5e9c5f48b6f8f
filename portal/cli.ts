/**
 * `npm run portal -- [--port N] [--reset] [--merchants N] [--data DIR] [--host H] [--admin-key K]
 *                    [--postback-secret S] [--public-url URL] [--quiet]`
 * Starts the reference portal and prints where everything is. The secrets and the public URL may
 * come from the environment instead (RISTOURNE_ADMIN_KEY, RISTOURNE_POSTBACK_SECRET,
 * RISTOURNE_PUBLIC_URL), which keeps them out of the process list.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEMO_MEMBER } from './demo/seed';
import { DEFAULT_PORT, MAX_MERCHANTS, startPortal } from './start';
import { NETWORK_HOP_HOST } from './demo/network';

const ArgsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(DEFAULT_PORT),
  reset: z.boolean().default(false),
  merchants: z.coerce.number().int().min(0).max(MAX_MERCHANTS).optional(),
  data: z.string().min(1).optional(),
  host: z.string().min(1).optional(),
  'admin-key': z.string().min(1).optional(),
  'postback-secret': z.string().min(1).optional(),
  'public-url': z.string().min(1).optional(),
  quiet: z.boolean().default(false),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      reset: { type: 'boolean' },
      merchants: { type: 'string' },
      data: { type: 'string' },
      host: { type: 'string' },
      'admin-key': { type: 'string' },
      'postback-secret': { type: 'string' },
      'public-url': { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(
      'Usage: npm run portal -- [--port 8787] [--reset] [--merchants N] [--data DIR] ' +
        '[--host ADDRESS] [--admin-key KEY] [--postback-secret SECRET] [--public-url URL] ' +
        '[--quiet]\n' +
        'Environment: RISTOURNE_ADMIN_KEY, RISTOURNE_POSTBACK_SECRET, RISTOURNE_PUBLIC_URL ' +
        '(the options win).',
    );
    return;
  }
  const fromEnv = (name: string) => process.env[name] || undefined;
  const parsed = ArgsSchema.safeParse({
    ...values,
    'admin-key': values['admin-key'] ?? fromEnv('RISTOURNE_ADMIN_KEY'),
    'postback-secret': values['postback-secret'] ?? fromEnv('RISTOURNE_POSTBACK_SECRET'),
    'public-url': values['public-url'] ?? fromEnv('RISTOURNE_PUBLIC_URL'),
  });
  if (!parsed.success) {
    console.error(z.prettifyError(parsed.error));
    process.exitCode = 2;
    return;
  }
  const args = parsed.data;
  const started = performance.now();
  const portal = await startPortal({
    port: args.port,
    reset: args.reset,
    merchants: args.merchants,
    dataDir: args.data,
    host: args.host,
    adminKey: args['admin-key'],
    postbackSecret: args['postback-secret'],
    publicUrl: args['public-url'],
    log: !args.quiet,
  });
  const at = (host: string) => `http://${host}:${portal.port}`;
  const shops = portal.store.merchants.demo();
  console.log(
    [
      `Ristourne reference portal: ${portal.publicUrl}  (started in ${(performance.now() - started).toFixed(0)} ms)`,
      `  listening on ${portal.addresses.join(', ')}, data ${portal.dataFile}`,
      `  demo member: ${DEMO_MEMBER.email} / ${DEMO_MEMBER.password}`,
      `  merchant list: ${portal.publicUrl}/api/v1/merchants (${portal.store.merchants.listed().length} merchants)`,
      // The demo's key is public; an operator's own key is never printed.
      `  admin: ${portal.publicUrl}/admin (${args['admin-key'] ? 'your admin key' : `key ${portal.adminKey}`})`,
      `  network hop: ${at(NETWORK_HOP_HOST)}/`,
      '  demo shops:',
      ...shops.map((merchant) => `    ${merchant.name.padEnd(26)} ${at(merchant.domains[0]!)}/`),
    ].join('\n'),
  );

  const stop = (signal: string) => {
    console.log(`\n${signal}: closing the portal…`);
    portal.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
