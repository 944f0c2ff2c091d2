/**
 * Building blocks for simulated pod status: container statuses in each state, pod conditions that
 * keep their lastTransitionTime while unchanged, and the per-pod annotations tests use to steer the
 * simulation (`skiff.dev/sim-*`).
 */
import { formatTimestamp, parseGoDuration } from '../../machinery/duration.js';
import type { ContainerSpec, ContainerState, ContainerStatus, Pod, PodCondition, SimTimings, StageContext } from './types.js';

export const Annotations = {
  crashAfter: 'skiff.dev/sim-crash-after',
  neverReady: 'skiff.dev/sim-never-ready',
  exitCode: 'skiff.dev/sim-exit-code',
  duration: 'skiff.dev/sim-duration',
} as const;

function annotation(pod: Pod, key: string): string | undefined {
  return pod.metadata?.annotations?.[key];
}

function durationAnnotation(pod: Pod, key: string): number | undefined {
  const text = annotation(pod, key);
  if (text === undefined) return undefined;
  try {
    const ms = parseGoDuration(text.trim());
    return ms >= 0 ? ms : undefined;
  } catch {
    return undefined;
  }
}

export function neverReady(pod: Pod): boolean {
  return annotation(pod, Annotations.neverReady) === 'true';
}

/** When (after starting) the containers exit, and with which code; undefined = they run until deleted. */
export function exitPlan(pod: Pod, timings: SimTimings): { afterMs: number; exitCode: number } | undefined {
  const codeText = annotation(pod, Annotations.exitCode);
  const code = codeText !== undefined && /^-?\d+$/.test(codeText.trim()) ? Number(codeText.trim()) : undefined;
  const crashAfter = durationAnnotation(pod, Annotations.crashAfter);
  if (crashAfter !== undefined) return { afterMs: crashAfter, exitCode: code ?? 1 };
  const duration = durationAnnotation(pod, Annotations.duration);
  const jobStyle = pod.spec?.restartPolicy === 'Never' || pod.spec?.restartPolicy === 'OnFailure';
  if (jobStyle || code !== undefined || duration !== undefined) return { afterMs: duration ?? timings.jobDurationMs, exitCode: code ?? 0 };
  return undefined;
}

/** Whether the kubelet would restart a container that exited with `exitCode`. */
export function restarts(pod: Pod, exitCode: number): boolean {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  return policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
}

/** Kubelet's CrashLoopBackOff delay after `restartCount` restarts. */
export function crashBackoffMs(restartCount: number, timings: SimTimings): number {
  const exp = Math.max(0, restartCount - 1);
  return Math.min(timings.crashBackoffMaxMs, timings.crashBackoffBaseMs * 2 ** Math.min(exp, 30));
}

export const isDeleting = (pod: Pod): boolean => !!pod.metadata?.deletionTimestamp;
export const now = (ctx: StageContext): string => formatTimestamp(ctx.now());

/** The ID of the `restartCount`-th run of container `c` of the pod: `sim://<uid>-<name>-<n>`. */
export function containerID(pod: Pod, c: ContainerSpec, restartCount = 0): string {
  const uid = (pod.metadata?.uid ?? pod.metadata?.name ?? 'pod').replace(/-/g, '');
  return `sim://${uid.slice(0, 16)}-${c.name}-${restartCount}`;
}

/** A terminated state without undefined fields (they would not survive JSON anyway). */
export function terminatedState(exitCode: number, reason: string, finishedAt: string, startedAt?: string, id?: string): ContainerState {
  const t: NonNullable<ContainerState['terminated']> = { exitCode, reason };
  if (startedAt) t.startedAt = startedAt;
  t.finishedAt = finishedAt;
  if (id) t.containerID = id;
  return { terminated: t };
}

/** A container status in `state`, keeping what the previous status of the same container knew. */
export function containerStatus(pod: Pod, c: ContainerSpec, prev: ContainerStatus | undefined, state: ContainerState, opts: { ready?: boolean; started?: boolean; restartCount?: number; lastState?: ContainerState; containerID?: string } = {}): ContainerStatus {
  const image = c.image ?? '';
  const restartCount = opts.restartCount ?? prev?.restartCount ?? 0;
  const status: ContainerStatus = {
    name: c.name,
    image,
    imageID: imageID(image),
    state,
    lastState: opts.lastState ?? prev?.lastState ?? {},
    ready: opts.ready ?? false,
    restartCount,
    started: opts.started ?? false,
  };
  if (opts.containerID) status.containerID = opts.containerID;
  return status;
}

/** `repo@sha256:<digest>` for an image reference: the tag dropped, a digest kept as given. */
export function imageID(image: string): string {
  if (!image) return '';
  if (image.includes('@')) return image;
  const colon = image.lastIndexOf(':');
  const repo = colon > image.lastIndexOf('/') ? image.slice(0, colon) : image;
  return `${repo}@sha256:${simDigest(image)}`;
}

/** A stable fake 64-hex digest for an image reference (FNV-1a, repeated). */
function simDigest(ref: string): string {
  let out = '';
  for (let round = 0; out.length < 64; round++) {
    let h = 0x811c9dc5 ^ round;
    for (let i = 0; i < ref.length; i++) h = Math.imul(h ^ ref.charCodeAt(i), 0x01000193);
    out += (h >>> 0).toString(16).padStart(8, '0');
  }
  return out.slice(0, 64);
}

export function findStatus(list: ContainerStatus[] | undefined, name: string): ContainerStatus | undefined {
  return list?.find((s) => s.name === name);
}

type ConditionValue = { status: PodCondition['status']; reason?: string; message?: string };

/**
 * The pod's conditions with `changes` applied, in kubelet order; a condition whose status is
 * unchanged keeps its lastTransitionTime.
 */
export function withConditions(pod: Pod, changes: Record<string, ConditionValue>, ctx: StageContext): PodCondition[] {
  const order = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];
  const prev = pod.status?.conditions ?? [];
  const types = [...new Set([...order.filter((t) => t in changes || prev.some((c) => c.type === t)), ...prev.map((c) => c.type), ...Object.keys(changes)])];
  return types.map((type) => {
    const old = prev.find((c) => c.type === type);
    const next = changes[type];
    if (!next) return old!;
    const cond: PodCondition = { type, status: next.status, lastProbeTime: null, lastTransitionTime: old && old.status === next.status ? old.lastTransitionTime : now(ctx) };
    if (next.reason) cond.reason = next.reason;
    if (next.message) cond.message = next.message;
    return cond;
  });
}

const T = (): ConditionValue => ({ status: 'True' });
const notReady = (pod: Pod, reason: string): ConditionValue => {
  const names = (pod.spec?.containers ?? []).map((c) => c.name).join(' ');
  return { status: 'False', reason, message: reason === 'PodCompleted' ? undefined : `containers with unready status: [${names}]` };
};

/** Ready and ContainersReady for a pod whose containers are (not) all ready. */
export function readiness(pod: Pod, ready: boolean, reason = 'ContainersNotReady'): Record<string, ConditionValue> {
  return ready ? { Ready: T(), ContainersReady: T() } : { Ready: notReady(pod, reason), ContainersReady: notReady(pod, reason) };
}

export const conditionTrue = T;
