/**
 * The ReplicaSet controller (upstream pkg/controller/replicaset): keeps `spec.replicas` active pods
 * for each ReplicaSet, adopting matching orphans and releasing pods that stop matching, and writes
 * status. Input: a RestClient; it creates its own ReplicaSet and Pod informers. Output: a handle to stop it.
 */
import { Informer } from '../../client/informer.js';
import type { RestClient } from '../../client/rest.js';
import { matches, selectorFromLabelSelector } from '../../machinery/labels.js';
import { Controller, EventRecorder, controllerOf, keyOf, type Request } from '../../runtime/index.js';
import { claimObjects } from './claim.js';
import { Expectations } from './expectations.js';
import { manageReplicas } from './manage-replicas.js';
import { isPodActive } from './pod-util.js';
import { calculateReplicaSetStatus } from './replica-status.js';
import type { KubeObject, Pod, ReplicaSet } from './types.js';

export { Expectations } from './expectations.js';
export { sortPodsForDeletion, podsToDelete } from './pod-ordering.js';
export { isPodActive, isPodReady, isPodAvailable } from './pod-util.js';
export { claimObjects, controllerRefTo } from './claim.js';
export type { Pod, ReplicaSet, Deployment, Condition } from './types.js';

export interface ReplicaSetControllerOptions {
  workers?: number;
  /** Limit to one namespace (tests); default all namespaces. */
  namespace?: string;
  /** Told about every failed sync (it is retried with backoff); default: SKIFF_DEBUG=1 prints it. */
  onError?: (key: string, err: unknown) => void;
}

const debugLog = (key: string, err: unknown): void => {
  if (process.env.SKIFF_DEBUG) console.error('replicaset', key, err);
};
const rsPath = (ns: string, name: string) => `/apis/apps/v1/namespaces/${ns}/replicasets/${name}`;

export async function startReplicaSetController(client: RestClient, opts: ReplicaSetControllerOptions = {}): Promise<{ stop(): void }> {
  const nsPart = opts.namespace ? `/namespaces/${opts.namespace}` : '';
  const rsInformer = new Informer(client, { path: `/apis/apps/v1${nsPart}/replicasets` });
  const podInformer = new Informer(client, { path: `/api/v1${nsPart}/pods` });
  const recorder = new EventRecorder(client, { component: 'replicaset-controller' });
  const expectations = new Expectations();

  const podsIn = (ns: string) => podInformer.list().filter((p) => p.metadata?.namespace === ns) as Pod[];
  const rssIn = (ns: string) => rsInformer.list().filter((r) => r.metadata?.namespace === ns) as ReplicaSet[];

  async function reconcile(_ctx: unknown, req: Request): Promise<{ requeueAfterMs?: number } | void> {
    const ns = req.namespace ?? 'default';
    const key = `${ns}/${req.name}`;
    const rs = rsInformer.get(key) as ReplicaSet | undefined;
    if (!rs) {
      expectations.delete(key);
      return;
    }
    const needsSync = expectations.satisfied(key);
    const selector = selectorFromLabelSelector(rs.spec.selector);
    const active = podsIn(ns).filter(isPodActive);
    const owned = await claimObjects(active, {
      client,
      owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: rs.metadata },
      selector,
      pathOf: (p) => `/api/v1/namespaces/${ns}/pods/${p.metadata?.name}`,
      canAdopt: async () => {
        const fresh = await client.get<ReplicaSet>(rsPath(ns, req.name));
        return fresh.status === 200 && fresh.body.metadata.uid === rs.metadata.uid && !fresh.body.metadata.deletionTimestamp;
      },
    });
    let manageError: Error | undefined;
    if (needsSync && !rs.metadata.deletionTimestamp) {
      manageError = await manageReplicas({ client, recorder, expectations }, rs, key, owned, relatedPods(rs, owned));
    }
    const status = calculateReplicaSetStatus(rs, owned, manageError);
    const updated = await updateStatus(rs, status);
    if (manageError) throw manageError;
    const minReady = rs.spec.minReadySeconds ?? 0;
    const s = updated.status ?? status;
    if (minReady > 0 && s.readyReplicas === s.replicas && s.availableReplicas !== s.replicas) return { requeueAfterMs: minReady * 1000 };
  }

  /** Pods of all ReplicaSets sharing this one's controller (e.g. a Deployment's), for deletion ranking. */
  function relatedPods(rs: ReplicaSet, owned: Pod[]): Pod[] {
    const ctl = controllerOf(rs);
    if (!ctl) return owned;
    const siblings = new Set(rssIn(rs.metadata.namespace ?? 'default').filter((r) => controllerOf(r)?.uid === ctl.uid).map((r) => r.metadata.uid));
    return podsIn(rs.metadata.namespace ?? 'default').filter((p) => siblings.has(controllerOf(p)?.uid));
  }

  /** Writes status with a merge patch (no resourceVersion: status is ours alone); absent conditions become null. */
  async function updateStatus(rs: ReplicaSet, status: ReplicaSet['status']): Promise<ReplicaSet> {
    const next = { ...status, observedGeneration: rs.metadata.generation };
    if (JSON.stringify(next) === JSON.stringify(rs.status ?? {})) return rs;
    const patch = { status: { ...next, conditions: next.conditions ?? null } };
    const res = await client.patch<ReplicaSet>(`${rsPath(rs.metadata.namespace ?? 'default', rs.metadata.name ?? '')}/status`, patch);
    if (res.status === 200) return res.body;
    if (res.status === 404) return rs;
    throw new Error(`update status of ${keyOf(rs)}: ${res.status} ${res.text.slice(0, 200)}`);
  }

  const controller = new Controller({ name: 'replicaset', reconcile, workers: opts.workers ?? 2, onError: opts.onError ?? debugLog });

  // Expectations first: observe creations and deletions before the owner is re-queued.
  podInformer.addHandlers({
    onAdd: (o) => {
      const ref = controllerOf(o);
      if (ref?.kind === 'ReplicaSet' && !o.metadata?.deletionTimestamp) expectations.creationObserved(`${o.metadata?.namespace}/${ref.name}`);
      else if (ref?.kind === 'ReplicaSet') expectations.deletionObserved(`${o.metadata?.namespace}/${ref.name}`, keyOf(o));
    },
    onUpdate: (old, o) => {
      const ref = controllerOf(o);
      if (ref?.kind === 'ReplicaSet' && o.metadata?.deletionTimestamp && !old.metadata?.deletionTimestamp) expectations.deletionObserved(`${o.metadata?.namespace}/${ref.name}`, keyOf(o));
    },
    onDelete: (o) => {
      const ref = controllerOf(o);
      if (ref?.kind === 'ReplicaSet') expectations.deletionObserved(`${o.metadata?.namespace}/${ref.name}`, keyOf(o));
    },
  });

  /** A pod's controller if it is a ReplicaSet; for orphans, every ReplicaSet whose selector matches it. */
  const podToKeys = (o: KubeObject): string[] => {
    const ns = o.metadata?.namespace ?? 'default';
    const ref = controllerOf(o);
    if (ref) return ref.kind === 'ReplicaSet' ? [`${ns}/${ref.name}`] : [];
    return rssIn(ns)
      .filter((r) => matches(selectorFromLabelSelector(r.spec.selector), o.metadata?.labels ?? {}))
      .map((r) => keyOf(r));
  };

  controller.watches(rsInformer).watches(podInformer, podToKeys);
  rsInformer.start();
  podInformer.start();
  await Promise.all([rsInformer.waitForSync(), podInformer.waitForSync()]);
  controller.start();
  return {
    stop() {
      controller.stop();
      rsInformer.stop();
      podInformer.stop();
    },
  };
}
