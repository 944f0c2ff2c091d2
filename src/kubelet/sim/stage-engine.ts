/**
 * The generic stage engine (kwok's stage controller): for every object it is told about, it finds
 * the first stage whose selector matches, waits that stage's delay on a shared timer queue, checks
 * the stage still applies, and applies it. Patches are applied to a local view at once, so the next
 * stage is chosen without waiting for the API round trip, and handed to a `StatusWriter` that
 * coalesces them per object.
 *
 * The local view of an object = the newest object seen (informer event or write response)
 * + the patch in flight + patches not yet sent.
 */
import type { KubeObject } from '../../api/types.js';
import { applyMergePatch } from '../../machinery/patch.js';
import { objectKey } from '../../client/informer.js';
import type { PodStatusWriter } from '../runtime.js';
import { TimerQueue } from './timer-queue.js';
import type { Stage, StageContext } from './types.js';

export type StatusPatch = Record<string, unknown>;

interface Tracked<T> {
  base: T;
  inFlight?: StatusPatch;
  unsent?: StatusPatch;
  view: T;
  stage?: string;
  deleteRequested?: boolean;
  writing?: boolean;
  gone?: boolean;
}

/** Whether resourceVersion `a` is older than `b` (numeric when both are, as etcd and sqlite give them). */
function olderRV(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return a.length !== b.length ? a.length < b.length : a < b;
  return false;
}

const withStatus = <T extends KubeObject>(obj: T, patch: StatusPatch | undefined): T =>
  patch ? (applyMergePatch(obj, { status: patch }) as T) : obj;

export interface StageEngineOptions<T extends KubeObject> {
  stages: ReadonlyArray<Stage<T, object>>;
  context: StageContext;
  sender: PodStatusWriter<T>;
  /** Runs each write; lets the owner bound concurrency. Defaults to running at once. */
  schedule?: (job: () => Promise<void>) => Promise<void>;
  /** Retry delay after a failed write. */
  retryMs?: number;
  onError?: (err: unknown, obj: T) => void;
}

export class StageEngine<T extends KubeObject> {
  private readonly objects = new Map<string, Tracked<T>>();
  private readonly timers = new TimerQueue();
  /** UIDs this engine deleted; late events for them are ignored until the informer reports the deletion. */
  private readonly tombstones = new Set<string>();
  private closed = false;
  /** Counters for tests and metrics. */
  readonly stats = { applied: 0, patches: 0, deletes: 0, errors: 0 };

  constructor(private readonly opts: StageEngineOptions<T>) {}

  /** The informer saw `obj` (added or updated). */
  observe(obj: T): void {
    if (this.closed || (obj.metadata?.uid && this.tombstones.has(obj.metadata.uid))) return;
    const key = objectKey(obj);
    let t = this.objects.get(key);
    if (t && t.base.metadata?.uid !== obj.metadata?.uid) {
      this.forget(t.base);
      t = undefined;
    }
    if (!t) {
      t = { base: obj, view: obj };
      this.objects.set(key, t);
    } else if (!olderRV(obj.metadata?.resourceVersion, t.base.metadata?.resourceVersion)) {
      t.base = obj;
    }
    this.refreshView(t);
    this.evaluate(key);
  }

  /** The object is gone from the API. */
  forget(obj: KubeObject): void {
    if (obj.metadata?.uid) this.tombstones.delete(obj.metadata.uid);
    const key = objectKey(obj);
    const t = this.objects.get(key);
    if (t && (!obj.metadata?.uid || t.base.metadata?.uid === obj.metadata.uid)) {
      t.gone = true;
      this.objects.delete(key);
      this.timers.cancel(key);
    }
  }

  /** The current local view of an object (tests, debugging). */
  view(key: string): T | undefined {
    return this.objects.get(key)?.view;
  }

  /** Name of the stage an object is waiting for, if any. */
  pendingStage(key: string): string | undefined {
    const t = this.objects.get(key);
    return t && this.timers.has(key) ? t.stage : undefined;
  }

  get size(): number {
    return this.objects.size;
  }

  close(): void {
    this.closed = true;
    this.timers.close();
    this.objects.clear();
  }

  private refreshView(t: Tracked<T>): void {
    t.view = withStatus(withStatus(t.base, t.inFlight), t.unsent);
  }

  private match(obj: T): Stage<T, object> | undefined {
    return this.opts.stages.find((s) => s.selector(obj, this.opts.context));
  }

  private evaluate(key: string): void {
    const t = this.objects.get(key);
    if (!t || t.deleteRequested) return;
    const stage = this.match(t.view);
    if (!stage) {
      t.stage = undefined;
      this.timers.cancel(key);
      return;
    }
    if (t.stage === stage.name && this.timers.has(key)) return; // already waiting for it
    t.stage = stage.name;
    const delay = Math.max(0, stage.delayMs(t.view, this.opts.context));
    this.timers.schedule(key, Date.now() + delay, () => this.fire(key, stage.name));
  }

  private fire(key: string, stageName: string): void {
    const t = this.objects.get(key);
    if (!t || this.closed) return;
    const stage = this.match(t.view);
    if (!stage || stage.name !== stageName) {
      t.stage = undefined;
      return this.evaluate(key);
    }
    const action = stage.apply(t.view, this.opts.context);
    this.stats.applied++;
    t.stage = undefined;
    if (action.type === 'delete') t.deleteRequested = true;
    else {
      t.unsent = t.unsent ? (applyMergePatch(t.unsent, action.status) as StatusPatch) : (action.status as StatusPatch);
      this.refreshView(t);
    }
    this.kick(key, t);
    this.evaluate(key);
  }

  /** Starts a write for the object unless one is running (that one re-checks when it ends). */
  private kick(key: string, t: Tracked<T>): void {
    if (t.writing || t.gone || this.closed) return;
    t.writing = true;
    const run = this.opts.schedule ?? ((job: () => Promise<void>) => job());
    void run(() => this.write(key, t)).finally(() => {
      t.writing = false;
      if (t.unsent || t.deleteRequested) this.kick(key, t);
    });
  }

  private async write(key: string, t: Tracked<T>): Promise<void> {
    if (t.gone || this.closed) return;
    try {
      if (t.unsent) {
        t.inFlight = t.unsent;
        t.unsent = undefined;
        const res = await this.opts.sender.patchStatus(t.view, t.inFlight);
        this.stats.patches++;
        t.inFlight = undefined;
        if (res === null) return this.forget(t.base);
        // A newer object seen meanwhile was written after this patch, so it already holds it.
        if (!olderRV(res.metadata?.resourceVersion, t.base.metadata?.resourceVersion)) t.base = res;
        this.refreshView(t);
      }
      if (t.deleteRequested && !t.unsent && !t.gone) {
        await this.opts.sender.deletePod(t.view);
        this.stats.deletes++;
        t.gone = true;
        if (t.base.metadata?.uid) this.tombstones.add(t.base.metadata.uid);
        this.objects.delete(key);
      }
    } catch (err) {
      this.stats.errors++;
      if (t.inFlight) {
        t.unsent = t.unsent ? (applyMergePatch(t.inFlight, t.unsent) as StatusPatch) : t.inFlight;
        t.inFlight = undefined;
      }
      this.opts.onError?.(err, t.view);
      await new Promise((r) => setTimeout(r, this.opts.retryMs ?? 1000));
    }
  }
}
