/**
 * The kubelet-owned pod conditions (upstream pkg/kubelet/status/generate.go), in kubelet order:
 * PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled. Conditions owned by
 * others (DisruptionTarget, readiness gates...) are kept first; a condition whose status did not
 * change keeps its lastTransitionTime.
 */
import { formatTimestamp } from '../../machinery/duration.js';
import type { PodPhase } from './phase.js';
import { isSidecar, type ContainerStatus, type PodCondition, type PodSpecView } from './types.js';

const KUBELET_OWNED = new Set(['PodScheduled', 'Ready', 'Initialized', 'ContainersReady', 'PodReadyToStartContainers', 'PodResizePending', 'PodResizeInProgress']);

type Generated = Pick<PodCondition, 'type' | 'status' | 'reason' | 'message'>;

/** Go's %s of a []string: `[a b]`. */
const goList = (names: string[]): string => `[${names.join(' ')}]`;
const find = (statuses: ContainerStatus[], name: string) => statuses.find((s) => s.name === name);

function containersReady(spec: PodSpecView, statuses: ContainerStatus[], phase: PodPhase): Generated {
  const unknown: string[] = [];
  const unready: string[] = [];
  const check = (name: string) => {
    const s = find(statuses, name);
    if (!s) unknown.push(name);
    else if (!s.ready) unready.push(name);
  };
  for (const c of spec.initContainers ?? []) if (isSidecar(c)) check(c.name);
  for (const c of spec.containers ?? []) check(c.name);
  if (phase === 'Succeeded' && unknown.length === 0) return { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' };
  if (phase === 'Failed') return { type: 'ContainersReady', status: 'False', reason: 'PodFailed' };
  const messages: string[] = [];
  if (unknown.length) messages.push(`containers with unknown status: ${goList(unknown)}`);
  if (unready.length) messages.push(`containers with unready status: ${goList(unready)}`);
  if (messages.length) return { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: messages.join(', ') };
  return { type: 'ContainersReady', status: 'True' };
}

function podReady(spec: PodSpecView, cr: Generated, others: PodCondition[]): Generated {
  if (cr.status !== 'True') return { ...cr, type: 'Ready' };
  const messages: string[] = [];
  for (const gate of spec.readinessGates ?? []) {
    const c = others.find((o) => o.type === gate.conditionType);
    if (!c) messages.push(`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`);
    else if (c.status !== 'True') messages.push(`the status of pod readiness gate "${gate.conditionType}" is not "True", but ${c.status}`);
  }
  if (messages.length) return { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: messages.join(', ') };
  return { type: 'Ready', status: 'True' };
}

function initialized(spec: PodSpecView, statuses: ContainerStatus[], phase: PodPhase): Generated {
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of spec.initContainers ?? []) {
    const s = find(statuses, c.name);
    if (!s) unknown.push(c.name);
    else if (isSidecar(c) ? !s.started : !s.ready) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  const regular = new Set((spec.containers ?? []).map((c) => c.name));
  if (statuses.some((s) => regular.has(s.name) && (s.state.running || s.state.terminated))) return { type: 'Initialized', status: 'True' };
  const messages: string[] = [];
  if (unknown.length) messages.push(`containers with unknown status: ${goList(unknown)}`);
  if (incomplete.length) messages.push(`containers with incomplete status: ${goList(incomplete)}`);
  if (messages.length) return { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: messages.join(', ') };
  return { type: 'Initialized', status: 'True' };
}

export interface ConditionInputs {
  spec: PodSpecView;
  oldConditions: PodCondition[];
  /** Init and regular container statuses together. */
  statuses: ContainerStatus[];
  phase: PodPhase;
  /** A ready sandbox with its network set up (upstream: no new sandbox needed). */
  sandboxReadyWithNetwork: boolean;
  now: Date;
}

export function podConditions(input: ConditionInputs): PodCondition[] {
  const others = input.oldConditions.filter((c) => !KUBELET_OWNED.has(c.type));
  const cr = containersReady(input.spec, input.statuses, input.phase);
  const generated: Generated[] = [
    { type: 'PodReadyToStartContainers', status: input.sandboxReadyWithNetwork ? 'True' : 'False' },
    initialized(input.spec, input.statuses, input.phase),
    podReady(input.spec, cr, others),
    cr,
    { type: 'PodScheduled', status: 'True' },
  ];
  const stamped = generated.map((g): PodCondition => {
    const old = input.oldConditions.find((c) => c.type === g.type);
    const cond: PodCondition = { type: g.type, status: g.status, lastProbeTime: null, lastTransitionTime: old && old.status === g.status && old.lastTransitionTime ? old.lastTransitionTime : formatTimestamp(input.now) };
    if (g.reason) cond.reason = g.reason;
    if (g.message) cond.message = g.message;
    return cond;
  });
  return [...others, ...stamped];
}
