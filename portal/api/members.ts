/**
 * Members, their passwords and their sessions.
 * Passwords: scrypt with a per-member salt. Tokens: 32 random bytes, stored as a SHA-256 hash,
 * valid 30 days.
 */
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import type { User } from '../../utils/contract/schemas';
import type { Db } from '../store/db';
import type { Clock } from '../store/clock';

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };

interface MemberRow {
  id: number;
  email: string;
  display_name: string;
  password_hash: string;
}

export interface Member extends User {
  /** The database key behind `id` (`u_<n>`). */
  rowId: number;
}

export function memberId(rowId: number): string {
  return `u_${rowId}`;
}

export function parseMemberId(id: string): number | undefined {
  const match = /^u_([1-9]\d{0,15})$/.exec(id);
  return match ? Number(match[1]) : undefined;
}

function toMember(row: MemberRow): Member {
  return {
    rowId: row.id,
    id: memberId(row.id),
    email: row.email,
    displayName: row.display_name,
  };
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password, salt, SCRYPT.keylen, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return crypto.timingSafeEqual(actual, expected);
}

// Compared against when the email is unknown, so that both failures take the same time.
const DUMMY_HASH = hashPassword('not a password');

function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export function createMembers(db: Db, now: Clock) {
  const insertMember = db.prepare(
    'INSERT INTO members (email, display_name, password_hash, created_at) VALUES (?, ?, ?, ?)',
  );
  const byEmail = db.prepare<[string], MemberRow>('SELECT * FROM members WHERE email = ?');
  const insertSession = db.prepare(
    'INSERT INTO sessions (token_hash, member_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
  );
  const bySession = db.prepare<[string, string], MemberRow>(
    `SELECT m.* FROM sessions s JOIN members m ON m.id = s.member_id
     WHERE s.token_hash = ? AND s.expires_at > ?`,
  );
  const deleteSession = db.prepare('DELETE FROM sessions WHERE token_hash = ?');
  const deleteExpired = db.prepare('DELETE FROM sessions WHERE expires_at <= ?');

  return {
    /** Returns undefined when the email is taken. */
    async create(input: {
      email: string;
      password: string;
      displayName: string;
    }): Promise<Member | undefined> {
      const email = input.email.trim().toLowerCase();
      if (byEmail.get(email)) return undefined;
      const hash = await hashPassword(input.password);
      try {
        const { lastInsertRowid } = insertMember.run(
          email,
          input.displayName.trim(),
          hash,
          now().toISOString(),
        );
        return toMember({
          id: Number(lastInsertRowid),
          email,
          display_name: input.displayName.trim(),
          password_hash: hash,
        });
      } catch (error) {
        // Lost a race with another sign-up for the same email.
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return undefined;
        throw error;
      }
    },

    async verifyLogin(email: string, password: string): Promise<Member | undefined> {
      const row = byEmail.get(email.trim().toLowerCase());
      if (!row) {
        await verifyPassword(password, await DUMMY_HASH);
        return undefined;
      }
      return (await verifyPassword(password, row.password_hash)) ? toMember(row) : undefined;
    },

    openSession(member: Member): string {
      const token = crypto.randomBytes(32).toString('base64url');
      const at = now();
      deleteExpired.run(at.toISOString());
      insertSession.run(
        hashToken(token),
        member.rowId,
        at.toISOString(),
        new Date(at.getTime() + SESSION_TTL_MS).toISOString(),
      );
      return token;
    },

    /** The member behind a live token, or undefined (unknown, revoked or expired). */
    memberForToken(token: string): Member | undefined {
      const row = bySession.get(hashToken(token), now().toISOString());
      return row && toMember(row);
    },

    revokeSession(token: string): void {
      deleteSession.run(hashToken(token));
    },
  };
}

export type Members = ReturnType<typeof createMembers>;
