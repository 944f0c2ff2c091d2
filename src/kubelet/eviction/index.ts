/**
 * Local-storage eviction for the containerd kubelet (upstream pkg/kubelet/eviction, localStorageEviction).
 *
 * Job: every housekeeping pass (10 s), measure each active pod's local storage and evict the pods that
 * break, in this order, an emptyDir sizeLimit, the pod's total ephemeral-storage limit, or one
 * container's ephemeral-storage limit, with upstream's messages.
 * Inputs: a CRI client (ListContainers, ListContainerStats), the node's pods, where each pod's volumes
 * live (podDir(uid)) and the container log root.
 * Outputs: EvictionDecision objects, handed once per pod to the caller's onEvict (which kills the pod
 * and records the event) and returned by checkOnce(); statusForEviction() gives the status patch.
 */
export { LocalStorageEviction, DEFAULT_EVICTION_INTERVAL_MS, IMMEDIATE_EVICTION_GRACE_PERIOD_SECONDS, type EvictionDecision, type LocalStorageEvictionOptions } from './local-storage-eviction.js';
export { statusForEviction, disruptionTargetCondition, updatePodCondition, EVICTED_REASON, type EvictionOutcome, type EvictionStatusPatch } from './eviction-status.js';
export { measureDirUsage, measureFilesIn, measureUsageOrZero } from './disk-usage.js';
export { measurePodUsage, runningContainersByPod, podLogDir, type EvictionCri, type RunningContainer } from './pod-usage.js';
export {
  localStorageViolation,
  podEphemeralStorageLimit,
  emptyDirMessage,
  podEphemeralStorageMessage,
  containerEphemeralStorageMessage,
  type LocalStorageSignal,
  type PodStorageUsage,
  type ContainerStorageUsage,
  type StorageViolation,
} from './rules.js';
export { isCriticalPod } from './pod-view.js';
