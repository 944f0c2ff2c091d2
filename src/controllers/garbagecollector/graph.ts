/**
 * The garbage collector's ownership graph (upstream's GraphBuilder/uidToNode): every object seen by the
 * monitors, keyed by uid, with its ownerReferences and the reverse index owner uid -> dependent uids.
 * Owners may be absent from the graph (not yet observed, or gone): the collector checks them live.
 */
import type { KubeObject, OwnerReference } from '../../api/types.js';
import type { ApiResource } from './discovery.js';

export interface GraphNode {
  uid: string;
  resource: ApiResource;
  namespace?: string;
  name: string;
  owners: readonly OwnerReference[];
  deletionTimestamp?: string;
  finalizers: readonly string[];
}

export class OwnershipGraph {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly dependents = new Map<string, Set<string>>();

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  get size(): number {
    return this.nodes.size;
  }

  dependentsOf(ownerUid: string): GraphNode[] {
    return [...(this.dependents.get(ownerUid) ?? [])].map((u) => this.nodes.get(u)).filter((n): n is GraphNode => !!n);
  }

  /** Records an object; returns the owner uids whose dependent sets changed. */
  upsert(resource: ApiResource, obj: KubeObject): string[] {
    const m = obj.metadata ?? {};
    if (!m.uid) return [];
    const old = this.nodes.get(m.uid);
    const node: GraphNode = {
      uid: m.uid,
      resource,
      namespace: m.namespace,
      name: m.name ?? '',
      owners: m.ownerReferences ?? [],
      deletionTimestamp: m.deletionTimestamp,
      finalizers: m.finalizers ?? [],
    };
    this.nodes.set(m.uid, node);
    const before = new Set((old?.owners ?? []).map((o) => o.uid));
    const after = new Set(node.owners.map((o) => o.uid));
    const changed: string[] = [];
    for (const u of before) if (!after.has(u)) (this.unlink(u, m.uid), changed.push(u));
    for (const u of after) if (!before.has(u)) (this.link(u, m.uid), changed.push(u));
    return changed;
  }

  /** Forgets an object; returns its former owners' uids and its dependents' uids. */
  remove(uid: string): { owners: string[]; dependents: string[] } {
    const node = this.nodes.get(uid);
    this.nodes.delete(uid);
    const owners = (node?.owners ?? []).map((o) => o.uid);
    for (const o of owners) this.unlink(o, uid);
    return { owners, dependents: [...(this.dependents.get(uid) ?? [])] };
  }

  private link(owner: string, dependent: string): void {
    let set = this.dependents.get(owner);
    if (!set) this.dependents.set(owner, (set = new Set()));
    set.add(dependent);
  }

  private unlink(owner: string, dependent: string): void {
    const set = this.dependents.get(owner);
    set?.delete(dependent);
    if (set && set.size === 0) this.dependents.delete(owner);
  }
}
