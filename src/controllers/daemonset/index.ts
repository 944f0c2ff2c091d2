/**
 * The DaemonSet controller (upstream pkg/controller/daemon): one pod per eligible node (nodeSelector,
 * required node affinity, taints against the template's tolerations plus the daemon tolerations), each
 * pinned with `matchFields metadata.name In [node]` and bound by the scheduler; RollingUpdate with
 * maxUnavailable/maxSurge or OnDelete, tracked by ControllerRevisions; status counters.
 * Input: a RestClient (it creates DaemonSet, Pod, Node and ControllerRevision informers). Output: a handle to stop it.
 */
import { Informer } from '../../client/informer.js';
import type { RestClient } from '../../client/rest.js';
import { Controller, EventRecorder, controllerOf, keyOf, type Request } from '../../runtime/index.js';
import { CONTROLLER_REVISION_HASH_LABEL, ensureRevision, ownedRevisions, pruneRevisions } from '../common/revisions.js';
import { claimPods, orphanOwners } from '../common/claim-pods.js';
import { Expectations } from '../replicaset/index.js';
import { daemonPod, planDaemonSet } from './sync.js';
import type { DaemonSet, Node, Pod } from './types.js';

export { daemonPod, planDaemonSet } from './sync.js';
export { daemonTolerations, nodeShouldRunDaemonPod, pinToNode } from './placement.js';
export { planRollingUpdate, rollingBudget } from './rolling.js';
export * from './types.js';

export interface DaemonSetControllerOptions {
  workers?: number;
  namespace?: string;
  now?: () => number;
}

export async function startDaemonSetController(client: RestClient, opts: DaemonSetControllerOptions = {}): Promise<{ stop(): void }> {
  const nsPart = opts.namespace ? `/namespaces/${opts.namespace}` : '';
  const dsInformer = new Informer(client, { path: `/apis/apps/v1${nsPart}/daemonsets` });
  const podInformer = new Informer(client, { path: `/api/v1${nsPart}/pods` });
  const nodeInformer = new Informer(client, { path: '/api/v1/nodes' });
  const revInformer = new Informer(client, { path: `/apis/apps/v1${nsPart}/controllerrevisions` });
  const informers = [dsInformer, podInformer, nodeInformer, revInformer];
  const recorder = new EventRecorder(client, { component: 'daemonset-controller' });
  const expectations = new Expectations();
  const now = opts.now ?? Date.now;

  async function reconcile(_ctx: unknown, req: Request): Promise<{ requeueAfterMs?: number } | void> {
    const ns = req.namespace ?? 'default';
    const key = `${ns}/${req.name}`;
    const ds = dsInformer.get(key) as DaemonSet | undefined;
    if (!ds || ds.metadata.deletionTimestamp) {
      expectations.delete(key);
      return;
    }
    const owner = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: ds.metadata };
    const revisions = ownedRevisions(revInformer.list(), owner);
    const data = { spec: { template: { ...ds.spec.template, $patch: 'replace' } } };
    const ensured = await ensureRevision(client, owner, revisions, data, ds.spec.template.metadata?.labels ?? {}, ds.status?.collisionCount ?? 0);
    const hash = ensured.revision.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
    const inNs = podInformer.list().filter((p) => p.metadata?.namespace === ns) as Pod[];
    const pods = await claimPods(client, { apiVersion: 'apps/v1', kind: 'DaemonSet', collectionPath: `/apis/apps/v1/namespaces/${ns}/daemonsets`, metadata: ds.metadata, selector: ds.spec.selector }, inNs);
    const plan = planDaemonSet(ds, nodeInformer.list() as Node[], pods, hash, now());
    if (expectations.satisfied(key)) {
      if (plan.deletePods.length) {
        expectations.expectDeletions(key, plan.deletePods.map(keyOf));
        for (const p of plan.deletePods) {
          const res = await client.delete(`/api/v1/namespaces/${ns}/pods/${p.metadata.name}`);
          if (res.status === 404) expectations.deletionObserved(key, keyOf(p));
          else if (res.status >= 300) throw new Error(`delete pod ${p.metadata.name}: ${res.status} ${res.text.slice(0, 200)}`);
          void recorder.record(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
        }
      } else if (plan.createOn.length) {
        expectations.expectCreations(key, plan.createOn.length);
        for (const node of plan.createOn) {
          const res = await client.post<Pod>(`/api/v1/namespaces/${ns}/pods`, daemonPod(ds, node, hash));
          if (res.status !== 201) {
            expectations.creationObserved(key);
            void recorder.record(ds, 'Warning', 'FailedCreate', `Error creating: ${res.text.slice(0, 200)}`);
            throw new Error(`create daemon pod on ${node}: ${res.status} ${res.text.slice(0, 200)}`);
          }
          void recorder.record(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${res.body.metadata.name}`);
        }
      }
    }
    const status = { ...plan.status, collisionCount: ensured.collisionCount };
    const prior = (ds.status ?? {}) as Record<string, unknown>;
    if (Object.entries(status).some(([k, v]) => (prior[k] ?? 0) !== v)) {
      const res = await client.patch(`/apis/apps/v1/namespaces/${ns}/daemonsets/${req.name}/status`, { status });
      if (res.status !== 200 && res.status !== 404) throw new Error(`update daemonset status: ${res.status} ${res.text.slice(0, 200)}`);
    }
    const live = new Set([ensured.revision.metadata.name ?? '', ...revisions.filter((r) => pods.some((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] === r.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL])).map((r) => r.metadata.name ?? '')]);
    await pruneRevisions(client, revisions.filter((r) => r.metadata.name !== ensured.revision.metadata.name), live, ds.spec.revisionHistoryLimit ?? 10);
    const minReady = ds.spec.minReadySeconds ?? 0;
    if (minReady > 0 && (status.numberAvailable ?? 0) < (status.numberReady ?? 0)) return { requeueAfterMs: minReady * 1000 };
  }

  const controller = new Controller({ name: 'daemonset', reconcile, workers: opts.workers ?? 2, onError: (key, err) => { if (process.env.SKIFF_DEBUG) console.error('daemonset', key, err); } });
  podInformer.addHandlers({
    onAdd: (o) => {
      const ref = controllerOf(o);
      if (ref?.kind === 'DaemonSet') expectations.creationObserved(`${o.metadata?.namespace}/${ref.name}`);
    },
    onUpdate: (old, o) => {
      const ref = controllerOf(o);
      if (ref?.kind === 'DaemonSet' && o.metadata?.deletionTimestamp && !old.metadata?.deletionTimestamp) expectations.deletionObserved(`${o.metadata?.namespace}/${ref.name}`, keyOf(o));
    },
    onDelete: (o) => {
      const ref = controllerOf(o);
      if (ref?.kind === 'DaemonSet') expectations.deletionObserved(`${o.metadata?.namespace}/${ref.name}`, keyOf(o));
    },
  });
  controller.watches(dsInformer).owns(podInformer, 'DaemonSet').watches(podInformer, (o) => orphanOwners(o, dsInformer.list())).owns(revInformer, 'DaemonSet');
  // Any node change may change where daemons belong.
  controller.watches(nodeInformer, () => dsInformer.list().map(keyOf));
  for (const inf of informers) inf.start();
  await Promise.all(informers.map((i) => i.waitForSync()));
  controller.start();
  return {
    stop() {
      controller.stop();
      for (const inf of informers) inf.stop();
    },
  };
}
