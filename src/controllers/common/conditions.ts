/**
 * Status conditions shared by the workload controllers: find one, and set one the way upstream does
 * (lastTransitionTime moves only when the status flips; reason/message/lastProbeTime refresh).
 */
import { nowRfc3339, type Condition } from '../replicaset/types.js';

export function findCondition(conds: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conds?.find((c) => c.type === type);
}

export function isConditionTrue(conds: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(conds, type)?.status === 'True';
}

/** Returns a new condition list with `type` set; `withProbeTime` adds lastProbeTime (Job conditions carry it). */
export function setCondition(conds: readonly Condition[] | undefined, next: Omit<Condition, 'lastTransitionTime'>, now: number, withProbeTime = false): Condition[] {
  const list = [...(conds ?? [])];
  const at = nowRfc3339(now);
  const i = list.findIndex((c) => c.type === next.type);
  const prior = i >= 0 ? list[i] : undefined;
  const cond: Condition = {
    ...next,
    ...(withProbeTime ? { lastProbeTime: at } : {}),
    lastTransitionTime: prior && prior.status === next.status ? prior.lastTransitionTime : at,
  };
  if (prior && prior.status === cond.status && prior.reason === cond.reason && prior.message === cond.message) return list;
  if (i >= 0) list[i] = cond;
  else list.push(cond);
  return list;
}
