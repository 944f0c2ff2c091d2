/**
 * One serialized worker per pod (upstream's podWorkers): a sync of a pod never overlaps another sync
 * of the same pod; triggers arriving while a sync runs collapse into one more sync afterwards; a sync
 * may ask to be run again after a delay (backoff expiry, probe period, image pull retry).
 */
export type SyncResult = { requeueAfterMs?: number } | void;

interface Worker {
  running: boolean;
  again: boolean;
  timer?: NodeJS.Timeout;
  dueAt?: number;
}

export class PodWorkers {
  private readonly workers = new Map<string, Worker>();
  private closed = false;

  constructor(
    private readonly sync: (uid: string) => Promise<SyncResult>,
    private readonly onError: (uid: string, err: unknown) => void,
    private readonly errorRetryMs = 2000,
  ) {}

  /** Runs a sync for `uid` now (or right after the one in flight). */
  trigger(uid: string): void {
    if (this.closed) return;
    let w = this.workers.get(uid);
    if (!w) this.workers.set(uid, (w = { running: false, again: false }));
    if (w.running) {
      w.again = true;
      return;
    }
    if (w.timer) clearTimeout(w.timer);
    w.timer = undefined;
    w.dueAt = undefined;
    w.running = true;
    void this.run(uid, w);
  }

  /** Runs a sync for `uid` after `ms` unless one is due sooner. */
  triggerAfter(uid: string, ms: number): void {
    if (this.closed) return;
    let w = this.workers.get(uid);
    if (!w) this.workers.set(uid, (w = { running: false, again: false }));
    const due = Date.now() + ms;
    if (w.dueAt !== undefined && w.dueAt <= due) return;
    if (w.timer) clearTimeout(w.timer);
    w.dueAt = due;
    w.timer = setTimeout(() => {
      w!.timer = undefined;
      w!.dueAt = undefined;
      this.trigger(uid);
    }, ms);
    w.timer.unref?.();
  }

  forget(uid: string): void {
    const w = this.workers.get(uid);
    if (w?.timer) clearTimeout(w.timer);
    if (w && !w.running) this.workers.delete(uid);
  }

  close(): void {
    this.closed = true;
    for (const w of this.workers.values()) if (w.timer) clearTimeout(w.timer);
    this.workers.clear();
  }

  private async run(uid: string, w: Worker): Promise<void> {
    let result: SyncResult;
    try {
      result = await this.sync(uid);
    } catch (err) {
      this.onError(uid, err);
      result = { requeueAfterMs: this.errorRetryMs };
    }
    w.running = false;
    if (this.closed) return;
    if (w.again) {
      w.again = false;
      this.trigger(uid);
      return;
    }
    if (result?.requeueAfterMs !== undefined) this.triggerAfter(uid, result.requeueAfterMs);
  }
}
