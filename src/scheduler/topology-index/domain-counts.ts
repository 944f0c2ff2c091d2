/**
 * DomainCounts: how many pods of one kind (those a selector matches, or those carrying one
 * affinity term) sit on each node, and the same totals summed per value of the topology keys
 * asked for so far (`zone-a` -> 12). Only non-zero entries are kept, so a map's size is the
 * number of domains actually holding such pods. Nodes are known by name; `labels` is the node's
 * current label set, or undefined while the Node object is absent (its pods then count per node
 * but in no domain, as the plugins only look at existing nodes).
 */
export type NodeLabels = Readonly<Record<string, string>> | undefined;

function bump(m: Map<string, number>, k: string, by: number): void {
  const n = (m.get(k) ?? 0) + by;
  if (n === 0) m.delete(k);
  else m.set(k, n);
}

export class DomainCounts {
  readonly perNode = new Map<string, number>();
  private readonly perKey = new Map<string, Map<string, number>>();

  /** Adds `delta` pods on `node` (labels: the node's current labels). */
  add(node: string, labels: NodeLabels, delta: number): void {
    bump(this.perNode, node, delta);
    if (!labels) return;
    for (const [key, counts] of this.perKey) {
      const value = labels[key];
      if (value !== undefined) bump(counts, value, delta);
    }
  }

  /** The node's labels changed (or it appeared / disappeared): move its pods between domains. */
  relabel(node: string, before: NodeLabels, after: NodeLabels): void {
    const n = this.perNode.get(node);
    if (!n) return;
    for (const [key, counts] of this.perKey) {
      const was = before?.[key];
      const now = after?.[key];
      if (was === now) continue;
      if (was !== undefined) bump(counts, was, -n);
      if (now !== undefined) bump(counts, now, n);
    }
  }

  /**
   * Pods per value of `key` (non-zero only). The first call for a key builds it from the per-node
   * counts (`labelsOf` gives a node's labels); afterwards it is kept up to date. Read-only: the
   * map is live until the next change.
   */
  perDomain(key: string, labelsOf: (node: string) => NodeLabels): ReadonlyMap<string, number> {
    let counts = this.perKey.get(key);
    if (!counts) {
      counts = new Map();
      for (const [node, n] of this.perNode) {
        const value = labelsOf(node)?.[key];
        if (value !== undefined) bump(counts, value, n);
      }
      this.perKey.set(key, counts);
    }
    return counts;
  }

  get empty(): boolean {
    return this.perNode.size === 0;
  }
}
