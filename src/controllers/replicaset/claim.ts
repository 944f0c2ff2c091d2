/**
 * Ownership claiming (upstream ControllerRefManager): an owner adopts matching orphans and releases
 * objects it controls that no longer match its selector, by strategic-merge PATCHes of
 * metadata.ownerReferences. Used for Pods (ReplicaSet controller) and ReplicaSets (Deployment controller).
 */
import type { RestClient } from '../../client/rest.js';
import { controllerOf } from '../../runtime/index.js';
import { matches, type LabelSelector } from '../../machinery/labels.js';
import type { KubeObject, OwnerReference } from './types.js';

export interface Owner {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; uid?: string; deletionTimestamp?: string; namespace?: string };
}

export function controllerRefTo(owner: Owner): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

export interface ClaimOptions<T extends KubeObject> {
  client: RestClient;
  owner: Owner;
  selector: LabelSelector;
  /** Path of one object, e.g. `/api/v1/namespaces/ns/pods/name`. */
  pathOf(obj: T): string;
  /** Fresh check, right before adopting, that the owner still exists with the same uid and is not being deleted. */
  canAdopt(): Promise<boolean>;
}

/** Returns the objects the owner controls after adopting and releasing. */
export async function claimObjects<T extends KubeObject>(objs: T[], o: ClaimOptions<T>): Promise<T[]> {
  const claimed: T[] = [];
  let adoptable: boolean | undefined;
  const ownerUid = o.owner.metadata.uid;
  for (const obj of objs) {
    const ref = controllerOf(obj);
    const labels = obj.metadata?.labels ?? {};
    if (ref) {
      if (ref.uid !== ownerUid) continue;
      if (matches(o.selector, labels)) {
        claimed.push(obj);
        continue;
      }
      if (o.owner.metadata.deletionTimestamp) continue;
      const patch = { metadata: { ownerReferences: [{ $patch: 'delete', uid: ownerUid }], uid: obj.metadata?.uid } };
      const res = await o.client.patch(o.pathOf(obj), patch, 'application/strategic-merge-patch+json');
      if (res.status >= 300 && res.status !== 404 && res.status !== 422) throw new Error(`release ${o.pathOf(obj)}: ${res.status} ${res.text.slice(0, 200)}`);
      continue;
    }
    if (o.owner.metadata.deletionTimestamp || obj.metadata?.deletionTimestamp || !matches(o.selector, labels)) continue;
    adoptable ??= await o.canAdopt();
    if (!adoptable) continue;
    const patch = { metadata: { ownerReferences: [controllerRefTo(o.owner)], uid: obj.metadata?.uid } };
    const res = await o.client.patch<T>(o.pathOf(obj), patch, 'application/strategic-merge-patch+json');
    if (res.status === 200) claimed.push(res.body);
    else if (res.status !== 404 && res.status !== 409 && res.status !== 422) throw new Error(`adopt ${o.pathOf(obj)}: ${res.status} ${res.text.slice(0, 200)}`);
  }
  return claimed;
}
