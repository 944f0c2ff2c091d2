/**
 * Decoding stored values into API objects. The stored JSON never carries metadata.resourceVersion:
 * it is the key's modRevision, set on the way out. Decoded objects and their serialised JSON are
 * memoised per KeyValue instance (the watch cache hands out the same instance until the key changes),
 * so a LIST of thousands of unchanged objects costs one string join. Callers must treat returned
 * objects as read-only (clone before mutating).
 */
import type { KeyValue } from '../storage/interface.js';
import type { KubeObject } from '../api/types.js';

const objects = new WeakMap<KeyValue, KubeObject>();
const texts = new WeakMap<KeyValue, string>();

export function decode(kv: KeyValue): KubeObject {
  let obj = objects.get(kv);
  if (!obj) {
    obj = JSON.parse(kv.value) as KubeObject;
    obj.metadata = { ...(obj.metadata ?? {}), resourceVersion: String(kv.modRevision) };
    objects.set(kv, obj);
  }
  return obj;
}

/**
 * A private, mutable copy of the stored object (with resourceVersion), parsed straight from the
 * stored text: the same value as `clone(decode(kv))` without building and then deep-copying a
 * memoised object that nobody else will read (read-modify-write paths read a fresh key-value).
 */
export function decodeMutable(kv: KeyValue): KubeObject {
  const memo = objects.get(kv);
  if (memo) return clone(memo);
  const obj = JSON.parse(kv.value) as KubeObject;
  obj.metadata = { ...(obj.metadata ?? {}), resourceVersion: String(kv.modRevision) };
  return obj;
}

/** The object's JSON as served (with resourceVersion). */
export function encodeServed(kv: KeyValue): string {
  let text = texts.get(kv);
  if (text === undefined) {
    text = JSON.stringify(decode(kv));
    texts.set(kv, text);
  }
  return text;
}

/** The JSON to store: the object without resourceVersion. */
export function encodeForStorage(obj: KubeObject): string {
  const { resourceVersion: _rv, ...meta } = obj.metadata ?? {};
  return JSON.stringify({ ...obj, metadata: meta });
}

export function clone<T>(v: T): T {
  return structuredClone(v);
}
