/**
 * The pod status the kubelet reports. `buildPodStatus(pod, observed, now)` turns what the pod worker
 * observed through CRI (every container attempt, the sandbox, the worker's waiting reasons, the probe
 * manager's ready/started) into the full `status` to PATCH, with upstream's phase, conditions and
 * container state rules. See pod-status.ts.
 */
export { buildPodStatus } from './pod-status.js';
export { podPhase, type PodPhase } from './phase.js';
export { podConditions } from './conditions.js';
export type { ObservedContainer, ObservedPod, ContainerStatus, ContainerState, PodCondition } from './types.js';
