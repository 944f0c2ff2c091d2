/**
 * Disruption controller (upstream pkg/controller/disruption).
 *
 * Input: PodDisruptionBudgets, pods, and the workloads behind them (ReplicaSets, Deployments,
 * StatefulSets, ReplicationControllers; other controllers through /scale). Output: each budget's
 * status (expectedPods, currentHealthy, desiredHealthy, disruptionsAllowed, disruptedPods,
 * observedGeneration, DisruptionAllowed condition), which the pods/eviction subresource consults and
 * decrements. Evicted pods that are not deleted within 2 minutes stop being counted as disrupted: the
 * budget is rechecked at that moment. Events: NoPods, CalculateExpectedPodCountFailed.
 */
import type { KubeObject } from '../../api/types.js';
import { Informer } from '../../client/informer.js';
import type { RestClient } from '../../client/rest.js';
import { matches, selectorFromLabelSelector, type LabelSelectorSpec } from '../../machinery/labels.js';
import { Controller, EventRecorder } from '../../runtime/index.js';
import { budgetStatus, countHealthy, expectedAndDesired, failSafeStatus, liveDisruptions, needsScale, type PdbSpec, type PdbStatus } from './budget.js';
import { expectedScale } from './scale.js';

export interface DisruptionControllerOptions {
  workers?: number;
  onError?: (key: string, err: unknown) => void;
  /** The clock (tests). */
  now?: () => number;
}

const PDB_PATH = '/apis/policy/v1/poddisruptionbudgets';

/** The budget's pods: a missing selector selects none, an empty one every pod of the namespace. */
export function podsOfBudget(pdb: KubeObject, pods: KubeObject[]): KubeObject[] {
  const spec = (pdb.spec ?? {}) as { selector?: LabelSelectorSpec | null };
  if (!spec.selector) return [];
  const sel = selectorFromLabelSelector(spec.selector);
  return pods.filter((p) => p.metadata?.namespace === pdb.metadata?.namespace && matches(sel, p.metadata?.labels ?? {}));
}

/** JSON with sorted keys, to compare statuses whatever their key order. */
function stable(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : x,
  );
}

export async function startDisruptionController(client: RestClient, opts: DisruptionControllerOptions = {}): Promise<{ stop(): void }> {
  const now = opts.now ?? Date.now;
  const pdbs = new Informer(client, { path: PDB_PATH });
  const pods = new Informer(client, { path: '/api/v1/pods' });
  const replicaSets = new Informer(client, { path: '/apis/apps/v1/replicasets' });
  const deployments = new Informer(client, { path: '/apis/apps/v1/deployments' });
  const statefulSets = new Informer(client, { path: '/apis/apps/v1/statefulsets' });
  const replicationControllers = new Informer(client, { path: '/api/v1/replicationcontrollers' });
  const events = new EventRecorder(client, { component: 'controllermanager' });
  const sources = { client, replicaSets, deployments, statefulSets, replicationControllers };

  const writeStatus = async (pdb: KubeObject, status: PdbStatus): Promise<void> => {
    if (stable(pdb.status ?? {}) === stable(status)) return;
    const m = pdb.metadata!;
    const res = await client.put(`/apis/policy/v1/namespaces/${m.namespace}/poddisruptionbudgets/${m.name}/status`, { ...structuredClone(pdb), status });
    if (res.status === 404) return;
    // 409: an eviction or another write got there first; retry with the informer's newer copy.
    if (res.status !== 200) throw new Error(`update pdb ${m.namespace}/${m.name} status: ${res.status} ${res.text}`);
  };

  const controller = new Controller({
    name: 'disruption',
    workers: opts.workers ?? 2,
    onError: opts.onError,
    reconcile: async (_ctx, { namespace, name }) => {
      const pdb = pdbs.get(`${namespace}/${name}`);
      if (!pdb) return;
      const spec = (pdb.spec ?? {}) as PdbSpec;
      const selected = podsOfBudget(pdb, pods.list());
      if (selected.length === 0) void events.record(pdb, 'Normal', 'NoPods', 'No matching pods found');
      let counts: { expected: number; desired: number };
      try {
        const scale = needsScale(spec) ? (await expectedScale(sources, selected)).expected : 0;
        counts = expectedAndDesired(spec, selected.length, () => scale);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        void events.record(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${message}`);
        await writeStatus(pdb, failSafeStatus(pdb, message, now()));
        return { requeueAfterMs: 30_000 };
      }
      const t = now();
      const { disrupted, recheckAt } = liveDisruptions(pdb, selected, t);
      const status = budgetStatus(pdb, { currentHealthy: countHealthy(selected, disrupted, t), desiredHealthy: counts.desired, expectedPods: counts.expected, disruptedPods: disrupted }, t);
      await writeStatus(pdb, status);
      if (recheckAt !== undefined) return { requeueAfterMs: Math.max(0, recheckAt - t) + 100 };
    },
  });
  controller.watches(pdbs);
  // A pod changed: resync the budgets selecting it (before or after the change).
  const budgetsOf = (pod: KubeObject): string[] =>
    pdbs
      .list()
      .filter((b) => podsOfBudget(b, [pod]).length > 0)
      .map((b) => `${b.metadata!.namespace}/${b.metadata!.name}`);
  controller.watches(pods, budgetsOf);
  // Scale changes of workloads: resync the budgets of the namespace.
  const budgetsInNamespace = (o: KubeObject): string[] =>
    pdbs
      .list()
      .filter((b) => b.metadata?.namespace === o.metadata?.namespace)
      .map((b) => `${b.metadata!.namespace}/${b.metadata!.name}`);
  for (const inf of [replicaSets, deployments, statefulSets, replicationControllers]) controller.watches(inf, budgetsInNamespace);
  const all = [pdbs, pods, replicaSets, deployments, statefulSets, replicationControllers];
  for (const inf of all) inf.start();
  await Promise.all(all.map((inf) => inf.waitForSync()));
  controller.start();
  return {
    stop() {
      controller.stop();
      for (const inf of all) inf.stop();
    },
  };
}

export { budgetStatus, expectedAndDesired, scaledValue, DELETION_TIMEOUT_MS } from './budget.js';
