/**
 * TTL-after-finished controller (upstream pkg/controller/ttlafterfinished).
 *
 * Input: Jobs (informer). A Job with spec.ttlSecondsAfterFinished that has finished (Complete or
 * Failed) is requeued until its TTL passes, re-read live (the TTL may have changed), then deleted with
 * propagationPolicy Background and a uid precondition; its pods go with the garbage collector.
 */
import { Informer } from '../../client/informer.js';
import type { RestClient } from '../../client/rest.js';
import { Controller } from '../../runtime/index.js';
import { timeLeftMs, type Job } from './expiry.js';

export interface TTLAfterFinishedOptions {
  workers?: number;
  onError?: (key: string, err: unknown) => void;
}

/** Timers longer than this are re-armed on firing (setTimeout cannot wait more than ~24.8 days). */
const maxWaitMs = 3_600_000;
const wait = (ms: number): { requeueAfterMs: number } => ({ requeueAfterMs: Math.min(ms, maxWaitMs) });

export async function startTTLAfterFinishedController(client: RestClient, opts: TTLAfterFinishedOptions = {}): Promise<{ stop(): void }> {
  const jobs = new Informer(client, { path: '/apis/batch/v1/jobs' });
  const controller = new Controller({
    name: 'ttl-after-finished',
    workers: opts.workers ?? 2,
    onError: opts.onError,
    reconcile: async (_ctx, { namespace, name }) => {
      const cached = jobs.get(`${namespace}/${name}`) as Job | undefined;
      if (!cached) return;
      const left = timeLeftMs(cached, Date.now());
      if (left === undefined) return;
      if (left > 0) return wait(left);
      const path = `/apis/batch/v1/namespaces/${namespace}/jobs/${name}`;
      const live = await client.get<Job>(path);
      if (live.status === 404) return;
      if (live.status !== 200) throw new Error(`get job ${namespace}/${name}: ${live.status}`);
      const liveLeft = timeLeftMs(live.body, Date.now());
      if (liveLeft === undefined) return;
      if (liveLeft > 0) return wait(liveLeft);
      const res = await client.delete(path, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background', preconditions: { uid: live.body.metadata?.uid } });
      if (res.status !== 200 && res.status !== 202 && res.status !== 404 && res.status !== 409) throw new Error(`delete job ${namespace}/${name}: ${res.status}`);
    },
  });
  controller.watches(jobs);
  jobs.start();
  await jobs.waitForSync();
  controller.start();
  return {
    stop() {
      controller.stop();
      jobs.stop();
    },
  };
}

export { timeLeftMs, finishedAt } from './expiry.js';
