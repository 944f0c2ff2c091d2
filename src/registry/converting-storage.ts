/**
 * A storage view for an API version whose objects live in another version's shape (and possibly under
 * another resource's keys): autoscaling/v1 HorizontalPodAutoscalers are stored as autoscaling/v2,
 * events.k8s.io/v1 Events as core/v1 Events, as upstream stores them. Reads convert stored objects to
 * the served version, writes convert them back; keys under `servedPrefix` map to `storedPrefix`.
 * Converted KeyValues are memoised per stored KeyValue so the codec's caches keep working.
 */
import type { KubeObject } from '../api/types.js';
import type { KeyValue, ListResult, WatchEvent } from '../storage/interface.js';
import type { RegistryStorage } from './store.js';

export interface Conversion {
  servedPrefix: string;
  storedPrefix: string;
  toServed(obj: KubeObject): KubeObject;
  toStored(obj: KubeObject): KubeObject;
}

export function convertingStorage(inner: RegistryStorage, c: Conversion): RegistryStorage {
  const memo = new WeakMap<KeyValue, KeyValue>();
  const inKey = (key: string): string => (key.startsWith(c.servedPrefix) ? c.storedPrefix + key.slice(c.servedPrefix.length) : key);
  const outKey = (key: string): string => (key.startsWith(c.storedPrefix) ? c.servedPrefix + key.slice(c.storedPrefix.length) : key);
  const view = (kv: KeyValue): KeyValue => {
    let out = memo.get(kv);
    if (!out) {
      out = { ...kv, key: outKey(kv.key), value: JSON.stringify(c.toServed(JSON.parse(kv.value) as KubeObject)) };
      memo.set(kv, out);
    }
    return out;
  };
  const stored = (value: string): string => JSON.stringify(c.toStored(JSON.parse(value) as KubeObject));
  const viewList = (r: ListResult): ListResult => ({ ...r, items: r.items.map(view) });
  const viewEvent = (ev: WatchEvent): WatchEvent =>
    ev.type === 'put' ? { ...ev, kv: view(ev.kv), ...(ev.prevKv ? { prevKv: view(ev.prevKv) } : {}) } : { ...ev, key: outKey(ev.key), prevKv: view(ev.prevKv) };
  return {
    currentRevision: () => inner.currentRevision(),
    get: async (key) => {
      const kv = await inner.get(inKey(key));
      return kv && view(kv);
    },
    ...(inner.getWithRV ? { getWithRV: async (key: string, rv?: string) => {
      const kv = await inner.getWithRV!(inKey(key), rv);
      return kv && view(kv);
    } } : {}),
    list: async (prefix, opts) => viewList(await inner.list(inKey(prefix), opts && { ...opts, ...(opts.startAfter ? { startAfter: inKey(opts.startAfter) } : {}) })),
    listWithRV: async (prefix, opts) => viewList(await inner.listWithRV(inKey(prefix), { ...opts, ...(opts.startAfter ? { startAfter: inKey(opts.startAfter) } : {}) })),
    count: (prefix) => inner.count(inKey(prefix)),
    create: async (key, value) => view(await inner.create(inKey(key), stored(value))),
    update: async (key, value, pre) => view(await inner.update(inKey(key), stored(value), pre)),
    delete: async (key, pre) => view(await inner.delete(inKey(key), pre)),
    watch: (prefix, opts, onEvent, onError) => inner.watch(inKey(prefix), opts, (ev) => onEvent(viewEvent(ev)), onError),
    compact: (rev) => inner.compact(rev),
    compactedRevision: () => inner.compactedRevision(),
    close: () => inner.close(),
    ...(inner.cacheResource ? { cacheResource: (prefix: string) => inner.cacheResource!(inKey(prefix)) } : {}),
  };
}
