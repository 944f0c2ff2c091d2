/**
 * The scheduler's view of the cluster, fed by informers: NodeInfo per node with the pods placed
 * on it (bound pods, plus "assumed" pods counted from the moment their binding is sent), and the
 * storage, namespace and PriorityClass objects plugins read. It is also the ClusterSnapshot
 * plugins see: JavaScript runs one scheduling cycle at a time, so no copy is needed.
 * Terminal pods (Succeeded/Failed) free their resources, as upstream.
 * Every change to placed pods, node labels and namespaces is also reported to the TopologyIndex
 * (`topology`), the incremental per-domain counts PodTopologySpread and InterPodAffinity read.
 */
import type { ClusterSnapshot } from './framework.js';
import { hasAffinity, NodeInfo, podInfo, type PodInfo } from './node-info.js';
import { TopologyIndex } from './topology-index/index.js';
import { podKey, type Namespace, type Node, type PersistentVolume, type PersistentVolumeClaim, type Pod, type PriorityClass, type StorageClass } from './types.js';

const isTerminal = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

export class SchedulerCache implements ClusterSnapshot {
  private readonly infos = new Map<string, NodeInfo>();
  private readonly podNode = new Map<string, string>();
  private readonly assumed = new Set<string>();
  private nodeList: NodeInfo[] | undefined;
  private affinityNodeList: NodeInfo[] | undefined;
  readonly pvcMap = new Map<string, PersistentVolumeClaim>();
  readonly pvMap = new Map<string, PersistentVolume>();
  readonly classMap = new Map<string, StorageClass>();
  readonly namespaceMap = new Map<string, Namespace>();
  readonly priorityClasses = new Map<string, PriorityClass>();
  readonly topology = new TopologyIndex({
    nodeLabels: (name) => {
      const node = this.infos.get(name)?.node;
      return node ? (node.metadata?.labels ?? {}) : undefined;
    },
    forEachNode: (fn) => {
      for (const n of this.nodes) fn(n.name, n.node?.metadata?.labels ?? {});
    },
    forEachPod: (fn) => {
      for (const [name, info] of this.infos) for (const p of info.pods.values()) fn(p.pod, name);
    },
    namespaceLabels: (ns) => this.namespaceMap.get(ns)?.metadata?.labels,
  });

  get nodes(): readonly NodeInfo[] {
    if (!this.nodeList) this.nodeList = [...this.infos.values()].filter((n) => n.node);
    return this.nodeList;
  }
  nodesWithAffinityPods(): readonly NodeInfo[] {
    if (!this.affinityNodeList) this.affinityNodeList = this.nodes.filter((n) => n.podsWithAffinity > 0);
    return this.affinityNodeList;
  }
  node(name: string): NodeInfo | undefined {
    const n = this.infos.get(name);
    return n?.node ? n : undefined;
  }
  namespace(name: string): Namespace | undefined {
    return this.namespaceMap.get(name);
  }
  namespaces(): readonly Namespace[] {
    return [...this.namespaceMap.values()];
  }
  pvc(namespace: string, name: string): PersistentVolumeClaim | undefined {
    return this.pvcMap.get(`${namespace}/${name}`);
  }
  pv(name: string): PersistentVolume | undefined {
    return this.pvMap.get(name);
  }
  pvs(): readonly PersistentVolume[] {
    return [...this.pvMap.values()];
  }
  storageClass(name: string): StorageClass | undefined {
    return this.classMap.get(name);
  }

  /**
   * spec.priority when the API server set it (Priority admission); otherwise resolved here from
   * spec.priorityClassName or the globalDefault PriorityClass, else 0.
   */
  priorityOf(pod: Pod): number {
    if (typeof pod.spec?.priority === 'number') return pod.spec.priority;
    const name = pod.spec?.priorityClassName;
    if (name) return this.priorityClasses.get(name)?.value ?? 0;
    for (const pc of this.priorityClasses.values()) if (pc.globalDefault) return pc.value ?? 0;
    return 0;
  }

  private infoFor(name: string): NodeInfo {
    let info = this.infos.get(name);
    if (!info) {
      info = new NodeInfo(undefined);
      this.infos.set(name, info);
    }
    return info;
  }

  setNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const info = this.infoFor(name);
    if (!info.node) this.nodeList = this.affinityNodeList = undefined;
    const before = info.node ? (info.node.metadata?.labels ?? {}) : undefined;
    info.node = node;
    info.generation++;
    this.topology.nodeChanged(name, before, node.metadata?.labels ?? {});
  }

  removeNode(name: string): void {
    const info = this.infos.get(name);
    if (!info) return;
    this.nodeList = this.affinityNodeList = undefined;
    const before = info.node ? (info.node.metadata?.labels ?? {}) : undefined;
    if (info.pods.size) info.node = undefined;
    else this.infos.delete(name);
    this.topology.nodeChanged(name, before, undefined);
  }

  setNamespace(ns: Namespace): void {
    this.namespaceMap.set(ns.metadata?.name ?? '', ns);
    this.topology.namespacesChanged();
  }

  removeNamespace(name: string): void {
    this.namespaceMap.delete(name);
    this.topology.namespacesChanged();
  }

  /** Puts the pod on the node (replacing an older copy there), keeping the topology index in step. */
  private place(pi: PodInfo, nodeName: string): void {
    const info = this.infoFor(nodeName);
    const old = info.pods.get(pi.key);
    if (old) this.topology.podRemoved(old.pod, nodeName);
    info.addPod(pi);
    this.topology.podAdded(pi.pod, nodeName);
  }

  private unplace(key: string, nodeName: string): PodInfo | undefined {
    const removed = this.infos.get(nodeName)?.removePod(key);
    if (removed) this.topology.podRemoved(removed.pod, nodeName);
    return removed;
  }

  /** A pod from the informer: placed when it has spec.nodeName and is not terminal. */
  setPod(pod: Pod): void {
    const key = podKey(pod);
    const nodeName = pod.spec?.nodeName;
    this.assumed.delete(key);
    if (!nodeName || isTerminal(pod)) return this.removePod(key);
    const prev = this.podNode.get(key);
    if (prev && prev !== nodeName) {
      const moved = this.unplace(key, prev);
      if (moved && hasAffinity(moved.pod)) this.affinityNodeList = undefined;
      const old = this.infos.get(prev);
      if (old && !old.node && old.pods.size === 0) this.infos.delete(prev);
    }
    const replaced = this.infos.get(nodeName)?.pods.get(key)?.pod;
    if (hasAffinity(pod) || (replaced && hasAffinity(replaced))) this.affinityNodeList = undefined;
    this.podNode.set(key, nodeName);
    this.place(podInfo(pod, this.priorityOf(pod)), nodeName);
  }

  removePod(key: string): void {
    const nodeName = this.podNode.get(key);
    if (nodeName === undefined) return;
    this.podNode.delete(key);
    this.assumed.delete(key);
    const info = this.infos.get(nodeName);
    const removed = this.unplace(key, nodeName);
    if (removed && hasAffinity(removed.pod)) this.affinityNodeList = undefined;
    if (info && !info.node && info.pods.size === 0) this.infos.delete(nodeName);
  }

  /** Counts the pod on the node before the API server confirms the binding. */
  assume(pod: Pod, nodeName: string): void {
    const key = podKey(pod);
    this.podNode.set(key, nodeName);
    this.assumed.add(key);
    if (hasAffinity(pod)) this.affinityNodeList = undefined;
    this.place(podInfo({ ...pod, spec: { ...pod.spec, nodeName } }, this.priorityOf(pod)), nodeName);
  }

  /** Undoes assume() after a failed binding (unless the informer has confirmed it meanwhile). */
  forget(key: string): void {
    if (this.assumed.has(key)) this.removePod(key);
  }

  /** The confirmed (informer) pod placed under this key, if any; assumed copies do not count. */
  placedPod(key: string): Pod | undefined {
    if (this.assumed.has(key)) return undefined;
    const node = this.podNode.get(key);
    return node === undefined ? undefined : this.infos.get(node)?.pods.get(key)?.pod;
  }

  isAssumedOrPlaced(key: string): boolean {
    return this.podNode.has(key);
  }

  placedPodCount(): number {
    return this.podNode.size;
  }
}
