/**
 * Per-key exponential back-off with upstream's rules (client-go util/flowcontrol.Backoff as the kubelet
 * configures it: 10 s doubling to a 300 s cap, no jitter). The kubelet keeps two instances:
 *
 * - CrashLoopBackOff (key `<podUid>/<container>`): before restarting an exited container the pod
 *   worker asks `inBackoff(key, finishedAtMs)` — measured from the moment the newest attempt EXITED, as
 *   upstream's IsInBackOffSince does. When it answers `{waitingMs}` the container shows Waiting
 *   CrashLoopBackOff with `crashLoopBackOffMessage(...)`; when it answers null the worker restarts the
 *   container and calls `next(key, finishedAtMs)`, which doubles the delay. A container that ran cleanly
 *   for longer than `resetAfterMs` (2 x max = 10 min) since the previous restart starts again at 10 s.
 * - ImagePullBackOff (key `<podUid>/<image>`): after a failed pull the worker calls `next(key)`; before
 *   the next pull `inBackoff(key)` (measured from that failure, upstream's IsInBackOffSinceUpdate) says
 *   whether to report ImagePullBackOff with `imagePullBackOffMessage(image)` instead of pulling.
 *
 * `gc(keepKeys)` drops entries of containers and pods that are gone and entries idle past resetAfterMs.
 */
import { formatGoDuration } from '../../machinery/duration.js';

export interface RestartBackoffOptions {
  initialMs?: number;
  maxMs?: number;
  /** An entry whose last update is older than this is forgotten (upstream: 2 x maxMs). */
  resetAfterMs?: number;
  now?: () => number;
}

interface Entry {
  backoffMs: number;
  lastUpdateMs: number;
}

export class RestartBackoff {
  private readonly entries = new Map<string, Entry>();
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly resetAfterMs: number;
  private readonly now: () => number;

  constructor(opts: RestartBackoffOptions = {}) {
    this.initialMs = opts.initialMs ?? 10_000;
    this.maxMs = opts.maxMs ?? 300_000;
    this.resetAfterMs = opts.resetAfterMs ?? 2 * this.maxMs;
    this.now = opts.now ?? Date.now;
  }

  /**
   * Records a restart (or a failed pull) happening now because of an event at `eventMs` (the exit of
   * the container; default now) and returns the back-off the NEXT attempt will have to wait:
   * 10 s, 20 s, 40 s ... 300 s. An entry that saw no update for resetAfterMs before the event restarts at 10 s.
   */
  next(key: string, eventMs: number = this.now()): number {
    const prior = this.entries.get(key);
    const backoffMs = !prior || this.expired(prior, eventMs) ? this.initialMs : Math.min(prior.backoffMs * 2, this.maxMs);
    this.entries.set(key, { backoffMs, lastUpdateMs: this.now() });
    return backoffMs;
  }

  /**
   * Whether `key` must still wait, measured from `sinceMs` (the finish time of the exited container;
   * default: the entry's last update, as for image pulls). Null when it may go ahead now.
   */
  inBackoff(key: string, sinceMs?: number, nowMs: number = this.now()): { waitingMs: number; backoffMs: number } | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    const since = sinceMs ?? entry.lastUpdateMs;
    if (this.expired(entry, since)) return null;
    const waitingMs = entry.backoffMs - (nowMs - since);
    return waitingMs > 0 ? { waitingMs, backoffMs: entry.backoffMs } : null;
  }

  /** The back-off currently recorded for `key` (0 when none). */
  currentDelayMs(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets keys not in `keepKeys` (when given) and entries idle for longer than resetAfterMs. */
  gc(keepKeys?: Iterable<string>): void {
    const keep = keepKeys ? new Set(keepKeys) : undefined;
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if ((keep && !keep.has(key)) || now - entry.lastUpdateMs > this.resetAfterMs) this.entries.delete(key);
    }
  }

  /** Keys under a prefix (e.g. `<podUid>/`), for dropping a whole pod. */
  resetPrefix(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  private expired(entry: Entry, eventMs: number): boolean {
    return eventMs - entry.lastUpdateMs > this.resetAfterMs;
  }
}

/** Upstream's pod full name in kubelet messages: `name_namespace(uid)`. */
export function podFullName(pod: { metadata?: { name?: string; namespace?: string; uid?: string } }): string {
  return `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}(${pod.metadata?.uid ?? ''})`;
}

/** The Waiting message of a CrashLoopBackOff container: `back-off 20s restarting failed container=web pod=web-abc_default(uid)`. */
export function crashLoopBackOffMessage(backoffMs: number, containerName: string, pod: { metadata?: { name?: string; namespace?: string; uid?: string } }): string {
  return `back-off ${formatGoDuration(backoffMs)} restarting failed container=${containerName} pod=${podFullName(pod)}`;
}

/** The BackOff event of a CrashLoopBackOff container: `Back-off restarting failed container web in pod web-abc_default(uid)`. */
export function crashLoopBackOffEvent(containerName: string, pod: { metadata?: { name?: string; namespace?: string; uid?: string } }): string {
  return `Back-off restarting failed container ${containerName} in pod ${podFullName(pod)}`;
}

/** The Waiting message (and BackOff event) of ImagePullBackOff: `Back-off pulling image "nginx:nope"`. */
export function imagePullBackOffMessage(image: string): string {
  return `Back-off pulling image "${image}"`;
}
