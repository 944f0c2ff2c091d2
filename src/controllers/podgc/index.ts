/**
 * Pod garbage collector (upstream pkg/controller/podgc).
 *
 * Input: Pods and Nodes (informers), checked every `checkPeriodMs` (20 s).
 * Output: DELETEs of terminated pods beyond `terminatedPodThreshold` (12,500; oldest first); pods
 * bound to nodes that no longer exist (missing for `quarantineMs`, confirmed by a live GET), marked
 * Failed with a DisruptionTarget condition then force-deleted; terminating pods that were never
 * scheduled, force-deleted.
 */
import { Informer } from '../../client/informer.js';
import type { RestClient } from '../../client/rest.js';
import { missingNodes, podsOnNodes, terminatedOverThreshold, unscheduledTerminating, isTerminated, type Pod } from './collect.js';

export interface PodGCOptions {
  terminatedPodThreshold?: number;
  checkPeriodMs?: number;
  /** How long a node must be missing before its pods count as orphaned [40000]. */
  quarantineMs?: number;
  onError?: (err: unknown) => void;
}

const podPath = (p: Pod): string => `/api/v1/namespaces/${p.metadata?.namespace}/pods/${p.metadata?.name}`;
const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

async function deletePod(client: RestClient, p: Pod, force: boolean): Promise<void> {
  const body = { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: p.metadata?.uid }, ...(force ? { gracePeriodSeconds: 0 } : {}) };
  const res = await client.delete(podPath(p), body);
  if (res.status !== 200 && res.status !== 404 && res.status !== 409) throw new Error(`delete pod ${p.metadata?.namespace}/${p.metadata?.name}: ${res.status}`);
}

/** As upstream: a pod whose node is gone fails with a DisruptionTarget condition before it is deleted. */
async function markOrphaned(client: RestClient, p: Pod): Promise<void> {
  if (isTerminated(p)) return;
  const patch = {
    status: {
      phase: 'Failed',
      conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists', lastTransitionTime: now() }],
    },
  };
  await client.patch(`${podPath(p)}/status`, patch, 'application/strategic-merge-patch+json');
}

export async function startPodGCController(client: RestClient, opts: PodGCOptions = {}): Promise<{ stop(): void; sweep(): Promise<void> }> {
  const pods = new Informer(client, { path: '/api/v1/pods' });
  const nodes = new Informer(client, { path: '/api/v1/nodes' });
  const threshold = opts.terminatedPodThreshold ?? 12_500;
  const quarantine = opts.quarantineMs ?? 40_000;
  const missingSince = new Map<string, number>();
  let running: Promise<void> | undefined;

  const sweepOnce = async (): Promise<void> => {
    const all = pods.list() as Pod[];
    for (const p of terminatedOverThreshold(all, threshold)) await deletePod(client, p, false);

    const known = new Set(nodes.list().map((n) => n.metadata?.name ?? ''));
    const missing = missingNodes(all, known);
    for (const n of [...missingSince.keys()]) if (!missing.has(n)) missingSince.delete(n);
    const gone = new Set<string>();
    for (const n of missing) {
      const since = missingSince.get(n) ?? Date.now();
      missingSince.set(n, since);
      if (Date.now() - since < quarantine) continue;
      const live = await client.get(`/api/v1/nodes/${encodeURIComponent(n)}`);
      if (live.status === 404) gone.add(n);
    }
    for (const p of podsOnNodes(all, gone)) {
      await markOrphaned(client, p);
      await deletePod(client, p, true);
    }

    for (const p of unscheduledTerminating(all)) await deletePod(client, p, true);
  };
  const sweep = (): Promise<void> => {
    running ??= sweepOnce().finally(() => (running = undefined));
    return running;
  };

  pods.start();
  nodes.start();
  await Promise.all([pods.waitForSync(), nodes.waitForSync()]);
  const timer = setInterval(() => void sweep().catch((e: unknown) => opts.onError?.(e)), opts.checkPeriodMs ?? 20_000);
  timer.unref();
  return {
    sweep,
    stop() {
      clearInterval(timer);
      pods.stop();
      nodes.stop();
    },
  };
}

export { terminatedOverThreshold, missingNodes } from './collect.js';
