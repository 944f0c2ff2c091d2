/**
 * Strategic-merge patch metadata of the built-in types: upstream's `patchStrategy` and
 * `patchMergeKey` struct tags (k8s.io/api), which the client-node models do not carry.
 *
 * Input: a model name and a JSON field name, or a model and a path. Output: `{strategy, mergeKey}`
 * where strategy is 'merge', 'replace', 'retainKeys' or 'merge,retainKeys'. Fields without an entry
 * are replaced wholesale by a strategic merge patch when they are lists (atomic), and merged
 * recursively when they are objects, exactly as upstream treats untagged fields.
 */
import { schemaFor, type Schema } from './schema.js';

export interface PatchMeta {
  strategy: 'merge' | 'replace' | 'retainKeys' | 'merge,retainKeys';
  /** For lists of objects merged by key (`name`, `containerPort`...); absent for lists of primitives. */
  mergeKey?: string;
}

const m = (mergeKey?: string): PatchMeta => (mergeKey ? { strategy: 'merge', mergeKey } : { strategy: 'merge' });
const byType = m('type');

/** `Model.field` -> tag. From k8s.io/api core/v1, apps/v1, batch/v1, autoscaling/v2, meta/v1 types.go. */
const TABLE: Record<string, PatchMeta> = {
  'V1ObjectMeta.finalizers': m(),
  'V1ObjectMeta.ownerReferences': m('uid'),
  'V1PodSpec.volumes': { strategy: 'merge,retainKeys', mergeKey: 'name' },
  'V1PodSpec.initContainers': m('name'),
  'V1PodSpec.containers': m('name'),
  'V1PodSpec.ephemeralContainers': m('name'),
  'V1PodSpec.imagePullSecrets': m('name'),
  'V1PodSpec.hostAliases': m('ip'),
  'V1PodSpec.topologySpreadConstraints': m('topologyKey'),
  'V1PodSpec.schedulingGates': m('name'),
  'V1PodSpec.resourceClaims': { strategy: 'merge,retainKeys', mergeKey: 'name' },
  'V1Container.ports': m('containerPort'),
  'V1Container.env': m('name'),
  'V1Container.volumeMounts': m('mountPath'),
  'V1Container.volumeDevices': m('devicePath'),
  'V1EphemeralContainer.ports': m('containerPort'),
  'V1EphemeralContainer.env': m('name'),
  'V1EphemeralContainer.volumeMounts': m('mountPath'),
  'V1EphemeralContainer.volumeDevices': m('devicePath'),
  'V1PodStatus.conditions': byType,
  'V1PodStatus.podIPs': m('ip'),
  'V1PodStatus.hostIPs': m('ip'),
  'V1PodStatus.resourceClaimStatuses': { strategy: 'merge,retainKeys', mergeKey: 'name' },
  'V1ServiceSpec.ports': m('port'),
  'V1ServiceStatus.conditions': byType,
  'V1ServiceAccount.secrets': m('name'),
  'V1NodeSpec.podCIDRs': m(),
  'V1NodeStatus.conditions': byType,
  'V1NodeStatus.addresses': byType,
  'V1NamespaceStatus.conditions': byType,
  'V1PersistentVolumeClaimStatus.conditions': byType,
  'V1ReplicationControllerStatus.conditions': byType,
  'V1DeploymentSpec.strategy': { strategy: 'retainKeys' },
  'V1DeploymentStatus.conditions': byType,
  'V1ReplicaSetStatus.conditions': byType,
  'V1StatefulSetStatus.conditions': byType,
  'V1DaemonSetStatus.conditions': byType,
  'V1JobStatus.conditions': byType,
  'V2HorizontalPodAutoscalerStatus.conditions': byType,
  'V1PodDisruptionBudgetStatus.conditions': byType,
};

/** Every tagged `Model.field` (for checks and OpenAPI's x-kubernetes-patch-* extensions). */
export function allPatchMeta(): [string, PatchMeta][] {
  return Object.entries(TABLE);
}

/** The patch tag of `model.field`, if upstream declares one. */
export function patchMetaFor(model: string, field: string): PatchMeta | undefined {
  return TABLE[`${model}.${field}`];
}

/**
 * The patch tag of the field at `segments` under `model` (arrays and maps stepped through), e.g.
 * `patchMetaAt('V1Deployment', ['spec', 'template', 'spec', 'containers'])` -> merge by `name`.
 */
export function patchMetaAt(model: string, segments: string[]): PatchMeta | undefined {
  let s: Schema | undefined = schemaFor(model);
  let meta: PatchMeta | undefined;
  for (const seg of segments) {
    while (s && (s.type === 'array' || s.type === 'map')) s = s.type === 'array' ? s.items : s.values;
    if (!s || s.type !== 'object') return undefined;
    meta = patchMetaFor(s.model, seg);
    s = s.properties[seg];
  }
  return meta;
}
