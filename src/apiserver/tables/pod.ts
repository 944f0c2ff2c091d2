/**
 * The Pod printer (upstream printPod): READY counts, the STATUS reason (phase, pod reason,
 * SchedulingGated, init container progress `Init:0/2` / `Init:CrashLoopBackOff`, container waiting and
 * terminated reasons, `Completed` turned back into `Running`/`NotReady`, `Terminating`), RESTARTS with
 * "(5m ago)" from the last termination, and the wide cells IP, NODE, NOMINATED NODE, READINESS GATES.
 */
import type { KubeObject } from '../../api/types.js';
import { ageColumn, col, nameColumn, type Cell, type Printer, type TableRowCondition } from './types.js';
import { humanDuration } from '../../machinery/duration.js';
import { at, has, int, objectAge, rec, recs, str, timeOf, type Json } from './format.js';

const isRestartableInit = (c: Json | undefined): boolean => c !== undefined && c.restartPolicy === 'Always';

const conditionTrue = (conditions: Json[], type: string): boolean => conditions.some((c) => c.type === type && c.status === 'True');

/** The later of a running "last restart" time and a container's last termination finishedAt. */
function laterRestart(current: number | undefined, status: Json): number | undefined {
  const finished = timeOf(at(status, 'lastState', 'terminated', 'finishedAt'));
  if (!has(at(status, 'lastState', 'terminated')) || finished === undefined) return current;
  return current === undefined || finished > current ? finished : current;
}

function terminatedReason(t: Json, prefix: string): string {
  const reason = str(t.reason);
  if (reason !== '') return prefix + reason;
  if (int(t.signal) !== 0) return `${prefix}Signal:${int(t.signal)}`;
  return `${prefix}ExitCode:${int(t.exitCode)}`;
}

export interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

/** READY, STATUS and RESTARTS of a pod, as upstream computes them. */
export function podSummary(pod: KubeObject, now: number): PodSummary {
  const spec = rec(pod.spec);
  const status = rec(pod.status);
  const conditions = recs(status.conditions);
  const initSpecs = recs(spec.initContainers);
  const initByName = new Map(initSpecs.map((c) => [str(c.name), c]));
  const total = recs(spec.containers).length + initSpecs.filter(isRestartableInit).length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;
  const phase = str(status.phase);
  let reason = str(status.reason) || phase;
  if (conditions.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  let initializing = false;
  const initStatuses = recs(status.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i]!;
    const sidecar = isRestartableInit(initByName.get(str(cs.name)));
    restarts += int(cs.restartCount);
    lastRestart = laterRestart(lastRestart, cs);
    if (sidecar) {
      sidecarRestarts += int(cs.restartCount);
      lastSidecarRestart = laterRestart(lastSidecarRestart, cs);
    }
    const state = rec(cs.state);
    const terminated = has(state.terminated) ? rec(state.terminated) : undefined;
    const waiting = has(state.waiting) ? rec(state.waiting) : undefined;
    if (terminated && int(terminated.exitCode) === 0) continue;
    if (sidecar && cs.started === true) {
      if (cs.ready === true) ready++;
      continue;
    }
    if (terminated) reason = terminatedReason(terminated, 'Init:');
    else if (waiting && str(waiting.reason) !== '' && waiting.reason !== 'PodInitializing') reason = `Init:${str(waiting.reason)}`;
    else reason = `Init:${i}/${initSpecs.length}`;
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(conditions, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = recs(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i]!;
      restarts += int(cs.restartCount);
      lastRestart = laterRestart(lastRestart, cs);
      const state = rec(cs.state);
      const waiting = rec(state.waiting);
      if (has(state.waiting) && str(waiting.reason) !== '') reason = str(waiting.reason);
      else if (has(state.terminated)) reason = terminatedReason(rec(state.terminated), '');
      else if (cs.ready === true && has(state.running)) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(conditions, 'Ready') ? 'Running' : 'NotReady';
  }

  const deleting = has(pod.metadata?.deletionTimestamp);
  if (deleting && status.reason === 'NodeLost') reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  let restartsText = String(restarts);
  if (restarts !== 0 && lastRestart !== undefined) restartsText = `${restarts} (${humanDuration(now - lastRestart)} ago)`;
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsText };
}

function readinessGates(pod: KubeObject): string {
  const gates = recs(at(pod, 'spec', 'readinessGates'));
  if (gates.length === 0) return '<none>';
  const conditions = recs(at(pod, 'status', 'conditions'));
  let trueCount = 0;
  for (const gate of gates) {
    const cond = conditions.find((c) => c.type === gate.conditionType);
    if (cond?.status === 'True') trueCount++;
  }
  return `${trueCount}/${gates.length}`;
}

export const podPrinter: Printer = {
  columns: [
    nameColumn,
    col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'string', 'The aggregate status of the containers in this pod.'),
    col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    ageColumn,
    col('IP', 'string', { model: 'V1PodStatus', field: 'podIP' }, 1),
    col('Node', 'string', { model: 'V1PodSpec', field: 'nodeName' }, 1),
    col('Nominated Node', 'string', { model: 'V1PodStatus', field: 'nominatedNodeName' }, 1),
    col('Readiness Gates', 'string', { model: 'V1PodSpec', field: 'readinessGates' }, 1),
  ],
  conditions(pod): TableRowCondition[] | undefined {
    const phase = at(pod, 'status', 'phase');
    if (phase === 'Succeeded') return [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
    if (phase === 'Failed') return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
    return undefined;
  },
  cells(pod, now): Cell[] {
    const s = podSummary(pod, now);
    const podIPs = recs(at(pod, 'status', 'podIPs'));
    const ip = (podIPs.length > 0 ? str(podIPs[0]!.ip) : '') || '<none>';
    const node = str(at(pod, 'spec', 'nodeName')) || '<none>';
    const nominated = str(at(pod, 'status', 'nominatedNodeName')) || '<none>';
    return [pod.metadata?.name ?? '', s.ready, s.status, s.restarts, objectAge(pod, now), ip, node, nominated, readinessGates(pod)];
  },
};
