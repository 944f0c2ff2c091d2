/**
 * Group commit for the SQLite backend: writes that arrive in the same event-loop turn share one
 * transaction and therefore one fsync, yet each gets its own revision (its own log row).
 *
 * Input: write operations (synchronous closures that check their preconditions and insert rows
 * inside the open transaction, throwing StorageError to refuse). Output: each submit() promise
 * settles only after the COMMIT that contains it has returned, so a resolved write is durable
 * (synchronous=FULL). A refused operation writes nothing and does not affect the others in its
 * batch; a database failure rolls the whole batch back and rejects all of it with Unavailable.
 */
import type Database from 'better-sqlite3';
import { StorageError, type KeyValue, type WatchEvent } from '../interface.js';
import type { Statements } from './schema.js';

/** Runs inside the write transaction; returns the written key-value and the event it produces. */
export type WriteOp = () => { kv: KeyValue; event: WatchEvent };

interface Pending {
  op: WriteOp;
  resolve: (kv: KeyValue) => void;
  reject: (err: Error) => void;
}

export class GroupCommitter {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly db: Database.Database,
    private readonly stmts: Statements,
    private readonly afterCommit: (events: WatchEvent[]) => void,
    private readonly maxBatch = 1000,
  ) {}

  submit(op: WriteOp): Promise<KeyValue> {
    return new Promise<KeyValue>((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate (not a microtask) so every request that arrived in this I/O turn joins the batch.
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits everything queued now (used by close()). */
  flushAll(): void {
    while (this.queue.length > 0) this.commitBatch(this.queue.splice(0, this.maxBatch));
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue.splice(0, this.maxBatch);
    if (this.queue.length > 0) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    if (batch.length > 0) this.commitBatch(batch);
  }

  private commitBatch(batch: Pending[]): void {
    const outcomes: ({ ok: true; kv: KeyValue; event: WatchEvent } | { ok: false; err: StorageError })[] = [];
    try {
      this.stmts.begin.run();
      for (const p of batch) {
        try {
          outcomes.push({ ok: true, ...p.op() });
        } catch (err) {
          if (!(err instanceof StorageError)) throw err;
          outcomes.push({ ok: false, err });
        }
      }
      this.stmts.commit.run();
    } catch (err) {
      if (this.db.inTransaction) this.stmts.rollback.run();
      const message = err instanceof Error ? err.message : String(err);
      for (const p of batch) p.reject(new StorageError('Unavailable', '', `sqlite write failed: ${message}`));
      return;
    }
    const events: WatchEvent[] = [];
    for (const o of outcomes) if (o.ok) events.push(o.event);
    try {
      this.afterCommit(events);
    } finally {
      outcomes.forEach((o, i) => (o.ok ? batch[i].resolve(o.kv) : batch[i].reject(o.err)));
    }
  }
}
