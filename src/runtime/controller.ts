/**
 * Level-triggered controllers (controller-runtime's shape): a reconciler is
 * `(ctx, {namespace, name}) => Promise<Result>`; informers map object events to keys; a rate-limited
 * work queue feeds N workers. Retry policy lives here, in one place: a thrown error means a rate-limited
 * requeue, a TerminalError means give up on this key, `requeueAfter` means a timed requeue.
 */
import type { KubeObject } from '../api/types.js';
import type { Informer } from '../client/informer.js';
import { WorkQueue } from './workqueue.js';

export interface Request {
  namespace?: string;
  name: string;
}

export interface Result {
  requeueAfterMs?: number;
}

export interface ReconcileContext {
  signal: AbortSignal;
}

export type Reconciler = (ctx: ReconcileContext, req: Request) => Promise<Result | void>;

/** Stop retrying this key (the object is invalid in a way time will not fix). */
export class TerminalError extends Error {
  override name = 'TerminalError';
}

export function keyOf(obj: KubeObject): string {
  const m = obj.metadata ?? {};
  return m.namespace ? `${m.namespace}/${m.name}` : (m.name ?? '');
}

export function requestOf(key: string): Request {
  const i = key.indexOf('/');
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** The controller of an object: its ownerReference with controller=true. */
export function controllerOf(obj: KubeObject): { kind: string; name: string; uid: string; apiVersion: string } | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller);
}

export interface ControllerOptions {
  name: string;
  reconcile: Reconciler;
  workers?: number;
  onError?: (key: string, err: unknown) => void;
}

export class Controller {
  readonly queue = new WorkQueue(5, 60_000);
  private readonly abort = new AbortController();
  private running = false;

  constructor(private readonly opts: ControllerOptions) {}

  /** Reconcile the object itself on every event (For). */
  watches(informer: Informer, toKeys: (obj: KubeObject) => string[] = (o) => [keyOf(o)]): this {
    informer.addHandlers({
      onAdd: (o) => toKeys(o).forEach((k) => this.queue.add(k)),
      onUpdate: (old, o) => new Set([...toKeys(old), ...toKeys(o)]).forEach((k) => this.queue.add(k)),
      onDelete: (o) => toKeys(o).forEach((k) => this.queue.add(k)),
    });
    return this;
  }

  /** Reconcile the controller owner of objects of another kind (Owns). */
  owns(informer: Informer, ownerKind: string): this {
    return this.watches(informer, (o) => {
      const ref = controllerOf(o);
      if (!ref || ref.kind !== ownerKind) return [];
      return [o.metadata?.namespace ? `${o.metadata.namespace}/${ref.name}` : ref.name];
    });
  }

  enqueue(key: string, afterMs = 0): void {
    this.queue.addAfter(key, afterMs);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (let i = 0; i < (this.opts.workers ?? 2); i++) void this.worker();
  }

  stop(): void {
    this.abort.abort();
    this.queue.shutDown();
  }

  private async worker(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        const res = await this.opts.reconcile({ signal: this.abort.signal }, requestOf(key));
        this.queue.forget(key);
        if (res?.requeueAfterMs !== undefined) this.queue.addAfter(key, res.requeueAfterMs);
      } catch (err) {
        if (err instanceof TerminalError) this.queue.forget(key);
        else this.queue.addRateLimited(key);
        this.opts.onError?.(key, err);
      } finally {
        this.queue.done(key);
      }
    }
  }
}
