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
