/**
 * The scheduling queue (upstream's PriorityQueue): three places a pending pod can wait.
 * - active: popped by priority (higher first), then creation time (older first);
 * - backoff: pods that failed, each waiting initialBackoff x 2^(attempts-1), capped at maxBackoff
 *   (1 s doubling to 10 s), then moved to active;
 * - unschedulable: pods that failed and wait for a cluster event that may help
 *   (`moveAllToActiveOrBackoff`: node added/updated, pod deleted, PVC/PV changes...), or for the
 *   periodic flush that moves pods waiting longer than `unschedulableMaxMs`.
 * A failed pod goes to backoff instead of unschedulable when an event arrived while it was being
 * scheduled (upstream's moveRequestCycle), so that event is not lost.
 * Stale heap entries (deleted or moved pods) are skipped lazily by a per-pod token.
 */
import { Heap } from './heap.js';
import { podKey, type Pod } from './types.js';

/** Like upstream's isPodUpdated: changes to status (e.g. our own condition) do not count. */
function schedulingRelevantChange(a: Pod, b: Pod): boolean {
  const view = (p: Pod): string => JSON.stringify([p.metadata?.labels, p.metadata?.annotations, p.spec]);
  return a !== b && view(a) !== view(b);
}

export interface QueuedPod {
  pod: Pod;
  key: string;
  priority: number;
  createdMs: number;
  attempts: number;
  backoffUntilMs: number;
  /** The scheduling cycle in which this pod was last popped. */
  cycle: number;
}

type Where = 'active' | 'backoff' | 'unschedulable' | 'inflight';

interface Entry {
  info: QueuedPod;
  where: Where;
  token: number;
  since: number;
}

export interface QueueOptions {
  priorityOf(pod: Pod): number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  unschedulableMaxMs?: number;
  flushIntervalMs?: number;
}

export class SchedulingQueue {
  private readonly entries = new Map<string, Entry>();
  /** The entries waiting in unschedulable, so cluster events cost nothing when there are none. */
  private readonly unschedulable = new Set<Entry>();
  private readonly active = new Heap<{ e: Entry; token: number }>((a, b) => {
    const x = a.e.info;
    const y = b.e.info;
    return x.priority !== y.priority ? x.priority > y.priority : x.createdMs !== y.createdMs ? x.createdMs < y.createdMs : x.key < y.key;
  });
  private readonly backoff = new Heap<{ e: Entry; token: number }>((a, b) => a.e.info.backoffUntilMs < b.e.info.backoffUntilMs);
  private waiters: Array<(p: QueuedPod | undefined) => void> = [];
  private tokens = 0;
  private schedulingCycle = 0;
  private moveRequestCycle = -1;
  private backoffTimer?: NodeJS.Timeout;
  private backoffTimerAt = Infinity;
  private readonly flushTimer: NodeJS.Timeout;
  private closed = false;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly unschedulableMaxMs: number;

  constructor(private readonly opts: QueueOptions) {
    this.initialBackoffMs = opts.initialBackoffMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.unschedulableMaxMs = opts.unschedulableMaxMs ?? 300_000;
    this.flushTimer = setInterval(() => this.flushUnschedulable(), opts.flushIntervalMs ?? 30_000);
    this.flushTimer.unref();
  }

  /** A new pending pod (or one seen again after a failed bind). */
  add(pod: Pod): void {
    const key = podKey(pod);
    const existing = this.entries.get(key);
    if (existing) return this.update(pod);
    const info: QueuedPod = { pod, key, priority: this.opts.priorityOf(pod), createdMs: Date.parse(pod.metadata?.creationTimestamp ?? '') || Date.now(), attempts: 0, backoffUntilMs: 0, cycle: 0 };
    this.place({ info, where: 'active', token: 0, since: Date.now() }, 'active');
  }

  /** A pending pod changed: keep the newest object; an unschedulable pod gets another try. */
  update(pod: Pod): void {
    const e = this.entries.get(podKey(pod));
    if (!e) return this.add(pod);
    const relevant = schedulingRelevantChange(e.info.pod, pod);
    e.info.pod = pod;
    e.info.priority = this.opts.priorityOf(pod);
    if (e.where === 'unschedulable' && relevant) this.place(e, this.backingOff(e.info) ? 'backoff' : 'active');
  }

  delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    e.token = -1;
    this.entries.delete(key);
    this.unschedulable.delete(e);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The next pod to schedule; resolves undefined once closed. */
  pop(): Promise<QueuedPod | undefined> {
    const next = this.popActive();
    if (next || this.closed) return Promise.resolve(next);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Non-blocking pop. */
  popActive(): QueuedPod | undefined {
    for (;;) {
      const item = this.active.pop();
      if (!item) return undefined;
      if (item.token !== item.e.token || item.e.where !== 'active') continue;
      item.e.where = 'inflight';
      item.e.info.cycle = ++this.schedulingCycle;
      return item.e.info;
    }
  }

  /** The pod was bound (or handed off): stop tracking it. */
  done(key: string): void {
    this.delete(key);
  }

  /** The pod failed to schedule in the cycle it was popped in. */
  requeueUnschedulable(info: QueuedPod): void {
    const e = this.entries.get(info.key);
    if (!e || e.where !== 'inflight') return;
    info.attempts++;
    info.backoffUntilMs = Date.now() + Math.min(this.initialBackoffMs * 2 ** (info.attempts - 1), this.maxBackoffMs);
    this.place(e, this.moveRequestCycle >= info.cycle ? 'backoff' : 'unschedulable');
  }

  /** An error not about the pod (API failure): retry after backoff. */
  requeueBackoff(info: QueuedPod): void {
    const e = this.entries.get(info.key);
    if (!e) return;
    info.attempts++;
    info.backoffUntilMs = Date.now() + Math.min(this.initialBackoffMs * 2 ** (info.attempts - 1), this.maxBackoffMs);
    this.place(e, 'backoff');
  }

  /** A cluster event that may make unschedulable pods fit. */
  moveAllToActiveOrBackoff(): void {
    this.moveRequestCycle = this.schedulingCycle;
    for (const e of [...this.unschedulable]) this.place(e, this.backingOff(e.info) ? 'backoff' : 'active');
  }

  counts(): Record<Where, number> {
    const c: Record<Where, number> = { active: 0, backoff: 0, unschedulable: 0, inflight: 0 };
    for (const e of this.entries.values()) c[e.where]++;
    return c;
  }

  close(): void {
    this.closed = true;
    clearInterval(this.flushTimer);
    if (this.backoffTimer) clearTimeout(this.backoffTimer);
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  private backingOff(info: QueuedPod): boolean {
    return info.backoffUntilMs > Date.now();
  }

  private place(e: Entry, where: Where): void {
    this.entries.set(e.info.key, e);
    e.where = where;
    if (where === 'unschedulable') this.unschedulable.add(e);
    else this.unschedulable.delete(e);
    e.token = ++this.tokens;
    e.since = Date.now();
    if (where === 'active') {
      this.active.push({ e, token: e.token });
      this.wake();
    } else if (where === 'backoff') {
      this.backoff.push({ e, token: e.token });
      this.armBackoffTimer(e.info.backoffUntilMs);
    }
  }

  private wake(): void {
    while (this.waiters.length) {
      const next = this.popActive();
      if (!next) return;
      this.waiters.shift()!(next);
    }
  }

  private armBackoffTimer(at: number): void {
    if (this.closed || at >= this.backoffTimerAt) return;
    if (this.backoffTimer) clearTimeout(this.backoffTimer);
    this.backoffTimerAt = at;
    this.backoffTimer = setTimeout(() => this.flushBackoff(), Math.max(0, at - Date.now()));
  }

  private flushBackoff(): void {
    this.backoffTimer = undefined;
    this.backoffTimerAt = Infinity;
    const now = Date.now();
    for (;;) {
      const top = this.backoff.peek();
      if (!top) return;
      if (top.token !== top.e.token || top.e.where !== 'backoff') {
        this.backoff.pop();
        continue;
      }
      if (top.e.info.backoffUntilMs > now) return this.armBackoffTimer(top.e.info.backoffUntilMs);
      this.backoff.pop();
      this.place(top.e, 'active');
    }
  }

  /** Pods unschedulable for longer than unschedulableMaxMs get another try. */
  flushUnschedulable(): void {
    const now = Date.now();
    for (const e of [...this.unschedulable]) {
      if (now - e.since >= this.unschedulableMaxMs) this.place(e, this.backingOff(e.info) ? 'backoff' : 'active');
    }
  }
}
