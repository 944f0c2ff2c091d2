/**
 * The three local-storage eviction rules of upstream's eviction manager (pkg/kubelet/eviction,
 * localStorageEviction), as a pure function of the pod and its measured usage. Checked in upstream's
 * order, the first that fires decides:
 * 1. emptyDirLimitEviction: an emptyDir's usage is above its positive sizeLimit;
 * 2. podEphemeralStorageLimitEviction: when any container (or init container, or the overhead) sets
 *    limits.ephemeral-storage, the pod's total ephemeral usage is above PodLimits' ephemeral-storage
 *    (regular containers and sidecars summed, the larger of that and the init peak, plus overhead);
 * 3. containerEphemeralStorageLimitEviction: a running container's logs + writable layer are above
 *    its own non-zero limits.ephemeral-storage.
 * Messages and quantity formatting are upstream's (helpers.go: emptyDirMessageFmt,
 * podEphemeralStorageMessageFmt, containerEphemeralStorageMessageFmt; Quantity.String()).
 */
import type { KubeObject } from '../../api/types.js';
import { addQuantities, compareQuantities, isZeroQuantity, parseQuantity, parseQuantityValue, quantityToString, type Quantity } from '../../machinery/quantity.js';
import { podLimits } from '../container-config/index.js';
import { specView } from './pod-view.js';

/** Upstream's metric label of each rule (signalEmptyDirFsLimit, signalEphemeralPodFsLimit, signalEphemeralContainerFsLimit). */
export type LocalStorageSignal = 'emptydirfs.limit' | 'ephemeralpodfs.limit' | 'ephemeralcontainerfs.limit';

export interface ContainerStorageUsage {
  name: string;
  /** The container's writable layer (CRI ContainerStats.writable_layer.used_bytes). */
  rootfsBytes: number;
  /** The container's log files (every attempt) under `<logRoot>/<ns>_<pod>_<uid>/<container>/`. */
  logsBytes: number;
}

export interface PodStorageUsage {
  /** Usage of each disk-backed emptyDir by volume name; a volume not measured is absent. */
  emptyDirBytes: Map<string, number>;
  /** The pod's ephemeral storage: containers' writable layers and logs, disk-backed emptyDir and configMap volumes, pod log files, etc-hosts. */
  totalBytes: number;
  /** The pod's running containers. */
  containers: ContainerStorageUsage[];
}

export interface StorageViolation {
  signal: LocalStorageSignal;
  /** Upstream's eviction message (it ends with ". "). */
  message: string;
  /** The limit crossed, as Quantity.String() prints it. */
  limit: string;
  usedBytes: number;
  volumeName?: string;
  containerName?: string;
}

export const EPHEMERAL_STORAGE = 'ephemeral-storage';

export const emptyDirMessage = (volumeName: string, limit: string): string => `Usage of EmptyDir volume ${JSON.stringify(volumeName)} exceeds the limit ${JSON.stringify(limit)}. `;
export const podEphemeralStorageMessage = (limit: string): string => `Pod ephemeral local storage usage exceeds the total limit of containers ${limit}. `;
export const containerEphemeralStorageMessage = (containerName: string, limit: string): string => `Container ${containerName} exceeded its local ephemeral storage limit ${JSON.stringify(limit)}. `;

function quantityOrUndefined(v: unknown): Quantity | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  try {
    return parseQuantityValue(v);
  } catch {
    return undefined;
  }
}

const bytesQuantity = (n: number): Quantity => parseQuantity(String(Math.max(0, Math.trunc(n))));
/** used > limit, exactly (a limit may have a fraction of a byte). */
const exceeds = (usedBytes: number, limit: Quantity): boolean => compareQuantities(bytesQuantity(usedBytes), limit) > 0;

function emptyDirViolation(pod: KubeObject, usage: PodStorageUsage): StorageViolation | undefined {
  for (const v of specView(pod).volumes ?? []) {
    if (!v.emptyDir) continue;
    const size = quantityOrUndefined(v.emptyDir.sizeLimit);
    const used = usage.emptyDirBytes.get(v.name);
    if (used === undefined || !size || size.mantissa <= 0n || !exceeds(used, size)) continue;
    const limit = quantityToString(size);
    return { signal: 'emptydirfs.limit', message: emptyDirMessage(v.name, limit), limit, usedBytes: used, volumeName: v.name };
  }
  return undefined;
}

/** PodLimits' ephemeral-storage, overhead included (upstream adds overhead to limits that are set). */
export function podEphemeralStorageLimit(pod: KubeObject): Quantity | undefined {
  const limit = podLimits(pod).get(EPHEMERAL_STORAGE);
  if (!limit) return undefined;
  const overhead = quantityOrUndefined(specView(pod).overhead?.[EPHEMERAL_STORAGE]);
  return overhead ? addQuantities(limit, overhead) : limit;
}

function podViolation(pod: KubeObject, usage: PodStorageUsage): StorageViolation | undefined {
  const limitQ = podEphemeralStorageLimit(pod);
  if (!limitQ || !exceeds(usage.totalBytes, limitQ)) return undefined;
  const limit = quantityToString(limitQ);
  return { signal: 'ephemeralpodfs.limit', message: podEphemeralStorageMessage(limit), limit, usedBytes: usage.totalBytes };
}

function containerViolation(pod: KubeObject, usage: PodStorageUsage): StorageViolation | undefined {
  for (const c of specView(pod).containers ?? []) {
    const limitQ = quantityOrUndefined(c.resources?.limits?.[EPHEMERAL_STORAGE]);
    if (!limitQ || isZeroQuantity(limitQ)) continue;
    for (const used of usage.containers.filter((u) => u.name === c.name)) {
      const bytes = used.logsBytes + used.rootfsBytes;
      if (!exceeds(bytes, limitQ)) continue;
      const limit = quantityToString(limitQ);
      return { signal: 'ephemeralcontainerfs.limit', message: containerEphemeralStorageMessage(c.name, limit), limit, usedBytes: bytes, containerName: c.name };
    }
  }
  return undefined;
}

/** The first local-storage rule the pod breaks, in upstream's order, or undefined. */
export function localStorageViolation(pod: KubeObject, usage: PodStorageUsage): StorageViolation | undefined {
  return emptyDirViolation(pod, usage) ?? podViolation(pod, usage) ?? containerViolation(pod, usage);
}
