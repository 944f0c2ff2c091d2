/**
 * The pod phase from its container statuses (upstream kubelet_pods.go getPhase, without the alpha
 * container restart rules): Pending while init containers or containers have not all started, Running
 * while one runs (or all stopped but will restart), Succeeded / Failed once every container stopped
 * for good. Sidecars (init containers with restartPolicy Always) count like regular containers while
 * running and are ignored once stopped.
 */
import { isSidecar, type ContainerSpecView, type ContainerStatus, type PodSpecView } from './types.js';

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

const find = (statuses: ContainerStatus[], name: string) => statuses.find((s) => s.name === name);

export function podPhase(spec: PodSpecView, statuses: ContainerStatus[], podIsTerminal: boolean, podHasInitialized: boolean): PodPhase {
  const init: ContainerSpecView[] = spec.initContainers ?? [];
  const restartPolicy = spec.restartPolicy ?? 'Always';
  let pendingRegularInit = 0;
  let pendingSidecars = 0;
  let failedInitialization = 0;
  for (const c of init.filter((c) => !isSidecar(c))) {
    const s = find(statuses, c.name);
    if (!s) pendingRegularInit++;
    else if (s.state.running) pendingRegularInit++;
    else if (s.state.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInitialization++;
    } else if (s.state.waiting) {
      if (s.lastState.terminated) {
        if (s.lastState.terminated.exitCode !== 0) failedInitialization++;
      } else pendingRegularInit++;
    } else pendingRegularInit++;
  }
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of init.filter(isSidecar)) {
    const s = find(statuses, c.name);
    if (!s) unknown++;
    else if (s.state.running) {
      if (!s.started) pendingSidecars++;
      running++;
    } else if (s.state.terminated) {
      // Stopped sidecars do not count for the phase.
    } else if (s.state.waiting) {
      if (!s.lastState.terminated) {
        pendingSidecars++;
        waiting++;
      }
    } else {
      pendingSidecars++;
      unknown++;
    }
  }
  for (const c of spec.containers ?? []) {
    const s = find(statuses, c.name);
    if (!s) unknown++;
    else if (s.state.running) running++;
    else if (s.state.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state.waiting) {
      if (s.lastState.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }
  if (failedInitialization > 0 && restartPolicy === 'Never') return 'Failed';
  if (pendingRegularInit > 0 || (pendingSidecars > 0 && !podHasInitialized) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}
