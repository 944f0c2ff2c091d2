/**
 * DaemonSet RollingUpdate (upstream pkg/controller/daemon/update.go rollingUpdate): per node, replace a
 * pod of an old revision. maxSurge 0: delete old pods (unavailable ones first and freely), at most
 * maxUnavailable unavailable at once; the next sync creates the new pod. maxSurge > 0: start the new pod
 * beside the old one (up to maxSurge nodes at once), delete the old pod once the new one is available.
 */
import { isPodAvailable } from '../common/pods.js';
import { scaledValue } from '../deployment/util.js';
import type { DaemonSet, Pod } from './types.js';

export interface NodePods {
  node: string;
  pods: Pod[];
}

export interface RollingPlan {
  deletePods: Pod[];
  /** Nodes that get a surge pod of the new revision. */
  createOn: string[];
}

/** [maxSurge, maxUnavailable] against the desired count (percentages round up); both 0 means 1 unavailable. */
export function rollingBudget(ds: DaemonSet, desired: number): [number, number] {
  const ru = ds.spec.updateStrategy?.rollingUpdate ?? {};
  const surge = scaledValue(ru.maxSurge ?? 0, desired, true, '0');
  const unavailable = scaledValue(ru.maxUnavailable ?? 1, desired, true, '1');
  return surge === 0 && unavailable === 0 ? [0, 1] : [surge, unavailable];
}

export function planRollingUpdate(ds: DaemonSet, nodes: NodePods[], isNew: (p: Pod) => boolean, desired: number, now: number): RollingPlan {
  const [maxSurge, maxUnavailable] = rollingBudget(ds, desired);
  const minReady = ds.spec.minReadySeconds ?? 0;
  const available = (p: Pod) => isPodAvailable(p, minReady, now);
  const plan: RollingPlan = { deletePods: [], createOn: [] };
  if (maxSurge === 0) {
    let unavailable = 0;
    const candidates: Pod[] = [];
    for (const { pods } of nodes) {
      const live = pods.filter((p) => !p.metadata.deletionTimestamp);
      const cur = live[0];
      if (!cur || !available(cur)) unavailable++;
      if (!cur || isNew(cur)) continue;
      // An old pod that is down costs nothing more to replace.
      if (!available(cur)) plan.deletePods.push(cur);
      else candidates.push(cur);
    }
    for (const p of candidates) {
      if (unavailable >= maxUnavailable) break;
      plan.deletePods.push(p);
      unavailable++;
    }
    return plan;
  }
  let surging = 0;
  const wantSurge: string[] = [];
  for (const { node, pods } of nodes) {
    const live = pods.filter((p) => !p.metadata.deletionTimestamp);
    const oldPods = live.filter((p) => !isNew(p));
    const newPod = live.find(isNew);
    if (!oldPods.length) continue;
    if (newPod) {
      if (available(newPod)) plan.deletePods.push(...oldPods);
      else surging++;
      continue;
    }
    if (oldPods.every((p) => !available(p))) plan.deletePods.push(...oldPods);
    else wantSurge.push(node);
  }
  for (const node of wantSurge) {
    if (surging >= maxSurge) break;
    plan.createOn.push(node);
    surging++;
  }
  return plan;
}
