/**
 * Patch metadata of the built-in types, which the client-node models do not carry:
 * - strategic merge patch: upstream's `patchStrategy` / `patchMergeKey` struct tags (k8s.io/api
 *   types.go), emitted in OpenAPI as `x-kubernetes-patch-strategy` / `x-kubernetes-patch-merge-key`;
 * - server-side apply: the `+listType` / `+listMapKey` markers, emitted as `x-kubernetes-list-type` /
 *   `x-kubernetes-list-map-keys`.
 *
 * Input: a model name and a JSON field name, or a model and a path. Output: a PatchMeta. Untagged
 * lists are atomic (replaced wholesale by both patch kinds); untagged objects are merged recursively,
 * exactly as upstream treats untagged fields.
 */
import { schemaFor, type Schema } from './schema.js';

export type PatchStrategy = 'merge' | 'replace' | 'retainKeys' | 'merge,retainKeys';
export type ListType = 'atomic' | 'set' | 'map';

export interface PatchMeta {
  /** Strategic-merge strategy; absent means lists are replaced, objects merged. */
  strategy?: PatchStrategy;
  /** For lists of objects merged by key (`name`, `containerPort`...); absent for lists of primitives. */
  mergeKey?: string;
  /** Server-side apply list semantics; absent means atomic. */
  listType?: ListType;
  /** For listType map: the fields that identify an item. */
  listMapKeys?: string[];
}

/** A list of objects merged by `key` (SMP) and a map list keyed by `keys` (apply). */
const mapList = (key: string, keys: string[] = [key], strategy: PatchStrategy = 'merge'): PatchMeta => ({ strategy, mergeKey: key, listType: 'map', listMapKeys: keys });
/** A list of scalars merged as a set (SMP merge without key; apply listType=set). */
const setList: PatchMeta = { strategy: 'merge', listType: 'set' };
/** A list merged by key for SMP but atomic for apply. */
const smpOnly = (key: string): PatchMeta => ({ strategy: 'merge', mergeKey: key, listType: 'atomic' });
const byType = mapList('type');

/** The container-like field tags shared by Container and EphemeralContainer. */
const containerFields = (model: string): Record<string, PatchMeta> => ({
  [`${model}.ports`]: mapList('containerPort', ['containerPort', 'protocol']),
  [`${model}.env`]: mapList('name'),
  [`${model}.volumeMounts`]: mapList('mountPath'),
  [`${model}.volumeDevices`]: mapList('devicePath'),
});

/**
 * `Model.field` -> tags. From k8s.io/api core/v1, apps/v1, batch/v1, autoscaling/v2, policy/v1,
 * networking/v1, storage/v1, rbac/v1, discovery/v1, admissionregistration/v1, certificates/v1,
 * apiextensions/v1 and meta/v1 types.go.
 */
const TABLE: Record<string, PatchMeta> = {
  // meta/v1
  'V1ObjectMeta.finalizers': setList,
  'V1ObjectMeta.ownerReferences': mapList('uid'),
  // core/v1 Pod
  'V1PodSpec.volumes': mapList('name', ['name'], 'merge,retainKeys'),
  'V1PodSpec.initContainers': mapList('name'),
  'V1PodSpec.containers': mapList('name'),
  'V1PodSpec.ephemeralContainers': mapList('name'),
  'V1PodSpec.imagePullSecrets': mapList('name'),
  'V1PodSpec.hostAliases': mapList('ip'),
  'V1PodSpec.topologySpreadConstraints': mapList('topologyKey', ['topologyKey', 'whenUnsatisfiable']),
  'V1PodSpec.schedulingGates': mapList('name'),
  'V1PodSpec.resourceClaims': mapList('name', ['name'], 'merge,retainKeys'),
  'V1PodSpec.tolerations': { listType: 'atomic' },
  'V1PodSpec.readinessGates': { listType: 'atomic' },
  ...containerFields('V1Container'),
  ...containerFields('V1EphemeralContainer'),
  'V1PodStatus.conditions': byType,
  'V1PodStatus.podIPs': mapList('ip'),
  'V1PodStatus.hostIPs': smpOnly('ip'),
  'V1PodStatus.resourceClaimStatuses': mapList('name', ['name'], 'merge,retainKeys'),
  'V1ContainerStatus.volumeMounts': mapList('mountPath'),
  'V1ContainerStatus.allocatedResourcesStatus': mapList('name'),
  'V1ResourceStatus.resources': { listType: 'map', listMapKeys: ['resourceID'] },
  // core/v1 others
  'V1ServiceSpec.ports': mapList('port', ['port', 'protocol']),
  'V1ServiceStatus.conditions': byType,
  'V1ServiceAccount.secrets': mapList('name'),
  'V1NodeSpec.podCIDRs': setList,
  'V1NodeStatus.conditions': byType,
  'V1NodeStatus.addresses': smpOnly('type'),
  'V1NamespaceStatus.conditions': byType,
  'V1PersistentVolumeClaimStatus.conditions': byType,
  'V1ReplicationControllerStatus.conditions': byType,
  // apps/v1
  'V1DeploymentSpec.strategy': { strategy: 'retainKeys' },
  'V1DeploymentStatus.conditions': byType,
  'V1ReplicaSetStatus.conditions': byType,
  'V1StatefulSetStatus.conditions': byType,
  'V1DaemonSetStatus.conditions': byType,
  // batch/v1: job conditions merge by type but are atomic for apply
  'V1JobStatus.conditions': smpOnly('type'),
  // autoscaling/v2, policy/v1
  'V2HorizontalPodAutoscalerStatus.conditions': byType,
  'V1PodDisruptionBudgetStatus.conditions': byType,
  // storage/v1, admissionregistration/v1, certificates/v1, apiextensions/v1
  'V1CSINodeSpec.drivers': mapList('name'),
  'V1CSIDriverSpec.volumeLifecycleModes': { listType: 'set' },
  'V1ValidatingWebhookConfiguration.webhooks': mapList('name'),
  'V1MutatingWebhookConfiguration.webhooks': mapList('name'),
  'V1CertificateSigningRequestStatus.conditions': { listType: 'map', listMapKeys: ['type'] },
  'V1CustomResourceDefinitionStatus.conditions': { listType: 'map', listMapKeys: ['type'] },
};

/** Every tagged `Model.field` (for checks and OpenAPI's x-kubernetes-patch-* / list-* extensions). */
export function allPatchMeta(): [string, PatchMeta][] {
  return Object.entries(TABLE);
}

/** The patch tags of `model.field`, if upstream declares any. */
export function patchMetaFor(model: string, field: string): PatchMeta | undefined {
  return TABLE[`${model}.${field}`];
}

/** OpenAPI extensions for `model.field` (`x-kubernetes-patch-merge-key` etc.); empty when untagged. */
export function patchExtensionsFor(model: string, field: string): Record<string, unknown> {
  const meta = TABLE[`${model}.${field}`];
  const out: Record<string, unknown> = {};
  if (!meta) return out;
  if (meta.listType) out['x-kubernetes-list-type'] = meta.listType;
  if (meta.listMapKeys) out['x-kubernetes-list-map-keys'] = meta.listMapKeys;
  if (meta.mergeKey) out['x-kubernetes-patch-merge-key'] = meta.mergeKey;
  if (meta.strategy) out['x-kubernetes-patch-strategy'] = meta.strategy;
  return out;
}

/**
 * The patch tags of the field at `segments` under `model` (arrays and maps stepped through), e.g.
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
