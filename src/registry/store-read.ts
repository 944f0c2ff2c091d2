/**
 * Lists and watches for the generic store: resourceVersion semantics (served by the watch cache),
 * label/field selection, limit/continue pagination over a consistent snapshot, and watch event
 * translation (ADDED/MODIFIED/DELETED from storage puts and deletes, selector transitions, bookmarks).
 */
import type { KubeObject } from '../api/types.js';
import { StatusError, badRequest, expired } from '../machinery/errors.js';
import { StorageError, type KeyValue, type WatchEvent as StorageEvent } from '../storage/interface.js';
import { decode } from './codec.js';
import { listPrefix } from './keys.js';
import type { ListOptions, WatchOptions } from './options.js';
import { buildSelection, type Selection } from './selection.js';
import type { GenericStore } from './store.js';

export interface ListPage {
  items: KeyValue[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

function encodeContinue(rv: number, lastKey: string, prefix: string): string {
  const token: ContinueToken = { v: 'meta.k8s.io/v1', rv, start: `${lastKey.slice(prefix.length)}\u0000` };
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<ContinueToken>;
    if (parsed.v !== 'meta.k8s.io/v1' || typeof parsed.rv !== 'number' || typeof parsed.start !== 'string' || parsed.rv <= 0 || parsed.start.includes('/..')) {
      throw new Error('bad');
    }
    return parsed as ContinueToken;
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

function parseRV(rv: string | undefined, what = 'resourceVersion'): number | undefined {
  if (rv === undefined || rv === '') return undefined;
  if (!/^\d+$/.test(rv) || rv.length > 18) throw badRequest(`invalid ${what} "${rv}"`);
  return Number(rv);
}

export function toStatusError(err: unknown): unknown {
  if (err instanceof StorageError && err.code === 'Expired') return expired(err.message);
  if (err instanceof StorageError && err.code === 'Unavailable') {
    return new StatusError('Timeout', `Too large resource version: ${err.message}`, { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 }, 504);
  }
  return err;
}

export async function listObjects(store: GenericStore, namespace: string | undefined, opts: ListOptions): Promise<ListPage> {
  const sel = buildSelection(store.def, opts.labelSelector, opts.fieldSelector);
  const prefix = listPrefix(store.def.resource, namespace);
  const limit = opts.limit && opts.limit > 0 ? opts.limit : undefined;
  const match = opts.resourceVersionMatch;
  if (match !== undefined && match !== '' && match !== 'NotOlderThan' && match !== 'Exact') {
    throw new StatusError('Invalid', `resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
  }
  parseRV(opts.resourceVersion);
  let rv = opts.resourceVersion;
  let rvMatch = match || undefined;
  let startAfter: string | undefined;
  if (opts.continue) {
    if (opts.resourceVersion && opts.resourceVersion !== '0') {
      throw badRequest('specifying resource version is not allowed when using continue');
    }
    const token = decodeContinue(opts.continue);
    rv = String(token.rv);
    rvMatch = 'Exact';
    startAfter = prefix + token.start.replace(/\u0000$/, '');
  }
  if (rvMatch === 'Exact' && (rv === undefined || rv === '0' || rv === '')) {
    throw new StatusError('Invalid', 'resourceVersionMatch: Forbidden: resourceVersionMatch "Exact" is forbidden for resourceVersion "0"');
  }
  const items: KeyValue[] = [];
  let revision = 0;
  let more = false;
  let lastKey: string | undefined;
  try {
    // Keep reading chunks until the page is full of selected objects or the keys run out.
    for (;;) {
      const chunk = limit ? Math.max(limit - items.length, Math.min(limit * 2, 1000)) : undefined;
      const res = await store.ctx.storage.listWithRV(prefix, {
        resourceVersion: rv,
        resourceVersionMatch: rvMatch,
        limit: chunk,
        startAfter,
      });
      revision = res.revision;
      // Later chunks must come from the same snapshot.
      rv = String(res.revision);
      rvMatch = 'Exact';
      let i = 0;
      for (; i < res.items.length; i++) {
        const kv = res.items[i]!;
        lastKey = kv.key;
        if (sel.matches(decode(kv))) {
          items.push(kv);
          if (limit && items.length >= limit) {
            i++;
            break;
          }
        }
      }
      const leftInChunk = i < res.items.length;
      more = leftInChunk || res.more;
      if (!limit || items.length >= limit || !res.more) break;
      startAfter = lastKey;
    }
  } catch (err) {
    if (opts.continue && err instanceof StorageError && err.code === 'Expired') {
      throw expired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
    }
    throw toStatusError(err);
  }
  const page: ListPage = { items, resourceVersion: String(revision) };
  if (more && limit && items.length > 0) {
    page.continue = encodeContinue(revision, items[items.length - 1]!.key, prefix);
  }
  return page;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
export interface ApiWatchEvent {
  type: WatchEventType;
  object: KubeObject;
  /** The stored value when the object is an API object (lets the HTTP layer reuse cached JSON). */
  kv?: KeyValue;
}

export interface ApiWatch {
  stop(): void;
}

/**
 * Watch objects of a resource. `send` returns false when the consumer's buffer is full; the watch is then
 * stopped and the consumer must re-list (upstream closes slow watchers too).
 */
export async function watchObjects(
  store: GenericStore,
  namespace: string | undefined,
  opts: WatchOptions,
  send: (ev: ApiWatchEvent) => boolean | void,
  done: (err?: unknown) => void,
): Promise<ApiWatch> {
  const sel: Selection = buildSelection(store.def, opts.labelSelector, opts.fieldSelector);
  const prefix = listPrefix(store.def.resource, namespace);
  const requested = parseRV(opts.resourceVersion);
  const initialEvents = opts.sendInitialEvents ?? (requested === undefined || requested === 0);
  let fromRevision = requested ?? 0;
  let stopped = false;
  let watcher: { stop(): void } | undefined;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    watcher?.stop();
  };
  const emit = (ev: ApiWatchEvent): void => {
    if (stopped) return;
    if (send(ev) === false) {
      stop();
      done(expired('watch closed: the client is too slow; re-list and watch again'));
    }
  };
  if (initialEvents) {
    const page = await store.ctx.storage
      .listWithRV(prefix, { resourceVersion: requested === undefined ? '' : String(requested), resourceVersionMatch: requested ? 'NotOlderThan' : undefined })
      .catch((err: unknown) => {
        throw toStatusError(err);
      });
    for (const kv of page.items) {
      const obj = decode(kv);
      if (sel.matches(obj)) emit({ type: 'ADDED', object: obj, kv });
    }
    fromRevision = page.revision;
    if (opts.sendInitialEvents && opts.allowWatchBookmarks) {
      emit({
        type: 'BOOKMARK',
        object: bookmark(store, page.revision, true),
      });
    }
  }
  const onEvent = (ev: StorageEvent): void => {
    if (stopped) return;
    if (ev.type === 'delete') {
      const old = decode(ev.prevKv);
      if (!sel.matches(old)) return;
      const obj = { ...old, metadata: { ...old.metadata, resourceVersion: String(ev.revision) } };
      emit({ type: 'DELETED', object: obj });
      return;
    }
    const obj = decode(ev.kv);
    const now = sel.matches(obj);
    const before = ev.prevKv ? sel.matches(decode(ev.prevKv)) : false;
    if (now && before) emit({ type: 'MODIFIED', object: obj, kv: ev.kv });
    else if (now) emit({ type: 'ADDED', object: obj, kv: ev.kv });
    else if (before) {
      // The object left the selection: the watcher sees it deleted.
      emit({ type: 'DELETED', object: obj, kv: ev.kv });
    }
  };
  const onError = (err: Error): void => {
    if (stopped) return;
    stop();
    done(toStatusError(err));
  };
  watcher = store.ctx.storage.watch(
    prefix,
    {
      fromRevision,
      onProgress: opts.allowWatchBookmarks ? (rev) => emit({ type: 'BOOKMARK', object: bookmark(store, rev, false) }) : undefined,
    },
    onEvent,
    onError,
  );
  if (stopped) watcher.stop();
  return { stop };
}

function bookmark(store: GenericStore, revision: number, initialEventsEnd: boolean): KubeObject {
  const r = store.def.resource;
  return {
    kind: r.kind,
    apiVersion: r.group ? `${r.group}/${r.version}` : r.version,
    metadata: {
      resourceVersion: String(revision),
      ...(initialEventsEnd ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}),
    },
  };
}
