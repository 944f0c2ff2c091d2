/**
 * When a finished Job expires (upstream ttlafterfinished_controller's timeLeft): its finish time (the
 * Complete/Failed condition's lastTransitionTime, else status.completionTime) plus
 * spec.ttlSecondsAfterFinished. Pure.
 */
import type { KubeObject } from '../../api/types.js';

export interface Job extends KubeObject {
  spec?: { ttlSecondsAfterFinished?: number };
  status?: { completionTime?: string; conditions?: Array<{ type: string; status: string; lastTransitionTime?: string }> };
}

/** The finish time in ms, or undefined while the Job runs. */
export function finishedAt(job: Job): number | undefined {
  const done = job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  if (!done) return undefined;
  const at = done.lastTransitionTime ?? job.status?.completionTime;
  return at ? Date.parse(at) : undefined;
}

/** Milliseconds until the Job should be deleted (<= 0: now); undefined when it has no TTL or has not finished. */
export function timeLeftMs(job: Job, nowMs: number): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null || job.metadata?.deletionTimestamp) return undefined;
  const at = finishedAt(job);
  if (at === undefined || Number.isNaN(at)) return undefined;
  return at + ttl * 1000 - nowMs;
}
