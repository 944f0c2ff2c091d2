/**
 * Coalescing user values with chart defaults (helm pkg/chartutil/coalesce.go).
 * Rules: user values win over chart defaults, maps merge and scalars/lists replace, a `null`
 * user value deletes the chart default (coalesce) or is kept (merge), subchart values live under
 * the subchart's name, and `global` is copied down into every subchart.
 * Inputs are never mutated: the user values are deep-copied first.
 */
import type { HelmMap, HelmValue } from './yaml.js';
import { isHelmMap } from './yaml.js';

/** The part of a chart coalescing needs (the loaded Chart satisfies it). */
export interface ValuesChart {
  name: string;
  values: HelmMap;
  dependencies: ValuesChart[];
}

export type Warn = (message: string) => void;
const silent: Warn = () => undefined;

export function deepCopy<T extends HelmValue>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => deepCopy(x)) as T;
  if (isHelmMap(v)) {
    const out: HelmMap = {};
    for (const [k, x] of Object.entries(v)) out[k] = deepCopy(x);
    return out as T;
  }
  return v;
}

/** CoalesceValues: final values for rendering (nulls delete keys). */
export function coalesceValues(chart: ValuesChart, vals: HelmMap | null, warn: Warn = silent): HelmMap {
  return coalesce(warn, chart, deepCopy(vals ?? {}), '', false);
}

/** MergeValues: like coalesceValues but null values are kept. */
export function mergeValues(chart: ValuesChart, vals: HelmMap | null, warn: Warn = silent): HelmMap {
  return coalesce(warn, chart, deepCopy(vals ?? {}), '', true);
}

function concatPrefix(a: string, b: string): string { return a === '' ? b : `${a}.${b}`; }

function coalesce(warn: Warn, ch: ValuesChart, dest: HelmMap, prefix: string, merge: boolean): HelmMap {
  coalesceChartValues(warn, ch, dest, prefix, merge);
  return coalesceDeps(warn, ch, dest, prefix, merge);
}

function coalesceDeps(warn: Warn, ch: ValuesChart, dest: HelmMap, prefix: string, merge: boolean): HelmMap {
  for (const sub of ch.dependencies) {
    if (!(sub.name in dest)) dest[sub.name] = {};
    else if (!isHelmMap(dest[sub.name])) throw new Error(`type mismatch on ${sub.name}: %!t(${goTypeName(dest[sub.name])}=${String(dest[sub.name])})`);
    const dv = dest[sub.name] as HelmMap;
    const subPrefix = concatPrefix(prefix, ch.name);
    coalesceGlobals(warn, dv, dest, subPrefix);
    dest[sub.name] = coalesce(warn, sub, dv, subPrefix, merge);
  }
  return dest;
}

function goTypeName(v: HelmValue): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'bigint') return 'int64';
  if (typeof v === 'number') return 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  return 'bool';
}

function coalesceGlobals(warn: Warn, dest: HelmMap, src: HelmMap, prefix: string): void {
  let dg: HelmMap;
  let sg: HelmMap;
  if (!('global' in dest)) dg = {};
  else if (isHelmMap(dest.global)) dg = dest.global;
  else { warn('warning: skipping globals because destination global is not a table.'); return; }
  if (!('global' in src)) sg = {};
  else if (isHelmMap(src.global)) sg = src.global;
  else { warn('warning: skipping globals because source global is not a table.'); return; }

  for (const [key, val] of Object.entries(sg)) {
    if (isHelmMap(val)) {
      const vv: HelmMap = { ...val };
      if (!(key in dg)) {
        dg[key] = vv;
      } else if (!isHelmMap(dg[key])) {
        warn(`Conflict: cannot merge map onto non-map for "${key}". Skipping.`);
      } else {
        coalesceTablesFullKey(warn, vv, dg[key] as HelmMap, concatPrefix(prefix, key), true);
        dg[key] = vv;
      }
    } else if (key in dg && isHelmMap(dg[key])) {
      warn(`key ${key} is table. Skipping`);
    } else {
      dg[key] = val;
    }
  }
  dest.global = dg;
}

function coalesceChartValues(warn: Warn, ch: ValuesChart, v: HelmMap, prefix: string, merge: boolean): void {
  const subPrefix = concatPrefix(prefix, ch.name);
  const vc = deepCopy(ch.values ?? {});
  for (const [key, val] of Object.entries(vc)) {
    if (key in v) {
      const value = v[key];
      if (value === null && !merge) {
        delete v[key];
      } else if (isHelmMap(value)) {
        if (!isHelmMap(val)) {
          if (val !== null) warn(`warning: skipped value for ${subPrefix}.${key}: Not a table.`);
        } else {
          const childMerge = ch.dependencies.some((d) => d.name === key) ? true : merge;
          coalesceTablesFullKey(warn, value, val, concatPrefix(subPrefix, key), childMerge);
        }
      }
    } else {
      v[key] = val;
    }
  }
}

/** CoalesceTables: merge src into dst, dst authoritative; nulls in dst delete src defaults. */
export function coalesceTables(dst: HelmMap, src: HelmMap, warn: Warn = silent): HelmMap {
  return coalesceTablesFullKey(warn, dst, src, '', false);
}

/** MergeTables: like coalesceTables but nulls are kept. */
export function mergeTables(dst: HelmMap, src: HelmMap, warn: Warn = silent): HelmMap {
  return coalesceTablesFullKey(warn, dst, src, '', true);
}

function coalesceTablesFullKey(warn: Warn, dst: HelmMap | null, src: HelmMap | null, prefix: string, merge: boolean): HelmMap {
  if (src === null) return dst ?? {};
  if (dst === null) return src;
  const srcOriginalNonNil = new Set(Object.keys(src).filter((k) => src[k] !== null));
  for (const [key, val] of Object.entries(dst)) if (val === null) src[key] = null;
  for (const [key, val] of Object.entries(src)) {
    const fullKey = concatPrefix(prefix, key);
    const has = key in dst;
    const dv = dst[key];
    if (has && !merge && dv === null && srcOriginalNonNil.has(key)) {
      delete dst[key];
    } else if (!has) {
      dst[key] = val;
    } else if (isHelmMap(val)) {
      if (isHelmMap(dv)) coalesceTablesFullKey(warn, dv, val, fullKey, merge);
      else warn(`warning: cannot overwrite table with non table for ${fullKey} (${goPrint(val)})`);
    } else if (isHelmMap(dv) && val !== null) {
      warn(`warning: destination for ${fullKey} is a table. Ignoring non-table value (${goPrint(val)})`);
    }
  }
  return dst;
}

function goPrint(v: HelmValue): string {
  if (isHelmMap(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${goPrint(v[k])}`).join(' ')}]`;
  if (Array.isArray(v)) return `[${v.map(goPrint).join(' ')}]`;
  if (v === null) return '<nil>';
  return String(v);
}
