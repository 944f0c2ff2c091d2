/**
 * Property tests of the topology index: seeded random sequences of cache changes (pods placed,
 * assumed, forgotten, relabelled, terminating, terminal, moved, removed; nodes added, relabelled,
 * removed and re-added; namespaces relabelled and removed), and after every change the index's
 * answers compared with a brute-force recount over the cache's nodes and pods. Then the two
 * plugins that read the index are compared with their own pod-walking path on the same cache.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matches, selectorFromLabelSelector, type LabelSelectorSpec } from '../../machinery/labels.js';
import { SchedulerCache } from '../cache.js';
import { podInfo } from '../node-info.js';
import type { ClusterSnapshot, PluginContext } from '../framework.js';
import { compiledAffinity } from '../plugins/inter-pod-affinity/terms.js';
import { interPodAffinity } from '../plugins/inter-pod-affinity/index.js';
import { podTopologySpread } from '../plugins/pod-topology-spread/index.js';
import { makeNode, makePod } from '../test-fixtures.js';
import type { Affinity, Pod, PodAffinityTerm, TopologySpreadConstraint } from '../types.js';
import type { NodeInfo } from '../node-info.js';
import { overlay } from '../preemption.js';
import { EXISTING_TERM_KINDS, TopologyIndex, type PodMatcher, type TopologyCounts } from './index.js';

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ['zone', 'rack', 'kubernetes.io/hostname'];
const NODES = ['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6'];
const NAMESPACES = ['ns1', 'ns2', 'ns3'];
const SELECTORS: LabelSelectorSpec[] = [
  { matchLabels: { app: 'web' } },
  { matchLabels: { app: 'db' } },
  { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'cache'] }] },
  { matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
  { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['fe'] }] },
  { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] },
  {},
];

class World {
  readonly cache = new SchedulerCache();
  private podSeq = 0;
  constructor(
    readonly r: () => number,
    /** Every node carries a zone (as in clusters spread over zone + hostname). */
    readonly alwaysZone = false,
  ) {}
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)]!;
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  nodeLabels(): Record<string, string> {
    const l: Record<string, string> = {};
    if (this.alwaysZone || this.chance(0.85)) l.zone = this.pick(['a', 'b', 'c']);
    if (this.chance(0.5)) l.rack = this.pick(['r1', 'r2']);
    return l;
  }
  term(): PodAffinityTerm {
    const t: PodAffinityTerm = { labelSelector: this.pick(SELECTORS), topologyKey: this.pick(KEYS) };
    const extra = this.r();
    if (extra < 0.15) return { ...t, namespaces: [this.pick(NAMESPACES), this.pick(NAMESPACES)] };
    if (extra < 0.3) return { ...t, namespaceSelector: this.pick([{ matchLabels: { team: 'x' } }, {}]) };
    if (extra < 0.4) return { ...t, matchLabelKeys: ['tier'] };
    return t;
  }
  affinity(): Affinity | undefined {
    if (this.chance(0.5)) return undefined;
    const terms = (): PodAffinityTerm[] => (this.chance(0.5) ? [this.term()] : []);
    const weighted = () => (this.chance(0.5) ? [{ weight: this.pick([1, 10, 100]), podAffinityTerm: this.term() }] : []);
    return {
      podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms(), preferredDuringSchedulingIgnoredDuringExecution: weighted() },
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms(), preferredDuringSchedulingIgnoredDuringExecution: weighted() },
    };
  }
  pod(name: string, namespace = this.pick(NAMESPACES)): Pod {
    const labels: Record<string, string> = {};
    if (this.chance(0.8)) labels.app = this.pick(['web', 'db', 'cache']);
    if (this.chance(0.5)) labels.tier = this.pick(['fe', 'be']);
    const pod = makePod(name, { namespace, labels, affinity: this.affinity() });
    if (this.chance(0.15)) pod.metadata = { ...pod.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' };
    return pod;
  }
  /** One random change to the cache. */
  step(): void {
    const c = this.cache;
    const name = `p${Math.floor(this.r() * 25)}`;
    const ns = NAMESPACES[Number(name.slice(1)) % NAMESPACES.length]!;
    const op = this.r();
    if (op < 0.12) c.setNode(makeNode(this.pick(NODES), { labels: this.nodeLabels() }));
    else if (op < 0.16) c.removeNode(this.pick(NODES));
    else if (op < 0.2) c.setNamespace({ metadata: { name: this.pick(NAMESPACES), labels: this.chance(0.5) ? { team: 'x' } : { team: 'y' } } });
    else if (op < 0.22) c.removeNamespace(this.pick(NAMESPACES));
    else if (op < 0.55) {
      const pod = this.pod(name, ns);
      const phase = this.chance(0.05) ? 'Succeeded' : 'Running';
      c.setPod({ ...pod, spec: { ...pod.spec, nodeName: this.chance(0.05) ? 'ghost' : this.pick(NODES) }, status: { phase } });
    } else if (op < 0.65) c.setPod(this.pod(name, ns)); // pending again: leaves its node
    else if (op < 0.78) c.removePod(`${ns}/${name}`);
    else if (op < 0.92) {
      const key = `${ns}/${name}`;
      if (!c.isAssumedOrPlaced(key)) c.assume(this.pod(name, ns), this.pick(NODES));
    } else c.forget(`${ns}/${name}`);
    this.podSeq++;
  }
  matcher(): PodMatcher {
    const spec = this.pick(SELECTORS);
    const namespaces = new Set(NAMESPACES.filter(() => this.chance(0.4)));
    const namespaceSelector = this.chance(0.25) ? selectorFromLabelSelector({ matchLabels: { team: 'x' } }) : undefined;
    return { selector: selectorFromLabelSelector(spec), namespaces, namespaceSelector, skipTerminating: this.chance(0.5) };
  }
}

/** Every placed pod with its node's labels, nodes without a Node object left out. */
function placed(nodes: readonly NodeInfo[]): Array<{ pod: Pod; node: string; labels: Readonly<Record<string, string>> }> {
  return nodes.flatMap((n) => [...n.pods.values()].map((p) => ({ pod: p.pod, node: n.name, labels: n.node?.metadata?.labels ?? {} })));
}

function bruteMatches(cache: SchedulerCache, m: PodMatcher, pod: Pod): boolean {
  if (m.skipTerminating && pod.metadata?.deletionTimestamp) return false;
  const ns = pod.metadata?.namespace ?? '';
  const nsOk = m.namespaces.has(ns) || (!!m.namespaceSelector && matches(m.namespaceSelector, cache.namespace(ns)?.metadata?.labels ?? {}));
  return nsOk && matches(m.selector, pod.metadata?.labels);
}

const sorted = (m: ReadonlyMap<string, number>): Array<[string, number]> => [...m].sort((a, b) => (a[0] < b[0] ? -1 : 1));
const add = (m: Map<string, number>, k: string, n: number): void => void m.set(k, (m.get(k) ?? 0) + n);

/** Compares `index` (counts over `nodes`) with a brute-force recount over `nodes`. */
function checkIndex(w: World, matchers: PodMatcher[], step: number, nodes: readonly NodeInfo[] = w.cache.nodes, index: TopologyCounts = w.cache.topology): void {
  const { cache } = w;
  const all = placed(nodes);
  for (const key of KEYS) {
    const domains = new Map<string, number>();
    for (const n of nodes) if (n.node?.metadata?.labels?.[key] !== undefined) add(domains, n.node.metadata.labels[key]!, 1);
    assert.deepEqual(sorted(index.domains(key)), sorted(domains), `step ${step}: domains of ${key}`);
  }
  for (const keys of [['zone'], ['rack'], ['zone', 'rack'], ['kubernetes.io/hostname', 'zone'], ['rack', 'zone', 'rack']]) {
    const want = nodes.filter((n) => n.node && keys.every((k) => k in (n.node?.metadata?.labels ?? {}))).length;
    assert.equal(index.nodesWithKeys(keys), want, `step ${step}: nodes with ${keys.join('+')}`);
  }
  for (const m of matchers) {
    for (const key of KEYS) {
      const want = new Map<string, number>();
      for (const p of all) if (p.labels[key] !== undefined && bruteMatches(cache, m, p.pod)) add(want, p.labels[key]!, 1);
      assert.deepEqual(sorted(index.matchingPerDomain(m, key)), sorted(want), `step ${step}: matcher per ${key}`);
    }
    for (const n of nodes) {
      const want = [...n.pods.values()].filter((p) => bruteMatches(cache, m, p.pod)).length;
      assert.equal(index.matchingOnNode(m, n.name), want, `step ${step}: matcher on ${n.name}`);
      assert.equal(index.matchingPerNode(m).get(n.name) ?? 0, want, `step ${step}: matcher per node, ${n.name}`);
    }
  }
  const incoming = w.pod('incoming');
  for (const kind of EXISTING_TERM_KINDS) {
    const want = new Map<string, number>();
    for (const p of all) {
      for (const t of compiledAffinity(p.pod)[kind]) {
        if (p.labels[t.topologyKey] !== undefined && bruteMatches(cache, t, incoming)) add(want, `${t.topologyKey}=${p.labels[t.topologyKey]}|${t.weight}`, 1);
      }
    }
    const got = new Map<string, number>();
    for (const g of index.existingTerms(kind, incoming)) for (const [v, n] of g.perDomain) add(got, `${g.term.topologyKey}=${v}|${g.term.weight}`, n);
    assert.deepEqual(sorted(got), sorted(want), `step ${step}: existing ${kind} terms`);
  }
}

/** The cache as a snapshot without its index: the plugins walk every pod. */
const walking = (cache: SchedulerCache): ClusterSnapshot => Object.create(cache, { topology: { value: undefined }, nodesWithAffinityPods: { value: undefined } }) as ClusterSnapshot;

function pluginOutcomes(snapshot: ClusterSnapshot, pod: Pod): unknown[] {
  const out: unknown[] = [];
  for (const plugin of [interPodAffinity, podTopologySpread]) {
    const ctx: PluginContext = { snapshot, state: new Map() };
    const pre = plugin.preFilter!(ctx, pod);
    out.push(pre, pre === 'skip' ? [] : snapshot.nodes.map((n) => plugin.filter!(ctx, pod, n)));
    const feasible = snapshot.nodes;
    if (plugin.preScore!(ctx, pod, feasible) === 'skip') out.push('skip');
    else {
      const scores = feasible.map((n) => plugin.score!(ctx, pod, n));
      plugin.normalizeScore!(ctx, pod, scores);
      out.push(scores);
    }
  }
  return out;
}

function spreadPod(w: World): Pod {
  const pod = w.pod('incoming');
  const constraint = (): TopologySpreadConstraint => ({
    maxSkew: w.pick([1, 2]),
    topologyKey: w.pick(KEYS),
    whenUnsatisfiable: w.pick(['DoNotSchedule', 'ScheduleAnyway'] as const),
    labelSelector: w.pick(SELECTORS),
    ...(w.chance(0.2) ? { minDomains: 3 } : {}),
    ...(w.chance(0.2) ? { nodeAffinityPolicy: 'Ignore' as const } : {}),
  });
  const spec = { ...pod.spec, topologySpreadConstraints: w.chance(0.7) ? [constraint()] : [constraint(), constraint()] };
  if (w.chance(0.2)) spec.nodeSelector = { zone: 'a' };
  return { ...pod, spec };
}

describe('topology index', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`matches a brute-force recount after every change (seed ${seed})`, () => {
      const w = new World(rng(seed));
      for (const n of NODES.slice(0, 4)) w.cache.setNode(makeNode(n, { labels: w.nodeLabels() }));
      const matchers = Array.from({ length: 6 }, () => w.matcher());
      for (let step = 0; step < 400; step++) {
        w.step();
        // A fresh matcher now and then: built from a scan of what is placed at that moment.
        if (step % 50 === 25) matchers.push(w.matcher());
        checkIndex(w, matchers, step);
      }
      assert.ok(w.cache.placedPodCount() > 0);
    });
  }

  for (const seed of [11, 12, 13, 14]) {
    it(`gives InterPodAffinity and PodTopologySpread the same answers as walking the pods (seed ${seed})`, () => {
      const w = new World(rng(seed));
      for (const n of NODES) w.cache.setNode(makeNode(n, { labels: w.nodeLabels() }));
      let compared = 0;
      for (let step = 0; step < 300; step++) {
        w.step();
        if (step % 3) continue;
        const pod = w.chance(0.5) ? w.pod('incoming') : spreadPod(w);
        assert.deepEqual(pluginOutcomes(w.cache, pod), pluginOutcomes(walking(w.cache), pod), `step ${step}`);
        compared++;
      }
      assert.equal(compared, 100);
    });
  }
});

it('spreads over zone and hostname together from the index, as walking the pods does', () => {
  let fast = 0;
  for (const seed of [31, 32, 33]) {
    const w = new World(rng(seed), true);
    for (const n of NODES) w.cache.setNode(makeNode(n, { labels: w.nodeLabels() }));
    for (let step = 0; step < 200; step++) {
      w.step();
      if (step % 2) continue;
      const base = w.pod('incoming');
      const selector = w.pick(SELECTORS);
      const pod: Pod = { ...base, spec: { ...base.spec, affinity: undefined, topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: selector },
        { maxSkew: w.pick([1, 2]), topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: selector },
      ] } };
      const all = w.cache.topology.nodesWithKeys(['zone', 'kubernetes.io/hostname']);
      if (all === w.cache.topology.nodesWithKeys(['zone']) && all === w.cache.topology.nodesWithKeys(['kubernetes.io/hostname'])) fast++;
      assert.deepEqual(pluginOutcomes(w.cache, pod), pluginOutcomes(walking(w.cache), pod), `seed ${seed} step ${step}`);
    }
  }
  assert.equal(fast, 300, 'every node carries both keys, so the index answers every time');
});

describe('topology counts of a what-if node copy (preemption)', () => {
  for (const seed of [21, 22, 23, 24]) {
    it(`equal a recount over the copy and give the plugins the walking answers (seed ${seed})`, () => {
      const w = new World(rng(seed));
      for (const n of NODES) w.cache.setNode(makeNode(n, { labels: w.nodeLabels() }));
      const matchers = Array.from({ length: 6 }, () => w.matcher());
      let compared = 0;
      for (let step = 0; step < 300; step++) {
        w.step();
        if (step % 3) continue;
        const real = w.pick(w.cache.nodes);
        const copy = real.clone();
        for (const p of [...copy.pods.values()]) if (w.chance(0.5)) copy.removePod(p.key);
        // A nominated pod counted on the copy only, sometimes.
        if (w.chance(0.3)) {
          const nominated = w.pod(`nominated-${step}`);
          copy.addPod(podInfo({ ...nominated, spec: { ...nominated.spec, nodeName: copy.name } }, 0));
        }
        const view = overlay(w.cache, copy);
        assert.ok(view.topology, 'the what-if snapshot keeps topology counts');
        checkIndex(w, matchers, step, view.nodes, view.topology);
        const pod = w.chance(0.5) ? w.pod('incoming') : spreadPod(w);
        assert.deepEqual(pluginOutcomes(view, pod), pluginOutcomes(overlay(walking(w.cache), copy), pod), `step ${step}`);
        compared++;
      }
      assert.equal(compared, 100);
    });
  }
});

describe('topology index bounds', () => {
  it('drops the least recently used matchers past its limit and rebuilds them correctly', () => {
    const pods = new Map<string, { pod: Pod; node: string }>();
    const nodes: Record<string, Record<string, string>> = { a: { zone: 'z1' }, b: { zone: 'z2' } };
    const index = new TopologyIndex(
      {
        nodeLabels: (n) => nodes[n],
        forEachNode: (fn) => Object.entries(nodes).forEach(([n, l]) => fn(n, l)),
        forEachPod: (fn) => pods.forEach((p) => fn(p.pod, p.node)),
        namespaceLabels: () => undefined,
      },
      { maxMatchers: 4 },
    );
    const matcherFor = (app: string): PodMatcher => ({ selector: selectorFromLabelSelector({ matchLabels: { app } }), namespaces: new Set(['default']) });
    const place = (name: string, app: string, node: string): void => {
      const pod = makePod(name, { labels: { app } });
      pods.set(name, { pod, node });
      index.podAdded(pod, node);
    };
    for (let i = 0; i < 40; i++) {
      place(`p${i}`, `app-${i % 10}`, i % 3 ? 'a' : 'b');
      const app = `app-${(i * 7) % 10}`;
      const want = new Map<string, number>();
      for (const { pod, node } of pods.values()) if (pod.metadata?.labels?.app === app) add(want, nodes[node]!.zone!, 1);
      assert.deepEqual(sorted(index.matchingPerDomain(matcherFor(app), 'zone')), sorted(want), `pod ${i}, ${app}`);
      assert.ok(index.matcherCount <= 4, `${index.matcherCount} matchers kept`);
    }
  });
});
