/**
 * The StatefulSet controller (upstream pkg/controller/statefulset): stable pod identities
 * `<set>-<ordinal>` with per-ordinal PersistentVolumeClaims, OrderedReady or Parallel pod management,
 * RollingUpdate (partition, maxUnavailable) and OnDelete updates tracked by ControllerRevisions, the
 * PVC retention policy, and status. Pod names are deterministic, so a lagging cache can never
 * over-create (a second create is a 409), as upstream which keeps no expectations for pods.
 * Input: a RestClient (it creates StatefulSet, Pod, PVC and ControllerRevision informers). Output: a handle to stop it.
 */
import { Informer } from '../../client/informer.js';
import type { RestClient } from '../../client/rest.js';
import { Controller, EventRecorder, controllerOf, keyOf, type Request } from '../../runtime/index.js';
import { ensureRevision, ownedRevisions, pruneRevisions, type ControllerRevision } from '../common/revisions.js';
import { claimPods, orphanOwners } from '../common/claim-pods.js';
import { ordinalOf, revisionOfPod } from './identity.js';
import { statefulSetStatus, syncStatefulSet, type StatefulSetSyncDeps } from './sync.js';
import type { PersistentVolumeClaim, Pod, StatefulSet } from './types.js';

export { newStatefulPod, ordinalOf, podName, claimName } from './identity.js';
export * from './types.js';

export interface StatefulSetControllerOptions {
  workers?: number;
  namespace?: string;
  now?: () => number;
}

export async function startStatefulSetController(client: RestClient, opts: StatefulSetControllerOptions = {}): Promise<{ stop(): void }> {
  const nsPart = opts.namespace ? `/namespaces/${opts.namespace}` : '';
  const setInformer = new Informer(client, { path: `/apis/apps/v1${nsPart}/statefulsets` });
  const podInformer = new Informer(client, { path: `/api/v1${nsPart}/pods` });
  const pvcInformer = new Informer(client, { path: `/api/v1${nsPart}/persistentvolumeclaims` });
  const revInformer = new Informer(client, { path: `/apis/apps/v1${nsPart}/controllerrevisions` });
  const now = opts.now ?? Date.now;
  const deps: StatefulSetSyncDeps = { client, recorder: new EventRecorder(client, { component: 'statefulset-controller' }), now };

  async function reconcile(_ctx: unknown, req: Request): Promise<{ requeueAfterMs?: number } | void> {
    const ns = req.namespace ?? 'default';
    const set = setInformer.get(`${ns}/${req.name}`) as StatefulSet | undefined;
    if (!set || set.metadata.deletionTimestamp) return;
    const owner = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: set.metadata };
    const revisions = ownedRevisions(revInformer.list(), owner);
    const data = { spec: { template: { ...set.spec.template, $patch: 'replace' } } };
    const ensured = await ensureRevision(client, owner, revisions, data, set.spec.template.metadata?.labels ?? {}, set.status?.collisionCount ?? 0);
    const all: ControllerRevision[] = [...revisions.filter((r) => r.metadata.name !== ensured.revision.metadata.name), ensured.revision];
    const current = all.find((r) => r.metadata.name === set.status?.currentRevision) ?? ensured.revision;
    const revs = { current, update: ensured.revision };
    const inNs = podInformer.list().filter((p) => p.metadata?.namespace === ns) as Pod[];
    // Only pods named like one of the set's ordinals can be adopted (upstream isMemberOf).
    const pods = await claimPods(client, { apiVersion: 'apps/v1', kind: 'StatefulSet', collectionPath: `/apis/apps/v1/namespaces/${ns}/statefulsets`, metadata: set.metadata, selector: set.spec.selector }, inNs, (p) => ordinalOf(set, p) >= 0);
    const claims = new Map((pvcInformer.list() as PersistentVolumeClaim[]).filter((c) => c.metadata.namespace === ns).map((c) => [c.metadata.name ?? '', c]));
    await syncStatefulSet(deps, set, pods, claims, revs);
    const status = statefulSetStatus(set, pods, revs, ensured.collisionCount, now());
    const prior = set.status ?? {};
    if (Object.entries(status).some(([k, v]) => (prior as Record<string, unknown>)[k] !== v)) {
      const res = await client.patch(`/apis/apps/v1/namespaces/${ns}/statefulsets/${req.name}/status`, { status });
      if (res.status !== 200 && res.status !== 404) throw new Error(`update statefulset status: ${res.status} ${res.text.slice(0, 200)}`);
    }
    const live = new Set([current.metadata.name ?? '', ensured.revision.metadata.name ?? '', ...pods.map((p) => revisionOfPod(p) ?? '')]);
    await pruneRevisions(client, all, live, set.spec.revisionHistoryLimit ?? 10);
    const minReady = set.spec.minReadySeconds ?? 0;
    if (minReady > 0 && (status.availableReplicas ?? 0) < (status.readyReplicas ?? 0)) return { requeueAfterMs: minReady * 1000 };
  }

  const controller = new Controller({ name: 'statefulset', reconcile, workers: opts.workers ?? 2, onError: (key, err) => { if (process.env.SKIFF_DEBUG) console.error('statefulset', key, err); } });
  controller.watches(setInformer).owns(podInformer, 'StatefulSet').watches(podInformer, (o) => orphanOwners(o, setInformer.list())).owns(revInformer, 'StatefulSet');
  // Claims: a deleted claim of a live ordinal is recreated.
  controller.watches(pvcInformer, (c) => setInformer.list().filter((s) => s.metadata?.namespace === c.metadata?.namespace && (c.metadata?.name ?? '').includes(`-${s.metadata?.name}-`)).map(keyOf));
  for (const inf of [setInformer, podInformer, pvcInformer, revInformer]) inf.start();
  await Promise.all([setInformer, podInformer, pvcInformer, revInformer].map((i) => i.waitForSync()));
  controller.start();
  return {
    stop() {
      controller.stop();
      for (const inf of [setInformer, podInformer, pvcInformer, revInformer]) inf.stop();
    },
  };
}
