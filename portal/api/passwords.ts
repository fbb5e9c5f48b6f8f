/**
 * Password hashes: scrypt with a per-member salt, its parameters stored with each hash
 * (`scrypt$N$r$p$salt$hash`), so that a hash made with older parameters still verifies and is
 * made again with the current ones at the member's next sign-in.
 *
 * Each hash costs 128 MiB and about a second of a core: the `HashGate` lets a few run at once
 * and a few more wait; past that the caller is told the portal is busy (503), instead of queueing
 * without bound (memory) or running them all (the other requests starve).
 */
import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** OWASP Password Storage Cheat Sheet: N = 2^17, r = 8, p = 1 (128 MiB per hash). */
export const SCRYPT_PARAMS: Readonly<ScryptParams> = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

/** scrypt needs 128·r·(N + p + 2) bytes; Node refuses past `maxmem` (32 MiB by default). */
function maxmem({ N, r, p }: ScryptParams): number {
  return 2 * 128 * r * (N + p + 2);
}

/** Parameters read from the database are trusted only within sane bounds (cost and memory). */
function saneParams(params: ScryptParams): boolean {
  const { N, r, p } = params;
  return (
    Number.isInteger(N) &&
    N >= 2 ** 10 &&
    N <= 2 ** 20 &&
    (N & (N - 1)) === 0 &&
    Number.isInteger(r) &&
    r >= 1 &&
    r <= 32 &&
    Number.isInteger(p) &&
    p >= 1 &&
    p <= 16
  );
}

function format(params: ScryptParams, salt: Buffer, hash: Buffer): string {
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

function parse(stored: string): { params: ScryptParams; salt: Buffer; hash: Buffer } | undefined {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash || rest.length > 0) return undefined;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (!saneParams(params)) return undefined;
  return { params, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
}

export async function hashPassword(
  password: string,
  params: ScryptParams = SCRYPT_PARAMS,
): Promise<string> {
  const salt = crypto.randomBytes(SALT_LENGTH);
  const hash = await scrypt(password, salt, KEY_LENGTH, { ...params, maxmem: maxmem(params) });
  return format(params, salt, hash);
}

/** False for a wrong password and for a hash that cannot be read. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed || parsed.hash.length < 16) return false;
  const actual = await scrypt(password, parsed.salt, parsed.hash.length, {
    ...parsed.params,
    maxmem: maxmem(parsed.params),
  });
  return crypto.timingSafeEqual(actual, parsed.hash);
}

/** Whether a (verified) hash was made with weaker parameters than `params`: never a downgrade. */
export function needsRehash(stored: string, params: ScryptParams = SCRYPT_PARAMS): boolean {
  const parsed = parse(stored);
  return (
    !parsed ||
    parsed.params.N < params.N ||
    parsed.params.r < params.r ||
    parsed.params.p < params.p ||
    parsed.hash.length < KEY_LENGTH
  );
}

/**
 * A hash of no password, with the current parameters: checking a password against it costs what
 * checking a member's does, so that an unknown email answers as slowly as a wrong password.
 */
export function decoyHash(params: ScryptParams = SCRYPT_PARAMS): string {
  return format(params, crypto.randomBytes(SALT_LENGTH), crypto.randomBytes(KEY_LENGTH));
}

/** Thrown by `HashGate.run` when too many hashes are already running and waiting. */
export class HashingBusyError extends Error {
  constructor() {
    super('Too many password hashes at once.');
    this.name = 'HashingBusyError';
  }
}

/** At most `concurrency` tasks at once, at most `queue` more waiting; the rest are refused. */
export function createHashGate(options: { concurrency: number; queue: number }) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (running < options.concurrency) running += 1;
      else if (waiting.length < options.queue) {
        // The finishing task hands its slot over: `running` stays as it is.
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else throw new HashingBusyError();
      try {
        return await task();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else running -= 1;
      }
    },
  };
}

export type HashGate = ReturnType<typeof createHashGate>;
