import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  HashingBusyError,
  SCRYPT_PARAMS,
  createHashGate,
  decoyHash,
  hashPassword,
  needsRehash,
  verifyPassword,
} from './passwords';

/** A hash as the portal made them before: scrypt N = 2^14. */
function legacyHash(password: string): string {
  const salt = crypto.randomBytes(16);
  const hash = crypto.scryptSync(password, salt, 32, { N: 16384, r: 8, p: 1 });
  return `scrypt$16384$8$1$${salt.toString('base64')}$${hash.toString('base64')}`;
}

// A hash at OWASP's cost takes one to a few seconds on a shared machine.
describe('password hashes', { timeout: 60_000 }, () => {
  it('use OWASP’s scrypt parameters, stored with the hash', async () => {
    expect(SCRYPT_PARAMS).toEqual({ N: 131072, r: 8, p: 1 });
    const stored = await hashPassword('cagnotte-demo');
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(await verifyPassword('cagnotte-demo', stored)).toBe(true);
    expect(await verifyPassword('cagnotte-dem0', stored)).toBe(false);
    expect(needsRehash(stored)).toBe(false);
    expect(await hashPassword('cagnotte-demo')).not.toBe(stored); // salted
  });

  it('still verify with older parameters, which call for a new hash', async () => {
    const stored = legacyHash('un-mot-de-passe');
    expect(await verifyPassword('un-mot-de-passe', stored)).toBe(true);
    expect(await verifyPassword('autre-chose', stored)).toBe(false);
    expect(needsRehash(stored)).toBe(true);
  });

  it('refuse what they cannot read, or parameters past sane bounds, without running scrypt', async () => {
    const salt = 'c2FsdHNhbHRzYWx0c2FsdA==';
    const hash = Buffer.alloc(32).toString('base64');
    for (const stored of [
      '',
      'bcrypt$12$abc',
      `scrypt$1073741824$8$1$${salt}$${hash}`, // 2^30: 1 TiB
      `scrypt$100000$8$1$${salt}$${hash}`, // not a power of two
      `scrypt$16384$64$1$${salt}$${hash}`,
      `scrypt$16384$8$1$${salt}$`,
      `scrypt$16384$8$1$${salt}$${hash}$extra`,
    ]) {
      expect(await verifyPassword('x', stored), stored).toBe(false);
      expect(needsRehash(stored)).toBe(true);
    }
  });

  it('decoys cost a real check and match nothing', async () => {
    const decoy = decoyHash();
    expect(decoy.startsWith('scrypt$131072$8$1$')).toBe(true);
    expect(await verifyPassword('', decoy)).toBe(false);
  });
});

describe('createHashGate', () => {
  function deferred() {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  }

  it('runs `concurrency` tasks at once, queues `queue` more in order, refuses the rest', async () => {
    const gate = createHashGate({ concurrency: 2, queue: 2 });
    const started: number[] = [];
    const holds = Array.from({ length: 5 }, deferred);
    const runs = holds.map((hold, i) =>
      gate.run(async () => {
        started.push(i);
        await hold.promise;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    await expect(runs[4]).rejects.toBeInstanceOf(HashingBusyError);
    holds[1]!.resolve();
    await runs[1];
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);
    holds[0]!.resolve();
    holds[2]!.resolve();
    holds[3]!.resolve();
    expect(await Promise.all(runs.slice(0, 4))).toEqual([0, 1, 2, 3]);
    expect(started).toEqual([0, 1, 2, 3]);
    // All slots are free again.
    const after = await Promise.all([1, 2, 3, 4].map((n) => gate.run(async () => n)));
    expect(after).toEqual([1, 2, 3, 4]);
  });

  it('frees the slot of a task that throws', async () => {
    const gate = createHashGate({ concurrency: 1, queue: 0 });
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(async () => 'ok')).toBe('ok');
  });
});
