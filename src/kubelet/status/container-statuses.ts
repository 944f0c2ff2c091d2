/**
 * Container statuses as upstream's convertToAPIContainerStatuses builds them: the newest attempt gives
 * `state`, the one before it `lastState`, restartCount is the newest attempt's number; a container not
 * seen yet waits (ContainerCreating, or PodInitializing when the pod has init containers); a container
 * that will be started again shows the worker's waiting reason (CrashLoopBackOff, ErrImagePull, ...)
 * with its terminated state moved to lastState. Ready/started come from the probe manager; a regular
 * init container is ready once it exited 0. Init statuses keep spec order, regular and ephemeral ones
 * sort by name.
 */
import { formatTimestamp } from '../../machinery/duration.js';
import { isSidecar, type ContainerSpecView, type ContainerState, type ContainerStatus, type ObservedContainer, type ObservedPod, type StateTerminated } from './types.js';

export interface StatusContext {
  observed: ObservedPod;
  restartPolicy: string;
  hasInitContainers: boolean;
  /** The pod has a deletionTimestamp (or is being terminated): nothing will be restarted. */
  deleting: boolean;
  /** Some regular container of the pod exists in the runtime (the pod got past its init containers). */
  regularContainerCreated: boolean;
  old: ContainerStatus[];
}

const ts = (ms: number | undefined): string | undefined => (ms && ms > 0 ? formatTimestamp(ms) : undefined);

function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined || o[k] === '') delete o[k];
  return o;
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Newest attempt first (attempt number, then creation time). */
export function attemptsOf(observed: ObservedPod, name: string): ObservedContainer[] {
  return observed.containers.filter((c) => c.name === name).sort((a, b) => b.attempt - a.attempt || (b.createdAt ?? 0) - (a.createdAt ?? 0));
}

function terminatedOf(c: ObservedContainer): StateTerminated {
  const exitCode = c.exitCode ?? 0;
  return compact({
    exitCode,
    reason: c.reason || (exitCode === 0 ? 'Completed' : 'Error'),
    message: c.message,
    startedAt: ts(c.startedAt),
    finishedAt: ts(c.finishedAt),
    containerID: c.id,
  });
}

function convert(c: ObservedContainer, spec: ContainerSpecView, old: ContainerStatus | undefined): ContainerStatus {
  let state: ContainerState;
  let restartCount = c.attempt;
  if (c.state === 'running') state = { running: compact({ startedAt: ts(c.startedAt) }) };
  else if (c.state === 'exited') state = { terminated: terminatedOf(c) };
  else if (c.state === 'unknown' && old?.state.running) {
    // It was running and the runtime lost it: it ran and stopped, it must not look as if it never ran.
    state = { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated' } };
    restartCount = old.restartCount + 1;
  } else state = { waiting: {} };
  return { name: spec.name, state, lastState: {}, ready: false, restartCount, image: c.image || spec.image || '', imageID: c.imageRef || c.imageId || '', containerID: c.id, started: false };
}

/** Upstream's ShouldContainerBeRestarted for the newest attempt. */
function shouldBeRestarted(spec: ContainerSpecView, newest: ObservedContainer | undefined, ctx: StatusContext, isInit: boolean): boolean {
  if (ctx.deleting) return false;
  if (!newest) return true;
  if (newest.state === 'running') return false;
  if (newest.state === 'unknown' || newest.state === 'created') return true;
  if (isInit && isSidecar(spec)) return true;
  if (ctx.restartPolicy === 'Never') return false;
  if (ctx.restartPolicy === 'OnFailure' && (newest.exitCode ?? 0) === 0) return false;
  return true;
}

function statusOf(spec: ContainerSpecView, ctx: StatusContext, isInit: boolean): ContainerStatus {
  const old = ctx.old.find((s) => s.name === spec.name);
  const defaultWaiting = ctx.hasInitContainers ? 'PodInitializing' : 'ContainerCreating';
  let status: ContainerStatus = { name: spec.name, state: { waiting: { reason: defaultWaiting } }, lastState: {}, ready: false, restartCount: 0, image: spec.image ?? '', imageID: '', started: false };
  if (old?.state?.terminated) status = clone(old);
  else if (old) {
    status.restartCount = old.restartCount ?? 0;
    status.lastState = clone(old.lastState ?? {});
  }
  const attempts = attemptsOf(ctx.observed, spec.name);
  const newest = attempts[0];
  if (newest) {
    status = convert(newest, spec, old);
    if (attempts[1]) status.lastState = convert(attempts[1], spec, undefined).state;
  } else if (old?.state?.running && status.state.waiting?.reason === defaultWaiting && !status.lastState.terminated) {
    // It used to run and is gone: show it stopped (not waiting), or the pod would fall back to Pending.
    status.lastState = { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was deleted.  The container used to be Running' } };
    if (!ctx.deleting) status.restartCount += 1;
  }
  if (isInit && !newest && !isSidecar(spec) && ctx.regularContainerCreated && status.state.waiting) {
    // The init container is gone but the regular containers were created: it completed.
    status.state = { terminated: { exitCode: 0, reason: 'Completed', message: 'Unable to get init container status from container runtime and pod has been initialized, treat it as exited normally' } };
  } else if (!(isInit && newest?.state === 'exited' && (newest.exitCode ?? 0) === 0 && !isSidecar(spec)) && shouldBeRestarted(spec, newest, ctx, isInit)) {
    const waiting = ctx.observed.waiting[spec.name];
    if (waiting) {
      if (status.state.terminated) status.lastState = status.state;
      status.state = { waiting: compact({ reason: waiting.reason, message: waiting.message }) };
    }
  }
  const running = !!status.state.running;
  status.started = running && (ctx.observed.started[spec.name] ?? false);
  if (isInit && !isSidecar(spec)) status.ready = !!status.state.terminated && status.state.terminated.exitCode === 0;
  else status.ready = status.started && running && (ctx.observed.ready[spec.name] ?? false);
  return status;
}

export function initContainerStatuses(specs: ContainerSpecView[], ctx: StatusContext): ContainerStatus[] {
  return specs.map((s) => statusOf(s, ctx, true));
}

export function regularContainerStatuses(specs: ContainerSpecView[], ctx: StatusContext): ContainerStatus[] {
  return specs.map((s) => statusOf(s, ctx, false)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Ephemeral containers (kubectl debug) as upstream reports them: started once, never restarted (an
 * implicit restartPolicy Never), never ready, no probes so no `started`; sorted by name.
 */
export function ephemeralContainerStatuses(specs: ContainerSpecView[], ctx: StatusContext): ContainerStatus[] {
  const never: StatusContext = { ...ctx, restartPolicy: 'Never' };
  return specs
    .map((s) => {
      const { started: _started, ...status } = statusOf(s, never, false);
      return { ...status, ready: false };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
