/**
 * One timer for many deadlines: a keyed min-heap behind a single setTimeout, so thousands of
 * simulated pods and nodes cost one timer, not one each. Re-scheduling a key replaces its deadline;
 * stale heap entries are skipped lazily.
 */
interface Entry {
  key: string;
  due: number;
  seq: number;
}

export class TimerQueue {
  private readonly heap: Entry[] = [];
  private readonly live = new Map<string, { seq: number; fn: () => void }>();
  private seq = 0;
  private timer?: NodeJS.Timeout;
  private armedFor = Infinity;
  private closed = false;

  /** Runs `fn` at epoch-ms `due` (or soon, when already past), replacing any earlier schedule of `key`. */
  schedule(key: string, due: number, fn: () => void): void {
    if (this.closed) return;
    const seq = ++this.seq;
    this.live.set(key, { seq, fn });
    this.push({ key, due, seq });
    this.arm();
  }

  cancel(key: string): void {
    this.live.delete(key);
  }

  has(key: string): boolean {
    return this.live.has(key);
  }

  get size(): number {
    return this.live.size;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.live.clear();
    this.heap.length = 0;
  }

  private arm(): void {
    const top = this.heap[0];
    if (!top || top.due >= this.armedFor) return;
    if (this.timer) clearTimeout(this.timer);
    this.armedFor = top.due;
    this.timer = setTimeout(() => this.fire(), Math.max(0, top.due - Date.now()));
    this.timer.unref?.();
  }

  private fire(): void {
    this.timer = undefined;
    this.armedFor = Infinity;
    const now = Date.now();
    while (this.heap.length && this.heap[0]!.due <= now && !this.closed) {
      const e = this.pop()!;
      const cur = this.live.get(e.key);
      if (!cur || cur.seq !== e.seq) continue;
      this.live.delete(e.key);
      try {
        cur.fn();
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
    if (!this.closed) this.arm();
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]!.due <= e.due) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = e;
  }

  private pop(): Entry | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (!h.length || !last) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && h[r]!.due < h[l]!.due ? r : l;
      if (h[c]!.due >= last.due) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
    return top;
  }
}

/** At most `limit` async jobs at once; the rest wait in order. */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await job();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  get pending(): number {
    return this.active + this.waiting.length;
  }
}
