/**
 * The ceiling for durable creates on SQLite: raw better-sqlite3 inserts of the same rows at the
 * same durability as the backend (WAL, synchronous=FULL), one transaction per `batch` rows.
 * Runs synchronously for `seconds`. Result: rows inserted per second.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function rawSqliteInsertsPerSecond(opts: { seconds: number; batch: number; value: (seq: number) => { name: string; value: string } }): number {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-raw-'));
  const db = new Database(join(dir, 'raw.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE log (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, value TEXT NOT NULL)');
    const insert = db.prepare<[string, string]>('INSERT INTO log (name, value) VALUES (?, ?)');
    const begin = db.prepare('BEGIN IMMEDIATE');
    const commit = db.prepare('COMMIT');
    let rows = 0;
    const start = performance.now();
    const deadline = start + opts.seconds * 1000;
    while (performance.now() < deadline) {
      begin.run();
      for (let i = 0; i < opts.batch; i++) {
        const row = opts.value(rows++);
        insert.run(row.name, row.value);
      }
      commit.run();
    }
    return rows / ((performance.now() - start) / 1000);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
