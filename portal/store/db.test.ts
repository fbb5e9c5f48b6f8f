import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE_NAME, migrate, openDatabase } from './db';
import { MIGRATIONS } from './migrations';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ristourne-db-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tables(db: Database.Database): string[] {
  return (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((row) => row.name);
}

describe('openDatabase', () => {
  it('creates the whole schema in a new file and says so', () => {
    const { db, created } = openDatabase(tempDir());
    expect(created).toBe(true);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(tables(db)).toEqual(
      expect.arrayContaining([
        'members',
        'sessions',
        'merchants',
        'meta',
        'clicks',
        'transactions',
        'shop_orders',
        'merchant_changes',
        'merchant_order_terms',
        'claims',
      ]),
    );
    db.close();
  });

  it('upgrades an older file with the missing migrations only, keeping its data', () => {
    const dir = tempDir();
    const old = new Database(path.join(dir, DB_FILE_NAME));
    migrate(old, MIGRATIONS.slice(0, 1));
    old
      .prepare(
        "INSERT INTO members (email, display_name, password_hash, created_at) VALUES ('a@b.c', 'A', 'x', 'now')",
      )
      .run();
    old.close();

    const { db, created } = openDatabase(dir);
    expect(created).toBe(false);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(tables(db)).toContain('shop_orders');
    expect(db.prepare('SELECT email FROM members').all()).toEqual([{ email: 'a@b.c' }]);
    db.close();
  });

  it('rebuilds the merchants table for the catalogue keeping its rows and what refers to them', () => {
    const dir = tempDir();
    const old = new Database(path.join(dir, DB_FILE_NAME));
    old.pragma('foreign_keys = ON');
    migrate(old, MIGRATIONS.slice(0, 4));
    old.exec(`
      INSERT INTO members (id, email, display_name, password_hash, created_at)
        VALUES (1, 'a@b.c', 'A', 'x', 'now');
      INSERT INTO merchants (id, position, source, listed, name, category, color, domains,
          cashback, has_logo, prompts)
        VALUES ('fnac', 0, 'demo', 1, 'Fnac', 'bazar', '#000000', '["fnac.localhost"]',
          '{"type":"percent","value":4}', 1, 'allowed');
      INSERT INTO clicks (id, member_id, merchant_id, url, created_at)
        VALUES ('c_1', 1, 'fnac', 'http://fnac.localhost/', 'now');
      INSERT INTO meta (key, value) VALUES ('merchants_version', '2026-11-23T08:00:00.000Z');
    `);
    old.close();

    const { db } = openDatabase(dir);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.prepare('SELECT id, name FROM merchants').all()).toEqual([
      { id: 'fnac', name: 'Fnac' },
    ]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // The clicks still refer to the (new) merchants table: an unknown merchant is refused.
    expect(() =>
      db
        .prepare(
          "INSERT INTO clicks (id, member_id, merchant_id, url, created_at) VALUES ('c_2', 1, 'nope', 'x', 'now')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    db.prepare(
      `INSERT INTO merchants (id, position, source, name, category, color, domains, cashback,
         has_logo, prompts) VALUES ('neuf', 1, 'catalogue', 'Neuf', 'bazar', '#000000', '[]', '{}', 0, 'allowed')`,
    ).run();
    const meta = db.prepare('SELECT key, value FROM meta ORDER BY key').all() as {
      key: string;
      value: string;
    }[];
    expect(meta.map((row) => row.key)).toEqual(['merchant_changes_floor', 'merchant_list_epoch']);
    expect(meta[1]!.value).toMatch(/^[0-9a-f]{8}$/);
    db.close();
  });

  it('refuses a file from a newer portal', () => {
    const dir = tempDir();
    const newer = new Database(path.join(dir, DB_FILE_NAME));
    newer.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    newer.close();
    expect(() => openDatabase(dir)).toThrow(/newer than this code/);
  });

  it('rolls a failing migration back whole', () => {
    const db = new Database(':memory:');
    expect(() =>
      migrate(db, [{ name: 'broken', sql: 'CREATE TABLE a (x); CREATE TABLE a (y);' }]),
    ).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(tables(db)).toEqual([]);
    db.close();
  });

  it('starts over with reset', () => {
    const dir = tempDir();
    openDatabase(dir).db.close();
    const again = openDatabase(dir, { reset: true });
    expect(again.created).toBe(true);
    again.db.close();
  });
});
