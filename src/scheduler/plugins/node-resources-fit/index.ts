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

const requestLists = new WeakMap<object, Array<[string, number]>>();

/** The pod's non-zero requests in upstream's check order: cpu, memory, ephemeral-storage, then the rest sorted. */
function requestList(pod: Pod): Array<[string, number]> {
  let list = requestLists.get(pod);
  if (!list) {
    const req = podRequests(pod);
    const names = [...FIRST, ...Object.keys(req).filter((r) => !FIRST.includes(r) && r !== 'pods').sort()];
    list = names.filter((r) => (req[r] ?? 0) > 0).map((r) => [r, req[r]!] as [string, number]);
    requestLists.set(pod, list);
  }
  return list;
}

/** Every reason the pod does not fit (empty when it fits). */
export function insufficientResources(pod: Pod, node: NodeInfo, list = requestList(pod)): string[] {
  let reasons: string[] | undefined;
  const alloc = node.allocatable;
  if (node.pods.size + 1 > (alloc.pods ?? 0)) (reasons ??= []).push('Too many pods');
  for (let i = 0; i < list.length; i++) {
    const [r, want] = list[i]!;
    if (want > (alloc[r] ?? 0) - (node.requested[r] ?? 0)) (reasons ??= []).push(`Insufficient ${r}`);
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
  const alloc = node.allocatable;
  const cpu = leastRequestedScore((node.nonZeroRequested.cpu ?? 0) + (req.cpu ?? 0), alloc.cpu ?? 0);
  const memory = leastRequestedScore((node.nonZeroRequested.memory ?? 0) + (req.memory ?? 0), alloc.memory ?? 0);
  return Math.floor((cpu + memory) / 2);
}

export const nodeResourcesFit: Plugin = {
  name: NAME,
  preFilter(ctx, pod) {
    ctx.state.set(NAME, requestList(pod));
    return undefined;
  },
  filter(ctx, pod, node): Result {
    const reasons = insufficientResources(pod, node, ctx.state.get(NAME) as Array<[string, number]> | undefined);
    return reasons.length ? unschedulable(...reasons) : undefined;
  },
  preScore(ctx, pod) {
    ctx.state.set(SCORE_KEY, podNonZeroRequests(pod));
  },
  score(ctx, pod, node) {
    return leastAllocatedScore(pod, node, ctx.state.get(SCORE_KEY) as Resources | undefined);
  },
};
