/**
 * `kubectl get pods` columns as upstream's printPod computes them: READY (ready/total, sidecars
 * counted), STATUS (phase, or the most telling container/init-container reason, Terminating...),
 * RESTARTS (`3 (5m ago)`), AGE, and the wide IP / NODE / NOMINATED NODE / READINESS GATES.
 */
import { ageColumn, fieldDoc, nameColumn, since } from '../../table.js';
import type { KubeObject, TableColumn } from '../../types.js';
import { asArray, asObj, asString, type Obj } from './validation-helpers.js';

interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

// One summary per object and table build (`now`), shared by the READY/STATUS/RESTARTS cells.
const summaries = new WeakMap<KubeObject, { now: number; summary: PodSummary }>();

const terminatedOf = (s: Obj): Obj | undefined => asObj(asObj(s.state)?.terminated);
const lastFinished = (s: Obj): string => asString(asObj(asObj(s.lastState)?.terminated)?.finishedAt);
const later = (a: string, b: string): string => (b && (!a || Date.parse(b) > Date.parse(a)) ? b : a);

function exitReason(t: Obj, prefix: string): string {
  const reason = asString(t.reason);
  if (reason) return prefix + reason;
  return typeof t.signal === 'number' && t.signal !== 0 ? `${prefix}Signal:${t.signal}` : `${prefix}ExitCode:${Number(t.exitCode ?? 0)}`;
}

function summarize(pod: KubeObject, now: number): PodSummary {
  const spec = asObj(pod.spec) ?? {};
  const status = asObj(pod.status) ?? {};
  const conditions = asArray(status.conditions).map((c) => asObj(c) ?? {});
  const initSpecs = new Map(asArray(spec.initContainers).map((c) => [asString(asObj(c)?.name), asObj(c) ?? {}]));
  const sidecar = (name: string): boolean => initSpecs.get(name)?.restartPolicy === 'Always';
  const total = asArray(spec.containers).length + [...initSpecs.keys()].filter(sidecar).length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart = '';
  let lastSidecarRestart = '';
  let reason = asString(status.reason) || asString(status.phase);
  if (conditions.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  let initializing = false;
  const initStatuses = asArray(status.initContainerStatuses).map((s) => asObj(s) ?? {});
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    const name = asString(c.name);
    restarts += Number(c.restartCount ?? 0);
    lastRestart = later(lastRestart, lastFinished(c));
    if (sidecar(name)) {
      sidecarRestarts += Number(c.restartCount ?? 0);
      lastSidecarRestart = later(lastSidecarRestart, lastFinished(c));
    }
    const term = terminatedOf(c);
    const waiting = asObj(asObj(c.state)?.waiting);
    if (term && Number(term.exitCode ?? 0) === 0) continue;
    if (sidecar(name) && c.started === true) {
      if (c.ready === true) ready++;
      continue;
    }
    if (term) reason = exitReason(term, 'Init:');
    else if (waiting && asString(waiting.reason) && waiting.reason !== 'PodInitializing') reason = `Init:${asString(waiting.reason)}`;
    else reason = `Init:${i}/${initSpecs.size}`;
    initializing = true;
    break;
  }

  const initialized = conditions.some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = asArray(status.containerStatuses).map((s) => asObj(s) ?? {});
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += Number(c.restartCount ?? 0);
      lastRestart = later(lastRestart, lastFinished(c));
      const waiting = asObj(asObj(c.state)?.waiting);
      const term = terminatedOf(c);
      if (waiting && asString(waiting.reason)) reason = asString(waiting.reason);
      else if (term) reason = exitReason(term, '');
      else if (c.ready === true && asObj(asObj(c.state)?.running)) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = conditions.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }

  const deleting = Boolean(pod.metadata?.deletionTimestamp);
  if (deleting && status.reason === 'NodeLost') reason = 'Unknown';
  else if (deleting && status.phase !== 'Succeeded' && status.phase !== 'Failed') reason = 'Terminating';

  const restartText = restarts !== 0 && lastRestart ? `${restarts} (${since(lastRestart, now)} ago)` : String(restarts);
  return { ready: `${ready}/${total}`, status: reason, restarts: restartText };
}

function summary(pod: KubeObject, now: number): PodSummary {
  const hit = summaries.get(pod);
  if (hit && hit.now === now) return hit.summary;
  const fresh = summarize(pod, now);
  summaries.set(pod, { now, summary: fresh });
  return fresh;
}

function readinessGates(pod: KubeObject): string {
  const gates = asArray(asObj(pod.spec)?.readinessGates).map((g) => asString(asObj(g)?.conditionType));
  if (gates.length === 0) return '<none>';
  const conditions = asArray(asObj(pod.status)?.conditions).map((c) => asObj(c) ?? {});
  const trueCount = gates.filter((g) => conditions.find((c) => c.type === g)?.status === 'True').length;
  return `${trueCount}/${gates.length}`;
}

export function podColumns(): TableColumn[] {
  return [
    nameColumn(),
    { name: 'Ready', type: 'string', description: 'The aggregate readiness state of this pod for accepting traffic.', cell: (o, now) => summary(o, now).ready },
    { name: 'Status', type: 'string', description: 'The aggregate status of the containers in this pod.', cell: (o, now) => summary(o, now).status },
    {
      name: 'Restarts', type: 'string', cell: (o, now) => summary(o, now).restarts,
      description: 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    },
    ageColumn(),
    { name: 'IP', type: 'string', priority: 1, description: fieldDoc('V1PodStatus', 'podIP'), cell: (o) => asString(asObj(asArray(asObj(o.status)?.podIPs)[0])?.ip) || '<none>' },
    { name: 'Node', type: 'string', priority: 1, description: fieldDoc('V1PodSpec', 'nodeName'), cell: (o) => asString(asObj(o.spec)?.nodeName) || '<none>' },
    {
      name: 'Nominated Node', type: 'string', priority: 1, description: fieldDoc('V1PodStatus', 'nominatedNodeName'),
      cell: (o) => asString(asObj(o.status)?.nominatedNodeName) || '<none>',
    },
    { name: 'Readiness Gates', type: 'string', priority: 1, description: fieldDoc('V1PodSpec', 'readinessGates'), cell: readinessGates },
  ];
}
