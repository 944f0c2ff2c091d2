/**
 * The API objects of a simulated node: the Node (labels, capacity, podCIDR, addresses, nodeInfo,
 * kubelet-style conditions), its heartbeat Lease in kube-node-lease, and the address plan —
 * node i gets podCIDR 10.244.i.0/24 (continuing into 10.245.x, 10.246.x... past 256 nodes) and
 * InternalIP 172.16.0.10 + i. Pod IPs are handed out from the node's /24 (.2 to .254).
 */
import { formatMicroTime, formatTimestamp } from '../../machinery/duration.js';
import type { KubeObject } from '../../api/types.js';
import type { NodeRegistration } from '../runtime.js';

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export const defaultCapacity: Record<string, string> = { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' };

export const LEASE_NAMESPACE = 'kube-node-lease';
export const LEASE_DURATION_SECONDS = 40;

const ipv4 = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
const POD_NET_BASE = (10 << 24) | (244 << 16);
const HOST_NET_BASE = ((172 << 24) | (16 << 16) | 10) >>> 0;

export function podCIDRFor(index: number): string {
  return `${ipv4((POD_NET_BASE + index * 256) >>> 0)}/24`;
}

export function hostIPFor(index: number): string {
  return ipv4((HOST_NET_BASE + index) >>> 0);
}

/** The runtime-side facts of simulated node `index` (see NodeRuntime.registerNode). */
export function simRegistration(name: string, index: number, capacity: Record<string, string>): NodeRegistration {
  return {
    capacity: { ...capacity },
    allocatable: { ...capacity },
    addresses: [{ type: 'InternalIP', address: hostIPFor(index) }, { type: 'Hostname', address: name }],
    podCIDR: podCIDRFor(index),
    nodeInfo: {
      machineID: `sim${String(index).padStart(29, '0')}`,
      systemUUID: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      bootID: `00000000-0000-4000-9000-${String(index).padStart(12, '0')}`,
      kernelVersion: '6.1.0-skiff-sim',
      osImage: 'Skiff simulated node',
      containerRuntimeVersion: 'sim://0.1',
      kubeletVersion: 'v1.32.0',
      kubeProxyVersion: 'v1.32.0',
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
  };
}

/** Kubelet's node conditions, all healthy, with `heartbeat` as lastHeartbeatTime. */
export function nodeConditions(heartbeat: string, transition: string): Array<Record<string, string>> {
  const c = (type: string, status: string, reason: string, message: string) => ({ type, status, lastHeartbeatTime: heartbeat, lastTransitionTime: transition, reason, message });
  return [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

export function buildNode(name: string, reg: NodeRegistration, opts: { labels?: Record<string, string>; taints?: Taint[]; now?: number }): KubeObject {
  const at = formatTimestamp(opts.now ?? Date.now());
  const spec: Record<string, unknown> = {};
  if (reg.podCIDR) Object.assign(spec, { podCIDR: reg.podCIDR, podCIDRs: [reg.podCIDR] });
  if (opts.taints?.length) spec.taints = opts.taints.map((t) => ({ ...t }));
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': 'skiff-sim',
        type: 'kwok-like',
        ...opts.labels,
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'skiff.dev/sim-node': 'true' },
    },
    spec,
    status: {
      capacity: reg.capacity,
      allocatable: reg.allocatable,
      conditions: nodeConditions(at, at),
      addresses: reg.addresses,
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: reg.nodeInfo,
      phase: 'Running',
    },
  };
}

export function buildLease(nodeName: string, nodeUID: string | undefined, now = Date.now()): KubeObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: nodeName,
      namespace: LEASE_NAMESPACE,
      ...(nodeUID ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: nodeUID }] } : {}),
    },
    spec: { holderIdentity: nodeName, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: formatMicroTime(now) },
  };
}

/** Hands out pod IPs from one node's /24; the same pod (by uid) always gets the same address. */
export class PodIPPool {
  private readonly byPod = new Map<string, number>();
  private readonly used = new Set<number>();
  private readonly base: number;

  constructor(cidr: string) {
    const [a, b, c] = cidr.split('/')[0]!.split('.').map(Number);
    this.base = ((a! << 24) | (b! << 16) | (c! << 8)) >>> 0;
  }

  /** Records an address already in a pod's status (after a restart of the simulator). */
  reserve(uid: string, ip: string): void {
    const host = Number(ip.split('.')[3]);
    if (ip.startsWith(ipv4(this.base).split('.').slice(0, 3).join('.') + '.') && host > 1 && host < 255) {
      this.byPod.set(uid, host);
      this.used.add(host);
    }
  }

  allocate(uid: string): string | undefined {
    let host = this.byPod.get(uid);
    if (host === undefined) {
      for (let h = 2; h < 255; h++) if (!this.used.has(h)) { host = h; break; }
      if (host === undefined) return undefined;
      this.byPod.set(uid, host);
      this.used.add(host);
    }
    return ipv4((this.base + host) >>> 0);
  }

  release(uid: string): void {
    const host = this.byPod.get(uid);
    if (host === undefined) return;
    this.byPod.delete(uid);
    this.used.delete(host);
  }

  get size(): number {
    return this.byPod.size;
  }
}
