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
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${version}`);
    })();
  });
  return current;
}
