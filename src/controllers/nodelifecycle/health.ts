/**
 * Node health from heartbeats (upstream node_lifecycle_controller tryUpdateNodeHealth): a node is
 * probed when its Lease's renewTime or its Ready condition's lastHeartbeatTime moves on, timed by OUR
 * clock (no clock skew between kubelet and controller). Past the grace period the node's conditions
 * become Unknown ("Kubelet stopped posting node status.").
 */
import type { KubeObject } from '../../api/types.js';

export interface NodeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

export interface Node extends KubeObject {
  spec?: { taints?: import('./tolerations.js').Taint[]; unschedulable?: boolean };
  status?: { conditions?: NodeCondition[]; [k: string]: unknown };
}

export interface Lease extends KubeObject {
  spec?: { renewTime?: string; holderIdentity?: string };
}

/** Conditions the controller marks Unknown when the kubelet goes silent. */
export const monitoredConditions = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

interface Probe {
  renewTime?: string;
  heartbeat?: string;
  /** Our clock when a heartbeat was last seen (or when we first saw the node). */
  probedAt: number;
}

export class NodeHealthTracker {
  private readonly probes = new Map<string, Probe>();

  /** Records what the caches show now; returns ms since the last observed heartbeat. */
  observe(node: Node, lease: Lease | undefined, now: number): number {
    const name = node.metadata?.name ?? '';
    const heartbeat = node.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime;
    const renewTime = lease?.spec?.renewTime;
    const prior = this.probes.get(name);
    if (!prior) {
      this.probes.set(name, { renewTime, heartbeat, probedAt: now });
      return 0;
    }
    if ((renewTime && renewTime !== prior.renewTime) || (heartbeat && heartbeat !== prior.heartbeat)) {
      prior.probedAt = now;
      prior.renewTime = renewTime;
      prior.heartbeat = heartbeat;
    }
    return now - prior.probedAt;
  }

  forget(name: string): void {
    this.probes.delete(name);
  }
}

/** The node's conditions with the monitored ones set to Unknown; undefined when nothing changes. */
export function unknownConditions(node: Node, now: string): NodeCondition[] | undefined {
  const current = node.status?.conditions ?? [];
  let changed = false;
  const next = current.map((c) => {
    if (!monitoredConditions.includes(c.type) || c.status === 'Unknown') return c;
    changed = true;
    return { ...c, status: 'Unknown' as const, reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: now };
  });
  for (const type of monitoredConditions) {
    if (current.some((c) => c.type === type)) continue;
    changed = true;
    next.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: now, lastTransitionTime: now });
  }
  return changed ? next : undefined;
}
