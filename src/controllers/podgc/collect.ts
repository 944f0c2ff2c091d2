/**
 * The pod garbage collector's three sweeps (upstream pkg/controller/podgc/gc_controller.go), pure
 * choices over cached pods and nodes: terminated pods beyond the threshold (oldest first, evicted
 * first), pods bound to nodes that no longer exist, and terminating pods never scheduled.
 */
import type { KubeObject } from '../../api/types.js';

export interface Pod extends KubeObject {
  spec?: { nodeName?: string };
  status?: { phase?: string; reason?: string };
}

export const isTerminated = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/** The terminated pods to delete so that at most `threshold` remain (threshold <= 0 disables). */
export function terminatedOverThreshold(pods: readonly Pod[], threshold: number): Pod[] {
  if (threshold <= 0) return [];
  const done = pods.filter(isTerminated);
  const excess = done.length - threshold;
  if (excess <= 0) return [];
  const evicted = (p: Pod): number => (p.status?.reason === 'Evicted' ? 0 : 1);
  return [...done]
    .sort((a, b) => evicted(a) - evicted(b) || (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? '') || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))
    .slice(0, excess);
}

/** Names of nodes pods are bound to that the node cache does not hold. */
export function missingNodes(pods: readonly Pod[], nodeNames: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const p of pods) {
    const n = p.spec?.nodeName;
    if (n && !nodeNames.has(n)) out.add(n);
  }
  return out;
}

export const podsOnNodes = (pods: readonly Pod[], nodes: ReadonlySet<string>): Pod[] => pods.filter((p) => !!p.spec?.nodeName && nodes.has(p.spec.nodeName));

export const unscheduledTerminating = (pods: readonly Pod[]): Pod[] => pods.filter((p) => !!p.metadata?.deletionTimestamp && !p.spec?.nodeName);
