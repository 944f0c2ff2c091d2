/**
 * Reading plain JSON objects safely and formatting values as upstream's printers do: ages
 * (duration.HumanDuration), label maps (labels.FormatLabels), label selectors
 * (metav1.FormatLabelSelector), container name/image lists, access modes, "a,b,c + N more...".
 */
import type { KubeObject } from '../../api/types.js';
import { age, humanDuration, parseTimestamp } from '../../machinery/duration.js';
import { labelSelectorToString, selectorFromLabelSelector, type LabelSelectorSpec } from '../../machinery/labels.js';

export type Json = Record<string, unknown>;

export const rec = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const recs = (v: unknown): Json[] => arr(v).map(rec);
export const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');
export const int = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0);
export const has = (v: unknown): boolean => v !== undefined && v !== null;

/** obj.a.b.c with every missing step read as {}. */
export function at(obj: unknown, ...path: string[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Json)[p];
  }
  return cur;
}

export const name = (obj: KubeObject): string => obj.metadata?.name ?? '';

/** translateTimestampSince: `<unknown>` for a zero time, else HumanDuration(now - t). */
export function since(ts: unknown, now: number): string {
  return age(typeof ts === 'string' ? ts : undefined, now);
}

export const objectAge = (obj: KubeObject, now: number): string => since(obj.metadata?.creationTimestamp, now);

/** Milliseconds of an RFC 3339 time, or undefined. */
export function timeOf(ts: unknown): number | undefined {
  if (typeof ts !== 'string' || ts === '') return undefined;
  try {
    return parseTimestamp(ts);
  } catch {
    return undefined;
  }
}

/** duration.HumanDuration of an interval between two times. */
export const humanBetween = (fromMs: number, toMs: number): string => humanDuration(toMs - fromMs);

/** labels.FormatLabels: sorted k=v joined by commas, `<none>` when empty. */
export function formatLabels(m: unknown): string {
  const entries = Object.entries(rec(m)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return '<none>';
  return entries.map(([k, v]) => `${k}=${str(v)}`).join(',');
}

/** metav1.LabelSelectorAsSelector(...).String(); `undefined` when the selector is invalid. */
export function selectorString(sel: unknown): string | undefined {
  try {
    return labelSelectorToString(selectorFromLabelSelector(has(sel) ? (rec(sel) as LabelSelectorSpec) : undefined));
  } catch {
    return undefined;
  }
}

/** metav1.FormatLabelSelector: `<none>` for empty, `<error>` for invalid. */
export function formatLabelSelector(sel: unknown): string {
  const s = selectorString(sel);
  if (s === undefined) return '<error>';
  return s === '' ? '<none>' : s;
}

/** layoutContainerCells: container names and images, comma separated. */
export function containerCells(containers: unknown): [string, string] {
  const cs = recs(containers);
  return [cs.map((c) => str(c.name)).join(','), cs.map((c) => str(c.image)).join(',')];
}

/** helper.GetAccessModesAsString. */
export function accessModes(modes: unknown): string {
  const ms = new Set(arr(modes).map(str));
  const out: string[] = [];
  if (ms.has('ReadWriteOnce')) out.push('RWO');
  if (ms.has('ReadOnlyMany')) out.push('ROX');
  if (ms.has('ReadWriteMany')) out.push('RWX');
  if (ms.has('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

/** listWithMoreString: the first `max` entries, then " + N more..."; `<unset>` for none. */
export function listWithMore(list: string[], count: number, max: number): string {
  const shown = list.slice(0, max).join(',');
  if (count > max) return `${shown} + ${count - max} more...`;
  return shown === '' ? '<unset>' : shown;
}

/** net.JoinHostPort. */
export const joinHostPort = (host: string, port: number | string): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** printBool / printBoolPtr. */
export const boolWord = (v: unknown): string => (typeof v === 'boolean' ? (v ? 'True' : 'False') : '<unset>');

/** IntOrString.String(). */
export const intOrString = (v: unknown): string => (typeof v === 'number' ? String(Math.trunc(v)) : str(v));

/** A resource.Quantity as stored (already canonical on decode); '0' when absent. */
export const quantity = (v: unknown): string => (v === undefined || v === null || v === '' ? '0' : str(v));
