/**
 * Measurement helpers of the scale benchmark: percentiles of a latency sample, a peak-RSS sampler,
 * the durable-write counts read from the API server's /metrics text, and the startup tracker that
 * turns "POST issued" and "Running seen on the watch" into per-pod startup latencies.
 */

/** The p-th percentile (0..100, nearest rank) of `values`; NaN when empty. Sorts a copy. */
export function percentile(values: ArrayLike<number>, p: number): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1));
  return sorted[rank] as number;
}

/** Samples process RSS every `everyMs`; `peakBytes()` is the largest sample (and never below the OS's maxRSS). */
export class RssSampler {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;
  constructor(everyMs = 500) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }
  sample(): number {
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
    return rss;
  }
  peakBytes(): number {
    this.sample();
    return Math.max(this.peak, process.resourceUsage().maxRSS * 1024);
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

/**
 * Sums `etcd_requests_total` of the mutating storage operations per resource type from Prometheus
 * text: {total, byType: {"pods": n, ...}}. Operations counted: create, update, delete,
 * guaranteedUpdate (whatever of these the backend reports).
 */
export function storageWrites(metricsText: string): { total: number; byType: Record<string, number> } {
  const byType: Record<string, number> = {};
  let total = 0;
  const line = /^etcd_requests_total\{([^}]*)\}\s+([0-9.e+]+)$/;
  for (const l of metricsText.split('\n')) {
    const m = line.exec(l);
    if (!m) continue;
    const labels = Object.fromEntries([...(m[1] as string).matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (!/^(create|update|delete|guaranteedUpdate|patch)$/i.test(labels.operation ?? '')) continue;
    const n = Number(m[2]);
    const type = labels.type ?? 'unknown';
    byType[type] = (byType[type] ?? 0) + n;
    total += n;
  }
  return { total, byType };
}

/** Per-pod startup: `created(name)` when its POST is issued, `observed(name, phase)` per watch event. */
export class StartupTracker {
  private readonly issuedAt = new Map<string, number>();
  private readonly latencies: number[] = [];
  private readonly running = new Set<string>();
  constructor(private readonly now: () => number = () => performance.now()) {}

  created(name: string): void {
    if (!this.issuedAt.has(name)) this.issuedAt.set(name, this.now());
  }

  observed(name: string, phase: string | undefined): void {
    if (phase !== 'Running' || this.running.has(name)) return;
    const t0 = this.issuedAt.get(name);
    if (t0 === undefined) return;
    this.running.add(name);
    this.latencies.push(this.now() - t0);
  }

  runningCount(): number {
    return this.running.size;
  }

  /** Startup latencies in ms, in the order pods became Running. */
  samples(): readonly number[] {
    return this.latencies;
  }
}
