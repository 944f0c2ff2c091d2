/**
 * The collector's decision for one object (by uid), level-triggered:
 * - being deleted with the `orphan` finalizer: strip its ownerReference from every dependent, then drop
 *   the finalizer (upstream orphanDependents);
 * - being deleted with `foregroundDeletion`: delete its dependents (blocking ones first); once no
 *   dependent with blockOwnerDeletion remains, drop the finalizer (processDeletingDependentsItem);
 * - otherwise, when all its owners are gone or waiting on their dependents: delete it, with the policy
 *   upstream picks (Foreground when an owner waits and it has dependents of its own, else by its own
 *   finalizers, Background by default); when some owners remain, remove the references to the others.
 */
import type { RestClient } from '../../client/rest.js';
import { resourcePath, type ApiResource } from './discovery.js';
import type { GraphNode, OwnershipGraph } from './graph.js';
import { classifyOwners } from './owners.js';
import { deleteWithUid, removeFinalizer, removeOwnerReferences, type PropagationPolicy } from './update.js';

export interface CollectOutcome {
  /** Look again after this long (waiting for dependents to go). */
  recheckAfterMs?: number;
}

export class Collector {
  constructor(
    private readonly client: RestClient,
    private readonly graph: OwnershipGraph,
    private readonly resources: () => ApiResource[],
    /** Asks for a discovery refresh (an owner's kind is not known yet: a new custom resource?). */
    private readonly refreshDiscovery: () => void = () => {},
  ) {}

  private pathOf(n: GraphNode): string {
    return resourcePath(n.resource, n.namespace, n.name);
  }

  async process(uid: string): Promise<CollectOutcome> {
    const node = this.graph.get(uid);
    if (!node) return {};
    if (node.deletionTimestamp) {
      if (node.finalizers.includes('orphan')) return this.orphanDependents(node);
      if (node.finalizers.includes('foregroundDeletion')) return this.deleteDependentsFirst(node);
      return {};
    }
    if (node.owners.length === 0) return {};
    return this.collectIfOwnersGone(node);
  }

  private async orphanDependents(owner: GraphNode): Promise<CollectOutcome> {
    for (const dep of this.graph.dependentsOf(owner.uid)) {
      await removeOwnerReferences(this.client, this.pathOf(dep), dep.uid, new Set([owner.uid]));
    }
    await removeFinalizer(this.client, this.pathOf(owner), owner.uid, 'orphan');
    return {};
  }

  private async deleteDependentsFirst(owner: GraphNode): Promise<CollectOutcome> {
    const deps = this.graph.dependentsOf(owner.uid);
    const blocks = (d: GraphNode): boolean => !!d.owners.find((o) => o.uid === owner.uid)?.blockOwnerDeletion;
    const ordered = [...deps.filter(blocks), ...deps.filter((d) => !blocks(d))];
    for (const dep of ordered) {
      if (dep.deletionTimestamp) continue;
      // A dependent with dependents of its own goes in the foreground too, so the whole chain drains.
      const policy: PropagationPolicy = this.graph.dependentsOf(dep.uid).length > 0 ? 'Foreground' : this.ownPolicy(dep);
      await deleteWithUid(this.client, this.pathOf(dep), dep.uid, policy);
    }
    if (deps.some(blocks)) return { recheckAfterMs: 1000 };
    await removeFinalizer(this.client, this.pathOf(owner), owner.uid, 'foregroundDeletion');
    return {};
  }

  private ownPolicy(n: GraphNode): PropagationPolicy {
    if (n.finalizers.includes('orphan')) return 'Orphan';
    if (n.finalizers.includes('foregroundDeletion')) return 'Foreground';
    return 'Background';
  }

  private async collectIfOwnersGone(node: GraphNode): Promise<CollectOutcome> {
    const owners = await classifyOwners(this.client, this.graph, this.resources(), node);
    if (owners.unknown.length) {
      this.refreshDiscovery();
      return { recheckAfterMs: 5000 };
    }
    if (owners.solid.length) {
      const drop = new Set([...owners.dangling, ...owners.waiting].map((r) => r.uid));
      if (drop.size) {
        await removeOwnerReferences(this.client, this.pathOf(node), node.uid, drop);
      }
      return {};
    }
    const policy: PropagationPolicy = owners.waiting.length && this.graph.dependentsOf(node.uid).length ? 'Foreground' : this.ownPolicy(node);
    await deleteWithUid(this.client, this.pathOf(node), node.uid, policy);
    return {};
  }
}
