/**
 * Shared shapes of the kubelet volume manager: the sources it reads (VolumeSources), the CRI mounts it
 * hands out (Mount), the error a failed setup throws (VolumeSetupError), and the parts of the pod spec
 * it understands (typed views over the plain JSON of a Pod, as upstream's core/v1 types name them).
 */
import type { KubeObject } from '../../api/types.js';

/** Where the volume manager reads API objects; the kubelet implements it over informers and the API. */
export interface VolumeSources {
  /** The object, or null when it does not exist. `namespace` is '' for persistentvolumes. */
  get(resource: 'configmaps' | 'secrets' | 'persistentvolumeclaims' | 'persistentvolumes', namespace: string, name: string): Promise<KubeObject | null>;
  /** A bound service account token for the pod (TokenRequest on serviceaccounts/<name>/token). */
  serviceAccountToken(pod: KubeObject, audience: string | undefined, expirationSeconds: number): Promise<{ token: string; expirationTimestamp: string }>;
}

/** CRI runtime.v1 MountPropagation, as proto-loader renders the enum (enums: String). */
export type MountPropagation = 'PROPAGATION_PRIVATE' | 'PROPAGATION_HOST_TO_CONTAINER' | 'PROPAGATION_BIDIRECTIONAL';

/** CRI runtime.v1 Mount (field names exactly as in api.proto). */
export interface Mount {
  container_path: string;
  host_path: string;
  readonly: boolean;
  selinux_relabel: boolean;
  propagation: MountPropagation;
}

/**
 * A volume could not be set up. The message reads as upstream's FailedMount event:
 * `MountVolume.SetUp failed for volume "x" : configmap "y" not found`.
 */
export class VolumeSetupError extends Error {
  constructor(
    readonly volumeName: string,
    readonly reason: string,
  ) {
    super(`MountVolume.SetUp failed for volume "${volumeName}" : ${reason}`);
    this.name = 'VolumeSetupError';
  }
}

/** A failure inside one volume plugin; the manager wraps it into a VolumeSetupError naming the volume. */
export class PluginError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PluginError';
  }
}

/** Context the kubelet knows about the running pod. */
export interface PodContext {
  podIP?: string;
  hostIP?: string;
  /** Node allocatable (cpu, memory, ephemeral-storage) for resourceFieldRef limits that are unset. */
  nodeAllocatable?: Record<string, string>;
}

export interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

export interface ObjectFieldSelector {
  apiVersion?: string;
  fieldPath: string;
}

export interface ResourceFieldSelector {
  containerName?: string;
  resource: string;
  divisor?: string | number;
}

export interface DownwardAPIVolumeFile {
  path: string;
  fieldRef?: ObjectFieldSelector;
  resourceFieldRef?: ResourceFieldSelector;
  mode?: number;
}

export interface ConfigMapProjection {
  name?: string;
  items?: KeyToPath[];
  optional?: boolean;
}

export interface SecretProjection {
  name?: string;
  items?: KeyToPath[];
  optional?: boolean;
}

export interface ServiceAccountTokenProjection {
  audience?: string;
  expirationSeconds?: number;
  path: string;
}

export interface VolumeProjection {
  configMap?: ConfigMapProjection;
  secret?: SecretProjection;
  downwardAPI?: { items?: DownwardAPIVolumeFile[] };
  serviceAccountToken?: ServiceAccountTokenProjection;
  clusterTrustBundle?: unknown;
}

export interface Volume {
  name: string;
  emptyDir?: { medium?: string; sizeLimit?: string | number };
  hostPath?: { path: string; type?: string };
  configMap?: { name?: string; items?: KeyToPath[]; defaultMode?: number; optional?: boolean };
  secret?: { secretName?: string; items?: KeyToPath[]; defaultMode?: number; optional?: boolean };
  downwardAPI?: { items?: DownwardAPIVolumeFile[]; defaultMode?: number };
  projected?: { sources?: VolumeProjection[]; defaultMode?: number };
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  /** Generic ephemeral volume: a PVC named `<pod>-<volume>` created for (and owned by) the pod. */
  ephemeral?: { volumeClaimTemplate?: unknown };
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
  subPathExpr?: string;
  mountPropagation?: string;
}

export interface ContainerSpec {
  name?: string;
  volumeMounts?: unknown[];
  env?: unknown[];
  terminationMessagePath?: string;
  resources?: { limits?: Record<string, string | number>; requests?: Record<string, string | number> };
}

export interface PodSpec {
  volumes?: Volume[];
  containers?: ContainerSpec[];
  initContainers?: ContainerSpec[];
  hostNetwork?: boolean;
  hostname?: string;
  subdomain?: string;
  hostAliases?: Array<{ ip?: string; hostnames?: string[] }>;
  serviceAccountName?: string;
  securityContext?: { fsGroup?: number; fsGroupChangePolicy?: string };
}

/** The pod's spec as a typed view (the API server has validated it). */
export function podSpec(pod: KubeObject): PodSpec {
  const spec = pod.spec;
  return spec && typeof spec === 'object' ? (spec as PodSpec) : {};
}

export function podUid(pod: KubeObject): string {
  const uid = pod.metadata?.uid;
  if (!uid) throw new Error(`pod ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''} has no metadata.uid`);
  return uid;
}

/** A field of an object read as a record (data, binaryData, spec...), empty when absent. */
export function recordField(obj: KubeObject | Record<string, unknown>, field: string): Record<string, unknown> {
  const v = obj[field];
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
