/**
 * What the kubelet observed of a pod (the input of buildPodStatus) and the API status shapes it
 * produces (core/v1 PodStatus, ContainerStatus, PodCondition as plain JSON).
 */

export interface ObservedContainer {
  name: string;
  /** `containerd://<id>` */
  id: string;
  attempt: number;
  state: 'created' | 'running' | 'exited' | 'unknown';
  /** Epoch milliseconds. */
  createdAt?: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  /** CRI reason: Completed, Error, OOMKilled, ContainerCannotRun... */
  reason?: string;
  message?: string;
  image: string;
  /** CRI image_ref (a repo digest `docker.io/library/nginx@sha256:...` when the runtime knows one). */
  imageRef: string;
  imageId?: string;
}

export interface ObservedPod {
  hostIP: string;
  podIPs: string[];
  sandboxReady: boolean;
  sandboxCreated: boolean;
  startTime?: Date;
  /** Every attempt still known, any order. */
  containers: ObservedContainer[];
  /** The worker's per-container waiting reason: ContainerCreating, PodInitializing, CrashLoopBackOff, ErrImagePull, ... */
  waiting: Record<string, { reason: string; message?: string }>;
  /** From the ProbeManager. */
  ready: Record<string, boolean>;
  started: Record<string, boolean>;
  /** The pod is being deleted and its containers were stopped: the status becomes terminal. */
  terminating?: boolean;
}

export interface StateWaiting {
  reason?: string;
  message?: string;
}
export interface StateRunning {
  startedAt?: string;
}
export interface StateTerminated {
  exitCode: number;
  reason?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  containerID?: string;
}

export interface ContainerState {
  waiting?: StateWaiting;
  running?: StateRunning;
  terminated?: StateTerminated;
}

export interface ContainerStatus {
  name: string;
  state: ContainerState;
  lastState: ContainerState;
  ready: boolean;
  restartCount: number;
  image: string;
  imageID: string;
  containerID?: string;
  started?: boolean;
}

export interface PodCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface ContainerSpecView {
  name: string;
  image?: string;
  restartPolicy?: string;
}

export interface PodSpecView {
  containers?: ContainerSpecView[];
  initContainers?: ContainerSpecView[];
  ephemeralContainers?: ContainerSpecView[];
  restartPolicy?: string;
  hostNetwork?: boolean;
  readinessGates?: Array<{ conditionType: string }>;
}

export interface PodStatusView {
  phase?: string;
  reason?: string;
  message?: string;
  startTime?: string;
  qosClass?: string;
  conditions?: PodCondition[];
  containerStatuses?: ContainerStatus[];
  initContainerStatuses?: ContainerStatus[];
  ephemeralContainerStatuses?: ContainerStatus[];
}

export const isSidecar = (c: ContainerSpecView): boolean => c.restartPolicy === 'Always';
