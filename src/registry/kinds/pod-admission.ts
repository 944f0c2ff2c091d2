/**
 * Pod admission, as upstream's admission plugins do it at create time:
 * - Priority: spec.priority (and preemptionPolicy) from spec.priorityClassName, or from the global
 *   default PriorityClass; an unknown class is refused (403).
 * - DefaultTolerationSeconds: tolerate node.kubernetes.io/not-ready and /unreachable NoExecute for 300 s
 *   unless the pod already says otherwise.
 * - ServiceAccount: spec.serviceAccountName defaults to `default`.
 */
import type { KubeObject } from '../../api/types.js';
import { StatusError } from '../../machinery/errors.js';

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

interface PodSpec {
  priorityClassName?: string;
  priority?: number;
  preemptionPolicy?: string;
  tolerations?: Toleration[];
  serviceAccountName?: string;
  serviceAccount?: string;
}

export interface PriorityClassLookup {
  get(name: string): Promise<KubeObject | undefined>;
  globalDefault(): Promise<KubeObject | undefined>;
}

/** The classes every cluster has (upstream's SystemPriorityClasses). */
export const systemPriorityClasses = [
  { name: 'system-node-critical', value: 2000001000, description: 'Used for system critical pods that must not be moved from their current node.' },
  { name: 'system-cluster-critical', value: 2000000000, description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.' },
];

export const DEFAULT_TOLERATION_SECONDS = 300;
const NOT_READY = 'node.kubernetes.io/not-ready';
const UNREACHABLE = 'node.kubernetes.io/unreachable';

function tolerates(tolerations: Toleration[], key: string): boolean {
  return tolerations.some((t) => (t.key === key || (!t.key && t.operator === 'Exists')) && (!t.effect || t.effect === 'NoExecute'));
}

export function addDefaultTolerations(spec: PodSpec): void {
  const tolerations = spec.tolerations ?? [];
  for (const key of [NOT_READY, UNREACHABLE]) {
    if (!tolerates(tolerations, key)) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
  }
  spec.tolerations = tolerations;
}

export async function admitPod(pod: KubeObject, classes: PriorityClassLookup): Promise<void> {
  const spec = (pod.spec ?? {}) as PodSpec;
  pod.spec = spec;
  if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || 'default';
  if (!spec.serviceAccount) spec.serviceAccount = spec.serviceAccountName;
  addDefaultTolerations(spec);
  let cls: KubeObject | undefined;
  if (spec.priorityClassName) {
    cls = await classes.get(spec.priorityClassName);
    if (!cls) {
      throw new StatusError('Forbidden', `pods "${pod.metadata?.name ?? ''}" is forbidden: no PriorityClass with name ${spec.priorityClassName} was found`, {
        name: pod.metadata?.name,
        kind: 'pods',
      });
    }
  } else {
    cls = await classes.globalDefault();
    if (cls) spec.priorityClassName = cls.metadata?.name;
  }
  const value = (cls as { value?: number } | undefined)?.value ?? 0;
  if (spec.priority !== undefined && spec.priority !== value) {
    throw new StatusError('Forbidden', `pods "${pod.metadata?.name ?? ''}" is forbidden: the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${value} from the given PriorityClass name`, { name: pod.metadata?.name, kind: 'pods' });
  }
  spec.priority = value;
  const policy = (cls as { preemptionPolicy?: string } | undefined)?.preemptionPolicy;
  spec.preemptionPolicy = policy ?? spec.preemptionPolicy ?? 'PreemptLowerPriority';
}
