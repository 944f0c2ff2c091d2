/**
 * buildPodStatus: the whole pod `status` the kubelet PATCHes, from what it observed (upstream's
 * generateAPIPodStatus + the status manager's bookkeeping): phase, conditions, hostIP(s), podIP(s),
 * startTime (kept once set), qosClass, initContainerStatuses, containerStatuses,
 * ephemeralContainerStatuses (kubectl debug containers: never restarted, never ready), and the pod-level
 * reason/message (kept while the phase does not change). A terminal phase never changes again. When
 * `observed.terminating` is set (the pod was deleted and its containers stopped), the phase becomes
 * terminal (Succeeded when every container exited 0, otherwise Failed) and containers that never
 * reported an exit show ContainerStatusUnknown (exit 137), as upstream's TerminatePod does.
 *
 * Pure: same inputs, same output. Times are RFC3339 with seconds precision.
 */
import type { KubeObject } from '../../api/types.js';
import { formatTimestamp } from '../../machinery/duration.js';
import { podQOSClass } from '../container-config/qos.js';
import { podConditions } from './conditions.js';
import { ephemeralContainerStatuses, initContainerStatuses, regularContainerStatuses, type StatusContext } from './container-statuses.js';
import { podPhase, type PodPhase } from './phase.js';
import { isSidecar, type ContainerSpecView, type ContainerStatus, type ObservedPod, type PodSpecView, type PodStatusView } from './types.js';

const TERMINAL = new Set(['Succeeded', 'Failed']);

const unknownTermination = (): ContainerStatus['state'] => ({ terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated' } });

/** Upstream's hasPodInitialized: evidence that the regular containers were reached. */
function hasPodInitialized(initSpecs: ContainerSpecView[], init: ContainerStatus[], regular: ContainerStatus[]): boolean {
  if (initSpecs.length === 0) return true;
  if (regular.some((s) => s.lastState.terminated || !s.state.waiting)) return true;
  const last = init[init.length - 1];
  const lastSpec = initSpecs[init.length - 1];
  if (!last || !lastSpec) return false;
  if (isSidecar(lastSpec)) return !!last.state.running && !!last.started;
  return last.lastState.terminated?.exitCode === 0 || last.state.terminated?.exitCode === 0;
}

/**
 * Upstream's TerminatePod: once the pod initialized, regular containers not terminated are reported
 * as ContainerStatusUnknown (exit 137); so are the init containers that ever tried to start (all but
 * the trailing never-started ones, and at least the first).
 */
function markTerminated(initSpecs: ContainerSpecView[], init: ContainerStatus[], regular: ContainerStatus[]): void {
  const stop = (s: ContainerStatus) => {
    if (s.state.terminated) return;
    s.state = unknownTermination();
    s.ready = false;
    s.started = false;
  };
  if (hasPodInitialized(initSpecs, init, regular)) regular.forEach(stop);
  let attempted = init.length > 0 ? 1 : 0;
  for (let i = init.length - 1; i >= 0; i--) {
    if (!init[i]!.state.waiting || init[i]!.lastState.terminated) {
      attempted = i + 1;
      break;
    }
  }
  init.slice(0, attempted).forEach(stop);
}

export function buildPodStatus(pod: KubeObject, observed: ObservedPod, now: Date): Record<string, unknown> {
  const spec = (pod.spec ?? {}) as PodSpecView;
  const old = (pod.status ?? {}) as PodStatusView;
  const initSpecs = spec.initContainers ?? [];
  const regularSpecs = spec.containers ?? [];
  const regularNames = new Set(regularSpecs.map((c) => c.name));
  const regularContainerCreated = observed.containers.some((c) => regularNames.has(c.name));
  const ctx = (oldStatuses: ContainerStatus[] | undefined): StatusContext => ({
    observed,
    restartPolicy: spec.restartPolicy ?? 'Always',
    hasInitContainers: initSpecs.length > 0,
    deleting: !!pod.metadata?.deletionTimestamp || !!observed.terminating,
    regularContainerCreated,
    old: oldStatuses ?? [],
  });
  const initStatuses = initContainerStatuses(initSpecs, ctx(old.initContainerStatuses));
  const containerStatuses = regularContainerStatuses(regularSpecs, ctx(old.containerStatuses));
  const all = [...containerStatuses, ...initStatuses];

  let phase: PodPhase = podPhase(spec, all, !!observed.terminating, regularContainerCreated);
  if (observed.terminating) {
    markTerminated(initSpecs, initStatuses, containerStatuses);
    if (!TERMINAL.has(phase)) phase = 'Failed';
  }
  // Three-way merge: a terminal phase, once reported, stays.
  if (!TERMINAL.has(phase) && old.phase && TERMINAL.has(old.phase)) phase = old.phase as PodPhase;

  const hostNetwork = !!spec.hostNetwork;
  const podIPs = observed.podIPs.length > 0 ? observed.podIPs : hostNetwork && observed.hostIP ? [observed.hostIP] : [];
  const conditions = podConditions({
    spec,
    oldConditions: old.conditions ?? [],
    statuses: [...initStatuses, ...containerStatuses],
    phase,
    sandboxReadyWithNetwork: observed.sandboxCreated && observed.sandboxReady && (hostNetwork || observed.podIPs.length > 0),
    now,
  });

  const status: Record<string, unknown> = { phase, conditions };
  if (phase === old.phase) {
    if (old.reason) status.reason = old.reason;
    if (old.message) status.message = old.message;
  }
  if (observed.hostIP) {
    status.hostIP = observed.hostIP;
    status.hostIPs = [{ ip: observed.hostIP }];
  }
  if (podIPs.length > 0) {
    status.podIP = podIPs[0];
    status.podIPs = podIPs.map((ip) => ({ ip }));
  }
  status.startTime = old.startTime || formatTimestamp(observed.startTime ?? now);
  status.qosClass = podQOSClass(pod);
  if (initSpecs.length > 0) status.initContainerStatuses = initStatuses;
  status.containerStatuses = containerStatuses;
  // Ephemeral containers take no part in phase or conditions.
  const ephemeralSpecs = spec.ephemeralContainers ?? [];
  if (ephemeralSpecs.length > 0) status.ephemeralContainerStatuses = ephemeralContainerStatuses(ephemeralSpecs, ctx(old.ephemeralContainerStatuses));
  return status;
}
