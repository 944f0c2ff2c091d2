/**
 * One Job sync (upstream syncJob): count finished pods (tracking.ts), decide success or failure
 * (completions, backoffLimit, activeDeadlineSeconds, podFailurePolicy), honour suspend, keep
 * min(parallelism, remaining) pods active (Indexed: one per pending index), and write status with the
 * 1.32 condition sequence: SuccessCriteriaMet/FailureTarget first, Complete/Failed once no pod is left running.
 */
import type { RestClient } from '../../client/rest.js';
import type { EventRecorder } from '../../runtime/index.js';
import type { Expectations } from '../replicaset/index.js';
import { isConditionTrue, setCondition } from '../common/conditions.js';
import { isPodReady, isPodTerminal, nowRfc3339 } from '../common/pods.js';
import { timeOf } from '../replicaset/types.js';
import { matchPodFailurePolicy } from './failure-policy.js';
import { formatIndexes, indexOf, parseIndexes } from './indexed.js';
import { deletedEvent, manageActive } from './manage-pods.js';
import { deleteJobPod, hasTrackingFinalizer, removeTrackingFinalizer } from './tracking.js';
import type { Condition, Job, JobStatus, Pod } from './types.js';

export interface JobSyncDeps {
  client: RestClient;
  recorder: EventRecorder;
  expectations: Expectations;
  now(): number;
  backoffBaseMs: number;
  /** Per job uid: UIDs already moved into the counters (guards against a lagging pod cache). */
  counted: Map<string, Set<string>>;
  /** Per job uid: failures since the last success and when the latest was observed (upstream backoff records). */
  backoff: Map<string, { failures: number; lastAt: number }>;
}

export interface JobSyncResult {
  status: JobStatus;
  requeueAfterMs?: number;
}

/**
 * Upstream isPodFailed: phase Failed, or — without a pod failure policy — deleted before succeeding
 * (orphaned pods may never reach a phase). Pods the controller deletes itself lose the finalizer first.
 */
export function isFinishedPod(job: Job, p: Pod): boolean {
  if (isPodTerminal(p)) return true;
  return !job.spec.podFailurePolicy && !!p.metadata.deletionTimestamp;
}

const isFinished = (job: Job) => isConditionTrue(job.status?.conditions, 'Complete') || isConditionTrue(job.status?.conditions, 'Failed');

export async function syncJob(d: JobSyncDeps, job: Job, pods: Pod[], jobKey: string): Promise<JobSyncResult> {
  const ns = job.metadata.namespace ?? 'default';
  const uid = job.metadata.uid ?? '';
  const now = d.now();
  const spec = job.spec;
  const indexed = spec.completionMode === 'Indexed';
  const completions = spec.completions ?? null;
  const status: JobStatus = structuredClone(job.status ?? {});
  if (isFinished(job)) {
    for (const p of pods) if (hasTrackingFinalizer(p)) await removeTrackingFinalizer(d.client, p);
    d.counted.delete(uid);
    d.backoff.delete(uid);
    return { status };
  }
  const counted = d.counted.get(uid) ?? new Set<string>();
  d.counted.set(uid, counted);
  const uncounted = { succeeded: new Set(status.uncountedTerminatedPods?.succeeded ?? []), failed: new Set(status.uncountedTerminatedPods?.failed ?? []) };
  const completedIdx = indexed ? parseIndexes(status.completedIndexes, completions ?? 0) : new Set<number>();
  let failJob: { message: string } | undefined;

  // 1. Newly finished pods into uncountedTerminatedPods (or ignored by the failure policy).
  const ignored: Pod[] = [];
  let newlyUncounted = false;
  for (const p of pods) {
    const pu = p.metadata.uid ?? '';
    if (!isFinishedPod(job, p) || !hasTrackingFinalizer(p) || counted.has(pu) || uncounted.succeeded.has(pu) || uncounted.failed.has(pu)) continue;
    if (p.status?.phase === 'Succeeded') {
      const idx = indexed ? indexOf(p, completions ?? 0) : undefined;
      if (indexed && (idx === undefined || completedIdx.has(idx))) {
        ignored.push(p);
        continue;
      }
      if (idx !== undefined) completedIdx.add(idx);
      uncounted.succeeded.add(pu);
    } else {
      const match = matchPodFailurePolicy(spec.podFailurePolicy?.rules, p);
      if (match?.action === 'Ignore') {
        ignored.push(p);
        continue;
      }
      if (match?.action === 'FailJob') failJob ??= { message: `Pod ${ns}/${p.metadata.name} has condition or exit code matching FailJob rule at index ${match.rule}` };
      uncounted.failed.add(pu);
      const rec = d.backoff.get(uid) ?? { failures: 0, lastAt: 0 };
      d.backoff.set(uid, { failures: rec.failures + 1, lastAt: now });
    }
    newlyUncounted = true;
  }
  if (newlyUncounted) {
    status.uncountedTerminatedPods = { succeeded: [...uncounted.succeeded], failed: [...uncounted.failed] };
    if (indexed) status.completedIndexes = formatIndexes(completedIdx);
    await writeStatus(d.client, job, status);
  }
  // 2. Drop finalizers of everything counted or ignored; 3. move counted UIDs into the counters.
  const byUid = new Map(pods.map((p) => [p.metadata.uid ?? '', p]));
  for (const p of ignored) await removeTrackingFinalizer(d.client, p);
  for (const [set, field] of [[uncounted.succeeded, 'succeeded'], [uncounted.failed, 'failed']] as const) {
    for (const pu of [...set]) {
      const p = byUid.get(pu);
      const after = p ? await removeTrackingFinalizer(d.client, p) : undefined;
      if (after && hasTrackingFinalizer(after)) continue;
      set.delete(pu);
      counted.add(pu);
      status[field] = (status[field] ?? 0) + 1;
      if (field === 'succeeded') d.backoff.delete(uid);
    }
  }
  // Pods gone from the cache cannot reappear in it: stop remembering them.
  for (const pu of counted) if (!byUid.has(pu)) counted.delete(pu);
  status.uncountedTerminatedPods = { ...(uncounted.succeeded.size ? { succeeded: [...uncounted.succeeded] } : {}), ...(uncounted.failed.size ? { failed: [...uncounted.failed] } : {}) };
  const succeeded = (status.succeeded ?? 0) + uncounted.succeeded.size;
  const failed = (status.failed ?? 0) + uncounted.failed.size;

  // Pods that still run, and pods on their way out.
  const running = pods.filter((p) => !isPodTerminal(p) && !p.metadata.deletionTimestamp);
  const terminating = pods.filter((p) => !isPodTerminal(p) && p.metadata.deletionTimestamp);
  let conditions = status.conditions ?? [];
  let requeueAfterMs: number | undefined;

  // Failure and success criteria.
  const suspended = spec.suspend === true;
  // Starting, or resuming (which restarts the activeDeadlineSeconds clock, as upstream).
  const resuming = !suspended && isConditionTrue(status.conditions, 'Suspended');
  if (!suspended && (!status.startTime || resuming)) status.startTime = nowRfc3339(now);
  const hadTarget = isConditionTrue(conditions, 'FailureTarget') || isConditionTrue(conditions, 'SuccessCriteriaMet');
  if (!hadTarget) {
    let failure: { reason: string; message: string } | undefined;
    if (failJob) failure = { reason: 'PodFailurePolicy', message: failJob.message };
    else if (failed > (spec.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, running)) failure = { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
    else if (!suspended && spec.activeDeadlineSeconds != null && status.startTime) {
      const deadline = timeOf(status.startTime) + spec.activeDeadlineSeconds * 1000;
      if (now >= deadline) failure = { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
      else requeueAfterMs = deadline - now;
    }
    const done = indexed ? completedIdx.size >= (completions ?? 0) : completions != null ? succeeded >= completions : succeeded > 0 && running.length === 0;
    if (failure) {
      conditions = setCondition(conditions, { type: 'FailureTarget', status: 'True', ...failure }, now, true);
      void d.recorder.record(job, 'Warning', failure.reason, failure.message);
    } else if (done) {
      conditions = setCondition(conditions, { type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' }, now, true);
    }
  }
  const failing = isConditionTrue(conditions, 'FailureTarget');
  const succeeding = isConditionTrue(conditions, 'SuccessCriteriaMet');

  let active = running;
  if (failing || succeeding || suspended) {
    // Nothing more runs: remove every running pod.
    // Expect before deleting: the informer may report the deletions before the requests return.
    if (running.length) d.expectations.expectDeletions(jobKey, running.map((p) => `${ns}/${p.metadata.name}`));
    await Promise.all(running.map((p) => deleteJobPod(d.client, p).then(() => deletedEvent(d, job, p))));
    active = [];
  } else if (d.expectations.satisfied(jobKey)) {
    const r = await manageActive(d, job, running, terminating, succeeded, completedIdx, jobKey);
    active = r.active;
    requeueAfterMs = minDefined(requeueAfterMs, r.requeueAfterMs);
  }
  if (suspended && !failing && !succeeding) {
    if (!isConditionTrue(conditions, 'Suspended')) void d.recorder.record(job, 'Normal', 'Suspended', 'Job suspended');
    conditions = setCondition(conditions, { type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended' }, now, true);
  } else if (isConditionTrue(conditions, 'Suspended')) {
    conditions = setCondition(conditions, { type: 'Suspended', status: 'False', reason: 'JobResumed', message: 'Job resumed' }, now, true);
    void d.recorder.record(job, 'Normal', 'Resumed', 'Job resumed');
  }
  // Terminal conditions once no pod of the job is left running or terminating.
  const stillRunning = running.length > 0 || terminating.length > 0;
  const finalizersLeft = uncounted.succeeded.size + uncounted.failed.size > 0;
  if (!stillRunning && !finalizersLeft && (failing || succeeding)) {
    const target = conditions.find((c) => c.type === (failing ? 'FailureTarget' : 'SuccessCriteriaMet')) as Condition;
    conditions = setCondition(conditions, { type: failing ? 'Failed' : 'Complete', status: 'True', reason: target.reason ?? '', message: target.message ?? '' }, now, true);
    if (succeeding) {
      status.completionTime = nowRfc3339(now);
      void d.recorder.record(job, 'Normal', 'Completed', 'Job completed');
    }
  }
  status.conditions = conditions;
  status.active = active.length;
  status.ready = active.filter(isPodReady).length;
  status.terminating = terminating.length;
  if (indexed) status.completedIndexes = formatIndexes(completedIdx);
  return { status, ...(requeueAfterMs !== undefined ? { requeueAfterMs } : {}) };
}

/** Upstream pastBackoffLimitOnFailure: with restartPolicy OnFailure, container restarts count as failures. */
export function pastBackoffLimitOnFailure(job: Job, running: Pod[]): boolean {
  if ((job.spec.template.spec as { restartPolicy?: string } | undefined)?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of running) {
    const st = p.status as { containerStatuses?: Array<{ restartCount?: number }>; initContainerStatuses?: Array<{ restartCount?: number }> } | undefined;
    for (const c of [...(st?.initContainerStatuses ?? []), ...(st?.containerStatuses ?? [])]) restarts += c.restartCount ?? 0;
  }
  const limit = job.spec.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

const minDefined = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));

/** Merge-patches the status subresource; returns the stored job. */
export async function writeStatus(client: RestClient, job: Job, status: JobStatus): Promise<Job> {
  const path = `/apis/batch/v1/namespaces/${job.metadata.namespace}/jobs/${job.metadata.name}/status`;
  const u = status.uncountedTerminatedPods ?? {};
  // Merge patch: absent lists must be sent as null to clear them.
  const uncounted = { succeeded: u.succeeded?.length ? u.succeeded : null, failed: u.failed?.length ? u.failed : null };
  const res = await client.patch<Job>(path, { status: { ...status, uncountedTerminatedPods: uncounted } });
  if (res.status === 200 || res.status === 404) return res.body ?? job;
  throw new Error(`update status of job ${job.metadata.name}: ${res.status} ${res.text.slice(0, 300)}`);
}
