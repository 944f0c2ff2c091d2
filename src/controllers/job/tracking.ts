/**
 * Counting finished pods with the job-tracking finalizer (upstream trackJobStatusAndRemoveFinalizers):
 * 1. a finished pod that still has `batch.kubernetes.io/job-tracking` goes into
 *    status.uncountedTerminatedPods (written before anything else, so a crash cannot lose it);
 * 2. its finalizer is removed;
 * 3. UIDs whose pods no longer hold the finalizer move into status.succeeded / status.failed.
 * Pods the controller deletes itself (suspend, scale-down, job finished) lose the finalizer uncounted.
 */
import type { RestClient } from '../../client/rest.js';
import { JOB_TRACKING_FINALIZER, podPath, type Pod } from './types.js';

export const hasTrackingFinalizer = (p: Pod): boolean => !!p.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER);

/** Removes the tracking finalizer; returns the updated pod, or undefined when it is gone. */
export async function removeTrackingFinalizer(client: RestClient, pod: Pod): Promise<Pod | undefined> {
  if (!hasTrackingFinalizer(pod)) return pod;
  const ns = pod.metadata.namespace ?? 'default';
  const finalizers = (pod.metadata.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER);
  // JSON patch with a test on the exact list: safe against concurrent finalizer writers.
  const ops = [
    { op: 'test', path: '/metadata/finalizers', value: pod.metadata.finalizers },
    { op: 'replace', path: '/metadata/finalizers', value: finalizers },
  ];
  let res = await client.patch<Pod>(podPath(ns, pod.metadata.name ?? ''), ops, 'application/json-patch+json');
  if (res.status === 404) return undefined;
  if (res.status === 200) return res.body;
  // The list changed under us: re-read and retry once.
  const fresh = await client.get<Pod>(podPath(ns, pod.metadata.name ?? ''));
  if (fresh.status === 404) return undefined;
  if (fresh.status !== 200) throw new Error(`get pod ${ns}/${pod.metadata.name}: ${fresh.status}`);
  if (!hasTrackingFinalizer(fresh.body)) return fresh.body;
  res = await client.patch<Pod>(podPath(ns, pod.metadata.name ?? ''), [
    { op: 'test', path: '/metadata/finalizers', value: fresh.body.metadata.finalizers },
    { op: 'replace', path: '/metadata/finalizers', value: (fresh.body.metadata.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER) },
  ], 'application/json-patch+json');
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`remove finalizer from ${ns}/${pod.metadata.name}: ${res.status} ${res.text.slice(0, 200)}`);
  return res.body;
}

/** Deletes a pod the controller no longer wants, dropping the finalizer first so it is not counted. */
export async function deleteJobPod(client: RestClient, pod: Pod): Promise<void> {
  const after = await removeTrackingFinalizer(client, pod);
  if (!after || after.metadata.deletionTimestamp) return;
  const res = await client.delete(podPath(pod.metadata.namespace ?? 'default', pod.metadata.name ?? ''));
  if (res.status >= 300 && res.status !== 404) throw new Error(`delete pod ${pod.metadata.name}: ${res.status} ${res.text.slice(0, 200)}`);
}
