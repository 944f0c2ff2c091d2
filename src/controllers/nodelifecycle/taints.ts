/**
 * Taints the node lifecycle controller owns (upstream doNoScheduleTaintingPass and
 * doNoExecuteTaintingPass): NoSchedule taints mirror node conditions; NoExecute not-ready /
 * unreachable taints follow the Ready condition (added rate-limited by the caller, removed at once).
 */
import type { Node } from './health.js';
import { notReadyTaintKey, unreachableTaintKey, type Taint } from './tolerations.js';

const conditionTaints: Array<{ type: string; status: string; key: string }> = [
  { type: 'Ready', status: 'False', key: notReadyTaintKey },
  { type: 'Ready', status: 'Unknown', key: unreachableTaintKey },
  { type: 'MemoryPressure', status: 'True', key: 'node.kubernetes.io/memory-pressure' },
  { type: 'DiskPressure', status: 'True', key: 'node.kubernetes.io/disk-pressure' },
  { type: 'PIDPressure', status: 'True', key: 'node.kubernetes.io/pid-pressure' },
  { type: 'NetworkUnavailable', status: 'True', key: 'node.kubernetes.io/network-unavailable' },
];
const unschedulableKey = 'node.kubernetes.io/unschedulable';
const ownedNoSchedule = new Set([...conditionTaints.map((c) => c.key), unschedulableKey]);
const ownedNoExecute = new Set([notReadyTaintKey, unreachableTaintKey]);

/** The NoExecute taint the Ready condition calls for (none when Ready=True). */
export function wantedNoExecute(node: Node): string | undefined {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (!ready) return undefined;
  if (ready.status === 'False') return notReadyTaintKey;
  if (ready.status === 'Unknown') return unreachableTaintKey;
  return undefined;
}

/**
 * The node's taints after both passes; `allowNoExecuteAdd` false keeps a NoExecute taint the node
 * lacks from being added yet (rate limit). Returns undefined when unchanged.
 */
export function nextTaints(node: Node, now: string, allowNoExecuteAdd: boolean): Taint[] | undefined {
  const current = node.spec?.taints ?? [];
  const conditions = node.status?.conditions ?? [];
  const wantNoSchedule = new Set(conditionTaints.filter((c) => conditions.some((x) => x.type === c.type && x.status === c.status)).map((c) => c.key));
  if (node.spec?.unschedulable) wantNoSchedule.add(unschedulableKey);
  const noExec = wantedNoExecute(node);
  const next: Taint[] = current.filter((t) => {
    if (t.effect === 'NoSchedule' && ownedNoSchedule.has(t.key)) return wantNoSchedule.has(t.key);
    if (t.effect === 'NoExecute' && ownedNoExecute.has(t.key)) return t.key === noExec;
    return true;
  });
  for (const key of wantNoSchedule) if (!next.some((t) => t.key === key && t.effect === 'NoSchedule')) next.push({ key, effect: 'NoSchedule' });
  if (noExec && allowNoExecuteAdd && !next.some((t) => t.key === noExec && t.effect === 'NoExecute')) next.push({ key: noExec, effect: 'NoExecute', timeAdded: now });
  const same = next.length === current.length && next.every((t, i) => t === current[i]);
  return same ? undefined : next;
}
