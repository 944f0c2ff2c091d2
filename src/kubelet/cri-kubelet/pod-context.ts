/**
 * What the CRI pod syncer works with: the node's parts (CRI client, relisted runtime state, volumes,
 * probes, back-offs, image puller, events) and the per-pod memory that is not in containerd (waiting
 * reasons, the sandbox config, probe registrations, the termination deadline). Everything else is
 * read back from containerd on every sync, so losing this memory (a restart) loses nothing that matters.
 */
import type { KubeObject } from '../../api/types.js';
import type { EventRecorder } from '../../runtime/events.js';
import type { RestartBackoff } from '../backoff/index.js';
import type { ApiSources } from './api-sources.js';
import type { CriClient } from '../cri/client.js';
import type { PodSandboxConfig } from '../cri/types.js';
import type { ProbeManager } from '../prober/index.js';
import type { PodStatusWriter } from '../runtime.js';
import type { VolumeManager } from '../volumes/index.js';
import type { ImagePuller } from './image-puller.js';
import type { RuntimeState } from './runtime-state.js';

export interface NodeFacts {
  nodeName: string;
  hostIP: () => string;
  clusterDNS: string[];
  clusterDomain: string;
  logRoot: string;
  allocatable: () => Record<string, string>;
}

export interface PodMemory {
  waiting: Record<string, { reason: string; message?: string }>;
  sandboxConfig?: PodSandboxConfig;
  sandboxId?: string;
  /** Container ids whose probes are registered with the probe manager. */
  probed: Map<string, string>;
  /** Containers a failed liveness/startup probe asked to restart (container ids). */
  restartRequested: Set<string>;
  killDeadline?: number;
  lastStatus?: string;
  startTime?: Date;
}

export interface KubeletParts {
  cri: CriClient;
  state: RuntimeState;
  volumes: VolumeManager;
  probes: ProbeManager;
  backoff: RestartBackoff;
  images: ImagePuller;
  getter: ApiSources;
  events: EventRecorder;
  writer: PodStatusWriter;
  node: NodeFacts;
  /** Removes a container's log files, rotated ones included (the log manager's clean). */
  logs?: { clean(containerId: string): Promise<void> };
  log: (msg: string, fields?: Record<string, unknown>) => void;
}

export function newPodMemory(): PodMemory {
  return { waiting: {}, probed: new Map(), restartRequested: new Set() };
}

export interface ContainerSpec {
  name: string;
  image?: string;
  imagePullPolicy?: string;
  restartPolicy?: string;
  lifecycle?: { postStart?: Record<string, unknown>; preStop?: Record<string, unknown> };
  ports?: Array<{ name?: string; containerPort?: number }>;
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  startupProbe?: unknown;
  volumeMounts?: unknown[];
}

export interface PodSpecView {
  containers: ContainerSpec[];
  initContainers?: ContainerSpec[];
  restartPolicy?: string;
  terminationGracePeriodSeconds?: number;
  hostNetwork?: boolean;
}

export const specOf = (pod: KubeObject) => (pod.spec ?? { containers: [] }) as unknown as PodSpecView;
