/**
 * The Job fields the Job controller reads and writes (batch/v1 JSON as served). Pods reuse the
 * workload controllers' Pod shape from the ReplicaSet controller.
 */
import type { Condition, KubeObject, LabelSelectorSpec, ObjectMeta, Pod, PodTemplateSpec } from '../replicaset/types.js';

export type { Condition, KubeObject, Pod, PodTemplateSpec, ObjectMeta };

export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
export const COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';
export const COMPLETION_INDEX_LABEL = 'batch.kubernetes.io/job-completion-index';

export interface PodFailurePolicyRule {
  action: 'FailJob' | 'Ignore' | 'Count' | 'FailIndex';
  onExitCodes?: { containerName?: string; operator: 'In' | 'NotIn'; values: number[] } | null;
  onPodConditions?: Array<{ type: string; status?: string }> | null;
}

export interface JobSpec {
  parallelism?: number;
  completions?: number | null;
  backoffLimit?: number;
  activeDeadlineSeconds?: number | null;
  completionMode?: 'NonIndexed' | 'Indexed';
  suspend?: boolean;
  selector?: LabelSelectorSpec;
  template: PodTemplateSpec;
  podFailurePolicy?: { rules: PodFailurePolicyRule[] } | null;
  podReplacementPolicy?: 'Failed' | 'TerminatingOrFailed';
}

export interface JobStatus {
  active?: number;
  succeeded?: number;
  failed?: number;
  ready?: number;
  terminating?: number;
  startTime?: string | null;
  completionTime?: string | null;
  completedIndexes?: string;
  uncountedTerminatedPods?: { succeeded?: string[]; failed?: string[] };
  conditions?: Condition[];
}

export interface Job extends KubeObject {
  metadata: ObjectMeta;
  spec: JobSpec;
  status?: JobStatus;
}

export const jobPath = (ns: string, name: string) => `/apis/batch/v1/namespaces/${ns}/jobs/${name}`;
export const podPath = (ns: string, name: string) => `/api/v1/namespaces/${ns}/pods/${name}`;
