/**
 * The SQLite schema of the kine-style log and the prepared statements every operation uses.
 *
 * `log` is the only source of truth: one row per write, `id` (AUTOINCREMENT) is the revision.
 * A create row has created=1 (its create revision is its own id), an update row carries the
 * create revision of the key and `prev_revision` (the id of the row it supersedes), a delete row
 * (a tombstone, deleted=1) carries the deleted value so watchers can report it as prevKv.
 * `current` maps each live key to the id of its latest row, so reads at the latest revision
 * never scan history. `meta` keeps the compacted revision.
 */
import type Database from 'better-sqlite3';
import type { KeyValue } from '../interface.js';

export interface LogRow {
  id: number;
  name: string;
  created: number;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  value: string;
}

/** A log row joined with the row it superseded (for prevKv of update events). */
export interface LogRowWithPrev extends LogRow {
  prev_value: string | null;
  prev_created: number | null;
  prev_create_revision: number | null;
}

export const schemaSql = `
CREATE TABLE IF NOT EXISTS log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  created INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  value TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS log_name_id ON log (name, id);
CREATE TABLE IF NOT EXISTS current (name TEXT PRIMARY KEY, id INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
`;

export function rowToKv(row: LogRow): KeyValue {
  return {
    key: row.name,
    value: row.value,
    createRevision: row.created ? row.id : row.create_revision,
    modRevision: row.id,
  };
}

/** The first string after every string that starts with `prefix` (exclusive upper bound of a prefix range). */
export function prefixEnd(prefix: string): string {
  if (prefix === '') return '\u{10FFFF}\u{10FFFF}';
  const last = prefix.charCodeAt(prefix.length - 1);
  // Incrementing a BMP code point below the surrogates keeps SQLite's UTF-8 byte order.
  if (last < 0xd7ff) return prefix.slice(0, -1) + String.fromCharCode(last + 1);
  return prefix + '\u{10FFFF}\u{10FFFF}';
}

const cols = 'l.id, l.name, l.created, l.deleted, l.create_revision, l.prev_revision, l.value';
const withPrev = `${cols}, p.value AS prev_value, p.created AS prev_created, p.create_revision AS prev_create_revision`;

export function prepareStatements(db: Database.Database) {
  return {
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    currentRevision: db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'log'"),
    compacted: db.prepare<[], { value: number }>("SELECT value FROM meta WHERE key = 'compacted'"),
    setCompacted: db.prepare<[number]>("INSERT INTO meta (key, value) VALUES ('compacted', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
    getLatest: db.prepare<[string], LogRow>(`SELECT ${cols} FROM current c JOIN log l ON l.id = c.id WHERE c.name = ?`),
    insert: db.prepare<[string, number, number, number, number, string]>(
      'INSERT INTO log (name, created, deleted, create_revision, prev_revision, value) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    setCurrent: db.prepare<[string, number]>('INSERT INTO current (name, id) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET id = excluded.id'),
    removeCurrent: db.prepare<[string]>('DELETE FROM current WHERE name = ?'),
    listLatest: db.prepare<{ lo: string; hi: string; after: string; limit: number }, LogRow>(
      `SELECT ${cols} FROM current c JOIN log l ON l.id = c.id
       WHERE c.name >= @lo AND c.name < @hi AND c.name > @after ORDER BY c.name LIMIT @limit`,
    ),
    countLatest: db.prepare<{ lo: string; hi: string; after: string }, { n: number }>(
      'SELECT COUNT(*) AS n FROM current WHERE name >= @lo AND name < @hi AND name > @after',
    ),
    listAt: db.prepare<{ lo: string; hi: string; after: string; rev: number; limit: number }, LogRow>(
      `SELECT ${cols} FROM log l WHERE l.id IN (
         SELECT MAX(id) FROM log WHERE name >= @lo AND name < @hi AND name > @after AND id <= @rev GROUP BY name
       ) AND l.deleted = 0 ORDER BY l.name LIMIT @limit`,
    ),
    countAt: db.prepare<{ lo: string; hi: string; after: string; rev: number }, { n: number }>(
      `SELECT COUNT(*) AS n FROM log l WHERE l.id IN (
         SELECT MAX(id) FROM log WHERE name >= @lo AND name < @hi AND name > @after AND id <= @rev GROUP BY name
       ) AND l.deleted = 0`,
    ),
    /** Every row after a revision (the watch poll), oldest first. */
    rowsAfter: db.prepare<{ after: number; limit: number }, LogRowWithPrev>(
      `SELECT ${withPrev} FROM log l LEFT JOIN log p ON p.id = l.prev_revision
       WHERE l.id > @after ORDER BY l.id LIMIT @limit`,
    ),
    /** Rows of one prefix in (after, upTo] (a new watcher's replay), oldest first. */
    rowsBetween: db.prepare<{ after: number; upTo: number; lo: string; hi: string; limit: number }, LogRowWithPrev>(
      `SELECT ${withPrev} FROM log l LEFT JOIN log p ON p.id = l.prev_revision
       WHERE l.id > @after AND l.id <= @upTo AND l.name >= @lo AND l.name < @hi ORDER BY l.id LIMIT @limit`,
    ),
    maxId: db.prepare<[], { m: number | null }>('SELECT MAX(id) AS m FROM log'),
    /** Superseded rows and tombstones at or below @rev, within the id chunk (from, to]. */
    compactChunk: db.prepare<{ from: number; to: number; rev: number }>(
      `DELETE FROM log WHERE id > @from AND id <= @to AND (
         deleted = 1 OR id < (SELECT MAX(k.id) FROM log k WHERE k.name = log.name AND k.id <= @rev))`,
    ),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
