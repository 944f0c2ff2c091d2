/**
 * The slice of the Pod and Node API shapes the simulator reads and writes (plain JSON, as served),
 * and the stage contract: a stage is data — a name, a selector, a delay and a status patch.
 */
import type { KubeObject } from '../../api/types.js';

export interface ContainerSpec {
  name: string;
  image?: string;
}

export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { exitCode: number; reason?: string; message?: string; startedAt?: string; finishedAt?: string; containerID?: string };
}

export interface ContainerStatus {
  name: string;
  image: string;
  imageID: string;
  containerID?: string;
  state: ContainerState;
  lastState: ContainerState;
  ready: boolean;
  started?: boolean;
  restartCount: number;
}

export interface PodCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastProbeTime: null;
  lastTransitionTime: string;
}

export interface PodStatus {
  phase?: string;
  conditions?: PodCondition[];
  hostIP?: string;
  hostIPs?: Array<{ ip: string }>;
  podIP?: string;
  podIPs?: Array<{ ip: string }>;
  startTime?: string;
  initContainerStatuses?: ContainerStatus[];
  containerStatuses?: ContainerStatus[];
  ephemeralContainerStatuses?: ContainerStatus[];
  qosClass?: string;
  reason?: string;
  message?: string;
}

export interface PodSpec {
  nodeName?: string;
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  terminationGracePeriodSeconds?: number;
  containers?: ContainerSpec[];
  initContainers?: ContainerSpec[];
  /** Added through pods/ephemeralcontainers (`kubectl debug`). */
  ephemeralContainers?: ContainerSpec[];
}

export interface Pod extends KubeObject {
  spec?: PodSpec;
  status?: PodStatus;
}

/** Timings of the simulated lifecycle, in milliseconds. */
export interface SimTimings {
  /** Bound -> ContainerCreating. */
  createDelayMs: number;
  /** Init containers run for this long (all of them together). */
  initDelayMs: number;
  /** ContainerCreating -> Running. */
  startDelayMs: number;
  /** Run time of job-style pods (restartPolicy Never/OnFailure) without `skiff.dev/sim-duration`. */
  jobDurationMs: number;
  /** CrashLoopBackOff: first back-off, doubled per restart up to the maximum (kubelet: 10 s, 5 min). */
  crashBackoffBaseMs: number;
  crashBackoffMaxMs: number;
  /** Upper bound of the graceful stop of a deleted pod (the pod's own grace period when shorter). */
  deleteDelayMs: number;
}

export const defaultTimings: SimTimings = {
  createDelayMs: 0,
  initDelayMs: 500,
  startDelayMs: 1000,
  jobDurationMs: 5000,
  crashBackoffBaseMs: 10_000,
  crashBackoffMaxMs: 300_000,
  deleteDelayMs: 1000,
};

/** What a stage's selector and patch may consult besides the object itself. */
export interface StageContext {
  /** Epoch milliseconds (injected so golden tests are reproducible). */
  now(): number;
  timings: SimTimings;
  /** The pod's IP from its node's podCIDR; the same answer for the same pod every time. */
  podIP(pod: Pod): string | undefined;
  /** The InternalIP of a simulated node. */
  hostIP(nodeName: string): string | undefined;
}

/** A stage's outcome: a merge patch of `status` (arrays given whole), or the final deletion. */
export type StageAction<S extends object = PodStatus> = { type: 'patch'; status: S } | { type: 'delete' };

/** One step of a lifecycle (kwok's Stage): the first stage whose selector matches is the next one. */
export interface Stage<T extends KubeObject, S extends object = PodStatus> {
  name: string;
  selector(obj: T, ctx: StageContext): boolean;
  /** How long after the object entered this stage the action happens. */
  delayMs(obj: T, ctx: StageContext): number;
  apply(obj: T, ctx: StageContext): StageAction<S>;
}
