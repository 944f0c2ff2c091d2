/**
 * TopologyIndex: incremental counts that let PodTopologySpread and InterPodAffinity answer "how
 * many pods of this kind in each topology domain" without walking every placed pod per cycle.
 * Owned by the SchedulerCache, which reports every change (pod placed / removed, node labels
 * changed or node gone, namespaces changed); plugins read it through `ClusterSnapshot.topology`.
 *
 * - Selector counts: per PodMatcher (selector + namespaces [+ namespaceSelector], with or
 *   without terminating pods), matching pods per node and per value of any topology key asked
 *   for. Built with one scan of the placed pods the first time a matcher is asked for, then
 *   kept up to date; the least recently used are dropped past MAX_MATCHERS. Matchers with a
 *   namespaceSelector are dropped whenever a namespace changes (their matches may change).
 * - Existing pods' terms: every pod (anti-)affinity term of a placed pod, grouped by kind,
 *   weight and term (selector, namespaces, topology key), with the pods carrying it per domain of
 *   its topology key. `existingTerms(kind, pod)` yields the groups whose term selects `pod`,
 *   testing only the groups that can (SelectorRouter), so its cost follows the matching terms.
 * - Domains: nodes per value of a topology key (existing nodes only).
 *
 * Maps handed out are live and read-only: valid until the cache next changes (one cycle).
 */
import { matches, type LabelSelector } from '../../machinery/labels.js';
import { compiledAffinity, type CompiledAffinity, type CompiledTerm } from '../plugins/inter-pod-affinity/terms.js';
import type { Pod } from '../types.js';
import { DomainCounts, type NodeLabels } from './domain-counts.js';
import { SelectorRouter, selectorKey } from './selector-router.js';

export type { NodeLabels } from './domain-counts.js';

/** Which pods count: selected by `selector`, in `namespaces` or a namespace `namespaceSelector` selects. */
export interface PodMatcher {
  selector: LabelSelector;
  namespaces: ReadonlySet<string>;
  namespaceSelector?: LabelSelector;
  /** Leave out pods with a deletionTimestamp (topology spread does; inter-pod affinity does not). */
  skipTerminating?: boolean;
}

export type ExistingTermKind = keyof CompiledAffinity;
export const EXISTING_TERM_KINDS: readonly ExistingTermKind[] = ['requiredAffinity', 'requiredAntiAffinity', 'preferredAffinity', 'preferredAntiAffinity'];

export interface ExistingTermGroup {
  /** termGroupKey(kind, term). */
  readonly key: string;
  /** The term (with its weight); every pod of the group carries an equal one. */
  readonly term: CompiledTerm;
  /** Pods carrying the term, per value of term.topologyKey (non-zero only). */
  readonly perDomain: ReadonlyMap<string, number>;
}

/** The questions plugins ask (answered by TopologyIndex, or by a what-if view over it). */
export interface TopologyCounts {
  /** Whether `pod` is one the matcher counts. */
  matchesPod(m: PodMatcher, pod: Pod): boolean;
  /** Pods the matcher counts, per value of `topologyKey` over existing nodes carrying it (non-zero only). */
  matchingPerDomain(m: PodMatcher, topologyKey: string): ReadonlyMap<string, number>;
  /** Pods the matcher counts, per node name (non-zero only; nodes without a Node object included). */
  matchingPerNode(m: PodMatcher): ReadonlyMap<string, number>;
  /** Pods the matcher counts on one node. */
  matchingOnNode(m: PodMatcher, node: string): number;
  /** Existing nodes per value of `topologyKey`. */
  domains(topologyKey: string): ReadonlyMap<string, number>;
  /** Existing nodes carrying every one of `keys`. */
  nodesWithKeys(keys: readonly string[]): number;
  /** Groups of placed pods' terms of this kind whose term selects `pod`. */
  existingTerms(kind: ExistingTermKind, pod: Pod): Iterable<ExistingTermGroup>;
}

/** What the index reads from the cache. */
export interface TopologySource {
  /** Labels of an existing Node, undefined when there is no Node object of that name. */
  nodeLabels(node: string): NodeLabels;
  forEachNode(fn: (name: string, labels: Readonly<Record<string, string>>) => void): void;
  forEachPod(fn: (pod: Pod, node: string) => void): void;
  namespaceLabels(namespace: string): Readonly<Record<string, string>> | undefined;
}

export const MAX_MATCHERS = 1024;

interface MatcherEntry {
  matcher: PodMatcher;
  key: string;
  counts: DomainCounts;
  lastUsed: number;
}

interface TermGroup extends ExistingTermGroup {
  key: string;
  kind: ExistingTermKind;
  counts: DomainCounts;
}

const keyMemo = new WeakMap<PodMatcher, string>();

/** The identity of a group of equal terms. */
export const termGroupKey = (kind: ExistingTermKind, term: CompiledTerm): string => `${kind}\u0000${term.weight}\u0000${term.topologyKey}\u0000${matcherKey(term)}`;

/** One string per distinct matcher. */
export function matcherKey(m: PodMatcher): string {
  let k = keyMemo.get(m);
  if (k === undefined) {
    const ns = [...m.namespaces].sort().join(',');
    const nsSel = m.namespaceSelector ? `s${selectorKey(m.namespaceSelector)}` : '-';
    k = `${m.skipTerminating ? 'T' : 'A'}\u0000${ns}\u0000${nsSel}\u0000${selectorKey(m.selector)}`;
    keyMemo.set(m, k);
  }
  return k;
}

const sameLabels = (a: NodeLabels, b: NodeLabels): boolean => {
  if (a === b) return true;
  if (!a || !b) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
};

export class TopologyIndex implements TopologyCounts {
  private readonly entries = new Map<string, MatcherEntry>();
  private readonly entryRouter = new SelectorRouter<MatcherEntry>();
  private readonly groups = new Map<string, TermGroup>();
  private readonly groupRouters = new Map<ExistingTermKind, SelectorRouter<TermGroup>>(EXISTING_TERM_KINDS.map((k) => [k, new SelectorRouter<TermGroup>()]));
  private readonly domainsByKey = new Map<string, Map<string, number>>();
  /** Existing nodes carrying all of a set of keys, per tracked set (`\0`-joined, sorted). */
  private readonly nodesByKeySet = new Map<string, { keys: readonly string[]; count: number }>();
  private clock = 0;
  private readonly labelsOf = (node: string): NodeLabels => this.source.nodeLabels(node);

  private readonly maxMatchers: number;

  constructor(private readonly source: TopologySource, opts: { maxMatchers?: number } = {}) {
    this.maxMatchers = opts.maxMatchers ?? MAX_MATCHERS;
  }

  /** Whether `pod` is one the matcher counts. */
  matchesPod(m: PodMatcher, pod: Pod): boolean {
    const meta = pod.metadata;
    if (m.skipTerminating && meta?.deletionTimestamp) return false;
    const ns = meta?.namespace ?? '';
    if (!m.namespaces.has(ns) && !(m.namespaceSelector && matches(m.namespaceSelector, this.source.namespaceLabels(ns) ?? {}))) return false;
    return matches(m.selector, meta?.labels);
  }

  /** Pods the matcher counts, per value of `topologyKey` over existing nodes carrying it (non-zero only). */
  matchingPerDomain(m: PodMatcher, topologyKey: string): ReadonlyMap<string, number> {
    return this.entryFor(m).counts.perDomain(topologyKey, this.labelsOf);
  }

  /** Pods the matcher counts on one node. */
  matchingOnNode(m: PodMatcher, node: string): number {
    return this.entryFor(m).counts.perNode.get(node) ?? 0;
  }

  /** Pods the matcher counts, per node name (non-zero only; nodes without a Node object included). */
  matchingPerNode(m: PodMatcher): ReadonlyMap<string, number> {
    return this.entryFor(m).counts.perNode;
  }

  /** Existing nodes per value of `topologyKey`. */
  domains(topologyKey: string): ReadonlyMap<string, number> {
    let d = this.domainsByKey.get(topologyKey);
    if (!d) {
      d = new Map();
      const counts = d;
      this.source.forEachNode((_name, labels) => {
        const v = labels[topologyKey];
        if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
      });
      this.domainsByKey.set(topologyKey, d);
    }
    return d;
  }

  /** Existing nodes carrying every one of `keys`. */
  nodesWithKeys(keys: readonly string[]): number {
    const sorted = [...new Set(keys)].sort();
    const id = sorted.join('\u0000');
    let tracked = this.nodesByKeySet.get(id);
    if (!tracked) {
      let count = 0;
      this.source.forEachNode((_name, labels) => {
        if (sorted.every((k) => k in labels)) count++;
      });
      tracked = { keys: sorted, count };
      this.nodesByKeySet.set(id, tracked);
    }
    return tracked.count;
  }

  /** Whether any placed pod carries a term of this kind. */
  hasExistingTerms(kind: ExistingTermKind): boolean {
    return this.groupRouters.get(kind)!.size > 0;
  }

  /** Groups of placed pods' terms of this kind whose term selects `pod`. */
  *existingTerms(kind: ExistingTermKind, pod: Pod): Generator<ExistingTermGroup> {
    const router = this.groupRouters.get(kind)!;
    if (router.size === 0) return;
    for (const g of router.candidates(pod.metadata?.labels)) if (this.matchesPod(g.term, pod)) yield g;
  }

  /** Number of matchers currently indexed (for tests). */
  get matcherCount(): number {
    return this.entries.size;
  }

  private entryFor(m: PodMatcher): MatcherEntry {
    const key = matcherKey(m);
    let e = this.entries.get(key);
    if (!e) {
      if (this.entries.size >= this.maxMatchers) this.evictOldest();
      e = { matcher: m, key, counts: new DomainCounts(), lastUsed: 0 };
      const entry = e;
      this.source.forEachPod((pod, node) => {
        if (this.matchesPod(m, pod)) entry.counts.add(node, this.labelsOf(node), 1);
      });
      this.entries.set(key, e);
      this.entryRouter.add(e, m.selector);
    }
    e.lastUsed = ++this.clock;
    return e;
  }

  private dropEntry(e: MatcherEntry): void {
    this.entries.delete(e.key);
    this.entryRouter.remove(e, e.matcher.selector);
  }

  private evictOldest(): void {
    const byAge = [...this.entries.values()].sort((a, b) => a.lastUsed - b.lastUsed);
    for (const e of byAge.slice(0, Math.ceil(byAge.length / 2))) this.dropEntry(e);
  }

  /** A pod was placed on `node` (bound or assumed). Call after the cache holds it. */
  podAdded(pod: Pod, node: string): void {
    this.podChanged(pod, node, 1);
  }

  /** A pod placed on `node` left it (deleted, terminal, moved, forgotten, or replaced by a newer copy). */
  podRemoved(pod: Pod, node: string): void {
    this.podChanged(pod, node, -1);
  }

  private podChanged(pod: Pod, node: string, delta: 1 | -1): void {
    const labels = this.labelsOf(node);
    if (this.entries.size) {
      for (const e of this.entryRouter.candidates(pod.metadata?.labels)) if (this.matchesPod(e.matcher, pod)) e.counts.add(node, labels, delta);
    }
    const a = pod.spec?.affinity;
    if (!a?.podAffinity && !a?.podAntiAffinity) return;
    const compiled = compiledAffinity(pod);
    for (const kind of EXISTING_TERM_KINDS) for (const term of compiled[kind]) this.termChanged(kind, term, node, labels, delta);
  }

  private termChanged(kind: ExistingTermKind, term: CompiledTerm, node: string, labels: NodeLabels, delta: 1 | -1): void {
    const key = termGroupKey(kind, term);
    let g = this.groups.get(key);
    if (!g) {
      if (delta < 0) return;
      const counts = new DomainCounts();
      g = { key, kind, term, counts, perDomain: counts.perDomain(term.topologyKey, this.labelsOf) };
      this.groups.set(key, g);
      this.groupRouters.get(kind)!.add(g, term.selector);
    }
    g.counts.add(node, labels, delta);
    if (g.counts.empty) {
      this.groups.delete(key);
      this.groupRouters.get(kind)!.remove(g, g.term.selector);
    }
  }

  /** A node appeared, disappeared (after: undefined) or changed labels. */
  nodeChanged(node: string, before: NodeLabels, after: NodeLabels): void {
    if (sameLabels(before, after)) return;
    for (const [key, d] of this.domainsByKey) {
      const was = before?.[key];
      const now = after?.[key];
      if (was === now) continue;
      if (was !== undefined) {
        const n = (d.get(was) ?? 0) - 1;
        if (n > 0) d.set(was, n);
        else d.delete(was);
      }
      if (now !== undefined) d.set(now, (d.get(now) ?? 0) + 1);
    }
    for (const tracked of this.nodesByKeySet.values()) {
      const had = !!before && tracked.keys.every((k) => k in before);
      const has = !!after && tracked.keys.every((k) => k in after);
      tracked.count += Number(has) - Number(had);
    }
    for (const e of this.entries.values()) e.counts.relabel(node, before, after);
    for (const g of this.groups.values()) g.counts.relabel(node, before, after);
  }

  /** A namespace was added, changed or removed: matchers that select namespaces by label are rebuilt when next asked for. */
  namespacesChanged(): void {
    for (const e of [...this.entries.values()]) if (e.matcher.namespaceSelector) this.dropEntry(e);
  }
}
