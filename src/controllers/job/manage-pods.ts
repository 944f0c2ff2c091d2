/**
 * Keeping the right number of Job pods running (upstream manageJob): min(parallelism, remaining
 * completions) pods, one per pending index in Indexed mode, extra pods removed newest first, new pods
 * only after the failure backoff has passed. Also builds the pod for a slot.
 */
import { controllerRefTo } from '../replicaset/index.js';
import { podFromTemplate } from '../common/pods.js';
import { timeOf } from '../replicaset/types.js';
import { backoffDelay } from './failure-policy.js';
import { indexOf, indexesToCreate } from './indexed.js';
import type { JobSyncDeps } from './sync.js';
import { deleteJobPod } from './tracking.js';
import { COMPLETION_INDEX_ANNOTATION, COMPLETION_INDEX_LABEL, JOB_TRACKING_FINALIZER, type Job, type Pod } from './types.js';

export const deletedEvent = (d: JobSyncDeps, job: Job, p: Pod) => void d.recorder.record(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);

/** Creates or deletes pods so that min(parallelism, remaining work) pods run. */
export async function manageActive(d: JobSyncDeps, job: Job, running: Pod[], terminating: Pod[], succeeded: number, completedIdx: Set<number>, jobKey: string): Promise<{ active: Pod[]; requeueAfterMs?: number }> {
  const ns = job.metadata.namespace ?? 'default';
  const spec = job.spec;
  const parallelism = spec.parallelism ?? 1;
  const completions = spec.completions ?? null;
  const indexed = spec.completionMode === 'Indexed';
  let want: number;
  if (indexed) want = Math.min(parallelism, (completions ?? 0) - completedIdx.size);
  else if (completions == null) want = succeeded > 0 ? 0 : parallelism;
  else want = Math.min(parallelism, Math.max(0, completions - succeeded));
  // Indexed: one pod per index; extra pods for an index (or for a completed index) go.
  let keep = running;
  const excess: Pod[] = [];
  if (indexed) {
    const seen = new Set<number>();
    keep = [];
    for (const p of [...running].sort((a, b) => timeOf(a.metadata.creationTimestamp) - timeOf(b.metadata.creationTimestamp))) {
      const idx = indexOf(p, completions ?? 0);
      if (idx === undefined || seen.has(idx) || completedIdx.has(idx)) excess.push(p);
      else {
        seen.add(idx);
        keep.push(p);
      }
    }
  }
  if (keep.length > want) {
    // Newest first, as upstream prefers deleting the pods that did the least work.
    const sorted = [...keep].sort((a, b) => timeOf(b.metadata.creationTimestamp) - timeOf(a.metadata.creationTimestamp));
    excess.push(...sorted.slice(0, keep.length - want));
    keep = sorted.slice(keep.length - want);
  }
  if (excess.length) {
    d.expectations.expectDeletions(jobKey, excess.map((p) => `${ns}/${p.metadata.name}`));
    await Promise.all(excess.map((p) => deleteJobPod(d.client, p).then(() => deletedEvent(d, job, p))));
    return { active: keep };
  }
  const occupied = spec.podReplacementPolicy === 'Failed' ? keep.length + terminating.length : keep.length;
  const toCreate = want - occupied;
  if (toCreate <= 0) return { active: keep };
  const rec = d.backoff.get(job.metadata.uid ?? '');
  if (rec && rec.failures > 0) {
    const wait = rec.lastAt + backoffDelay(rec.failures, d.backoffBaseMs) - d.now();
    if (wait > 0) return { active: keep, requeueAfterMs: wait };
  }
  const activeIdx = new Set(keep.map((p) => indexOf(p, completions ?? 0)).filter((i): i is number => i !== undefined));
  const slots: Array<number | undefined> = indexed ? indexesToCreate(completions ?? 0, completedIdx, activeIdx, toCreate) : Array.from({ length: toCreate }, () => undefined);
  d.expectations.expectCreations(jobKey, slots.length);
  const created: Pod[] = [];
  const results = await Promise.allSettled(slots.map(async (idx) => {
    const pod = jobPod(job, idx);
    const res = await d.client.post<Pod>(`/api/v1/namespaces/${ns}/pods`, pod);
    if (res.status !== 201) {
      d.expectations.creationObserved(jobKey);
      void d.recorder.record(job, 'Warning', 'FailedCreate', `Error creating: ${res.text.slice(0, 200)}`);
      throw new Error(`create pod for ${jobKey}: ${res.status} ${res.text.slice(0, 200)}`);
    }
    created.push(res.body);
    void d.recorder.record(job, 'Normal', 'SuccessfulCreate', `Created pod: ${res.body.metadata.name}`);
  }));
  const failedCreate = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failedCreate) throw failedCreate.reason;
  return { active: [...keep, ...created] };
}

/** The pod for one slot; `index` set in Indexed mode (annotation, label, hostname, JOB_COMPLETION_INDEX). */
export function jobPod(job: Job, index: number | undefined): Pod {
  const name = job.metadata.name ?? '';
  const idx: Record<string, string> = index === undefined ? {} : { [COMPLETION_INDEX_ANNOTATION]: String(index) };
  const pod = podFromTemplate(job.spec.template, controllerRefTo({ apiVersion: 'batch/v1', kind: 'Job', metadata: job.metadata }), job.metadata.namespace ?? 'default', {
    generateName: index === undefined ? `${name}-` : `${name}-${index}-`,
    labels: { ...idx },
    annotations: { ...idx },
    finalizers: [JOB_TRACKING_FINALIZER],
  });
  if (index !== undefined) {
    const spec = pod.spec as { hostname?: string; containers?: Array<{ env?: unknown[] }>; initContainers?: Array<{ env?: unknown[] }> };
    spec.hostname ??= `${name}-${index}`;
    const env = { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.labels['${COMPLETION_INDEX_LABEL}']` } } };
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) c.env = [...(c.env ?? []), env];
  }
  return pod;
}

