/**
 * NodeResourcesFit: the pod's requests (containers, init containers, sidecars, overhead) must fit
 * in the node's allocatable minus what placed pods request: `Too many pods`, `Insufficient cpu`,
 * `Insufficient memory`, `Insufficient ephemeral-storage`, `Insufficient <extended resource>`
 * (all that apply, preemption may help). Score: LeastAllocated over cpu and memory (weight 1
 * each) with upstream's non-zero defaults, so emptier nodes win.
 */
import { unschedulable, MAX_NODE_SCORE, type Plugin, type Result } from '../../framework.js';
import type { NodeInfo } from '../../node-info.js';
import { nodeAllocatable, podNonZeroRequests, podRequests } from '../../resources.js';
import type { Pod } from '../../types.js';

export const NAME = 'NodeResourcesFit';
const FIRST = ['cpu', 'memory', 'ephemeral-storage'];

/** Every reason the pod does not fit (empty when it fits). */
export function insufficientResources(pod: Pod, node: NodeInfo): string[] {
  const reasons: string[] = [];
  const alloc = node.node ? nodeAllocatable(node.node) : {};
  if (node.pods.size + 1 > (alloc.pods ?? 0)) reasons.push('Too many pods');
  const req = podRequests(pod);
  const names = [...FIRST, ...Object.keys(req).filter((r) => !FIRST.includes(r) && r !== 'pods').sort()];
  for (const r of names) {
    const want = req[r] ?? 0;
    if (want <= 0) continue;
    if (want > (alloc[r] ?? 0) - (node.requested[r] ?? 0)) reasons.push(`Insufficient ${r}`);
  }
  return reasons;
}

/** upstream leastRequestedScore: the free share after placing the pod, 0..100, integer. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.floor(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

export function leastAllocatedScore(pod: Pod, node: NodeInfo, weights: Readonly<Record<string, number>> = { cpu: 1, memory: 1 }): number {
  const alloc = node.node ? nodeAllocatable(node.node) : {};
  const req = podNonZeroRequests(pod);
  let total = 0;
  let weightSum = 0;
  for (const [r, w] of Object.entries(weights)) {
    const requested = (node.nonZeroRequested[r] ?? 0) + (req[r] ?? 0);
    total += leastRequestedScore(requested, alloc[r] ?? 0) * w;
    weightSum += w;
  }
  return weightSum === 0 ? 0 : Math.floor(total / weightSum);
}

export const nodeResourcesFit: Plugin = {
  name: NAME,
  filter(_ctx, pod, node): Result {
    const reasons = insufficientResources(pod, node);
    return reasons.length ? unschedulable(...reasons) : undefined;
  },
  score(_ctx, pod, node) {
    return leastAllocatedScore(pod, node);
  },
};
