/**
 * Shared informers (client-go's reflector + store): list a resource, then watch it from the list's
 * resourceVersion, keeping an in-memory cache of the objects and telling handlers about every change.
 * A watch that ends is resumed from the last seen resourceVersion; a 410 Expired (compacted history or
 * a slow watcher cut off by the server) triggers a fresh list, and handlers hear about what changed
 * meanwhile. Objects handed out are frozen: clone before mutating.
 */
import type { KubeObject } from '../api/types.js';
import type { RestClient } from './rest.js';

export interface InformerHandlers {
  onAdd?(obj: KubeObject): void;
  onUpdate?(oldObj: KubeObject, newObj: KubeObject): void;
  onDelete?(obj: KubeObject): void;
}

export interface InformerOptions {
  /** Collection path, e.g. `/api/v1/pods` or `/apis/apps/v1/namespaces/ns/deployments`. */
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size for the initial list (0 = no paging). */
  pageSize?: number;
  /** Server-side watch timeout; the informer re-watches when it passes. */
  watchTimeoutSeconds?: number;
}

export function objectKey(obj: KubeObject): string {
  const m = obj.metadata ?? {};
  return m.namespace ? `${m.namespace}/${m.name}` : (m.name ?? '');
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

export class Informer {
  private readonly items = new Map<string, KubeObject>();
  private readonly handlers: InformerHandlers[] = [];
  private resourceVersion = '';
  private stopped = false;
  private stopWatch?: () => void;
  private synced = false;
  private syncWaiters: Array<() => void> = [];

  constructor(
    private readonly client: RestClient,
    private readonly opts: InformerOptions,
  ) {}

  addHandlers(h: InformerHandlers): void {
    this.handlers.push(h);
    for (const obj of this.items.values()) h.onAdd?.(obj);
  }

  get(key: string): KubeObject | undefined {
    return this.items.get(key);
  }

  list(): KubeObject[] {
    return [...this.items.values()];
  }

  hasSynced(): boolean {
    return this.synced;
  }

  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  start(): void {
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.stopWatch?.();
  }

  private query(extra: Record<string, string>): string {
    const q = new URLSearchParams(extra);
    if (this.opts.labelSelector) q.set('labelSelector', this.opts.labelSelector);
    if (this.opts.fieldSelector) q.set('fieldSelector', this.opts.fieldSelector);
    return `${this.opts.path}?${q.toString()}`;
  }

  private async relist(): Promise<void> {
    const fresh = new Map<string, KubeObject>();
    let cont = '';
    let rv = '';
    do {
      const params: Record<string, string> = {};
      if (this.opts.pageSize) params.limit = String(this.opts.pageSize);
      if (cont) params.continue = cont;
      const res = await this.client.get<{ items: KubeObject[]; metadata: { resourceVersion: string; continue?: string } }>(this.query(params));
      if (res.status !== 200) throw new Error(`list ${this.opts.path}: ${res.status} ${res.text.slice(0, 200)}`);
      for (const item of res.body.items) fresh.set(objectKey(item), deepFreeze(item));
      rv = res.body.metadata.resourceVersion;
      cont = res.body.metadata.continue ?? '';
    } while (cont);
    // Tell handlers what changed relative to what they knew.
    for (const [key, old] of this.items) {
      if (!fresh.has(key)) {
        this.items.delete(key);
        for (const h of this.handlers) h.onDelete?.(old);
      }
    }
    for (const [key, obj] of fresh) {
      const old = this.items.get(key);
      this.items.set(key, obj);
      if (!old) for (const h of this.handlers) h.onAdd?.(obj);
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) for (const h of this.handlers) h.onUpdate?.(old, obj);
    }
    this.resourceVersion = rv;
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  private apply(type: string, obj: KubeObject): void {
    const key = objectKey(obj);
    const old = this.items.get(key);
    if (type === 'DELETED') {
      this.items.delete(key);
      for (const h of this.handlers) h.onDelete?.(old ?? obj);
    } else {
      this.items.set(key, obj);
      if (old) for (const h of this.handlers) h.onUpdate?.(old, obj);
      else for (const h of this.handlers) h.onAdd?.(obj);
    }
  }

  /** One watch until it ends; resolves true when a re-list is needed (410). */
  private watchOnce(): Promise<boolean> {
    return new Promise((resolve) => {
      let needRelist = false;
      const params = { watch: 'true', resourceVersion: this.resourceVersion, allowWatchBookmarks: 'true', timeoutSeconds: String(this.opts.watchTimeoutSeconds ?? 300 + Math.floor(Math.random() * 300)) };
      this.client
        .watch(
          this.query(params),
          (ev) => {
            const obj = deepFreeze(ev.object as KubeObject);
            if (ev.type === 'ERROR') {
              needRelist = (ev.object as { code?: number }).code === 410;
              return;
            }
            if (obj.metadata?.resourceVersion) this.resourceVersion = obj.metadata.resourceVersion;
            if (ev.type === 'BOOKMARK') return;
            this.apply(ev.type, obj);
          },
          () => resolve(needRelist),
        )
        .then(
          (w) => {
            this.stopWatch = w.stop;
            if (w.status === 410) needRelist = true;
            if (this.stopped) w.stop();
          },
          () => resolve(false),
        );
    });
  }

  private async run(): Promise<void> {
    let backoff = 100;
    let needList = true;
    while (!this.stopped) {
      try {
        if (needList) await this.relist();
        needList = await this.watchOnce();
        backoff = 100;
      } catch {
        needList = true;
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }
}
