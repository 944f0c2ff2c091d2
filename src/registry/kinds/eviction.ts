/**
 * The pods/eviction subresource: a delete that honours PodDisruptionBudgets. An eviction that would
 * take a budget's allowed disruptions below zero answers 429, as upstream.
 */
import type { KubeObject } from '../../api/types.js';
import { StatusError } from '../../machinery/errors.js';
import { matchesLabels, selectorFromLabelSelector } from '../../machinery/labels.js';
import type { GenericStore } from '../store.js';
import { decode } from '../codec.js';
import { listObjects } from '../store-read.js';

interface Eviction {
  metadata?: { name?: string };
  deleteOptions?: { gracePeriodSeconds?: number; preconditions?: { uid?: string; resourceVersion?: string } };
}

interface RegistryLike {
  storeFor(group: string, version: string, plural: string): GenericStore | undefined;
}

export async function evictPod(registry: RegistryLike, pods: GenericStore, namespace: string, name: string, body: unknown): Promise<void> {
  const ev = (body ?? {}) as Eviction;
  if (ev.metadata?.name && ev.metadata.name !== name) {
    throw new StatusError('BadRequest', `name in URL does not match name in Eviction object`);
  }
  const pod = await pods.get(namespace, name);
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  const terminal = phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending';
  const pdbs = registry.storeFor('policy', 'v1', 'poddisruptionbudgets');
  if (pdbs && !terminal && !pod.metadata?.deletionTimestamp) {
    const page = await listObjects(pdbs, namespace, {});
    const matching = page.items.map(decode).filter((pdb) => {
      const spec = (pdb.spec ?? {}) as { selector?: { matchLabels?: Record<string, string>; matchExpressions?: [] } };
      if (!spec.selector) return false;
      const sel = selectorFromLabelSelector(spec.selector);
      return matchesLabels(sel, pod.metadata?.labels ?? {});
    });
    if (matching.length > 1) {
      throw new StatusError('InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.', undefined, 500);
    }
    const pdb = matching[0];
    if (pdb) await takeDisruption(pdbs, pdb, name);
  }
  await pods.delete(namespace, name, { gracePeriodSeconds: ev.deleteOptions?.gracePeriodSeconds, preconditions: ev.deleteOptions?.preconditions });
}

async function takeDisruption(pdbs: GenericStore, pdb: KubeObject, podName: string): Promise<void> {
  await pdbs.mutateRaw(pdb.metadata?.namespace, pdb.metadata!.name!, (cur) => {
    const status = (cur.status ?? {}) as { disruptionsAllowed?: number; disruptedPods?: Record<string, string>; observedGeneration?: number };
    const allowed = status.disruptionsAllowed ?? 0;
    if ((status.observedGeneration ?? 0) < (cur.metadata?.generation ?? 0) || allowed <= 0) {
      throw new StatusError('TooManyRequests', 'Cannot evict pod as it would violate the pod\'s disruption budget.', {
        causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${cur.metadata?.name} needs ${allowed <= 0 ? 'more healthy pods' : 'to be processed'} and has ${allowed} allowed disruptions.` }],
      });
    }
    status.disruptionsAllowed = allowed - 1;
    status.disruptedPods = { ...(status.disruptedPods ?? {}), [podName]: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') };
    cur.status = status;
    return cur;
  });
}
