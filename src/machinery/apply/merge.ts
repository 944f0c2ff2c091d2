/**
 * The object side of server-side apply: merging an applied configuration into the live object by the
 * schema's list types (structs and maps merge field by field, `listType=map` lists merge items by their
 * keys, sets take the union, atomic lists and scalars are replaced), and removing fields a manager
 * stopped applying. Both work on copies the caller owns.
 */
import type { Schema } from '../../api/schema.js';
import { fieldOf, itemSchema, rootSchema } from '../strategic/schema-context.js';
import { itemKey, listMapKeys, listTypeOf } from './field-path.js';

type JsonMap = Record<string, unknown>;
type Field = ReturnType<typeof fieldOf>;
const isMap = (v: unknown): v is JsonMap => v !== null && typeof v === 'object' && !Array.isArray(v);

function put(o: JsonMap, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
}

/** Live object with the applied configuration merged in. */
export function mergeApplied(live: JsonMap, applied: JsonMap, model: string): JsonMap {
  return mergeObject(live, applied, rootSchema(model));
}

function mergeObject(live: JsonMap, applied: JsonMap, schema: Schema | undefined): JsonMap {
  const out: JsonMap = { ...live };
  for (const [k, v] of Object.entries(applied)) {
    if (v === null || v === undefined) continue;
    const current = Object.hasOwn(out, k) ? out[k] : undefined;
    put(out, k, mergeField(current, v, fieldOf(schema, k)));
  }
  return out;
}

function mergeField(live: unknown, applied: unknown, field: Field): unknown {
  if (isMap(applied)) return isMap(live) ? mergeObject(live, applied, field.schema) : mergeObject({}, applied, field.schema);
  if (!Array.isArray(applied) || !Array.isArray(live)) return applied;
  const type = listTypeOf(field);
  if (type === 'atomic') return applied;
  if (type === 'set') {
    const seen = new Set(live.map((x) => JSON.stringify(x)));
    return [...live, ...applied.filter((x) => !seen.has(JSON.stringify(x)))];
  }
  const keys = listMapKeys(field);
  const items = itemSchema(field.schema);
  const out = [...live];
  for (const item of applied) {
    const id = itemKey(item, keys);
    const at = out.findIndex((x) => itemKey(x, keys) === id);
    if (at >= 0 && isMap(out[at]) && isMap(item)) out[at] = mergeObject(out[at] as JsonMap, item, items);
    else if (at >= 0) out[at] = item;
    else out.push(isMap(item) ? mergeObject({}, item, items) : item);
  }
  return out;
}

/** Removes the fields at `paths` (path element lists) from `obj` in place. */
export function removePaths(obj: JsonMap, paths: string[][], model: string): void {
  // Shallowest first: an item goes before its key fields would, which would make it unfindable.
  for (const path of [...paths].sort((a, b) => a.length - b.length)) removePath(obj, path, rootSchema(model));
}

function removePath(obj: JsonMap, path: string[], root: Schema | undefined): void {
  let container: unknown = obj;
  let schema: Schema | undefined = root;
  let field: Field | undefined;
  // Where the current container hangs, so an emptied list or map can go as Go's omitempty drops it.
  let holder: { parent: JsonMap; key: string; schema: Schema | undefined } | undefined;
  const dropIfEmpty = (): void => {
    if (!holder) return;
    const v = holder.parent[holder.key];
    const empty = Array.isArray(v) ? v.length === 0 : isMap(v) && holder.schema?.type === 'map' && Object.keys(v).length === 0;
    if (empty) delete holder.parent[holder.key];
  };
  for (let i = 0; i < path.length; i++) {
    const el = path[i];
    const last = i === path.length - 1;
    if (el.startsWith('f:')) {
      if (!isMap(container)) return;
      const name = el.slice(2);
      if (last) {
        delete container[name];
        dropIfEmpty();
        return;
      }
      field = fieldOf(schema, name);
      holder = { parent: container, key: name, schema: field.schema };
      container = Object.hasOwn(container, name) ? container[name] : undefined;
      schema = field.schema;
    } else {
      if (!Array.isArray(container) || !field) return;
      const list: unknown[] = container;
      const at = el.startsWith('k:')
        ? list.findIndex((x) => itemKey(x, listMapKeys(field!)) === el)
        : list.findIndex((x) => `v:${JSON.stringify(x)}` === el);
      if (at < 0) return;
      if (last) {
        list.splice(at, 1);
        dropIfEmpty();
        return;
      }
      container = list[at];
      schema = itemSchema(schema);
      holder = undefined;
    }
  }
}
