/**
 * Sprig list, dict, default and reflection functions: list/append/prepend/first/rest/last/
 * initial/reverse/uniq/without/has/compact/slice/concat/chunk, dict/get/set/unset/hasKey/pluck/
 * dig/keys/values/pick/omit/merge/mergeOverwrite/deepCopy, default/empty/coalesce/all/any/
 * ternary, typeOf/typeIs/typeIsLike/kindOf/kindIs/deepEqual. Non-`must` variants fail the same
 * way as `must` ones because Go templates turn a function's panic into an error.
 */
import type { FuncMap, GoMap } from './engine.js';
import { isPlainObject, kindName, kindOf, mapEntries, typeName } from './engine.js';
import { asList, goKindName, isEmpty, strval, toInt64 } from './convert.js';

/** reflect.DeepEqual over the value model. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const ka = kindOf(a);
  if (ka !== kindOf(b)) return false;
  switch (ka) {
    case 'float': return Number.isNaN(a) ? false : a === b;
    case 'slice': {
      const x = a as unknown[]; const y = b as unknown[];
      return x.length === y.length && x.every((v, i) => deepEqual(v, y[i]));
    }
    case 'bytes': return Buffer.compare(Buffer.from(a as Uint8Array), Buffer.from(b as Uint8Array)) === 0;
    case 'map': case 'struct': {
      const x = mapEntries(a); const y = mapEntries(b);
      return x.length === y.length && x.every(([k, v], i) => y[i][0] === k && deepEqual(v, y[i][1]));
    }
    default: return false;
  }
}

export function deepCopy(v: unknown): unknown {
  switch (kindOf(v)) {
    case 'slice': return (v as unknown[]).map(deepCopy);
    case 'bytes': return new Uint8Array(v as Uint8Array);
    case 'map': { const o: GoMap = {}; for (const [k, x] of mapEntries(v)) o[k] = deepCopy(x); return o; }
    default: return v;
  }
}

function asMap(v: unknown): GoMap {
  if (v instanceof Map) return Object.fromEntries(v) as GoMap;
  return v as GoMap;
}

const has = (m: GoMap, k: string) => Object.prototype.hasOwnProperty.call(m, k);

/** mergo.Merge(dst, src[, WithOverride]) for map[string]interface{} trees. */
export function mergeInto(dst: GoMap, src: GoMap, overwrite: boolean): GoMap {
  for (const [k, sv] of Object.entries(src)) {
    const dv = dst[k];
    if (has(dst, k) && isPlainObject(dv) && isPlainObject(sv)) { mergeInto(dv, sv, overwrite); continue; }
    if (isEmpty(sv)) { if (!has(dst, k)) dst[k] = sv; continue; }
    if (overwrite || !has(dst, k) || isEmpty(dv)) dst[k] = sv;
  }
  return dst;
}

function sliceList(list: unknown, ...idx: unknown[]): unknown {
  const k = kindOf(list);
  if (k !== 'slice' && k !== 'bytes') throw new Error(`list should be type of slice or array but ${goKindName(list)}`);
  const l = asList(list, 'slice');
  if (l.length === 0) return null;
  const start = idx.length > 0 ? Number(toInt64(idx[0])) : 0;
  const end = idx.length > 1 ? Number(toInt64(idx[1])) : l.length;
  if (start < 0 || end > l.length || start > end) throw new Error('reflect.Value.Slice: slice index out of bounds');
  return l.slice(start, end);
}

function inList(l: unknown[], v: unknown) { return l.some((x) => deepEqual(x, v)); }

function dig(...ps: unknown[]): unknown {
  if (ps.length < 3) throw new Error('dig needs at least three arguments');
  let dict = ps[ps.length - 1];
  const def = ps[ps.length - 2];
  const keys = ps.slice(0, -2);
  for (let i = 0; i < keys.length; i++) {
    if (kindOf(dict) !== 'map') throw new Error(`interface conversion: interface {} is ${typeName(dict)}, not map[string]interface {}`);
    const m = asMap(dict);
    const k = keys[i];
    if (typeof k !== 'string') throw new Error(`interface conversion: interface {} is ${typeName(k)}, not string`);
    if (!has(m, k)) return def;
    dict = m[k];
  }
  return dict;
}

const M = 'map' as const;
const S = 'string' as const;

export const collectionFuncs: FuncMap = {
  list: (...a) => a,
  tuple: (...a) => a,
  append: (l, v) => [...asList(l, 'push'), v],
  push: (l, v) => [...asList(l, 'push'), v],
  mustAppend: (l, v) => [...asList(l, 'push'), v],
  mustPush: (l, v) => [...asList(l, 'push'), v],
  prepend: (l, v) => [v, ...asList(l, 'prepend')],
  mustPrepend: (l, v) => [v, ...asList(l, 'prepend')],
  first: (l) => { const a = asList(l, 'find first'); return a.length ? a[0] : null; },
  mustFirst: (l) => { const a = asList(l, 'find first'); return a.length ? a[0] : null; },
  last: (l) => { const a = asList(l, 'find last'); return a.length ? a[a.length - 1] : null; },
  mustLast: (l) => { const a = asList(l, 'find last'); return a.length ? a[a.length - 1] : null; },
  rest: (l) => { const a = asList(l, 'find rest'); return a.length ? a.slice(1) : null; },
  mustRest: (l) => { const a = asList(l, 'find rest'); return a.length ? a.slice(1) : null; },
  initial: (l) => { const a = asList(l, 'find initial'); return a.length ? a.slice(0, -1) : null; },
  mustInitial: (l) => { const a = asList(l, 'find initial'); return a.length ? a.slice(0, -1) : null; },
  reverse: (l) => [...asList(l, 'find reverse')].reverse(),
  mustReverse: (l) => [...asList(l, 'find reverse')].reverse(),
  uniq: (l) => asList(l, 'find uniq').reduce<unknown[]>((acc, x) => (inList(acc, x) ? acc : [...acc, x]), []),
  mustUniq: (l) => asList(l, 'find uniq').reduce<unknown[]>((acc, x) => (inList(acc, x) ? acc : [...acc, x]), []),
  without: (l, ...omit) => asList(l, 'find without').filter((x) => !inList(omit, x)),
  mustWithout: (l, ...omit) => asList(l, 'find without').filter((x) => !inList(omit, x)),
  has: (needle, hay) => (hay === null ? false : inList(asList(hay, 'find has'), needle)),
  mustHas: (needle, hay) => (hay === null ? false : inList(asList(hay, 'find has'), needle)),
  compact: (l) => asList(l, 'compact').filter((x) => !isEmpty(x)),
  mustCompact: (l) => asList(l, 'compact').filter((x) => !isEmpty(x)),
  slice: sliceList,
  mustSlice: sliceList,
  concat: (...lists) => lists.flatMap((l) => {
    const k = kindOf(l);
    if (k !== 'slice' && k !== 'bytes') throw new Error(`Cannot concat type ${goKindName(l)} as list`);
    return asList(l, 'concat');
  }),
  chunk: { fn: (size, l) => chunk(Number(size), asList(l, 'chunk')), params: ['int', 'any'] },
  mustChunk: { fn: (size, l) => chunk(Number(size), asList(l, 'chunk')), params: ['int', 'any'] },

  dict: (...kv) => {
    const d: GoMap = {};
    for (let i = 0; i < kv.length; i += 2) d[strval(kv[i])] = i + 1 < kv.length ? kv[i + 1] : '';
    return d;
  },
  get: { fn: (d, k) => { const m = asMap(d); return has(m, k as string) ? m[k as string] : ''; }, params: [M, S] },
  set: { fn: (d, k, v) => { (d as GoMap)[k as string] = v; return d; }, params: [M, S, 'any'] },
  unset: { fn: (d, k) => { delete (d as GoMap)[k as string]; return d; }, params: [M, S] },
  hasKey: { fn: (d, k) => has(asMap(d), k as string), params: [M, S] },
  pluck: { fn: (k, ...ds) => ds.filter((d) => has(asMap(d), k as string)).map((d) => asMap(d)[k as string]), params: [S], variadic: M },
  keys: { fn: (...ds) => ds.flatMap((d) => mapEntries(d).map(([k]) => k)), params: [], variadic: M },
  values: { fn: (d) => mapEntries(d).map(([, v]) => v), params: [M] },
  pick: { fn: (d, ...ks) => { const m = asMap(d); const o: GoMap = {}; for (const k of ks as string[]) if (has(m, k)) o[k] = m[k]; return o; }, params: [M], variadic: S },
  omit: { fn: (d, ...ks) => { const o: GoMap = {}; for (const [k, v] of mapEntries(d)) if (!(ks as string[]).includes(k)) o[k] = v; return o; }, params: [M], variadic: S },
  merge: { fn: (dst, ...srcs) => srcs.reduce<GoMap>((acc, s) => mergeInto(acc, asMap(s), false), dst as GoMap), params: [M], variadic: M },
  mustMerge: { fn: (dst, ...srcs) => srcs.reduce<GoMap>((acc, s) => mergeInto(acc, asMap(s), false), dst as GoMap), params: [M], variadic: M },
  mergeOverwrite: { fn: (dst, ...srcs) => srcs.reduce<GoMap>((acc, s) => mergeInto(acc, asMap(s), true), dst as GoMap), params: [M], variadic: M },
  mustMergeOverwrite: { fn: (dst, ...srcs) => srcs.reduce<GoMap>((acc, s) => mergeInto(acc, asMap(s), true), dst as GoMap), params: [M], variadic: M },
  deepCopy: (v) => { if (v === null) throw new Error('copy: Must be non-nil'); return deepCopy(v); },
  mustDeepCopy: (v) => { if (v === null) throw new Error('copy: Must be non-nil'); return deepCopy(v); },
  dig,

  default: (d, ...given) => (given.length === 0 || isEmpty(given[0]) ? d : given[0]),
  coalesce: (...v) => v.find((x) => !isEmpty(x)) ?? null,
  all: (...v) => v.every((x) => !isEmpty(x)),
  any: (...v) => v.some((x) => !isEmpty(x)),
  ternary: { fn: (t, f, c) => (c ? t : f), params: ['any', 'any', 'bool'] },

  typeOf: (v) => typeName(v),
  typeIs: { fn: (t, v) => t === typeName(v), params: [S, 'any'] },
  typeIsLike: { fn: (t, v) => t === typeName(v) || t === '*' + typeName(v), params: [S, 'any'] },
  kindOf: (v) => kindName(v),
  kindIs: { fn: (t, v) => t === kindName(v), params: [S, 'any'] },
  deepEqual: (a, b) => deepEqual(a, b),
};

function chunk(size: number, l: unknown[]): unknown[][] {
  if (size <= 0) throw new Error('runtime error: integer divide by zero');
  const out: unknown[][] = [];
  for (let i = 0; i < l.length; i += size) out.push(l.slice(i, i + size));
  return out;
}
