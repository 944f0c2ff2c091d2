/**
 * Classifies an object's owners as upstream's attemptToDeleteItem does: solid (exists, not being
 * deleted in the foreground), dangling (gone: verified with a live GET, the uid must match) and
 * waitingForDependentsDeletion (exists with deletionTimestamp and the foregroundDeletion finalizer).
 */
import type { KubeObject, OwnerReference } from '../../api/types.js';
import type { RestClient } from '../../client/rest.js';
import { resourceFor, resourcePath, type ApiResource } from './discovery.js';
import type { GraphNode, OwnershipGraph } from './graph.js';

export interface OwnerClasses {
  solid: OwnerReference[];
  dangling: OwnerReference[];
  waiting: OwnerReference[];
  /** Owners whose kind the server does not serve (cannot be decided; retried later). */
  unknown: OwnerReference[];
}

export async function classifyOwners(client: RestClient, graph: OwnershipGraph, resources: ApiResource[], node: GraphNode): Promise<OwnerClasses> {
  const out: OwnerClasses = { solid: [], dangling: [], waiting: [], unknown: [] };
  for (const ref of node.owners) {
    const cached = graph.get(ref.uid);
    let state: { deletionTimestamp?: string; finalizers: readonly string[] } | undefined;
    if (cached) state = cached;
    else {
      const r = resourceFor(resources, ref.apiVersion, ref.kind);
      if (!r) {
        out.unknown.push(ref);
        continue;
      }
      // A namespaced owner of a cluster-scoped object cannot exist.
      if (r.namespaced && !node.namespace) {
        out.dangling.push(ref);
        continue;
      }
      const res = await client.get<KubeObject>(resourcePath(r, node.namespace, ref.name));
      if (res.status === 404) {
        out.dangling.push(ref);
        continue;
      }
      if (res.status !== 200) throw new Error(`GET owner ${ref.kind} ${ref.name}: ${res.status}`);
      if (res.body.metadata?.uid !== ref.uid) {
        out.dangling.push(ref);
        continue;
      }
      state = { deletionTimestamp: res.body.metadata?.deletionTimestamp, finalizers: res.body.metadata?.finalizers ?? [] };
    }
    if (state.deletionTimestamp && state.finalizers.includes('foregroundDeletion')) out.waiting.push(ref);
    else out.solid.push(ref);
  }
  return out;
}
