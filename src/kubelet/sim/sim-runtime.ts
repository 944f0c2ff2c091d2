/**
 * The simulated container runtime: a NodeRuntime whose "containers" are the pod stages of
 * pod-stages.ts run by the stage engine. It owns the address plan of its nodes (podCIDR, host IP,
 * pod IPs) and writes pod status through a PodStatusWriter; `apiPodWriter` is the API-backed one.
 */
import type { KubeObject } from '../../api/types.js';
import type { RestClient } from '../../client/rest.js';
import type { NodeRegistration, NodeRuntime, PodStatusWriter } from '../runtime.js';
import { PodIPPool, hostIPFor, simRegistration } from './node-objects.js';
import { podStages } from './pod-stages.js';
import { StageEngine } from './stage-engine.js';
import type { Pod, SimTimings, Stage } from './types.js';

export interface SimRuntimeOptions {
  writer: PodStatusWriter<Pod>;
  timings: SimTimings;
  capacity: Record<string, string>;
  /** Bounds concurrent writes (shared with heartbeats). */
  schedule?: (job: () => Promise<void>) => Promise<void>;
  stages?: ReadonlyArray<Stage<Pod>>;
  onError?: (err: unknown, pod: Pod) => void;
}

export class SimRuntime implements NodeRuntime {
  readonly name = 'sim';
  readonly engine: StageEngine<Pod>;
  private readonly pools = new Map<string, PodIPPool>();
  private readonly hostIPs = new Map<string, string>();

  constructor(private readonly opts: SimRuntimeOptions) {
    this.engine = new StageEngine<Pod>({
      stages: opts.stages ?? podStages,
      sender: opts.writer,
      schedule: opts.schedule,
      onError: opts.onError,
      context: {
        now: () => Date.now(),
        timings: opts.timings,
        podIP: (pod) => {
          const uid = pod.metadata?.uid;
          return uid ? this.pools.get(pod.spec?.nodeName ?? '')?.allocate(uid) : undefined;
        },
        hostIP: (node) => this.hostIPs.get(node),
      },
    });
  }

  registerNode(nodeName: string, index: number): NodeRegistration {
    const reg = simRegistration(nodeName, index, this.opts.capacity);
    this.pools.set(nodeName, new PodIPPool(reg.podCIDR!));
    this.hostIPs.set(nodeName, hostIPFor(index));
    return reg;
  }

  syncPod(pod: KubeObject): void {
    const p = pod as Pod;
    const uid = p.metadata?.uid;
    if (uid && p.status?.podIP) this.pools.get(p.spec?.nodeName ?? '')?.reserve(uid, p.status.podIP);
    this.engine.observe(p);
  }

  /** Deletion is level-triggered from the pod's deletionTimestamp and grace period (pod-terminate, pod-delete). */
  killPod(pod: KubeObject, _gracePeriodSeconds: number): void {
    this.syncPod(pod);
  }

  forgetPod(pod: KubeObject): void {
    const p = pod as Pod;
    if (p.metadata?.uid) this.pools.get(p.spec?.nodeName ?? '')?.release(p.metadata.uid);
    this.engine.forget(p);
  }

  close(): void {
    this.engine.close();
  }
}

const podPath = (pod: KubeObject) => `/api/v1/namespaces/${encodeURIComponent(pod.metadata?.namespace ?? 'default')}/pods/${encodeURIComponent(pod.metadata?.name ?? '')}`;

/** Writes pod status with merge patches on pods/{name}/status and deletes with gracePeriodSeconds=0. */
export function apiPodWriter(client: RestClient): PodStatusWriter<Pod> {
  return {
    async patchStatus(pod, status) {
      const res = await client.patch<Pod>(`${podPath(pod)}/status`, { status });
      if (res.status === 404) return null;
      if (res.status >= 300) throw new Error(`patch status of pod ${pod.metadata?.namespace}/${pod.metadata?.name}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
      return res.body;
    },
    async deletePod(pod) {
      const body = { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, ...(pod.metadata?.uid ? { preconditions: { uid: pod.metadata.uid } } : {}) };
      const res = await client.delete(`${podPath(pod)}?gracePeriodSeconds=0`, body);
      // 404: already gone; 409: the name now belongs to a new pod (uid precondition).
      if (res.status >= 300 && res.status !== 404 && res.status !== 409) throw new Error(`delete pod ${pod.metadata?.namespace}/${pod.metadata?.name}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
    },
  };
}
