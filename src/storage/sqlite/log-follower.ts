/**
 * The watch side of the SQLite backend: follows the log table and fans events out to watchers.
 *
 * Inputs: events of writes committed by this process (handed over synchronously right after the
 * COMMIT, in revision order) and a timer that polls `log` for rows written by other processes on
 * the same file. Output: every watcher gets every event on its prefix with a revision above its
 * start revision, in revision order, exactly once. `delivered` is the highest revision already
 * dispatched; anything above it is read from the table, so local and foreign writes share one path
 * and a gap (a foreign write between two local ones) can never be skipped.
 */
import { StorageError, type WatchEvent, type WatchOptions, type Watcher } from '../interface.js';
import { prefixEnd, rowToKv, type LogRowWithPrev, type Statements } from './schema.js';

const pageSize = 1000;

interface WatchState {
  prefix: string;
  /** Only events above this revision (fromRevision may lie in the future). */
  from: number;
  onEvent: (ev: WatchEvent) => void;
  onError: (err: Error) => void;
  onProgress?: (revision: number) => void;
  lastActivity: number;
  stopped: boolean;
}

export function rowToEvent(row: LogRowWithPrev): WatchEvent {
  if (row.deleted) {
    const prevKv = { key: row.name, value: row.value, createRevision: row.create_revision, modRevision: row.prev_revision };
    return { type: 'delete', key: row.name, prevKv, revision: row.id };
  }
  const kv = rowToKv(row);
  if (row.created || row.prev_value === null) return { type: 'put', kv, revision: row.id };
  const prevKv = { key: row.name, value: row.prev_value, createRevision: row.create_revision, modRevision: row.prev_revision };
  return { type: 'put', kv, prevKv, revision: row.id };
}

function keyOf(ev: WatchEvent): string {
  return ev.type === 'put' ? ev.kv.key : ev.key;
}

export class LogFollower {
  private delivered: number;
  private readonly watchers = new Set<WatchState>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stmts: Statements,
    private readonly opts: { pollIntervalMs: number; progressIntervalMs: number },
  ) {
    this.delivered = stmts.currentRevision.get()?.seq ?? 0;
  }

  /** Called right after a local COMMIT with that batch's events, oldest first. */
  afterCommit(events: WatchEvent[]): void {
    if (events.length === 0) return;
    if (this.watchers.size === 0) {
      this.delivered = Math.max(this.delivered, events[events.length - 1].revision);
      return;
    }
    if (events[0].revision === this.delivered + 1) {
      this.dispatch(events);
      return;
    }
    try {
      this.poll(); // someone else wrote in between: read the gap (and this batch) from the table
    } catch {
      // The next timer tick reads the same rows again; nothing is skipped.
    }
  }

  /** Reads and dispatches every row above `delivered`. */
  poll(): void {
    if (this.watchers.size === 0) {
      this.delivered = Math.max(this.delivered, this.stmts.currentRevision.get()?.seq ?? 0);
      return;
    }
    const compacted = this.compactedRevision();
    if (compacted > this.delivered) {
      // Another process compacted history this process had not yet delivered: events may be gone.
      const err = new StorageError('Expired', '', `history up to ${compacted} was compacted before it was delivered`, compacted);
      for (const w of [...this.watchers]) this.fail(w, err);
      this.delivered = Math.max(this.delivered, this.stmts.currentRevision.get()?.seq ?? 0);
      return;
    }
    for (;;) {
      const rows = this.stmts.rowsAfter.all({ after: this.delivered, limit: pageSize });
      if (rows.length > 0) this.dispatch(rows.map(rowToEvent));
      if (rows.length < pageSize) break;
    }
  }

  watch(prefix: string, opts: WatchOptions, onEvent: (ev: WatchEvent) => void, onError: (err: Error) => void): Watcher {
    const state: WatchState = { prefix, from: opts.fromRevision, onEvent, onError, onProgress: opts.onProgress, lastActivity: Date.now(), stopped: false };
    // Start asynchronously so the caller holds the Watcher before the first event or error arrives.
    setImmediate(() => {
      if (state.stopped) return;
      try {
        const compactedRev = this.compactedRevision();
        if (opts.fromRevision < compactedRev) {
          state.stopped = true;
          onError(new StorageError('Expired', prefix, `required revision ${opts.fromRevision} has been compacted (compacted revision ${compactedRev})`, compactedRev));
          return;
        }
        this.poll(); // bring `delivered` (and the existing watchers) up to date first
        const hi = prefixEnd(prefix);
        for (let after = opts.fromRevision; after < this.delivered && !state.stopped; ) {
          const rows = this.stmts.rowsBetween.all({ after, upTo: this.delivered, lo: prefix, hi, limit: pageSize });
          for (const row of rows) this.deliver(state, rowToEvent(row));
          if (rows.length < pageSize) break;
          after = rows[rows.length - 1].id;
        }
        if (state.stopped) return;
        // From here on this watcher sees only events above `delivered`, which it has not had.
        this.watchers.add(state);
        this.ensureTimer();
      } catch (err) {
        this.fail(state, err);
      }
    });
    return {
      stop: () => {
        state.stopped = true;
        this.watchers.delete(state);
      },
    };
  }

  private compactedRevision(): number {
    return this.stmts.compacted.get()?.value ?? 0;
  }

  /** Ends every watch with an error (the store is closing). */
  close(err: Error): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const w of [...this.watchers]) this.fail(w, err);
  }

  private dispatch(events: WatchEvent[]): void {
    for (const ev of events) {
      if (ev.revision <= this.delivered) continue;
      this.delivered = ev.revision;
      for (const w of this.watchers) this.deliver(w, ev);
    }
  }

  private deliver(w: WatchState, ev: WatchEvent): void {
    if (w.stopped || ev.revision <= w.from || !keyOf(ev).startsWith(w.prefix)) return;
    w.lastActivity = Date.now();
    try {
      w.onEvent(ev);
    } catch (err) {
      this.fail(w, err);
    }
  }

  private fail(w: WatchState, err: unknown): void {
    if (w.stopped) return;
    w.stopped = true;
    this.watchers.delete(w);
    w.onError(err instanceof Error ? err : new Error(String(err)));
  }

  private ensureTimer(): void {
    if (this.timer) return;
    // Not unref'd: like an etcd watch stream, an open watch keeps the process alive until stopped.
    this.timer = setInterval(() => this.tick(), this.opts.pollIntervalMs);
  }

  private tick(): void {
    if (this.watchers.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    try {
      this.poll();
    } catch (err) {
      // A busy or failing database: report to nobody yet, the next tick retries.
      if (!(err instanceof Error && /SQLITE_BUSY|locked/i.test(err.message))) this.close(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    const now = Date.now();
    for (const w of this.watchers) {
      if (w.onProgress && now - w.lastActivity >= this.opts.progressIntervalMs) {
        w.lastActivity = now;
        w.onProgress(this.delivered);
      }
    }
  }
}
