/**
 * NodeInfo: one node with the pods placed on it (bound or assumed) and the totals the filters
 * need: requested resources, non-zero requests for scoring, host ports in use, and the pods that
 * carry (anti-)affinity terms. `clone()` gives a private copy for preemption's what-if runs.
 */
import { addInto, nodeAllocatable, podNonZeroRequests, podRequests, type Resources } from './resources.js';
import { podKey, type Node, type Pod } from './types.js';

export interface PodInfo {
  pod: Pod;
  key: string;
  /** spec.priority, or resolved from the PriorityClass when the API server left it unset. */
  priority: number;
}

export interface HostPort { ip: string; protocol: string; port: number }

export class NodeInfo {
  /**
   * What NodeResourcesFit reads for every node of every cycle, as the object's first own fields (one
   * memory read per node instead of a walk to the pod map and a separate allocatable object):
   * allocatable cpu (millicores), memory and pods, valid after `allocatableHot` (or `refreshIfStale()`),
   * and the number of pods placed.
   */
  allocCpu = 0;
  allocMemory = 0;
  allocPods = 0;
  podCount = 0;
  readonly pods = new Map<string, PodInfo>();
  requested: Resources = {};
  nonZeroRequested: Resources = {};
  /** Hot copies of requested/nonZeroRequested cpu and memory (plain fields, fast to read). */
  requestedCpu = 0;
  requestedMemory = 0;
  nonZeroCpu = 0;
  nonZeroMemory = 0;
  usedPorts: HostPort[] = [];
  /** Pods on this node with pod affinity or anti-affinity terms (InterPodAffinity reads only these). */
  podsWithAffinity = 0;
  /** Bumped on every change; lets callers cache per-node derived data. */
  generation = 0;

  constructor(public node: Node | undefined) {}

  private allocatableOf?: Node;
  private allocatableCache: Resources = {};

  get name(): string {
    return this.node?.metadata?.name ?? '';
  }

  private hot = { cpu: 0, memory: 0, pods: 0 };

  /** The node's allocatable resources, parsed (cached per Node object). */
  get allocatable(): Resources {
    if (this.allocatableOf !== this.node) this.refreshAllocatable();
    return this.allocatableCache;
  }

  /** Allocatable cpu (millicores), memory and pods as plain fields. */
  get allocatableHot(): { readonly cpu: number; readonly memory: number; readonly pods: number } {
    if (this.allocatableOf !== this.node) this.refreshAllocatable();
    return this.hot;
  }

  /** Makes allocCpu / allocMemory / allocPods current for the node object (cheap when they are). */
  refreshIfStale(): void {
    if (this.allocatableOf !== this.node) this.refreshAllocatable();
  }

  private refreshAllocatable(): void {
    this.allocatableOf = this.node;
    this.allocatableCache = this.node ? nodeAllocatable(this.node) : {};
    this.hot = { cpu: this.allocatableCache.cpu ?? 0, memory: this.allocatableCache.memory ?? 0, pods: this.allocatableCache.pods ?? 0 };
    this.allocCpu = this.hot.cpu;
    this.allocMemory = this.hot.memory;
    this.allocPods = this.hot.pods;
  }

  addPod(info: PodInfo): void {
    if (this.pods.has(info.key)) this.removePod(info.key);
    this.pods.set(info.key, info);
    this.podCount = this.pods.size;
    addInto(this.requested, podRequests(info.pod));
    addInto(this.nonZeroRequested, podNonZeroRequests(info.pod));
    this.syncHotFields();
    for (const p of hostPortsOf(info.pod)) this.usedPorts.push(p);
    if (hasAffinity(info.pod)) this.podsWithAffinity++;
    this.generation++;
  }

  removePod(key: string): PodInfo | undefined {
    const info = this.pods.get(key);
    if (!info) return undefined;
    this.pods.delete(key);
    this.podCount = this.pods.size;
    addInto(this.requested, podRequests(info.pod), -1);
    addInto(this.nonZeroRequested, podNonZeroRequests(info.pod), -1);
    this.syncHotFields();
    if (hostPortsOf(info.pod).length) {
      this.usedPorts = [];
      for (const other of this.pods.values()) for (const p of hostPortsOf(other.pod)) this.usedPorts.push(p);
    }
    if (hasAffinity(info.pod)) this.podsWithAffinity--;
    this.generation++;
    return info;
  }

  private syncHotFields(): void {
    this.requestedCpu = this.requested.cpu ?? 0;
    this.requestedMemory = this.requested.memory ?? 0;
    this.nonZeroCpu = this.nonZeroRequested.cpu ?? 0;
    this.nonZeroMemory = this.nonZeroRequested.memory ?? 0;
  }

  clone(): NodeInfo {
    const c = new NodeInfo(this.node);
    for (const p of this.pods.values()) c.addPod(p);
    return c;
  }
}

export function hasAffinity(pod: Pod): boolean {
  const a = pod.spec?.affinity;
  return !!(a?.podAffinity || a?.podAntiAffinity);
}

/** The host ports a pod asks for (containers and init containers), defaults applied as upstream. */
export function hostPortsOf(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  return out;
}

export function podInfo(pod: Pod, priority: number): PodInfo {
  return { pod, key: podKey(pod), priority };
}
