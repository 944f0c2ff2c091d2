/**
 * NodeResourcesFit: the pod's requests (containers, init containers, sidecars, overhead) must fit
 * in the node's allocatable minus what placed pods request: `Too many pods`, `Insufficient cpu`,
 * `Insufficient memory`, `Insufficient ephemeral-storage`, `Insufficient <extended resource>`
 * (all that apply, preemption may help). Score: LeastAllocated over cpu and memory (weight 1
 * each) with upstream's non-zero defaults, so emptier nodes win.
 */
import { unschedulable, MAX_NODE_SCORE, type Plugin, type Result } from '../../framework.js';
import type { NodeInfo } from '../../node-info.js';
import { podNonZeroRequests, podRequests, type Resources } from '../../resources.js';
import type { Pod } from '../../types.js';

export const NAME = 'NodeResourcesFit';
const SCORE_KEY = `${NAME}/score`;
const FIRST = ['cpu', 'memory', 'ephemeral-storage'];

/** The pod's requests in the shape the filter reads: cpu and memory apart, then the rest in upstream's order. */
export interface RequestList {
  cpu: number;
  memory: number;
  /** ephemeral-storage, then extended resources sorted, non-zero only. */
  others: Array<[string, number]>;
}
const requestLists = new WeakMap<object, RequestList>();

export function requestList(pod: Pod): RequestList {
  let list = requestLists.get(pod);
  if (!list) {
    const req = podRequests(pod);
    const names = ['ephemeral-storage', ...Object.keys(req).filter((r) => !FIRST.includes(r) && r !== 'pods').sort()];
    list = { cpu: req.cpu ?? 0, memory: req.memory ?? 0, others: names.filter((r) => (req[r] ?? 0) > 0).map((r) => [r, req[r]!] as [string, number]) };
    requestLists.set(pod, list);
  }
  return list;
}

/** Every reason the pod does not fit (empty when it fits). */
export function insufficientResources(pod: Pod, node: NodeInfo, list: RequestList = requestList(pod)): string[] {
  let reasons: string[] | undefined;
  node.refreshIfStale();
  if (node.podCount + 1 > node.allocPods) (reasons ??= []).push('Too many pods');
  if (list.cpu > 0 && list.cpu > node.allocCpu - node.requestedCpu) (reasons ??= []).push('Insufficient cpu');
  if (list.memory > 0 && list.memory > node.allocMemory - node.requestedMemory) (reasons ??= []).push('Insufficient memory');
  if (list.others.length) {
    const alloc = node.allocatable;
    for (const [r, want] of list.others) if (want > (alloc[r] ?? 0) - (node.requested[r] ?? 0)) (reasons ??= []).push(`Insufficient ${r}`);
  }
  return reasons ?? NONE;
}
const NONE: string[] = [];

/** upstream leastRequestedScore: the free share after placing the pod, 0..100, integer. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.floor(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/** LeastAllocated over cpu and memory, equal weights (the default scoring strategy). */
export function leastAllocatedScore(pod: Pod, node: NodeInfo, req: Resources = podNonZeroRequests(pod)): number {
  node.refreshIfStale();
  const cpu = leastRequestedScore(node.nonZeroCpu + (req.cpu ?? 0), node.allocCpu);
  const memory = leastRequestedScore(node.nonZeroMemory + (req.memory ?? 0), node.allocMemory);
  return Math.floor((cpu + memory) / 2);
}

export const nodeResourcesFit: Plugin = {
  name: NAME,
  preFilter(ctx, pod) {
    ctx.state.set(NAME, requestList(pod));
    return undefined;
  },
  filter(ctx, pod, node): Result {
    const reasons = insufficientResources(pod, node, ctx.state.get(NAME) as RequestList | undefined);
    return reasons.length ? unschedulable(...reasons) : undefined;
  },
  preScore(ctx, pod) {
    ctx.state.set(SCORE_KEY, podNonZeroRequests(pod));
  },
  score(ctx, pod, node) {
    return leastAllocatedScore(pod, node, ctx.state.get(SCORE_KEY) as Resources | undefined);
  },
};
