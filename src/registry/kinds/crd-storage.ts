/**
 * The storage view one served version of a CRD reads through: every version shares the group/plural
 * prefix, and with conversion strategy None only apiVersion differs, so objects read (get, list,
 * watch) through version X are shown with apiVersion `<group>/X`. Writes pass through unchanged.
 * Rewritten KeyValues are memoised per original so the codec's per-KeyValue caches keep working.
 */
import type { KeyValue, ListResult, WatchEvent } from '../../storage/interface.js';
import type { RegistryStorage } from '../store.js';

export function versionedStorage(inner: RegistryStorage, apiVersion: string): RegistryStorage {
  const memo = new WeakMap<KeyValue, KeyValue>();
  const view = (kv: KeyValue): KeyValue => {
    let out = memo.get(kv);
    if (!out) {
      const obj = JSON.parse(kv.value) as Record<string, unknown>;
      if (obj.apiVersion === apiVersion) out = kv;
      else {
        const { apiVersion: _a, ...rest } = obj;
        out = { ...kv, value: JSON.stringify({ apiVersion, ...rest }) };
      }
      memo.set(kv, out);
    }
    return out;
  };
  const viewList = (r: ListResult): ListResult => ({ ...r, items: r.items.map(view) });
  const viewEvent = (ev: WatchEvent): WatchEvent =>
    ev.type === 'put' ? { ...ev, kv: view(ev.kv), ...(ev.prevKv ? { prevKv: view(ev.prevKv) } : {}) } : { ...ev, prevKv: view(ev.prevKv) };
  return {
    currentRevision: () => inner.currentRevision(),
    get: async (key) => {
      const kv = await inner.get(key);
      return kv && view(kv);
    },
    list: async (prefix, opts) => viewList(await inner.list(prefix, opts)),
    listWithRV: async (prefix, opts) => viewList(await inner.listWithRV(prefix, opts)),
    count: (prefix) => inner.count(prefix),
    create: (key, value) => inner.create(key, value),
    update: (key, value, pre) => inner.update(key, value, pre),
    delete: (key, pre) => inner.delete(key, pre),
    watch: (prefix, opts, onEvent, onError) => inner.watch(prefix, opts, (ev) => onEvent(viewEvent(ev)), onError),
    compact: (rev) => inner.compact(rev),
    compactedRevision: () => inner.compactedRevision(),
    close: () => inner.close(),
    ...(inner.cacheResource ? { cacheResource: (prefix: string) => inner.cacheResource!(prefix) } : {}),
  };
}
