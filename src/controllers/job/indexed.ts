/**
 * Indexed completion mode helpers (upstream pkg/controller/job/indexed_job_utils.go): the completion
 * index of a pod, the compressed `completedIndexes` interval list ("0-2,5"), and which indexes still
 * need an active pod.
 */
import { COMPLETION_INDEX_ANNOTATION, type Pod } from './types.js';

/** The pod's completion index, or undefined when missing or out of [0, completions). */
export function indexOf(pod: Pod, completions: number): number | undefined {
  const raw = pod.metadata.annotations?.[COMPLETION_INDEX_ANNOTATION];
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return n < completions ? n : undefined;
}

/** Parses "0-2,5" into a sorted set of indexes (ignoring anything at or above `completions`). */
export function parseIndexes(text: string | undefined, completions: number): Set<number> {
  const out = new Set<number>();
  for (const part of (text ?? '').split(',')) {
    if (!part) continue;
    const [a, b] = part.split('-');
    const lo = Number(a);
    const hi = b === undefined ? lo : Number(b);
    if (!Number.isInteger(lo) || !Number.isInteger(hi)) continue;
    for (let i = lo; i <= hi && i < completions; i++) out.add(i);
  }
  return out;
}

/** Formats indexes as sorted intervals: [0,1,2,5] => "0-2,5". */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((x, y) => x - y);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Lowest indexes that are neither completed nor held by an active pod, at most `count` of them. */
export function indexesToCreate(completions: number, completed: Set<number>, activeIndexes: Set<number>, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) if (!completed.has(i) && !activeIndexes.has(i)) out.push(i);
  return out;
}
