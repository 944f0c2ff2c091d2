/**
 * Creating and deleting pods to meet a ReplicaSet's replica count (upstream manageReplicas):
 * creates in slow-start batches (1, 2, 4, ...) stopping at the first failure, deletes the
 * most-deletable pods first, and records SuccessfulCreate/SuccessfulDelete (or Failed*) events.
 */
import type { RestClient } from '../../client/rest.js';
import type { EventRecorder } from '../../runtime/index.js';
import { controllerRefTo } from './claim.js';
import type { Expectations } from './expectations.js';
import { isPodActive } from './pod-util.js';
import { podsToDelete } from './pod-ordering.js';
import type { Pod, ReplicaSet } from './types.js';

export const BURST_REPLICAS = 500;
export const SLOW_START_INITIAL_BATCH = 1;

/** Runs `fn` count times in batches of 1, 2, 4, ...; stops after the first batch with an error. */
export async function slowStartBatch(count: number, initialBatchSize: number, fn: () => Promise<void>, onBatch?: (size: number) => void): Promise<{ successes: number; error?: Error }> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    onBatch?.(batch);
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += results.filter((r) => r.status === 'fulfilled').length;
    if (failed) return { successes, error: failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason)) };
    remaining -= batch;
  }
  return { successes };
}

/** The pod upstream's GetPodFromTemplate builds: template labels/annotations/finalizers/spec, generateName `<rs>-`. */
export function podFromTemplate(rs: ReplicaSet): Pod {
  const t = rs.spec.template;
  const metadata: Pod['metadata'] = { generateName: `${rs.metadata.name}-`, namespace: rs.metadata.namespace, ownerReferences: [controllerRefTo({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: rs.metadata })] };
  if (t.metadata?.labels) metadata.labels = { ...t.metadata.labels };
  if (t.metadata?.annotations) metadata.annotations = { ...t.metadata.annotations };
  if (t.metadata?.finalizers) metadata.finalizers = [...t.metadata.finalizers];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: structuredClone(t.spec ?? {}) };
}

export interface ManageDeps {
  client: RestClient;
  recorder: EventRecorder;
  expectations: Expectations;
}

function statusMessage(res: { status: number; text: string; body: unknown }): string {
  const b = res.body as { message?: string } | undefined;
  return b?.message ?? `${res.status} ${res.text.slice(0, 200)}`;
}

/** Converges the number of active pods; `related` ranks pods for deletion. Returns the first error. */
export async function manageReplicas(deps: ManageDeps, rs: ReplicaSet, rsKey: string, activePods: Pod[], related: Pod[]): Promise<Error | undefined> {
  const { client, recorder, expectations } = deps;
  const ns = rs.metadata.namespace ?? 'default';
  const wanted = rs.spec.replicas ?? 1;
  let diff = activePods.length - wanted;
  if (diff < 0) {
    diff = Math.min(-diff, BURST_REPLICAS);
    expectations.expectCreations(rsKey, diff);
    const { successes, error } = await slowStartBatch(diff, SLOW_START_INITIAL_BATCH, async () => {
      const res = await client.post<Pod>(`/api/v1/namespaces/${ns}/pods`, podFromTemplate(rs));
      if (res.status !== 201 && res.status !== 200) {
        void recorder.record(rs, 'Warning', 'FailedCreate', `Error creating: ${statusMessage(res)}`);
        throw new Error(statusMessage(res));
      }
      void recorder.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${res.body.metadata.name}`);
    });
    // Creations never issued (or failed) will never be observed.
    for (let i = successes; i < diff; i++) expectations.creationObserved(rsKey);
    return error;
  }
  if (diff > 0) {
    diff = Math.min(diff, BURST_REPLICAS);
    const victims = podsToDelete(activePods, related, diff, isPodActive);
    const keys = victims.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    expectations.expectDeletions(rsKey, keys);
    const errors: Error[] = [];
    await Promise.all(
      victims.map(async (pod, i) => {
        const res = await client.delete(`/api/v1/namespaces/${ns}/pods/${pod.metadata.name}`);
        if (res.status === 200 || res.status === 202) {
          void recorder.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
          return;
        }
        expectations.deletionObserved(rsKey, keys[i]);
        if (res.status !== 404) {
          void recorder.record(rs, 'Warning', 'FailedDelete', `Error deleting: ${statusMessage(res)}`);
          errors.push(new Error(statusMessage(res)));
        }
      }),
    );
    return errors[0];
  }
  return undefined;
}
