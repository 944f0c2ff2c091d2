/**
 * One CronJob sync (upstream pkg/controller/cronjob/cronjob_controllerv2.go syncCronJob): reconcile
 * status.active with the child Jobs, record lastSuccessfulTime, start the Job for the most recent due
 * schedule time (respecting suspend, startingDeadlineSeconds and concurrencyPolicy), prune finished
 * Jobs beyond the history limits, and say when to look again.
 */
import type { RestClient } from '../../client/rest.js';
import type { EventRecorder } from '../../runtime/index.js';
import { isConditionTrue, findCondition } from '../common/conditions.js';
import { controllerRefTo } from '../replicaset/index.js';
import { nowRfc3339, timeOf } from '../replicaset/types.js';
import { isValidTimeZone } from '../../api/kinds/batch/cron-schedule.js';
import { mostRecentScheduleTime, nextTime, parseCronSchedule } from './schedule.js';
import { SCHEDULED_TIMESTAMP_ANNOTATION, type CronJob, type Job, type ObjectReference } from './types.js';

export interface CronJobSyncDeps {
  client: RestClient;
  recorder: EventRecorder;
  now(): number;
}

export interface CronJobSyncResult {
  status: NonNullable<CronJob['status']>;
  requeueAfterMs?: number;
}

const jobsPath = (ns: string) => `/apis/batch/v1/namespaces/${ns}/jobs`;
const finished = (j: Job) => isConditionTrue(j.status?.conditions, 'Complete') || isConditionTrue(j.status?.conditions, 'Failed');
const refOf = (j: Job): ObjectReference => ({ apiVersion: 'batch/v1', kind: 'Job', name: j.metadata.name, namespace: j.metadata.namespace, uid: j.metadata.uid, resourceVersion: j.metadata.resourceVersion });

/** `<cronjob>-<minutes since the epoch>` (upstream getJobName). */
export function jobNameFor(cronJobName: string, scheduledTime: number): string {
  return `${cronJobName}-${Math.floor(scheduledTime / 60_000)}`;
}

/** RFC 3339 in the CronJob's zone, as upstream writes the scheduled-timestamp annotation. */
export function formatInZone(t: number, timeZone: string | undefined): string {
  if (!timeZone || timeZone === 'UTC' || timeZone === 'Etc/UTC') return nowRfc3339(t);
  const parts: Record<string, string> = {};
  for (const p of new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(t)) parts[p.type] = p.value;
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  const off = Math.round((local - Math.floor(t / 1000) * 1000) / 60_000);
  const sign = off >= 0 ? '+' : '-';
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${off === 0 ? 'Z' : `${sign}${pad(off / 60)}:${pad(off % 60)}`}`;
}

export async function syncCronJob(d: CronJobSyncDeps, cj: CronJob, children: Job[]): Promise<CronJobSyncResult> {
  const ns = cj.metadata.namespace ?? 'default';
  const now = d.now();
  const status: NonNullable<CronJob['status']> = structuredClone(cj.status ?? {});
  const childByUid = new Map(children.map((j) => [j.metadata.uid, j]));

  // status.active: drop finished or vanished Jobs, add unfinished children we do not list yet.
  const active: ObjectReference[] = [];
  for (const ref of status.active ?? []) {
    const j = childByUid.get(ref.uid);
    if (j && !finished(j)) active.push(ref);
  }
  for (const j of children) {
    if (finished(j) || active.some((r) => r.uid === j.metadata.uid)) continue;
    active.push(refOf(j));
  }
  for (const j of children) {
    if (!finished(j) || !(status.active ?? []).some((r) => r.uid === j.metadata.uid)) continue;
    void d.recorder.record(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, condition: ${isConditionTrue(j.status?.conditions, 'Complete') ? 'Complete' : 'Failed'}`);
  }
  for (const j of children) {
    const done = isConditionTrue(j.status?.conditions, 'Complete') && j.status?.completionTime;
    if (done && timeOf(j.status?.completionTime) > timeOf(status.lastSuccessfulTime)) status.lastSuccessfulTime = j.status?.completionTime ?? null;
  }
  status.active = active;
  await pruneHistory(d, cj, children);
  if (cj.metadata.deletionTimestamp) return { status };

  let schedule;
  try {
    schedule = parseCronSchedule(cj.spec.schedule);
  } catch (err) {
    void d.recorder.record(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(cj.spec.schedule)} : ${(err as Error).message}`);
    return { status };
  }
  const tz = cj.spec.timeZone ?? undefined;
  if (tz && !isValidTimeZone(tz)) {
    void d.recorder.record(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(tz)}: unknown time zone ${tz}`);
    return { status };
  }
  if (cj.spec.suspend) return { status };

  let earliest = timeOf(status.lastScheduleTime) || timeOf(cj.metadata.creationTimestamp);
  const sds = cj.spec.startingDeadlineSeconds;
  if (sds != null) earliest = Math.max(earliest, now - sds * 1000);
  const due = mostRecentScheduleTime(schedule, earliest, now, tz);
  const requeue = (next: number | undefined): CronJobSyncResult => ({ status, ...(next !== undefined ? { requeueAfterMs: Math.max(next - now, 0) + 100 } : {}) });
  if (due.missed > 100) void d.recorder.record(cj, 'Warning', 'TooManyMissedTimes', `too many missed start times: ${due.missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`);
  if (due.time === undefined) return requeue(due.next);
  const scheduled = due.time;
  if (sds != null && scheduled + sds * 1000 < now) {
    void d.recorder.record(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${nowRfc3339(scheduled)}`);
    return requeue(due.next);
  }
  const name = jobNameFor(cj.metadata.name ?? '', scheduled);
  if (children.some((j) => j.metadata.name === name)) {
    // Started already (our cache of the CronJob may predate that status write).
    if (scheduled > timeOf(status.lastScheduleTime)) status.lastScheduleTime = nowRfc3339(scheduled);
    return requeue(due.next);
  }
  const policy = cj.spec.concurrencyPolicy ?? 'Allow';
  if (policy === 'Forbid' && active.length > 0) {
    void d.recorder.record(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
    return requeue(due.next);
  }
  if (policy === 'Replace') {
    for (const ref of [...active]) {
      const res = await d.client.delete(`${jobsPath(ns)}/${ref.name}`, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
      if (res.status >= 300 && res.status !== 404) throw new Error(`delete job ${ref.name}: ${res.status} ${res.text.slice(0, 200)}`);
      void d.recorder.record(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${ref.name}`);
      active.splice(active.indexOf(ref), 1);
    }
  }
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: ns,
      labels: { ...(cj.spec.jobTemplate.metadata?.labels ?? {}) },
      annotations: { ...(cj.spec.jobTemplate.metadata?.annotations ?? {}), [SCHEDULED_TIMESTAMP_ANNOTATION]: formatInZone(scheduled, schedule.timeZone ?? tz) },
      ownerReferences: [controllerRefTo({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: cj.metadata })],
    },
    spec: cj.spec.jobTemplate.spec,
  };
  const res = await d.client.post<Job>(jobsPath(ns), job);
  if (res.status === 409) {
    // Already created (by us, before a lagging cache saw it): adopt the reference if it is ours.
    const existing = await d.client.get<Job>(`${jobsPath(ns)}/${name}`);
    if (existing.status === 200 && existing.body.metadata.ownerReferences?.some((r) => r.uid === cj.metadata.uid)) {
      if (!finished(existing.body) && !active.some((r) => r.uid === existing.body.metadata.uid)) active.push(refOf(existing.body));
      status.lastScheduleTime = nowRfc3339(scheduled);
    }
    return requeue(due.next);
  }
  if (res.status !== 201) {
    void d.recorder.record(cj, 'Warning', 'FailedCreate', `Error creating job: ${res.text.slice(0, 200)}`);
    throw new Error(`create job ${name}: ${res.status} ${res.text.slice(0, 200)}`);
  }
  void d.recorder.record(cj, 'Normal', 'SuccessfulCreate', `Created job ${name}`);
  active.push(refOf(res.body));
  status.lastScheduleTime = nowRfc3339(scheduled);
  return requeue(nextTime(schedule, now, tz));
}

/** Deletes the oldest finished Jobs beyond successfulJobsHistoryLimit (3) and failedJobsHistoryLimit (1). */
async function pruneHistory(d: CronJobSyncDeps, cj: CronJob, children: Job[]): Promise<void> {
  const ns = cj.metadata.namespace ?? 'default';
  const started = (j: Job) => timeOf(j.status?.startTime) || timeOf(j.metadata.creationTimestamp);
  for (const [type, limit] of [['Complete', cj.spec.successfulJobsHistoryLimit ?? 3], ['Failed', cj.spec.failedJobsHistoryLimit ?? 1]] as const) {
    const done = children.filter((j) => findCondition(j.status?.conditions, type)?.status === 'True' && !j.metadata.deletionTimestamp).sort((a, b) => started(a) - started(b));
    for (const j of done.slice(0, Math.max(0, done.length - limit))) {
      const res = await d.client.delete(`${jobsPath(ns)}/${j.metadata.name}`, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
      if (res.status < 300) void d.recorder.record(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${j.metadata.name}`);
    }
  }
}
