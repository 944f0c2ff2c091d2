/**
 * The expected pod count behind a budget (upstream getExpectedScale and its finders): each pod's
 * controller, deduplicated by uid, contributes its replicas. A ReplicaSet owned by a Deployment counts
 * the Deployment's replicas (a rollout keeps the budget at the Deployment's size); ReplicaSets,
 * StatefulSets and ReplicationControllers are read from informers; any other controller through its
 * /scale subresource. Pods without a controller are reported as unmanaged and not counted.
 */
import type { KubeObject } from '../../api/types.js';
import type { Informer } from '../../client/informer.js';
import type { RestClient } from '../../client/rest.js';
import { controllerOf } from '../../runtime/index.js';

export interface ScaleSources {
  client: RestClient;
  replicaSets: Informer;
  deployments: Informer;
  statefulSets: Informer;
  replicationControllers: Informer;
}

interface Found {
  uid: string;
  replicas: number;
}

const replicasOf = (o: KubeObject): number => (o.spec as { replicas?: number } | undefined)?.replicas ?? 1;

function fromInformer(inf: Informer, namespace: string, ref: { name: string; uid: string }): KubeObject | undefined {
  const o = inf.get(`${namespace}/${ref.name}`);
  return o && o.metadata?.uid === ref.uid ? o : undefined;
}

/** Any scalable controller: discovery for its plural, then GET .../scale. */
async function fromScaleSubresource(client: RestClient, namespace: string, ref: { apiVersion: string; kind: string; name: string; uid: string }): Promise<Found | undefined> {
  const base = ref.apiVersion.includes('/') ? `/apis/${ref.apiVersion}` : `/api/${ref.apiVersion}`;
  const disc = await client.get<{ resources?: Array<{ name: string; kind: string }> }>(base);
  if (disc.status !== 200) return undefined;
  const plural = disc.body.resources?.find((r) => r.kind === ref.kind && !r.name.includes('/'))?.name;
  if (!plural || !disc.body.resources?.some((r) => r.name === `${plural}/scale`)) return undefined;
  const scale = await client.get<{ metadata?: { uid?: string }; spec?: { replicas?: number } }>(`${base}/namespaces/${namespace}/${plural}/${ref.name}/scale`);
  if (scale.status !== 200 || (scale.body.metadata?.uid && scale.body.metadata.uid !== ref.uid)) return undefined;
  return { uid: ref.uid, replicas: scale.body.spec?.replicas ?? 0 };
}

async function findController(src: ScaleSources, pod: KubeObject): Promise<Found | undefined> {
  const ref = controllerOf(pod)!;
  const ns = pod.metadata?.namespace ?? '';
  if (ref.kind === 'ReplicaSet' && ref.apiVersion.startsWith('apps/')) {
    const rs = fromInformer(src.replicaSets, ns, ref);
    if (!rs) return undefined;
    const owner = controllerOf(rs);
    if (owner?.kind === 'Deployment' && owner.apiVersion.startsWith('apps/')) {
      const d = fromInformer(src.deployments, ns, owner);
      return d ? { uid: owner.uid, replicas: replicasOf(d) } : undefined;
    }
    return { uid: ref.uid, replicas: replicasOf(rs) };
  }
  if (ref.kind === 'StatefulSet' && ref.apiVersion.startsWith('apps/')) {
    const ss = fromInformer(src.statefulSets, ns, ref);
    return ss ? { uid: ref.uid, replicas: replicasOf(ss) } : undefined;
  }
  if (ref.kind === 'ReplicationController' && ref.apiVersion === 'v1') {
    const rc = fromInformer(src.replicationControllers, ns, ref);
    return rc ? { uid: ref.uid, replicas: replicasOf(rc) } : undefined;
  }
  return fromScaleSubresource(src.client, ns, ref);
}

/** Sum of the pods' controllers' replicas; throws upstream's text when a controller cannot be found. */
export async function expectedScale(src: ScaleSources, pods: KubeObject[]): Promise<{ expected: number; unmanaged: string[] }> {
  const seen = new Map<string, number>();
  const unmanaged: string[] = [];
  for (const pod of pods) {
    if (!controllerOf(pod)) {
      unmanaged.push(pod.metadata?.name ?? '');
      continue;
    }
    const found = await findController(src, pod);
    if (!found) throw new Error(`found no controllers for pod "${pod.metadata?.name}"`);
    seen.set(found.uid, found.replicas);
  }
  let expected = 0;
  for (const n of seen.values()) expected += n;
  return { expected, unmanaged };
}
