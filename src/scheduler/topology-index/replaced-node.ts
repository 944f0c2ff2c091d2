/**
 * ReplacedNodeCounts: the topology counts of the cache with one node's pods replaced by those of
 * a what-if copy of it (same name, same Node object): preemption asks "would the pod fit if
 * these victims were gone?" per candidate node. Every answer is the cache index's, corrected by
 * the difference between the real node's pods and the copy's, so a what-if costs the pods of one
 * node instead of a walk over every placed pod. Maps are copied only when the correction is not 0.
 */
import type { NodeInfo } from '../node-info.js';
import { compiledAffinity, type CompiledTerm } from '../plugins/inter-pod-affinity/terms.js';
import type { Pod } from '../types.js';
import { termGroupKey, type ExistingTermGroup, type ExistingTermKind, type PodMatcher, type TopologyCounts } from './index.js';

function adjusted(m: ReadonlyMap<string, number>, key: string, delta: number): ReadonlyMap<string, number> {
  const copy = new Map(m);
  const n = (copy.get(key) ?? 0) + delta;
  if (n > 0) copy.set(key, n);
  else copy.delete(key);
  return copy;
}

export class ReplacedNodeCounts implements TopologyCounts {
  private readonly name: string;
  private readonly labels: Readonly<Record<string, string>> | undefined;

  /** `replaced` stands for `realNode`, the node the base counts under the same name (if any). */
  constructor(
    private readonly base: TopologyCounts,
    private readonly realNode: NodeInfo | undefined,
    private readonly replaced: NodeInfo,
  ) {
    this.name = replaced.name;
    this.labels = replaced.node?.metadata?.labels ?? (replaced.node ? {} : undefined);
  }

  matchesPod(m: PodMatcher, pod: Pod): boolean {
    return this.base.matchesPod(m, pod);
  }

  private countOnCopy(m: PodMatcher): number {
    let n = 0;
    for (const p of this.replaced.pods.values()) if (this.base.matchesPod(m, p.pod)) n++;
    return n;
  }

  matchingOnNode(m: PodMatcher, node: string): number {
    return node === this.name ? this.countOnCopy(m) : this.base.matchingOnNode(m, node);
  }

  matchingPerNode(m: PodMatcher): ReadonlyMap<string, number> {
    const b = this.base.matchingPerNode(m);
    const delta = this.countOnCopy(m) - (b.get(this.name) ?? 0);
    return delta ? adjusted(b, this.name, delta) : b;
  }

  matchingPerDomain(m: PodMatcher, topologyKey: string): ReadonlyMap<string, number> {
    const b = this.base.matchingPerDomain(m, topologyKey);
    const value = this.labels?.[topologyKey];
    if (value === undefined) return b;
    const delta = this.countOnCopy(m) - this.base.matchingOnNode(m, this.name);
    return delta ? adjusted(b, value, delta) : b;
  }

  domains(topologyKey: string): ReadonlyMap<string, number> {
    return this.base.domains(topologyKey);
  }

  nodesWithKeys(keys: readonly string[]): number {
    return this.base.nodesWithKeys(keys);
  }

  *existingTerms(kind: ExistingTermKind, pod: Pod): Generator<ExistingTermGroup> {
    // Per group: pods carrying a term that selects `pod`, on the copy minus on the real node.
    const deltas = new Map<string, { term: CompiledTerm; delta: number }>();
    const collect = (info: NodeInfo | undefined, sign: number): void => {
      for (const p of info?.pods.values() ?? []) {
        for (const term of compiledAffinity(p.pod)[kind]) {
          if (!this.base.matchesPod(term, pod)) continue;
          const key = termGroupKey(kind, term);
          const d = deltas.get(key);
          if (d) d.delta += sign;
          else deltas.set(key, { term, delta: sign });
        }
      }
    };
    collect(this.realNode, -1);
    collect(this.replaced, 1);
    for (const g of this.base.existingTerms(kind, pod)) {
      const d = deltas.get(g.key);
      deltas.delete(g.key);
      const value = this.labels?.[g.term.topologyKey];
      if (!d?.delta || value === undefined) yield g;
      else yield { key: g.key, term: g.term, perDomain: adjusted(g.perDomain, value, d.delta) };
    }
    // Terms only the copy carries.
    for (const [key, { term, delta }] of deltas) {
      const value = this.labels?.[term.topologyKey];
      if (delta > 0 && value !== undefined) yield { key, term, perDomain: new Map([[value, delta]]) };
    }
  }
}
