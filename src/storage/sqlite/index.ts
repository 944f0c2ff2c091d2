/**
 * The embedded storage backend: the Storage interface on one SQLite file, kine-style.
 *
 * Input: a file path (or ':memory:') and options. Output: a Storage whose revisions are the ids of
 * one append-only log table (see schema.ts). Writes go through group commit (group-commit.ts) in
 * WAL mode with synchronous=FULL, so a write's promise resolves only once it is on disk. Reads run
 * in a read transaction against the `current` table (latest) or the log (an older revision).
 * Watches (log-follower.ts) get local writes right after their COMMIT and poll the table for writes
 * from other processes on the same file. Compaction removes superseded rows and tombstones at or
 * below a revision and records it in `meta`; reads and watches below it answer Expired.
 */
import Database from 'better-sqlite3';
import {
  StorageError,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type Preconditions,
  type Storage,
  type WatchEvent,
  type WatchOptions,
  type Watcher,
} from '../interface.js';
import { GroupCommitter } from './group-commit.js';
import { LogFollower } from './log-follower.js';
import { prefixEnd, prepareStatements, rowToKv, schemaSql, type LogRow, type Statements } from './schema.js';

export interface SqliteStorageOptions {
  /** How often watchers poll the log for writes made by other processes (default 100 ms). */
  pollIntervalMs?: number;
  /** How long a watcher may see nothing before onProgress is called (default 5000 ms). */
  progressIntervalMs?: number;
  /** Compact automatically, keeping the last `keepRevisions` revisions (default: off). */
  autoCompact?: { intervalMs: number; keepRevisions: number };
  /** Largest accepted value in bytes (default 1.5 MiB, as etcd). */
  maxValueBytes?: number;
  /** Writes batched into one transaction at most (default 1000). */
  maxBatch?: number;
}

const compactChunkSize = 5000;

class SqliteStorage implements Storage {
  private readonly stmts: Statements;
  private readonly committer: GroupCommitter;
  private readonly follower: LogFollower;
  private readonly maxValueBytes: number;
  private compacting: Promise<void> = Promise.resolve();
  private autoCompactTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly db: Database.Database,
    opts: SqliteStorageOptions,
  ) {
    this.stmts = prepareStatements(db);
    this.maxValueBytes = opts.maxValueBytes ?? 1.5 * 1024 * 1024;
    this.follower = new LogFollower(this.stmts, {
      pollIntervalMs: opts.pollIntervalMs ?? 100,
      progressIntervalMs: opts.progressIntervalMs ?? 5000,
    });
    this.committer = new GroupCommitter(db, this.stmts, (events) => this.follower.afterCommit(events), opts.maxBatch);
    if (opts.autoCompact) {
      const { intervalMs, keepRevisions } = opts.autoCompact;
      this.autoCompactTimer = setInterval(() => {
        const target = this.revisionNow() - keepRevisions;
        if (target > this.compactedNow()) this.compact(target).catch(() => undefined);
      }, intervalMs);
      this.autoCompactTimer.unref();
    }
  }

  async currentRevision(): Promise<number> {
    this.checkOpen();
    return this.revisionNow();
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.checkOpen();
    const row = this.stmts.getLatest.get(key);
    return row ? rowToKv(row) : undefined;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.checkOpen();
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    const range = { lo: prefix, hi: prefixEnd(prefix), after: opts.startAfter ?? '' };
    return this.db.transaction((): ListResult => {
      const latest = this.revisionNow();
      const at = opts.revision && opts.revision > 0 ? opts.revision : 0;
      let rows: LogRow[];
      if (at) {
        const compacted = this.compactedNow();
        if (at < compacted) {
          throw new StorageError('Expired', prefix, `required revision ${at} has been compacted (compacted revision ${compacted})`, compacted);
        }
        if (at > latest) throw new StorageError('Unavailable', prefix, `required revision ${at} is a future revision (current ${latest})`);
        rows = this.stmts.listAt.all({ ...range, rev: at, limit: limit ? limit + 1 : -1 });
      } else {
        rows = this.stmts.listLatest.all({ ...range, limit: limit ? limit + 1 : -1 });
      }
      const more = limit > 0 && rows.length > limit;
      if (more) rows.pop();
      let remaining = 0;
      if (more) {
        const after = rows[rows.length - 1].name;
        remaining = at
          ? (this.stmts.countAt.get({ ...range, after, rev: at })?.n ?? 0)
          : (this.stmts.countLatest.get({ ...range, after })?.n ?? 0);
      }
      return { items: rows.map(rowToKv), revision: at || latest, more, remaining };
    })();
  }

  async count(prefix: string): Promise<number> {
    this.checkOpen();
    return this.stmts.countLatest.get({ lo: prefix, hi: prefixEnd(prefix), after: '' })?.n ?? 0;
  }

  create(key: string, value: string): Promise<KeyValue> {
    return this.write(key, value, () => {
      if (this.stmts.getLatest.get(key)) throw new StorageError('KeyExists', key);
      const id = Number(this.stmts.insert.run(key, 1, 0, 0, 0, value).lastInsertRowid);
      this.stmts.setCurrent.run(key, id);
      const kv: KeyValue = { key, value, createRevision: id, modRevision: id };
      return { kv, event: { type: 'put', kv, revision: id } };
    });
  }

  update(key: string, value: string, preconditions?: Preconditions): Promise<KeyValue> {
    return this.write(key, value, () => {
      const prevKv = this.checkedCurrent(key, preconditions);
      const id = Number(this.stmts.insert.run(key, 0, 0, prevKv.createRevision, prevKv.modRevision, value).lastInsertRowid);
      this.stmts.setCurrent.run(key, id);
      const kv: KeyValue = { key, value, createRevision: prevKv.createRevision, modRevision: id };
      return { kv, event: { type: 'put', kv, prevKv, revision: id } };
    });
  }

  delete(key: string, preconditions?: Preconditions): Promise<KeyValue> {
    return this.write(key, '', () => {
      const prevKv = this.checkedCurrent(key, preconditions);
      const id = Number(this.stmts.insert.run(key, 0, 1, prevKv.createRevision, prevKv.modRevision, prevKv.value).lastInsertRowid);
      this.stmts.removeCurrent.run(key);
      const event: WatchEvent = { type: 'delete', key, prevKv, revision: id };
      return { kv: prevKv, event };
    });
  }

  watch(prefix: string, opts: WatchOptions, onEvent: (ev: WatchEvent) => void, onError: (err: Error) => void): Watcher {
    if (this.closed) {
      setImmediate(() => onError(new StorageError('Unavailable', prefix, 'storage is closed')));
      return { stop: () => undefined };
    }
    return this.follower.watch(prefix, opts, onEvent, onError);
  }

  compact(revision: number): Promise<void> {
    if (this.closed) return Promise.reject(new StorageError('Unavailable', '', 'storage is closed'));
    const run = this.compacting.then(() => this.compactNow(revision));
    this.compacting = run.catch(() => undefined);
    return run;
  }

  async compactedRevision(): Promise<number> {
    this.checkOpen();
    return this.compactedNow();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.autoCompactTimer) clearInterval(this.autoCompactTimer);
    this.committer.flushAll();
    await this.compacting;
    this.follower.close(new StorageError('Unavailable', '', 'storage is closed'));
    this.db.close();
  }

  private write(key: string, value: string, op: Parameters<GroupCommitter['submit']>[0]): Promise<KeyValue> {
    if (this.closed) return Promise.reject(new StorageError('Unavailable', key, 'storage is closed'));
    if (Buffer.byteLength(value) > this.maxValueBytes) {
      return Promise.reject(new StorageError('TooLarge', key, `value of ${key} is larger than ${this.maxValueBytes} bytes`));
    }
    return this.committer.submit(op);
  }

  /** The key's latest value, checked against the preconditions (inside the write transaction). */
  private checkedCurrent(key: string, preconditions?: Preconditions): KeyValue {
    const row = this.stmts.getLatest.get(key);
    if (!row) throw new StorageError('KeyNotFound', key);
    if (preconditions?.modRevision !== undefined && preconditions.modRevision !== row.id) {
      throw new StorageError('Conflict', key, `${key}: modRevision is ${row.id}, precondition ${preconditions.modRevision}`, row.id);
    }
    return rowToKv(row);
  }

  private async compactNow(requested: number): Promise<void> {
    if (this.closed) return;
    const revision = Math.min(requested, this.revisionNow());
    if (revision <= this.compactedNow()) return;
    // Record the compacted revision first: from now on old reads answer Expired, never half-deleted history.
    this.db.transaction(() => this.stmts.setCompacted.run(revision)).immediate();
    for (let from = 0; from < revision && !this.closed; from += compactChunkSize) {
      const to = Math.min(from + compactChunkSize, revision);
      this.db.transaction(() => this.stmts.compactChunk.run({ from, to, rev: revision })).immediate();
      await new Promise((r) => setImmediate(r));
    }
  }

  private revisionNow(): number {
    return this.stmts.currentRevision.get()?.seq ?? 0;
  }

  private compactedNow(): number {
    return this.stmts.compacted.get()?.value ?? 0;
  }

  private checkOpen(): void {
    if (this.closed) throw new StorageError('Unavailable', '', 'storage is closed');
  }
}

/** Opens (creating if needed) a SQLite-backed Storage at `path` (':memory:' for a throwaway one). */
export function openSqliteStorage(path: string, opts: SqliteStorageOptions = {}): Storage {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(schemaSql);
  return new SqliteStorage(db, opts);
}
