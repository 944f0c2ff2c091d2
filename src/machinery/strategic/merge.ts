/**
 * The strategic merge itself: maps merged key by key, lists merged by their merge key (or as sets of
 * scalars) when the schema says `patchStrategy: merge`, otherwise replaced; directives `$patch`,
 * `$retainKeys`, `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>` honoured, nulls
 * delete. Works on private copies: callers pass values they own.
 */
import type { Schema } from '../../api/schema.js';
import { errors } from './errors.js';
import { normalizeOrder, sameItem, type JsonMap } from './order.js';
import { fieldOf, itemSchema, strategies, type FieldContext } from './schema-context.js';

export const DIRECTIVE = '$patch';
export const RETAIN_KEYS = '$retainKeys';
export const SET_ORDER = '$setElementOrder/';
export const DELETE_FROM_PRIMITIVE = '$deleteFromPrimitiveList/';

/** Returned by mergeMap for `$patch: delete`: the containing field goes. */
export const DELETED = Symbol('deleted');

export function isMap(v: unknown): v is JsonMap {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function own(o: JsonMap, k: string): unknown {
  return Object.hasOwn(o, k) ? o[k] : undefined;
}

/** Sets a key without ever touching the prototype (a `__proto__` key from JSON is data). */
function put(o: JsonMap, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
}

function kind(v: unknown): 'map' | 'list' | 'scalar' {
  return Array.isArray(v) ? 'list' : isMap(v) ? 'map' : 'scalar';
}

/** Merges `patch` into `original` (mutated and returned); `undefined` original = empty map. */
export function mergeMap(original: JsonMap | undefined, patch: JsonMap, ctx: Schema | undefined): JsonMap | typeof DELETED {
  if (Object.hasOwn(patch, DIRECTIVE)) {
    const directive = patch[DIRECTIVE];
    const rest = { ...patch };
    delete rest[DIRECTIVE];
    if (directive === 'delete') return DELETED;
    if (directive === 'replace') return mergeMap(undefined, rest, ctx);
    if (directive !== 'merge') throw errors.badPatchType(directive, patch);
    patch = rest;
  }
  const out = original ?? {};
  applyRetainKeys(out, patch);
  mergeOrderedLists(out, patch, ctx);
  for (const [k, pv] of Object.entries(patch)) {
    if (k === RETAIN_KEYS || k.startsWith(SET_ORDER)) continue;
    const deleteList = k.startsWith(DELETE_FROM_PRIMITIVE);
    const key = deleteList ? k.slice(DELETE_FROM_PRIMITIVE.length) : k;
    if (deleteList && !Array.isArray(pv)) throw errors.badPrimitiveList();
    if (pv === null) {
      delete out[key];
      continue;
    }
    const field = fieldOf(ctx, key);
    const ov = own(out, key);
    if (ov === undefined || kind(ov) !== kind(pv)) {
      if (deleteList) continue;
      const fresh = fromNothing(pv, field);
      if (fresh === DELETED) delete out[key];
      else put(out, key, fresh);
      continue;
    }
    const merged = mergeValue(ov, pv, field, deleteList);
    if (merged === DELETED) delete out[key];
    else put(out, key, merged);
  }
  return out;
}

/** A patch value for a field the original lacks: merged into nothing, so directives and nulls go. */
function fromNothing(pv: unknown, field: FieldContext): unknown {
  if (isMap(pv)) return mergeMap(undefined, pv, field.schema);
  if (Array.isArray(pv)) return mergeList([], pv, field, false);
  return pv;
}

function mergeValue(ov: unknown, pv: unknown, field: FieldContext, deleteList: boolean): unknown {
  if (isMap(ov) && isMap(pv)) {
    if (strategies(field.meta).replace) return mergeMap(undefined, pv, field.schema);
    return mergeMap(ov, pv, field.schema);
  }
  if (Array.isArray(ov) && Array.isArray(pv)) return mergeList(ov, pv, field, deleteList);
  return pv;
}

/** `$retainKeys: [...]`: fields of the original not listed are cleared; the patch may only set listed ones. */
function applyRetainKeys(out: JsonMap, patch: JsonMap): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const keep = patch[RETAIN_KEYS];
  if (!Array.isArray(keep)) throw errors.badRetainKeys();
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k === RETAIN_KEYS || k.startsWith(SET_ORDER) || k.startsWith(DELETE_FROM_PRIMITIVE) || k === DIRECTIVE) continue;
    if (!keep.includes(k)) throw errors.retainKeysMismatch();
  }
  for (const k of Object.keys(out)) if (!keep.includes(k)) delete out[k];
}

/**
 * `$setElementOrder/<list>`: the list (with its patch, if any, and `$deleteFromPrimitiveList`) is
 * merged here and then put in the given order; the patch entries are consumed.
 */
function mergeOrderedLists(out: JsonMap, patch: JsonMap, ctx: Schema | undefined): void {
  for (const [k, order] of Object.entries(patch)) {
    if (!k.startsWith(SET_ORDER)) continue;
    if (!Array.isArray(order)) throw errors.badSetElementOrder();
    const key = k.slice(SET_ORDER.length);
    const field = fieldOf(ctx, key);
    const mergeKey = field.meta?.mergeKey;
    for (const item of order) {
      if (Array.isArray(item)) throw errors.listOfLists();
      if (isMap(item) && (!mergeKey || !Object.hasOwn(item, mergeKey))) throw errors.badSetElementOrder();
    }
    const ov = own(out, key);
    let merged: unknown[] = Array.isArray(ov) ? ov : [];
    const deletions = own(patch, DELETE_FROM_PRIMITIVE + key);
    if (Array.isArray(deletions)) {
      merged = merged.filter((x) => !deletions.some((d) => sameItem(x, d, undefined)));
      delete patch[DELETE_FROM_PRIMITIVE + key];
    } else if (deletions !== undefined) throw errors.badPrimitiveList();
    const pv = own(patch, key);
    if (Array.isArray(pv)) merged = mergeList(merged, pv, field, false);
    else if (pv === null) merged = [];
    delete patch[key];
    const result = strategies(field.meta).merge ? normalizeOrder(merged, order, Array.isArray(ov) ? ov : [], mergeKey) : merged;
    if (result.length === 0 && ov === undefined) continue;
    put(out, key, result);
  }
}

/** Merges two lists as the field's strategy says; `deleteList` = `$deleteFromPrimitiveList`. */
export function mergeList(original: unknown[], patch: unknown[], field: FieldContext, deleteList: boolean): unknown[] {
  const strategy = strategies(field.meta);
  if (!strategy.merge) return stripListDirectives(patch, field);
  if (original.length === 0 && patch.length === 0) return original;
  if (patch.some(Array.isArray) || original.some(Array.isArray)) throw errors.listOfLists();
  const maps = [...original, ...patch].some(isMap);
  if (!maps) {
    if (deleteList) return original.filter((x) => !patch.some((d) => sameItem(x, d, undefined)));
    const merged: unknown[] = [];
    for (const x of [...original, ...patch]) if (!merged.some((m) => sameItem(m, x, undefined))) merged.push(x);
    return normalizeOrder(merged, patch, original, undefined);
  }
  const mergeKey = field.meta?.mergeKey;
  if (!mergeKey) throw errors.noMergeKeyDeclared(field.name);
  let base = original;
  const items: JsonMap[] = [];
  let replace = false;
  for (const item of patch) {
    if (!isMap(item)) throw errors.noMergeKey(item, mergeKey);
    if (!Object.hasOwn(item, DIRECTIVE)) {
      items.push(item);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === 'delete') {
      if (!Object.hasOwn(item, mergeKey)) throw errors.noMergeKey(item, mergeKey);
      base = base.filter((x) => !(isMap(x) && x[mergeKey] === item[mergeKey]));
    } else if (directive === 'replace') replace = true;
    else if (directive === 'merge') throw errors.mergeListDirective();
    else throw errors.badPatchType(directive, item);
  }
  const itemCtx = { ...field, schema: itemSchema(field.schema), meta: undefined };
  if (replace) return items.map((i) => fromNothing(i, itemCtx));
  const merged = [...base];
  for (const item of items) {
    if (!Object.hasOwn(item, mergeKey)) throw errors.noMergeKey(item, mergeKey);
    const at = merged.findIndex((x) => isMap(x) && x[mergeKey] === item[mergeKey]);
    const next = mergeMap(at >= 0 ? (merged[at] as JsonMap) : undefined, item, itemCtx.schema);
    if (next === DELETED) {
      if (at >= 0) merged.splice(at, 1);
    } else if (at >= 0) merged[at] = next;
    else merged.push(next);
  }
  return normalizeOrder(merged, items, base, mergeKey);
}

/** A replaced list keeps its items but loses directive entries (`{$patch: replace}`) and nested directives. */
function stripListDirectives(patch: unknown[], field: FieldContext): unknown[] {
  const itemCtx = { ...field, schema: itemSchema(field.schema), meta: undefined };
  const out: unknown[] = [];
  for (const item of patch) {
    if (isMap(item) && Object.keys(item).length === 1 && Object.hasOwn(item, DIRECTIVE)) continue;
    const v = fromNothing(item, itemCtx);
    if (v !== DELETED) out.push(v);
  }
  return out;
}
