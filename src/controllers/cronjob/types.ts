/** The CronJob fields the CronJob controller reads and writes (batch/v1 JSON as served). */
import type { Job } from '../job/types.js';
import type { KubeObject, ObjectMeta } from '../replicaset/types.js';

export type { Job };

export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
}

export interface CronJob extends KubeObject {
  metadata: ObjectMeta;
  spec: {
    schedule: string;
    timeZone?: string | null;
    startingDeadlineSeconds?: number | null;
    concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
    suspend?: boolean;
    successfulJobsHistoryLimit?: number;
    failedJobsHistoryLimit?: number;
    jobTemplate: { metadata?: ObjectMeta; spec: Job['spec'] };
  };
  status?: { active?: ObjectReference[] | null; lastScheduleTime?: string | null; lastSuccessfulTime?: string | null };
}
