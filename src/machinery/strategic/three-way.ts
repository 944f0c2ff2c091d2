/**
 * Client side of strategic merge patch: the three-way patch kubectl apply (and helm upgrade) send.
 *
 * Input: `original` (the last applied configuration), `modified` (the new configuration), `current`
 * (the live object), and the kind's model name. Output: a patch that, applied to `current` with
 * applyStrategicMergePatch, yields `current` with `modified`'s values and without the fields removed
 * from `original` to `modified`. As upstream's CreateThreeWayMergePatch: changes and additions are
 * diffed from current to modified (deletions ignored, so fields set by others survive), deletions
 * from original to modified (changes ignored), and the two patches combined. Lists merged by key get
 * `$patch: delete` items and `$setElementOrder/<list>`; merged primitive lists get
 * `$deleteFromPrimitiveList/<list>`; retainKeys fields get `$retainKeys`.
 */
import type { Schema } from '../../api/schema.js';
import { schemaFor } from '../../api/schema.js';
import { DELETE_FROM_PRIMITIVE, DIRECTIVE, isMap, RETAIN_KEYS, SET_ORDER } from './merge.js';
import type { JsonMap } from './order.js';
import { fieldOf, itemSchema, strategies, type FieldContext } from './schema-context.js';
import { errors } from './errors.js';
import { isDeepStrictEqual } from 'node:util';

interface DiffOptions {
  ignoreDeletions: boolean;
  ignoreChangesAndAdditions: boolean;
  buildRetainKeys: boolean;
}

export function createThreeWayMergePatch(original: unknown, modified: unknown, current: unknown, model: string): JsonMap {
  const root = schemaFor(model);
  const asMap = (v: unknown): JsonMap => (isMap(v) ? v : {});
  const delta = diffMaps(asMap(current), asMap(modified), root, { ignoreDeletions: true, ignoreChangesAndAdditions: false, buildRetainKeys: false });
  const deletions = diffMaps(asMap(original), asMap(modified), root, { ignoreDeletions: false, ignoreChangesAndAdditions: true, buildRetainKeys: false });
  return combine(deletions, delta, root);
}

/** A (strategic) two-way diff from `original` to `modified`, with the options above. */
function diffMaps(original: JsonMap, modified: JsonMap, ctx: Schema | undefined, opts: DiffOptions): JsonMap {
  const patch: JsonMap = {};
  const retain: string[] = [];
  for (const [k, mv] of Object.entries(modified)) {
    if (opts.buildRetainKeys && mv !== null) retain.push(k);
    if (!Object.hasOwn(original, k)) {
      if (!opts.ignoreChangesAndAdditions) patch[k] = mv;
      continue;
    }
    const ov = original[k];
    const field = fieldOf(ctx, k);
    const strategy = strategies(field.meta);
    if (isMap(ov) && isMap(mv)) {
      if (strategy.replace) {
        if (!opts.ignoreChangesAndAdditions && !isDeepStrictEqual(ov, mv)) patch[k] = mv;
        continue;
      }
      const sub = diffMaps(ov, mv, field.schema, { ...opts, buildRetainKeys: strategy.retainKeys });
      if (Object.keys(sub).length > 0) patch[k] = sub;
    } else if (Array.isArray(ov) && Array.isArray(mv) && strategy.merge) {
      diffLists(k, ov, mv, field, { ...opts, buildRetainKeys: strategy.retainKeys }, patch);
    } else if (!opts.ignoreChangesAndAdditions && !isDeepStrictEqual(ov, mv)) {
      patch[k] = mv;
    }
  }
  if (!opts.ignoreDeletions) for (const k of Object.keys(original)) if (!Object.hasOwn(modified, k)) patch[k] = null;
  const clears = Object.entries(original).some(([k, v]) => v !== null && !Object.hasOwn(modified, k));
  if (retain.length > 0 && (Object.keys(patch).length > 0 || clears)) patch[RETAIN_KEYS] = [...retain].sort();
  return patch;
}

const keyString = (item: unknown, mergeKey: string): string => String(isMap(item) ? item[mergeKey] : item);

function diffLists(key: string, original: unknown[], modified: unknown[], field: FieldContext, opts: DiffOptions, patch: JsonMap): void {
  if (original.length === 0 && modified.length === 0) return;
  if ([...original, ...modified].some(Array.isArray)) throw errors.listOfLists();
  const mergeKey = field.meta?.mergeKey;
  const maps = [...original, ...modified].some(isMap);
  if (maps) {
    if (!mergeKey) throw errors.noMergeKeyDeclared(field.name);
    for (const item of [...original, ...modified]) if (!isMap(item) || !Object.hasOwn(item, mergeKey)) throw errors.noMergeKey(item, mergeKey);
    const changes: JsonMap[] = [];
    const deletes: JsonMap[] = [];
    const byKey = new Map(original.map((o) => [keyString(o, mergeKey), o as JsonMap]));
    const modifiedKeys = new Set(modified.map((m) => keyString(m, mergeKey)));
    for (const m of modified as JsonMap[]) {
      const o = byKey.get(keyString(m, mergeKey));
      if (o === undefined) {
        if (!opts.ignoreChangesAndAdditions) changes.push(m);
        continue;
      }
      const sub = diffMaps(o, m, itemSchema(field.schema), opts);
      if (Object.keys(sub).length > 0) changes.push({ ...sub, [mergeKey]: m[mergeKey] });
    }
    if (!opts.ignoreDeletions) {
      for (const o of original as JsonMap[]) if (!modifiedKeys.has(keyString(o, mergeKey))) deletes.push({ [DIRECTIVE]: 'delete', [mergeKey]: o[mergeKey] });
    }
    const orderSame = isDeepStrictEqual(
      original.map((o) => keyString(o, mergeKey)).filter((k) => modifiedKeys.has(k)),
      modified.map((m) => keyString(m, mergeKey)).filter((k) => byKey.has(k)),
    );
    const items = [...changes, ...deletes];
    if (items.length > 0) patch[key] = items;
    if ((!opts.ignoreChangesAndAdditions && (items.length > 0 || !orderSame)) || (!opts.ignoreDeletions && items.length > 0)) {
      patch[SET_ORDER + key] = (modified as JsonMap[]).map((m) => ({ [mergeKey]: m[mergeKey] }));
    }
    return;
  }
  const has = (list: unknown[], x: unknown): boolean => list.some((y) => y === x);
  const additions = opts.ignoreChangesAndAdditions ? [] : modified.filter((m, i) => !has(original, m) && modified.indexOf(m) === i);
  const deletions = opts.ignoreDeletions ? [] : original.filter((o, i) => !has(modified, o) && original.indexOf(o) === i);
  if (additions.length > 0) patch[key] = additions;
  if (deletions.length > 0) patch[DELETE_FROM_PRIMITIVE + key] = deletions;
  if ((!opts.ignoreDeletions && deletions.length > 0) || (!opts.ignoreChangesAndAdditions && !isDeepStrictEqual(original, modified))) {
    patch[SET_ORDER + key] = modified;
  }
}

/** Combines the deletions patch with the changes patch (both from the same schema). */
function combine(deletions: JsonMap, delta: JsonMap, ctx: Schema | undefined): JsonMap {
  const out: JsonMap = { ...deletions };
  for (const [k, v] of Object.entries(delta)) {
    const d = Object.hasOwn(out, k) ? out[k] : undefined;
    if (d === undefined || k.startsWith(SET_ORDER) || k === RETAIN_KEYS) {
      out[k] = v;
      continue;
    }
    if (isMap(d) && isMap(v)) {
      out[k] = combine(d, v, fieldOf(ctx, k).schema);
    } else if (Array.isArray(d) && Array.isArray(v) && strategies(fieldOf(ctx, k).meta).merge) {
      out[k] = combineLists(d, v, fieldOf(ctx, k));
    } else {
      out[k] = v;
    }
  }
  return out;
}

/** Items of both patches for one merged list: the same item (by merge key) combined, changes first, then deletions. */
function combineLists(deletions: unknown[], delta: unknown[], field: FieldContext): unknown[] {
  const mergeKey = field.meta?.mergeKey;
  if (!mergeKey) return [...delta, ...deletions.filter((x) => !delta.some((y) => isDeepStrictEqual(x, y)))];
  const rest = [...deletions];
  const out = delta.map((item) => {
    if (!isMap(item)) return item;
    const at = rest.findIndex((x) => isMap(x) && !Object.hasOwn(x, DIRECTIVE) && x[mergeKey] === item[mergeKey]);
    if (at < 0) return item;
    const [match] = rest.splice(at, 1);
    return combine(match as JsonMap, item, itemSchema(field.schema));
  });
  return [...out, ...rest];
}
