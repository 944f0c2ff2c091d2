/**
 * The built-in pod lifecycle as data (kwok's default pod stages, plus crash, exit codes and
 * graceful deletion). Each stage selects pods by their current state, waits, then patches status;
 * the first matching stage in `podStages` is the one that runs. Per-pod overrides come from the
 * `skiff.dev/sim-*` annotations (see pod-status.ts).
 *
 *   running + a new ephemeral container (kubectl debug) -> pod-ephemeral (it runs; never restarted)
 *   bound -> pod-create (ContainerCreating) -> pod-init-complete -> pod-running
 *         -> pod-exit (Succeeded / Failed / CrashLoopBackOff) -> pod-restart -> ...
 *   deletionTimestamp -> pod-terminate -> pod-delete (DELETE gracePeriodSeconds=0)
 */
import {
  conditionTrue, containerID, containerStatus, crashBackoffMs, exitPlan, findStatus, isDeleting, neverReady, now, readiness, restarts, terminatedState, withConditions,
} from './pod-status.js';
import type { ContainerStatus, Pod, PodStatus, Stage, StageContext } from './types.js';

const containers = (pod: Pod) => pod.spec?.containers ?? [];
const initContainers = (pod: Pod) => pod.spec?.initContainers ?? [];
const pending = (pod: Pod) => !isDeleting(pod) && (pod.status?.phase ?? 'Pending') === 'Pending';
const running = (pod: Pod) => !isDeleting(pod) && pod.status?.phase === 'Running';
const statuses = (pod: Pod) => pod.status?.containerStatuses ?? [];

function ipFields(pod: Pod, ctx: StageContext): PodStatus {
  const out: PodStatus = {};
  const ip = pod.status?.podIP ?? ctx.podIP(pod);
  if (ip) Object.assign(out, { podIP: ip, podIPs: [{ ip }] });
  return out;
}

function runningStatuses(pod: Pod, ctx: StageContext): ContainerStatus[] {
  const ready = !neverReady(pod);
  return containers(pod).map((c) => {
    const prev = findStatus(statuses(pod), c.name);
    return containerStatus(pod, c, prev, { running: { startedAt: now(ctx) } }, { ready, started: true, containerID: containerID(pod, c, prev?.restartCount ?? 0) });
  });
}

/** Bound to the node: the sandbox is being created, containers wait in ContainerCreating. */
const podCreate: Stage<Pod> = {
  name: 'pod-create',
  selector: (pod) => pending(pod) && !pod.status?.containerStatuses,
  delayMs: (_pod, ctx) => ctx.timings.createDelayMs,
  apply(pod, ctx) {
    const hasInit = initContainers(pod).length > 0;
    const hostIP = ctx.hostIP(pod.spec?.nodeName ?? '');
    const waitingReason = hasInit ? 'PodInitializing' : 'ContainerCreating';
    const status: PodStatus = {
      phase: 'Pending',
      startTime: pod.status?.startTime ?? now(ctx),
      conditions: withConditions(pod, {
        PodReadyToStartContainers: { status: 'False' },
        Initialized: hasInit ? { status: 'False', reason: 'ContainersNotInitialized', message: `containers with incomplete status: [${initContainers(pod).map((c) => c.name).join(' ')}]` } : conditionTrue(),
        ...readiness(pod, false),
        PodScheduled: conditionTrue(),
      }, ctx),
      containerStatuses: containers(pod).map((c) => containerStatus(pod, c, undefined, { waiting: { reason: waitingReason } })),
    };
    if (hostIP) Object.assign(status, { hostIP, hostIPs: [{ ip: hostIP }] });
    if (hasInit) status.initContainerStatuses = initContainers(pod).map((c) => containerStatus(pod, c, undefined, { waiting: { reason: 'PodInitializing' } }));
    return { type: 'patch', status };
  },
};

/** Init containers run one after another and all exit 0; the app containers are created next. */
const podInitComplete: Stage<Pod> = {
  name: 'pod-init-complete',
  selector: (pod) => pending(pod) && (pod.status?.initContainerStatuses ?? []).some((s) => !s.state.terminated),
  delayMs: (_pod, ctx) => ctx.timings.initDelayMs,
  apply(pod, ctx) {
    const at = now(ctx);
    return {
      type: 'patch',
      status: {
        ...ipFields(pod, ctx),
        conditions: withConditions(pod, { PodReadyToStartContainers: conditionTrue(), Initialized: conditionTrue() }, ctx),
        initContainerStatuses: initContainers(pod).map((c) => {
          const id = containerID(pod, c);
          return containerStatus(pod, c, undefined, terminatedState(0, 'Completed', at, at, id), { ready: true, containerID: id });
        }),
        containerStatuses: containers(pod).map((c) => containerStatus(pod, c, undefined, { waiting: { reason: 'ContainerCreating' } })),
      },
    };
  },
};

/** All containers start: phase Running, pod IP from the node's CIDR, Ready unless told otherwise. */
const podRunning: Stage<Pod> = {
  name: 'pod-running',
  selector: (pod) => pending(pod) && !!pod.status?.containerStatuses && (pod.status.initContainerStatuses ?? []).every((s) => !!s.state.terminated),
  delayMs: (_pod, ctx) => ctx.timings.startDelayMs,
  apply(pod, ctx) {
    const ready = !neverReady(pod);
    return {
      type: 'patch',
      status: {
        phase: 'Running',
        ...ipFields(pod, ctx),
        conditions: withConditions(pod, { PodReadyToStartContainers: conditionTrue(), Initialized: conditionTrue(), ...readiness(pod, ready), PodScheduled: conditionTrue() }, ctx),
        containerStatuses: runningStatuses(pod, ctx),
      },
    };
  },
};

/** The containers exit (job done, crash, exit code): terminal phase, or CrashLoopBackOff when restarted. */
const podExit: Stage<Pod> = {
  name: 'pod-exit',
  selector: (pod, ctx) => running(pod) && statuses(pod).length > 0 && statuses(pod).every((s) => !!s.state.running) && exitPlan(pod, ctx.timings) !== undefined,
  delayMs: (pod, ctx) => exitPlan(pod, ctx.timings)!.afterMs,
  apply(pod, ctx) {
    const { exitCode } = exitPlan(pod, ctx.timings)!;
    const at = now(ctx);
    const reason = exitCode === 0 ? 'Completed' : 'Error';
    const terminated = (s: ContainerStatus) => terminatedState(exitCode, reason, at, s.state.running?.startedAt, s.containerID);
    if (restarts(pod, exitCode)) {
      const containerStatuses = containers(pod).map((c) => {
        const prev = findStatus(statuses(pod), c.name)!;
        const backoff = Math.round(crashBackoffMs(prev.restartCount + 1, ctx.timings) / 1000);
        const waiting = { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${backoff}s restarting failed container=${c.name} pod=${pod.metadata?.name}_${pod.metadata?.namespace}(${pod.metadata?.uid})` } };
        // While backing off, containerID still names the container that exited (as the kubelet reports).
        return containerStatus(pod, c, prev, waiting, { lastState: terminated(prev), restartCount: prev.restartCount + 1, containerID: prev.containerID });
      });
      return { type: 'patch', status: { conditions: withConditions(pod, readiness(pod, false), ctx), containerStatuses } };
    }
    return {
      type: 'patch',
      status: {
        phase: exitCode === 0 ? 'Succeeded' : 'Failed',
        conditions: withConditions(pod, { PodReadyToStartContainers: { status: 'False' }, ...readiness(pod, false, 'PodCompleted') }, ctx),
        containerStatuses: containers(pod).map((c) => {
          const prev = findStatus(statuses(pod), c.name)!;
          return containerStatus(pod, c, prev, terminated(prev), { containerID: prev.containerID });
        }),
      },
    };
  },
};

const newEphemeral = (pod: Pod) => (pod.spec?.ephemeralContainers ?? []).filter((c) => !findStatus(pod.status?.ephemeralContainerStatuses ?? [], c.name));

/** `kubectl debug` added ephemeral containers: each starts once (ready false and no started field, as the kubelet reports). */
const podEphemeral: Stage<Pod> = {
  name: 'pod-ephemeral',
  selector: (pod) => running(pod) && newEphemeral(pod).length > 0,
  delayMs: (_pod, ctx) => ctx.timings.startDelayMs,
  apply(pod, ctx) {
    const started = newEphemeral(pod).map((c) => {
      const { started: _s, ...status } = containerStatus(pod, c, undefined, { running: { startedAt: now(ctx) } }, { containerID: containerID(pod, c, 0) });
      return status as ContainerStatus;
    });
    const all = [...(pod.status?.ephemeralContainerStatuses ?? []), ...started].sort((a, b) => a.name.localeCompare(b.name));
    return { type: 'patch', status: { ephemeralContainerStatuses: all } };
  },
};

/** CrashLoopBackOff ends: the containers run again (restartCount already counts this restart). */
const podRestart: Stage<Pod> = {
  name: 'pod-restart',
  selector: (pod) => running(pod) && statuses(pod).some((s) => s.state.waiting?.reason === 'CrashLoopBackOff'),
  delayMs: (pod, ctx) => crashBackoffMs(Math.max(...statuses(pod).map((s) => s.restartCount)), ctx.timings),
  apply(pod, ctx) {
    const ready = !neverReady(pod);
    return { type: 'patch', status: { conditions: withConditions(pod, readiness(pod, ready), ctx), containerStatuses: runningStatuses(pod, ctx) } };
  },
};

/** A deleted pod: its running containers get the stop signal and exit 0. */
const podTerminate: Stage<Pod> = {
  name: 'pod-terminate',
  selector: (pod) => isDeleting(pod) && statuses(pod).some((s) => !!s.state.running),
  delayMs: () => 0,
  apply(pod, ctx) {
    const at = now(ctx);
    const containerStatuses = statuses(pod).map((s) => {
      if (!s.state.running) return s;
      return { ...s, ready: false, started: false, state: terminatedState(0, 'Completed', at, s.state.running.startedAt, s.containerID) };
    });
    const allSucceeded = containerStatuses.every((s) => s.state.terminated?.exitCode === 0);
    return {
      type: 'patch',
      status: {
        phase: pod.status?.phase === 'Pending' ? 'Pending' : allSucceeded ? 'Succeeded' : 'Failed',
        conditions: withConditions(pod, { PodReadyToStartContainers: { status: 'False' }, ...readiness(pod, false, 'PodCompleted') }, ctx),
        containerStatuses,
      },
    };
  },
};

/** Nothing runs any more: the object is removed for good, within the pod's grace period. */
const podDelete: Stage<Pod> = {
  name: 'pod-delete',
  selector: (pod) => isDeleting(pod) && !!pod.spec?.nodeName && !statuses(pod).some((s) => !!s.state.running),
  delayMs: (pod, ctx) => Math.min(ctx.timings.deleteDelayMs, (pod.metadata?.deletionGracePeriodSeconds ?? 30) * 1000),
  apply: () => ({ type: 'delete' }),
};

/** In priority order: deletion first, then the forward lifecycle. */
export const podStages: ReadonlyArray<Stage<Pod>> = [podTerminate, podDelete, podCreate, podInitComplete, podRunning, podEphemeral, podExit, podRestart];
