/**
 * Opens the portal's SQLite file and brings its schema up to date (migrations.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export interface OpenedDb {
  db: Db;
  file: string;
  /** True when the file had no schema yet: the caller seeds it. */
  created: boolean;
}

export const DB_FILE_NAME = 'portal.sqlite';

export function openDatabase(dataDir: string, options: { reset?: boolean } = {}): OpenedDb {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, DB_FILE_NAME);
  if (options.reset) {
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  }
  const db = new Database(file);
  try {
    // WAL: readers (the list, the pages) never wait for a writer (a postback, a click).
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    const before = migrate(db, MIGRATIONS);
    return { db, file, created: before === 0 };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Applies the migrations not applied yet; returns the schema version found before. */
export function migrate(db: Db, migrations: readonly Migration[]): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(
      `The portal database has schema version ${current}, newer than this code (${migrations.length}). ` +
        'Use --reset or a newer portal.',
    );
  }
  migrations.slice(current).forEach((migration, index) => {
    const version = current + index + 1;
    // A migration that rebuilds a table other tables refer to runs with the foreign keys off (the
    // pragma is a no-op inside a transaction), checked before its commit: SQLite's own procedure.
    const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
    if (migration.rebuildsTables) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(migration.sql);
        if (migration.rebuildsTables) {
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0) {
            throw new Error(`${migration.name}: ${broken.length} rows lost their references`);
          }
        }
        db.pragma(`user_version = ${version}`);
      })();
    } finally {
      if (migration.rebuildsTables) db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
    }
  });
  return current;
}
