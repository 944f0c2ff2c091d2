/**
 * The Deployment controller (upstream pkg/controller/deployment): owns ReplicaSets named
 * `<deployment>-<pod-template-hash>`, rolls templates out with RollingUpdate or Recreate, scales,
 * pauses, cleans up history and reports status and conditions. Input: a RestClient; it creates its
 * own Deployment, ReplicaSet and Pod informers. Output: a handle to stop it.
 */
import { Informer } from '../../client/informer.js';
import type { RestClient } from '../../client/rest.js';
import { isEverything, matches, selectorFromLabelSelector } from '../../machinery/labels.js';
import { Controller, EventRecorder, controllerOf, keyOf, type Request } from '../../runtime/index.js';
import { claimObjects } from '../replicaset/claim.js';
import type { Deployment, KubeObject, Pod, ReplicaSet } from '../replicaset/types.js';
import { rolloutRecreate } from './recreate.js';
import { rolloutRolling } from './rolling.js';
import { checkPausedConditions, getAllReplicaSetsAndSyncRevision, isScalingEvent, syncDeploymentStatus, syncOnly, writeStatus, type SyncContext } from './sync.js';

export { computeHash, safeEncodeString, fnv32a } from './hash.js';
export { resolveFenceposts, equalIgnoreHash, findNewReplicaSet } from './util.js';

export interface DeploymentControllerOptions {
  workers?: number;
  /** Limit to one namespace (tests); default all namespaces. */
  namespace?: string;
  /** Told about every failed sync (it is retried with backoff); default: SKIFF_DEBUG=1 prints it. */
  onError?: (key: string, err: unknown) => void;
}

export async function startDeploymentController(client: RestClient, opts: DeploymentControllerOptions = {}): Promise<{ stop(): void }> {
  const nsPart = opts.namespace ? `/namespaces/${opts.namespace}` : '';
  const dInformer = new Informer(client, { path: `/apis/apps/v1${nsPart}/deployments` });
  const rsInformer = new Informer(client, { path: `/apis/apps/v1${nsPart}/replicasets` });
  const podInformer = new Informer(client, { path: `/api/v1${nsPart}/pods` });
  const recorder = new EventRecorder(client, { component: 'deployment-controller' });

  const inNs = <T extends KubeObject>(inf: Informer, ns: string) => inf.list().filter((o) => o.metadata?.namespace === ns) as T[];
  let controller: Controller;
  const ctx: SyncContext = {
    client,
    recorder,
    enqueueAfter: (d, ms) => controller.enqueue(keyOf(d), ms),
    podsOf: (rs) => inNs<Pod>(podInformer, rs.metadata.namespace ?? 'default').filter((p) => controllerOf(p)?.uid === rs.metadata.uid),
  };

  async function reconcile(_c: unknown, req: Request): Promise<void> {
    const ns = req.namespace ?? 'default';
    const cached = dInformer.get(`${ns}/${req.name}`) as Deployment | undefined;
    if (!cached) return;
    const d: Deployment = structuredClone(cached);
    const selector = selectorFromLabelSelector(d.spec.selector);
    if (isEverything(selector)) {
      void recorder.record(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) await writeStatus(ctx, d, { ...(d.status ?? {}), observedGeneration: d.metadata.generation });
      return;
    }
    const rsList = await claimObjects(inNs<ReplicaSet>(rsInformer, ns), {
      client,
      owner: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: d.metadata },
      selector,
      pathOf: (rs) => `/apis/apps/v1/namespaces/${ns}/replicasets/${rs.metadata?.name}`,
      canAdopt: async () => {
        const fresh = await client.get<Deployment>(`/apis/apps/v1/namespaces/${ns}/deployments/${req.name}`);
        return fresh.status === 200 && fresh.body.metadata.uid === d.metadata.uid && !fresh.body.metadata.deletionTimestamp;
      },
    });
    if (d.metadata.deletionTimestamp) {
      const [newRS, oldRSs] = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
      return syncDeploymentStatus(ctx, [...oldRSs, ...(newRS ? [newRS] : [])], newRS, d);
    }
    await checkPausedConditions(ctx, d);
    if (d.spec.paused) return syncOnly(ctx, d, rsList);
    if (await isScalingEvent(ctx, d, rsList)) return syncOnly(ctx, d, rsList);
    if (d.spec.strategy?.type === 'Recreate') return rolloutRecreate(ctx, d, rsList);
    return rolloutRolling(ctx, d, rsList);
  }

  controller = new Controller({
    name: 'deployment',
    reconcile,
    workers: opts.workers ?? 2,
    onError:
      opts.onError ??
      ((key, err) => {
        if (process.env.SKIFF_DEBUG) console.error('deployment', key, err);
      }),
  });

  /** Deployments whose selector matches an object's labels (for orphans). */
  const matchingDeployments = (o: KubeObject): string[] =>
    inNs<Deployment>(dInformer, o.metadata?.namespace ?? 'default')
      .filter((d) => {
        const sel = selectorFromLabelSelector(d.spec.selector);
        return !isEverything(sel) && matches(sel, o.metadata?.labels ?? {});
      })
      .map((d) => keyOf(d));
  const rsToKeys = (o: KubeObject): string[] => {
    const ref = controllerOf(o);
    if (ref) return ref.kind === 'Deployment' ? [`${o.metadata?.namespace}/${ref.name}`] : [];
    return matchingDeployments(o);
  };
  controller.watches(dInformer).watches(rsInformer, rsToKeys);
  // A pod going away can unblock a Recreate rollout: wake its Deployment.
  podInformer.addHandlers({
    onDelete: (p) => {
      const rsRef = controllerOf(p);
      if (rsRef?.kind !== 'ReplicaSet') return;
      const rs = rsInformer.get(`${p.metadata?.namespace}/${rsRef.name}`);
      if (rs) for (const k of rsToKeys(rs)) controller.enqueue(k);
    },
  });
  dInformer.start();
  rsInformer.start();
  podInformer.start();
  await Promise.all([dInformer.waitForSync(), rsInformer.waitForSync(), podInformer.waitForSync()]);
  controller.start();
  return {
    stop() {
      controller.stop();
      dInformer.stop();
      rsInformer.stop();
      podInformer.stop();
    },
  };
}
