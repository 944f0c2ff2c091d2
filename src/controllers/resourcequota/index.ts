/**
 * ResourceQuota controller (upstream pkg/controller/resourcequota).
 *
 * Input: ResourceQuotas plus informers on the kinds quota counts (pods, services, configmaps, secrets,
 * persistentvolumeclaims, replicationcontrollers, resourcequotas); other `count/<plural>.<group>`
 * resources are listed live. Output: each quota's status.hard/status.used recomputed from the live
 * objects, so deletes and finished pods give usage back. A quota is resynced on its own changes, on any
 * change of a counted object in its namespace, and every `resyncMs` (default 60 s).
 */
import type { KubeObject } from '../../api/types.js';
import { Informer } from '../../client/informer.js';
import type { RestClient } from '../../client/rest.js';
import { Controller } from '../../runtime/index.js';
import { countedKind, desiredQuotaStatus, lowersUsage, sameStatus, type KindObjects, type QuotaStatus } from './status.js';

export interface ResourceQuotaControllerOptions {
  workers?: number;
  resyncMs?: number;
  /** How long after a usage change the controller waits before lowering usage [2000]. */
  settleMs?: number;
  onError?: (key: string, err: unknown) => void;
}

const WATCHED = ['pods', 'services', 'configmaps', 'secrets', 'persistentvolumeclaims', 'replicationcontrollers', 'resourcequotas'];

/** Lists `plural.group` (core when group is empty) in a namespace, at discovery's preferred version ([] when not served). */
async function listGeneric(client: RestClient, group: string, plural: string, namespace: string): Promise<KubeObject[]> {
  let base = '/api/v1';
  if (group) {
    const g = await client.get<{ preferredVersion?: { groupVersion?: string } }>(`/apis/${group}`);
    const gv = g.status === 200 ? g.body.preferredVersion?.groupVersion : undefined;
    if (!gv) return [];
    base = `/apis/${gv}`;
  }
  const res = await client.get<{ items?: KubeObject[] }>(`${base}/namespaces/${namespace}/${plural}`);
  if (res.status !== 200) return [];
  return res.body.items ?? [];
}

export async function startResourceQuotaController(client: RestClient, opts: ResourceQuotaControllerOptions = {}): Promise<{ stop(): void }> {
  const resync = opts.resyncMs ?? 60_000;
  const quotas = new Informer(client, { path: '/api/v1/resourcequotas' });
  const watched = new Map(WATCHED.map((p) => [p, new Informer(client, { path: `/api/v1/${p}` })]));
  const inNamespace = (inf: Informer, ns: string): KubeObject[] => inf.list().filter((o) => o.metadata?.namespace === ns);

  const controller = new Controller({
    name: 'resourcequota',
    workers: opts.workers ?? 2,
    onError: opts.onError,
    reconcile: async (_ctx, { namespace, name }) => {
      const quota = quotas.get(`${namespace}/${name}`);
      if (!quota || !namespace) return;
      const kinds: KindObjects[] = [...watched].map(([plural, inf]) => ({ group: '', plural, objects: inNamespace(inf, namespace) }));
      const hard = Object.keys(((quota.spec as { hard?: Record<string, unknown> } | undefined)?.hard ?? {}) as Record<string, unknown>);
      for (const res of hard) {
        const k = countedKind(res);
        if (!k || (!k.group && watched.has(k.plural)) || kinds.some((x) => x.group === k.group && x.plural === k.plural)) continue;
        kinds.push({ ...k, objects: await listGeneric(client, k.group, k.plural, namespace) });
      }
      const want = desiredQuotaStatus(quota, kinds);
      // Admission charges a quota before the object exists; give usage back only once recent charges had
      // time to show up in the informers, or an in-flight create would be forgotten.
      const wait = settleMs - (Date.now() - (lastUsageChange.get(`${namespace}/${name}`) ?? 0));
      if (wait > 0 && lowersUsage(quota.status as Partial<QuotaStatus> | undefined, want)) return { requeueAfterMs: wait };
      if (!sameStatus(quota.status as Partial<QuotaStatus> | undefined, want)) {
        const body = { ...structuredClone(quota), status: want };
        const res = await client.put(`/api/v1/namespaces/${namespace}/resourcequotas/${name}/status`, body);
        // 409: admission charged the quota meanwhile; the informer brings the new version and a resync.
        if (res.status !== 200 && res.status !== 404 && res.status !== 409) throw new Error(`update quota ${namespace}/${name} status: ${res.status} ${res.text}`);
      }
      return { requeueAfterMs: resync };
    },
  });
  const settleMs = opts.settleMs ?? 2000;
  const lastUsageChange = new Map<string, number>();
  quotas.addHandlers({
    onUpdate: (old, cur) => {
      if (JSON.stringify((old.status as QuotaStatus | undefined)?.used) !== JSON.stringify((cur.status as QuotaStatus | undefined)?.used)) {
        lastUsageChange.set(`${cur.metadata?.namespace}/${cur.metadata?.name}`, Date.now());
      }
    },
    onDelete: (q) => lastUsageChange.delete(`${q.metadata?.namespace}/${q.metadata?.name}`),
  });
  controller.watches(quotas);
  // A counted object changed: every quota of its namespace is resynced (replenishment).
  const quotasOf = (o: KubeObject): string[] =>
    quotas
      .list()
      .filter((q) => q.metadata?.namespace === o.metadata?.namespace)
      .map((q) => `${q.metadata!.namespace}/${q.metadata!.name}`);
  for (const inf of watched.values()) controller.watches(inf, quotasOf);
  const all = [quotas, ...watched.values()];
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

export { desiredQuotaStatus, countedKind } from './status.js';
