/**
 * One DaemonSet sync (upstream daemon_controller.go manage + update + updateDaemonSetStatus): a pod on
 * every node that should run one, none where it should not keep running, failed pods replaced, extra
 * pods removed, the rolling update applied, and the status counters computed.
 */
import { controllerRefTo } from '../replicaset/index.js';
import { isPodAvailable, isPodReady, podFromTemplate } from '../common/pods.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../common/revisions.js';
import { timeOf } from '../replicaset/types.js';
import { nodeShouldRunDaemonPod, pinToNode, targetNodeOf, withDaemonTolerations } from './placement.js';
import { planRollingUpdate, type NodePods } from './rolling.js';
import type { DaemonSet, Node, Pod } from './types.js';

export interface DaemonSetPlan {
  createOn: string[];
  deletePods: Pod[];
  status: NonNullable<DaemonSet['status']>;
}

/** The pod for a node: template + daemon tolerations + pinning affinity + revision hash label. */
export function daemonPod(ds: DaemonSet, nodeName: string, hash: string): Pod {
  const template = withDaemonTolerations(ds.spec.template);
  const pod = podFromTemplate(template, controllerRefTo({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: ds.metadata }), ds.metadata.namespace ?? 'default', {
    generateName: `${ds.metadata.name}-`,
    labels: { [CONTROLLER_REVISION_HASH_LABEL]: hash },
  });
  pinToNode(pod.spec as Record<string, unknown>, nodeName);
  return pod;
}

const byAge = (a: Pod, b: Pod) => timeOf(a.metadata.creationTimestamp) - timeOf(b.metadata.creationTimestamp) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');

/** Decides creations, deletions and status from the nodes and the DaemonSet's pods (pure). */
export function planDaemonSet(ds: DaemonSet, nodes: Node[], pods: Pod[], hash: string, now: number): DaemonSetPlan {
  const isNew = (p: Pod) => p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash;
  const byNode = new Map<string, Pod[]>();
  for (const p of pods) {
    const n = targetNodeOf(p);
    if (n) byNode.set(n, [...(byNode.get(n) ?? []), p]);
  }
  const minReady = ds.spec.minReadySeconds ?? 0;
  const createOn: string[] = [];
  const deletePods: Pod[] = [];
  const eligible: NodePods[] = [];
  const status = { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, updatedNumberScheduled: 0, numberAvailable: 0, numberUnavailable: 0, observedGeneration: ds.metadata.generation ?? 0 };
  const knownNodes = new Set<string>();
  for (const node of nodes) {
    const name = node.metadata?.name ?? '';
    knownNodes.add(name);
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(ds.spec.template, node);
    const nodePods = (byNode.get(name) ?? []).sort(byAge);
    const live = nodePods.filter((p) => !p.metadata.deletionTimestamp);
    if (shouldRun) status.desiredNumberScheduled++;
    if (live.length && shouldRun) status.currentNumberScheduled++;
    if (live.length && !shouldRun) status.numberMisscheduled++;
    if (shouldRun) {
      const first = live.find(isNew) ?? live[0];
      if (first && isPodReady(first)) status.numberReady++;
      if (first && isPodAvailable(first, minReady, now)) status.numberAvailable++;
      else status.numberUnavailable++;
      if (live.some(isNew)) status.updatedNumberScheduled++;
    }
    if (shouldContinueRunning) {
      const failed = live.filter((p) => p.status?.phase === 'Failed');
      deletePods.push(...failed);
      const running = live.filter((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded');
      if (shouldRun && running.length === 0 && nodePods.every((p) => !p.metadata.deletionTimestamp || p.status?.phase === 'Failed')) createOn.push(name);
      // More than one: keep the oldest of the newest revision (upstream keeps the oldest; surge keeps both revisions).
      const newest = running.filter(isNew);
      const oldest = running.filter((p) => !isNew(p));
      if (newest.length > 1) deletePods.push(...newest.slice(1));
      if (oldest.length > 1) deletePods.push(...oldest.slice(1));
      if (running.length) eligible.push({ node: name, pods: [...newest.slice(0, 1), ...oldest.slice(0, 1)] });
    } else {
      deletePods.push(...live);
    }
  }
  // Pods pinned to nodes that no longer exist.
  for (const [node, ps] of byNode) if (!knownNodes.has(node)) deletePods.push(...ps.filter((p) => !p.metadata.deletionTimestamp));
  if ((ds.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && !createOn.length && !deletePods.length) {
    const plan = planRollingUpdate(ds, eligible, isNew, status.desiredNumberScheduled, now);
    deletePods.push(...plan.deletePods);
    createOn.push(...plan.createOn);
  }
  return { createOn, deletePods, status };
}
