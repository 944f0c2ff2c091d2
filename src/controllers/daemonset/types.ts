/** The DaemonSet and Node fields the DaemonSet controller reads and writes (apps/v1, v1 JSON as served). */
import type { Node, Taint, Toleration } from '../../scheduler/types.js';
import type { Condition, KubeObject, LabelSelectorSpec, ObjectMeta, Pod, PodTemplateSpec } from '../replicaset/types.js';

export type { Condition, KubeObject, Node, ObjectMeta, Pod, PodTemplateSpec, Taint, Toleration };

export interface DaemonSet extends KubeObject {
  metadata: ObjectMeta;
  spec: {
    selector: LabelSelectorSpec;
    template: PodTemplateSpec;
    updateStrategy?: { type?: 'RollingUpdate' | 'OnDelete'; rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string } };
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
  };
  status?: {
    desiredNumberScheduled?: number;
    currentNumberScheduled?: number;
    numberMisscheduled?: number;
    numberReady?: number;
    updatedNumberScheduled?: number;
    numberAvailable?: number;
    numberUnavailable?: number;
    observedGeneration?: number;
    collisionCount?: number;
    conditions?: Condition[];
  };
}
