/**
 * The Node object of a real (containerd) node and its status, as upstream's kubelet fills them:
 * labels (kubernetes.io/hostname, os, arch and their beta twins, the k3s-style control-plane role),
 * spec.podCIDR(s), capacity/allocatable, conditions (MemoryPressure, DiskPressure, PIDPressure,
 * Ready with upstream's reasons and messages), addresses, daemonEndpoints, nodeInfo and the 50
 * largest images.
 *
 * Inputs: facts gathered by host-facts.ts and the agent's options. Outputs: a Node to create, and
 * a status to PATCH (`statusFingerprint` ignores heartbeat times to tell whether it changed).
 */
import type { KubeObject } from '../../api/types.js';

export const MAX_IMAGES_IN_STATUS = 50;

export interface NodeImage {
  names: string[];
  sizeBytes: number;
}

export interface NodeFacts {
  nodeName: string;
  podCIDR: string;
  kubeletPort: number;
  internalIP: string;
  hostname: string;
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
  nodeInfo: Record<string, string>;
  images: NodeImage[];
  labels?: Record<string, string>;
  /** Label the node `node-role.kubernetes.io/control-plane` (a `skiff up`/`server` node, as k3s servers); default true. */
  controlPlane?: boolean;
}

/** Inputs of the conditions: pressures observed, and whether the runtime is ready (an error text when not). */
export interface NodeHealth {
  memoryPressure: boolean;
  diskPressure: boolean;
  runtimeError?: string;
}

export interface ConditionTimes {
  heartbeat: string;
  /** lastTransitionTime per condition type, kept while the status does not change. */
  transitions: Map<string, { status: string; at: string }>;
}

/** Upstream's 50 largest images, biggest first (nodestatus.Images with nodeStatusMaxImages). */
export function topImages(images: NodeImage[]): NodeImage[] {
  return images
    .filter((i) => i.names.length > 0)
    .sort((a, b) => b.sizeBytes - a.sizeBytes)
    .slice(0, MAX_IMAGES_IN_STATUS)
    .map((i) => ({ names: [...i.names], sizeBytes: i.sizeBytes }));
}

export function nodeLabels(facts: Pick<NodeFacts, 'nodeName' | 'nodeInfo' | 'labels' | 'controlPlane'>): Record<string, string> {
  const os = facts.nodeInfo.operatingSystem ?? 'linux';
  const arch = facts.nodeInfo.architecture ?? 'amd64';
  return {
    'beta.kubernetes.io/arch': arch,
    'beta.kubernetes.io/os': os,
    'kubernetes.io/arch': arch,
    'kubernetes.io/hostname': facts.nodeName,
    'kubernetes.io/os': os,
    ...(facts.controlPlane === false ? {} : { 'node-role.kubernetes.io/control-plane': '' }),
    ...facts.labels,
  };
}

export function nodeConditions(health: NodeHealth, times: ConditionTimes): Array<Record<string, string>> {
  const condition = (type: string, status: string, reason: string, message: string) => {
    const prev = times.transitions.get(type);
    const at = prev && prev.status === status ? prev.at : times.heartbeat;
    times.transitions.set(type, { status, at });
    return { type, status, lastHeartbeatTime: times.heartbeat, lastTransitionTime: at, reason, message };
  };
  return [
    health.memoryPressure
      ? condition('MemoryPressure', 'True', 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available')
      : condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    health.diskPressure
      ? condition('DiskPressure', 'True', 'KubeletHasDiskPressure', 'kubelet has disk pressure')
      : condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    health.runtimeError
      ? condition('Ready', 'False', 'KubeletNotReady', health.runtimeError)
      : condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

export function nodeStatus(facts: NodeFacts, health: NodeHealth, times: ConditionTimes): Record<string, unknown> {
  return {
    capacity: { ...facts.capacity },
    allocatable: { ...facts.allocatable },
    conditions: nodeConditions(health, times),
    addresses: [
      { type: 'InternalIP', address: facts.internalIP },
      { type: 'Hostname', address: facts.hostname },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: facts.kubeletPort } },
    nodeInfo: { ...facts.nodeInfo },
    images: topImages(facts.images),
  };
}

export function buildNode(facts: NodeFacts, status: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: facts.nodeName, labels: nodeLabels(facts), annotations: { 'node.alpha.kubernetes.io/ttl': '0' } },
    spec: { podCIDR: facts.podCIDR, podCIDRs: [facts.podCIDR] },
    status,
  };
}

/** The status without heartbeat times: equal fingerprints mean nothing worth posting changed. */
export function statusFingerprint(status: Record<string, unknown>): string {
  const conditions = (status.conditions as Array<Record<string, string>>).map(({ lastHeartbeatTime: _ignored, ...rest }) => rest);
  return JSON.stringify({ ...status, conditions });
}
