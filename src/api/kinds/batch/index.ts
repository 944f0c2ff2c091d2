/**
 * The batch/v1 kinds: Job and CronJob. Also exports `prepareJobForCreate(obj, uid)`, the Job
 * strategy's selector generation the registry must call on create (after defaults, before validate).
 */
import type { KindDefinition } from '../../types.js';
import { cronJob } from './cronjob.js';
import { job, prepareJobForCreate } from './job.js';

export { cronJob, job, prepareJobForCreate };
export { parseCronSchedule, cronScheduleError, isValidTimeZone, type CronSchedule } from './cron-schedule.js';
export const kinds: KindDefinition[] = [job, cronJob];
