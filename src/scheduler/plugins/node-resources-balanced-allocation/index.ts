/**
 * NodeResourcesBalancedAllocation: prefer nodes whose cpu and memory would be used in similar
 * proportions after placing the pod: score = (1 - standard deviation of the usage fractions) x 100.
 */
import { MAX_NODE_SCORE, type Plugin } from '../../framework.js';
import type { NodeInfo } from '../../node-info.js';
import { podNonZeroRequests } from '../../resources.js';
import type { Pod } from '../../types.js';

export const NAME = 'NodeResourcesBalancedAllocation';

export function balancedAllocationScore(pod: Pod, node: NodeInfo, resources: readonly string[] = ['cpu', 'memory']): number {
  const alloc = node.allocatable;
  const req = podNonZeroRequests(pod);
  const fractions: number[] = [];
  for (const r of resources) {
    const capacity = alloc[r] ?? 0;
    if (capacity === 0) continue;
    fractions.push(Math.min(1, ((node.nonZeroRequested[r] ?? 0) + (req[r] ?? 0)) / capacity));
  }
  let std = 0;
  if (fractions.length === 2) std = Math.abs(fractions[0]! - fractions[1]!) / 2;
  else if (fractions.length > 2) {
    const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
    std = Math.sqrt(fractions.reduce((a, f) => a + (f - mean) ** 2, 0) / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export const nodeResourcesBalancedAllocation: Plugin = {
  name: NAME,
  score(_ctx, pod, node) {
    return balancedAllocationScore(pod, node);
  },
};
