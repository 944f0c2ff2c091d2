/**
 * Test fixtures for the scheduler: Node and Pod objects in their wire shape, NodeInfo builders
 * and a ClusterSnapshot over a list of NodeInfos (for plugin unit tests).
 */
import type { ClusterSnapshot } from './framework.js';
import { NodeInfo, podInfo } from './node-info.js';
import type { Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod, PodSpec, StorageClass, Taint } from './types.js';

export interface NodeFixture {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
  extra?: Record<string, string>;
}

export function makeNode(name: string, f: NodeFixture = {}): Node {
  const capacity = { cpu: f.cpu ?? '4', memory: f.memory ?? '8Gi', pods: f.pods ?? '110', ...(f.extra ?? {}) };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(f.labels ?? {}) } },
    spec: { ...(f.taints ? { taints: f.taints } : {}), ...(f.unschedulable ? { unschedulable: true } : {}) },
    status: { capacity, allocatable: capacity },
  };
}

export interface PodFixture extends Partial<PodSpec> {
  namespace?: string;
  labels?: Record<string, string>;
  cpu?: string;
  memory?: string;
}

export function makePod(name: string, f: PodFixture = {}): Pod {
  const { namespace, labels, cpu, memory, ...spec } = f;
  const requests: Record<string, string> = {};
  if (cpu) requests.cpu = cpu;
  if (memory) requests.memory = memory;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: namespace ?? 'default', labels: labels ?? {} },
    spec: { containers: [{ name: 'c', image: 'busybox', ...(cpu || memory ? { resources: { requests } } : {}) }], ...spec } as PodSpec,
  };
}

export function nodeInfo(node: Node, pods: Pod[] = []): NodeInfo {
  const info = new NodeInfo(node);
  for (const p of pods) info.addPod(podInfo({ ...p, spec: { ...p.spec, nodeName: node.metadata?.name } }, p.spec?.priority ?? 0));
  return info;
}

export function snapshotOf(
  nodes: NodeInfo[],
  extra: { pvcs?: PersistentVolumeClaim[]; pvs?: PersistentVolume[]; classes?: StorageClass[]; namespaces?: Namespace[] } = {},
): ClusterSnapshot {
  return {
    nodes,
    node: (name) => nodes.find((n) => n.name === name),
    namespace: (name) => extra.namespaces?.find((n) => n.metadata?.name === name),
    namespaces: () => extra.namespaces ?? [],
    pvc: (ns, name) => extra.pvcs?.find((c) => c.metadata?.namespace === ns && c.metadata?.name === name),
    pv: (name) => extra.pvs?.find((v) => v.metadata?.name === name),
    pvs: () => extra.pvs ?? [],
    storageClass: (name) => extra.classes?.find((c) => c.metadata?.name === name),
  };
}

/** The benchmark workloads (bench/scheduler.ts, scheduling-cycle.bench.ts). */
export const WORKLOADS = ['plain', 'anti-affinity', 'spread'] as const;
export type Workload = (typeof WORKLOADS)[number];

/** Pod number `i` of a workload: 100m CPU, 128Mi, label app=app-<i % apps>, plus the workload's constraint. */
export function workloadPod(workload: Workload, i: number, apps: number): Pod {
  const app = `app-${i % apps}`;
  const selector = { matchLabels: { app } };
  const base = { cpu: '100m', memory: '128Mi', labels: { app } };
  if (workload === 'anti-affinity') {
    return makePod(`pod-${i}`, {
      ...base,
      affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: selector, topologyKey: 'kubernetes.io/hostname' } }] } },
    });
  }
  if (workload === 'spread') {
    return makePod(`pod-${i}`, { ...base, topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: selector }] });
  }
  return makePod(`pod-${i}`, base);
}

