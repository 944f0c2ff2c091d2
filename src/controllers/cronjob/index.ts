/**
 * The CronJob controller (upstream pkg/controller/cronjob, v2): creates a Job named
 * `<cronjob>-<minutes since epoch>` at each schedule time (robfig/cron syntax with descriptors and
 * `@every`, spec.timeZone or CRON_TZ=), with concurrencyPolicy Allow/Forbid/Replace, suspend,
 * startingDeadlineSeconds, history limits, and status.active/lastScheduleTime/lastSuccessfulTime.
 * Input: a RestClient and an optional clock. Output: a handle to stop it (and to resync all, for tests
 * that move the clock).
 */
import { Informer } from '../../client/informer.js';
import type { RestClient } from '../../client/rest.js';
import { Controller, EventRecorder, controllerOf, keyOf, type Request } from '../../runtime/index.js';
import { syncCronJob, type CronJobSyncDeps } from './sync.js';
import type { CronJob, Job } from './types.js';

export { jobNameFor, formatInZone } from './sync.js';
export { nextTime, mostRecentScheduleTime } from './schedule.js';
export * from './types.js';

export interface CronJobControllerOptions {
  workers?: number;
  namespace?: string;
  /** Clock (tests inject one and call resync() after moving it). */
  now?: () => number;
}

export async function startCronJobController(client: RestClient, opts: CronJobControllerOptions = {}): Promise<{ stop(): void; resync(): void }> {
  const nsPart = opts.namespace ? `/namespaces/${opts.namespace}` : '';
  const cjInformer = new Informer(client, { path: `/apis/batch/v1${nsPart}/cronjobs` });
  const jobInformer = new Informer(client, { path: `/apis/batch/v1${nsPart}/jobs` });
  const deps: CronJobSyncDeps = { client, recorder: new EventRecorder(client, { component: 'cronjob-controller' }), now: opts.now ?? Date.now };

  async function reconcile(_ctx: unknown, req: Request): Promise<{ requeueAfterMs?: number } | void> {
    const cj = cjInformer.get(`${req.namespace}/${req.name}`) as CronJob | undefined;
    if (!cj) return;
    const children = jobInformer.list().filter((j) => j.metadata?.namespace === req.namespace && controllerOf(j)?.uid === cj.metadata.uid) as Job[];
    const { status, requeueAfterMs } = await syncCronJob(deps, cj, children);
    const prior = cj.status ?? {};
    const same = JSON.stringify(status.active ?? []) === JSON.stringify(prior.active ?? []) && status.lastScheduleTime === prior.lastScheduleTime && status.lastSuccessfulTime === prior.lastSuccessfulTime;
    if (!same) {
      // Times only move forward: never clear them from a possibly stale copy.
      const patch = { status: { active: status.active?.length ? status.active : null, ...(status.lastScheduleTime ? { lastScheduleTime: status.lastScheduleTime } : {}), ...(status.lastSuccessfulTime ? { lastSuccessfulTime: status.lastSuccessfulTime } : {}) } };
      const res = await client.patch(`/apis/batch/v1/namespaces/${req.namespace}/cronjobs/${req.name}/status`, patch);
      if (res.status !== 200 && res.status !== 404) throw new Error(`update cronjob status: ${res.status} ${res.text.slice(0, 200)}`);
    }
    if (requeueAfterMs !== undefined) return { requeueAfterMs: Math.min(requeueAfterMs, 2 ** 31 - 1) };
  }

  const controller = new Controller({ name: 'cronjob', reconcile, workers: opts.workers ?? 1, onError: (key, err) => { if (process.env.SKIFF_DEBUG) console.error('cronjob', key, err); } });
  controller.watches(cjInformer).owns(jobInformer, 'CronJob');
  cjInformer.start();
  jobInformer.start();
  await Promise.all([cjInformer.waitForSync(), jobInformer.waitForSync()]);
  controller.start();
  return {
    stop() {
      controller.stop();
      cjInformer.stop();
      jobInformer.stop();
    },
    resync() {
      for (const cj of cjInformer.list()) controller.enqueue(keyOf(cj));
    },
  };
}
