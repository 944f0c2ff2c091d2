/**
 * NodeResourcesBalancedAllocation: prefer nodes whose cpu and memory would be used in similar
 * proportions after placing the pod: score = (1 - standard deviation of the usage fractions) x 100.
 */
import { MAX_NODE_SCORE, type Plugin } from '../../framework.js';
import type { NodeInfo } from '../../node-info.js';
import { podNonZeroRequests, type Resources } from '../../resources.js';
import type { Pod } from '../../types.js';

export const NAME = 'NodeResourcesBalancedAllocation';
const DEFAULT_RESOURCES: readonly string[] = ['cpu', 'memory'];

export function balancedAllocationScore(pod: Pod, node: NodeInfo, resources: readonly string[] = DEFAULT_RESOURCES, req = podNonZeroRequests(pod)): number {
  if (resources === DEFAULT_RESOURCES) {
    // The default pair read from NodeInfo's plain cpu/memory fields (same values, no keyed lookups).
    node.refreshIfStale();
    const cpu = node.allocCpu;
    const memory = node.allocMemory;
    if (cpu > 0 && memory > 0) {
      const fa = Math.min(1, (node.nonZeroCpu + (req.cpu ?? 0)) / cpu);
      const fb = Math.min(1, (node.nonZeroMemory + (req.memory ?? 0)) / memory);
      return Math.trunc((1 - Math.abs(fa - fb) / 2) * MAX_NODE_SCORE);
    }
  }
  const alloc = node.allocatable;
  if (resources.length === 2) {
    // The default pair without allocations: |f1 - f2| / 2 is the standard deviation of two values.
    const [a, b] = resources as [string, string];
    const ca = alloc[a] ?? 0;
    const cb = alloc[b] ?? 0;
    if (ca > 0 && cb > 0) {
      const fa = Math.min(1, ((node.nonZeroRequested[a] ?? 0) + (req[a] ?? 0)) / ca);
      const fb = Math.min(1, ((node.nonZeroRequested[b] ?? 0) + (req[b] ?? 0)) / cb);
      return Math.trunc((1 - Math.abs(fa - fb) / 2) * MAX_NODE_SCORE);
    }
  }
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
  preScore(ctx, pod) {
    ctx.state.set(NAME, podNonZeroRequests(pod));
  },
  score(ctx, pod, node) {
    return balancedAllocationScore(pod, node, DEFAULT_RESOURCES, ctx.state.get(NAME) as Resources | undefined);
  },
};
