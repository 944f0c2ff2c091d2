/**
 * The Job controller (upstream pkg/controller/job): runs pods for each Job until `completions` of them
 * succeed (or one, for work queues; one per index in Indexed mode), with `parallelism`, `backoffLimit`
 * and exponential backoff between recreations, `activeDeadlineSeconds`, `suspend` and `podFailurePolicy`.
 * Finished pods are counted with the `batch.kubernetes.io/job-tracking` finalizer and
 * status.uncountedTerminatedPods, as upstream. ttlSecondsAfterFinished is another controller's job.
 * Input: a RestClient (it creates Job and Pod informers). Output: a handle to stop it.
 */
import { Informer } from '../../client/informer.js';
import type { RestClient } from '../../client/rest.js';
import { Controller, EventRecorder, controllerOf, keyOf, type Request } from '../../runtime/index.js';
import { claimPods, orphanOwners } from '../common/claim-pods.js';
import { Expectations } from '../replicaset/index.js';
import { hasTrackingFinalizer, removeTrackingFinalizer } from './tracking.js';
import { isFinishedPod, syncJob, writeStatus, type JobSyncDeps } from './sync.js';
import type { Job, Pod } from './types.js';

export { backoffDelay, matchPodFailurePolicy } from './failure-policy.js';
export { formatIndexes, parseIndexes } from './indexed.js';
export { jobPod } from './manage-pods.js';
export * from './types.js';

export interface JobControllerOptions {
  workers?: number;
  namespace?: string;
  /** Clock (tests). */
  now?: () => number;
  /** First backoff step after a failed pod; default 10 s (tests shorten it). */
  backoffBaseMs?: number;
}

export async function startJobController(client: RestClient, opts: JobControllerOptions = {}): Promise<{ stop(): void }> {
  const nsPart = opts.namespace ? `/namespaces/${opts.namespace}` : '';
  const jobInformer = new Informer(client, { path: `/apis/batch/v1${nsPart}/jobs` });
  const podInformer = new Informer(client, { path: `/api/v1${nsPart}/pods` });
  const deps: JobSyncDeps = {
    client,
    recorder: new EventRecorder(client, { component: 'job-controller' }),
    expectations: new Expectations(),
    now: opts.now ?? Date.now,
    backoffBaseMs: opts.backoffBaseMs ?? 10_000,
    counted: new Map(),
    backoff: new Map(),
  };

  async function reconcile(_ctx: unknown, req: Request): Promise<{ requeueAfterMs?: number } | void> {
    const key = `${req.namespace}/${req.name}`;
    const job = jobInformer.get(key) as Job | undefined;
    if (!job || job.metadata.deletionTimestamp) {
      // Gone or going: its pods must not keep the tracking finalizer (upstream orphan pod cleanup).
      deps.expectations.delete(key);
      const orphans = podInformer.list().filter((p) => p.metadata?.namespace === req.namespace && controllerOf(p)?.kind === 'Job' && controllerOf(p)?.name === req.name);
      for (const p of orphans as Pod[]) if (hasTrackingFinalizer(p)) await removeTrackingFinalizer(client, p);
      return;
    }
    let current = job;
    const pods = await claimPods(client, { apiVersion: 'batch/v1', kind: 'Job', collectionPath: `/apis/batch/v1/namespaces/${req.namespace}/jobs`, metadata: job.metadata, selector: job.spec.selector }, podsIn(req.namespace ?? 'default'));
    // Finished pods to count: read the Job fresh so uncountedTerminatedPods is never stale.
    if (pods.some((p) => hasTrackingFinalizer(p) && isFinishedPod(job, p))) {
      const fresh = await client.get<Job>(`/apis/batch/v1/namespaces/${req.namespace}/jobs/${req.name}`);
      if (fresh.status === 404) return;
      if (fresh.status === 200) current = fresh.body;
    }
    const { status, requeueAfterMs } = await syncJob(deps, current, pods, key);
    if (JSON.stringify(status) !== JSON.stringify(current.status ?? {})) await writeStatus(client, current, status);
    if (requeueAfterMs !== undefined) return { requeueAfterMs: Math.max(requeueAfterMs, 10) };
  }

  const podsIn = (ns: string): Pod[] => podInformer.list().filter((p) => p.metadata?.namespace === ns) as Pod[];

  const controller = new Controller({ name: 'job', reconcile, workers: opts.workers ?? 2, onError: (key, err) => { if (process.env.SKIFF_DEBUG) console.error('job', key, err); } });
  podInformer.addHandlers({
    onAdd: (o) => {
      const ref = controllerOf(o);
      if (ref?.kind === 'Job') deps.expectations.creationObserved(`${o.metadata?.namespace}/${ref.name}`);
    },
    onUpdate: (old, o) => {
      const ref = controllerOf(o);
      if (ref?.kind === 'Job' && o.metadata?.deletionTimestamp && !old.metadata?.deletionTimestamp) deps.expectations.deletionObserved(`${o.metadata?.namespace}/${ref.name}`, keyOf(o));
    },
    onDelete: (o) => {
      const ref = controllerOf(o);
      if (ref?.kind === 'Job') deps.expectations.deletionObserved(`${o.metadata?.namespace}/${ref.name}`, keyOf(o));
    },
  });
  controller.watches(jobInformer).owns(podInformer, 'Job').watches(podInformer, (o) => orphanOwners(o, jobInformer.list()));
  jobInformer.start();
  podInformer.start();
  await Promise.all([jobInformer.waitForSync(), podInformer.waitForSync()]);
  controller.start();
  return {
    stop() {
      controller.stop();
      jobInformer.stop();
      podInformer.stop();
    },
  };
}
