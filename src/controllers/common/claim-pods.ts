/**
 * Pod adoption for the Job, StatefulSet and DaemonSet controllers (upstream ControllerRefManager.ClaimPods):
 * orphans in the owner's namespace matching its selector are adopted, pods it controls that stop
 * matching are released. Wraps the ReplicaSet controller's claimObjects with a fresh owner check.
 */
import type { RestClient } from '../../client/rest.js';
import { matches, selectorFromLabelSelector, type LabelSelectorSpec } from '../../machinery/labels.js';
import { controllerOf, keyOf } from '../../runtime/index.js';
import { claimObjects } from '../replicaset/index.js';
import type { KubeObject, ObjectMeta, Pod } from '../replicaset/types.js';

export interface PodOwner {
  apiVersion: string;
  kind: string;
  /** Collection path of the owner's resource, e.g. `/apis/apps/v1/namespaces/ns/statefulsets`. */
  collectionPath: string;
  metadata: ObjectMeta;
  selector: LabelSelectorSpec | undefined;
}

/** The pods the owner controls after adopting and releasing; `adoptable` narrows which orphans qualify. */
export async function claimPods(client: RestClient, owner: PodOwner, pods: Pod[], adoptable: (p: Pod) => boolean = () => true): Promise<Pod[]> {
  const ns = owner.metadata.namespace ?? 'default';
  const candidates = pods.filter((p) => p.metadata.namespace === ns && (p.metadata.ownerReferences?.some((r) => r.controller) || adoptable(p)));
  return claimObjects<Pod>(candidates, {
    client,
    owner: { apiVersion: owner.apiVersion, kind: owner.kind, metadata: owner.metadata },
    selector: selectorFromLabelSelector(owner.selector),
    pathOf: (p) => `/api/v1/namespaces/${ns}/pods/${p.metadata.name}`,
    canAdopt: async () => {
      const fresh = await client.get<KubeObject>(`${owner.collectionPath}/${owner.metadata.name}`);
      return fresh.status === 200 && fresh.body.metadata?.uid === owner.metadata.uid && !fresh.body.metadata?.deletionTimestamp;
    },
  });
}

/** Keys of the owners whose selector matches an orphan pod (so its creation wakes them for adoption). */
export function orphanOwners(pod: KubeObject, owners: KubeObject[]): string[] {
  if (controllerOf(pod)) return [];
  const ns = pod.metadata?.namespace;
  return owners
    .filter((o) => o.metadata?.namespace === ns && matches(selectorFromLabelSelector((o as { spec?: { selector?: LabelSelectorSpec } }).spec?.selector), pod.metadata?.labels ?? {}))
    .map(keyOf);
}
