/**
 * Members, their passwords and their sessions.
 * Passwords: scrypt (passwords.ts), through the portal's hash gate. Tokens: 32 random bytes,
 * stored as a SHA-256 hash, valid 30 days; expired ones are purged by the portal's maintenance
 * timer (start.ts).
 */
import crypto from 'node:crypto';
import type { Tier, User } from '../../utils/contract/schemas';
import { TIERS, type TierId } from './tiers';
import type { Db } from '../store/db';
import type { Clock } from '../store/clock';
import {
  decoyHash,
  hashPassword,
  needsRehash,
  verifyPassword,
  HashingBusyError,
  type HashGate,
  type ScryptParams,
} from './passwords';
import { rowIds } from './row-ids';

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

interface MemberRow {
  id: number;
  email: string;
  display_name: string;
  password_hash: string;
  tier: TierId;
}

export interface Member extends User {
  /** The database key behind `id` (`u_<n>`). */
  rowId: number;
  tier: Tier;
  tierId: TierId;
}

const memberIds = rowIds('u');
export const memberId = memberIds.format;
export const parseMemberId = memberIds.parse;

function toMember(row: MemberRow): Member {
  return {
    rowId: row.id,
    id: memberId(row.id),
    email: row.email,
    displayName: row.display_name,
    tier: TIERS[row.tier],
    tierId: row.tier,
  };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export interface PasswordHashing {
  /** The parameters of new hashes (an older hash is made again at its member's next sign-in). */
  params: ScryptParams;
  /** Bounds how many hashes run at once. */
  gate: HashGate;
}

export function createMembers(db: Db, now: Clock, hashing: PasswordHashing) {
  const { params, gate } = hashing;
  const insertMember = db.prepare(
    `INSERT INTO members (email, display_name, password_hash, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (email) DO NOTHING`,
  );
  const byEmail = db.prepare<[string], MemberRow>('SELECT * FROM members WHERE email = ?');
  const updateHash = db.prepare('UPDATE members SET password_hash = ? WHERE id = ?');
  const insertSession = db.prepare(
    'INSERT INTO sessions (token_hash, member_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
  );
  const bySession = db.prepare<[string, string], MemberRow>(
    `SELECT m.* FROM sessions s JOIN members m ON m.id = s.member_id
     WHERE s.token_hash = ? AND s.expires_at > ?`,
  );
  const deleteSession = db.prepare('DELETE FROM sessions WHERE token_hash = ?');
  const updateTier = db.prepare('UPDATE members SET tier = ? WHERE id = ?');
  const byId = db.prepare<[number], MemberRow>('SELECT * FROM members WHERE id = ?');
  const deleteExpired = db.prepare('DELETE FROM sessions WHERE expires_at <= ?');
  // Checked against when the email is unknown: the same cost as a member's hash.
  const decoy = decoyHash(params);

  /** A new hash of `password`; throws HashingBusyError when the gate is full. */
  const hash = (password: string) => gate.run(() => hashPassword(password, params));

  /** Inserts a member unless the email is taken; undefined then. */
  function insert(input: {
    email: string;
    displayName: string;
    passwordHash: string;
  }): Member | undefined {
    const email = normalizeEmail(input.email);
    const displayName = input.displayName.trim();
    const { changes, lastInsertRowid } = insertMember.run(
      email,
      displayName,
      input.passwordHash,
      now().toISOString(),
    );
    if (changes === 0) return undefined;
    return toMember({
      id: Number(lastInsertRowid),
      email,
      display_name: displayName,
      password_hash: input.passwordHash,
      tier: 'free',
    });
  }

  return {
    params,
    hash,
    insert,

    /** A new member (the admin's API): undefined when the email is taken. */
    async create(input: {
      email: string;
      password: string;
      displayName: string;
    }): Promise<Member | undefined> {
      if (byEmail.get(normalizeEmail(input.email))) return undefined;
      return insert({ ...input, passwordHash: await hash(input.password) });
    },

    /**
     * The sign-up form: creates the member unless the email is taken, and says nothing of which
     * happened. The password is hashed either way, so that both take the same time.
     */
    async signUp(input: { email: string; password: string; displayName: string }): Promise<void> {
      insert({ ...input, passwordHash: await hash(input.password) });
    },

    /**
     * The member, if the password is theirs. An unknown email costs the same hash as a wrong
     * password. A hash made with weaker parameters than the current ones is made again.
     * Throws HashingBusyError when the gate is full.
     */
    async verifyLogin(email: string, password: string): Promise<Member | undefined> {
      const row = byEmail.get(normalizeEmail(email));
      const ok = await gate.run(() => verifyPassword(password, row?.password_hash ?? decoy));
      if (!row || !ok) return undefined;
      if (needsRehash(row.password_hash, params)) {
        try {
          updateHash.run(await hash(password), row.id);
        } catch (error) {
          // Busy: the next sign-in will do it.
          if (!(error instanceof HashingBusyError)) throw error;
        }
      }
      return toMember(row);
    },

    /** A member by id (`u_<n>`), or undefined. */
    byId(id: string): Member | undefined {
      const rowId = parseMemberId(id);
      const row = rowId === undefined ? undefined : byId.get(rowId);
      return row && toMember(row);
    },

    /** Moves the member to another tier (a paid membership taken or ended); false if unknown. */
    setTier(rowId: number, tier: TierId): boolean {
      return updateTier.run(tier, rowId).changes > 0;
    },

    openSession(member: Member): string {
      const token = crypto.randomBytes(32).toString('base64url');
      const at = now();
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

    /** Deletes the sessions past their expiry; returns how many. */
    purgeExpiredSessions(): number {
      return deleteExpired.run(now().toISOString()).changes;
    },
  };
}

export type Members = ReturnType<typeof createMembers>;
