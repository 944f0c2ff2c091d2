/**
 * The node runtime contract of the simulated nodes (`sim/`, kwok-style), and the status writer both
 * kubelets share. The real-container kubelet (`cri-kubelet/`) does not fit this shape: it has upstream's
 * pod workers (one serialized sync per pod, driven by pod changes and by relisting containerd), so it
 * uses only `PodStatusWriter` from here.
 *
 * A runtime is level-triggered like the kubelet's pod workers: `syncPod` is called with the latest
 * pod object every time it changes (and may be called again with the same object); the runtime
 * converges its containers towards the spec and reports what it observes through the
 * `PodStatusWriter` it was built with. `killPod` starts a graceful stop; once the containers are
 * stopped the runtime reports a terminal status and asks for the final deletion.
 */
import type { KubeObject } from '../api/types.js';

/** Node facts a runtime contributes to the Node object it registers (status.nodeInfo, capacity...). */
export interface NodeRegistration {
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
  nodeInfo: Record<string, string>;
  addresses: Array<{ type: string; address: string }>;
  podCIDR?: string;
}

/**
 * Where a runtime sends what it observes (the kubelet's status manager, in upstream terms). The
 * runtime awaits each write, so it can coalesce the changes made while a write is in flight.
 */
export interface PodStatusWriter<T extends KubeObject = KubeObject> {
  /** Merge-patch pods/{name}/status (arrays given whole); resolves with the stored pod, null when it is gone. */
  patchStatus(pod: T, status: Record<string, unknown>): Promise<T | null>;
  /** The pod's containers are gone: delete the object for good (gracePeriodSeconds=0). */
  deletePod(pod: T): Promise<void>;
}

export interface NodeRuntime {
  /** Short runtime name, used in containerRuntimeVersion and containerIDs (`sim`, `containerd`). */
  readonly name: string;
  /** Facts for the Node object of `nodeName` (index = the node's position, used for address plans). */
  registerNode(nodeName: string, index: number): NodeRegistration;
  /** Converge the pod's containers to its spec; called on every change of the pod. */
  syncPod(pod: KubeObject): void;
  /** Stop the pod's containers within `gracePeriodSeconds`, then report and request deletion. */
  killPod(pod: KubeObject, gracePeriodSeconds: number): void;
  /** The pod object is gone from the API: drop every resource held for it. */
  forgetPod(pod: KubeObject): void;
  /** Stop all timers; nothing is reported afterwards. */
  close(): void;
}
