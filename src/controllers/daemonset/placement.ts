/**
 * Where a daemon pod belongs (upstream daemon_controller.go NodeShouldRunDaemonPod and
 * pkg/controller/daemon/util): the tolerations every daemon pod gets, the node affinity that pins a pod
 * to its node (`matchFields metadata.name In [node]`, bound by the scheduler), and whether a node should
 * run (NoSchedule/NoExecute taints tolerated, selector/affinity match) or keep running (NoExecute only) it.
 */
import { matchesRequiredAffinity } from '../../scheduler/plugins/node-affinity/index.js';
import { tolerated } from '../../scheduler/plugins/taint-toleration/index.js';
import type { Pod as SchedulerPod } from '../../scheduler/types.js';
import type { Node, Pod, PodTemplateSpec, Toleration } from './types.js';

const tol = (key: string, effect: 'NoExecute' | 'NoSchedule'): Toleration => ({ key: `node.kubernetes.io/${key}`, operator: 'Exists', effect });

/** Upstream AddOrUpdateDaemonPodTolerations: added to every daemon pod (network-unavailable only with hostNetwork). */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  return [
    tol('not-ready', 'NoExecute'),
    tol('unreachable', 'NoExecute'),
    tol('disk-pressure', 'NoSchedule'),
    tol('memory-pressure', 'NoSchedule'),
    tol('pid-pressure', 'NoSchedule'),
    tol('unschedulable', 'NoSchedule'),
    ...(hostNetwork ? [tol('network-unavailable', 'NoSchedule')] : []),
  ];
}

/** The template's pod spec with the daemon tolerations merged in (same key+effect replaced). */
export function withDaemonTolerations(template: PodTemplateSpec): PodTemplateSpec {
  const t = structuredClone(template);
  const spec = (t.spec ?? {}) as { hostNetwork?: boolean; tolerations?: Toleration[] };
  const extra = daemonTolerations(spec.hostNetwork === true);
  const kept = (spec.tolerations ?? []).filter((x) => !extra.some((e) => e.key === x.key && e.effect === x.effect));
  spec.tolerations = [...kept, ...extra];
  t.spec = spec;
  return t;
}

/** Upstream ReplaceDaemonSetPodNodeNameNodeAffinity: required terms become exactly `metadata.name In [node]`. */
export function pinToNode(spec: Record<string, unknown>, nodeName: string): void {
  const affinity = (spec.affinity ?? {}) as { nodeAffinity?: Record<string, unknown> };
  affinity.nodeAffinity = {
    ...(affinity.nodeAffinity ?? {}),
    requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] },
  };
  spec.affinity = affinity;
}

/** The node a daemon pod is for: spec.nodeName, or the node its pinning affinity names. */
export function targetNodeOf(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const spec = pod.spec as { affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: Array<{ matchFields?: Array<{ key: string; operator: string; values?: string[] }> }> } } } };
  for (const term of spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}

/** shouldRun: a new pod may be placed; shouldContinueRunning: an existing pod may stay (NoExecute only). */
export function nodeShouldRunDaemonPod(template: PodTemplateSpec, node: Node): { shouldRun: boolean; shouldContinueRunning: boolean } {
  const pod = { metadata: {}, spec: withDaemonTolerations(template).spec } as SchedulerPod;
  const spec = template.spec as { nodeName?: string } | undefined;
  if ((spec?.nodeName && spec.nodeName !== node.metadata?.name) || !matchesRequiredAffinity(pod, node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints ?? [];
  const tolerations = pod.spec?.tolerations;
  const untolerated = (effect: string) => taints.some((t) => t.effect === effect && !tolerated(tolerations, t));
  const noExecute = untolerated('NoExecute');
  return { shouldRun: !noExecute && !untolerated('NoSchedule'), shouldContinueRunning: !noExecute };
}
