/**
 * Pod admission, as upstream's admission plugins do it at create time:
 * - Priority: spec.priority (and preemptionPolicy) from spec.priorityClassName, or from the global
 *   default PriorityClass; an unknown class is refused (403).
 * - DefaultTolerationSeconds: tolerate node.kubernetes.io/not-ready and /unreachable NoExecute for 300 s
 *   unless the pod already says otherwise.
 * - ServiceAccount: spec.serviceAccountName defaults to `default`; unless automounting is switched off
 *   (pod.spec.automountServiceAccountToken, else the ServiceAccount's), a projected `kube-api-access-xxxxx`
 *   volume (bound token, kube-root-ca.crt, namespace) is mounted at upstream's path in every container.
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
  automountServiceAccountToken?: boolean;
}

export interface ServiceAccountLookup {
  get(namespace: string, name: string): Promise<KubeObject | undefined>;
}

export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** Upstream's token lifetime for the default volume (an hour and a bit, so clients notice rotation). */
const TOKEN_EXPIRATION_SECONDS = 3607;
const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

interface ContainerMounts {
  volumeMounts?: Array<{ name?: string; mountPath?: string; readOnly?: boolean }>;
}

/** Adds the projected service-account token volume and its mounts, as upstream's ServiceAccount admission. */
export function addServiceAccountTokenVolume(spec: Record<string, unknown>, automount: boolean): void {
  if (!automount) return;
  const containers = [...((spec.initContainers as ContainerMounts[]) ?? []), ...((spec.containers as ContainerMounts[]) ?? []), ...((spec.ephemeralContainers as ContainerMounts[]) ?? [])];
  const volumes = ((spec.volumes as Array<{ name?: string; projected?: unknown }>) ??= []);
  // A pod that already mounts something at the path (its own token volume) is left alone.
  if (containers.some((c) => (c.volumeMounts ?? []).some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH))) return;
  let name: string;
  do name = `kube-api-access-${Array.from({ length: 5 }, () => NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)]).join('')}`;
  while (volumes.some((v) => v.name === name));
  volumes.push({
    name,
    projected: {
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { expirationSeconds: TOKEN_EXPIRATION_SECONDS, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  });
  for (const c of containers) (c.volumeMounts ??= []).push({ name, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH });
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

export async function admitPod(pod: KubeObject, classes: PriorityClassLookup, accounts?: ServiceAccountLookup): Promise<void> {
  const spec = (pod.spec ?? {}) as PodSpec;
  pod.spec = spec;
  if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || 'default';
  if (!spec.serviceAccount) spec.serviceAccount = spec.serviceAccountName;
  if (accounts) {
    let automount = spec.automountServiceAccountToken;
    if (automount === undefined) {
      const sa = await accounts.get(pod.metadata?.namespace ?? 'default', spec.serviceAccountName);
      automount = (sa as { automountServiceAccountToken?: boolean } | undefined)?.automountServiceAccountToken ?? true;
    }
    addServiceAccountTokenVolume(spec as Record<string, unknown>, automount);
  }
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
