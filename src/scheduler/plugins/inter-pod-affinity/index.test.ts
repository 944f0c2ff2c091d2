import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { PluginContext } from '../../framework.js';
import type { NodeInfo } from '../../node-info.js';
import { makeNode, makePod, nodeInfo, snapshotOf } from '../../test-fixtures.js';
import type { Namespace, Pod, PodAffinityTerm } from '../../types.js';
import { ERR_AFFINITY, ERR_ANTI_AFFINITY, ERR_EXISTING_ANTI_AFFINITY, interPodAffinity } from './index.js';

const term = (app: string, topologyKey = 'zone', extra: Partial<PodAffinityTerm> = {}): PodAffinityTerm => ({ labelSelector: { matchLabels: { app } }, topologyKey, ...extra });

function run(nodes: NodeInfo[], pod: Pod, namespaces: Namespace[] = []): Array<string | undefined> {
  const ctx: PluginContext = { snapshot: snapshotOf(nodes, { namespaces }), state: new Map() };
  if (interPodAffinity.preFilter!(ctx, pod) === 'skip') return nodes.map(() => undefined);
  return nodes.map((n) => interPodAffinity.filter!(ctx, pod, n)?.reasons[0]);
}

const zoned = (name: string, zone: string, pods: Pod[] = []): NodeInfo => nodeInfo(makeNode(name, { labels: { zone } }), pods);

it('required affinity: only nodes in a zone holding a matching pod; the first pod of a self-matching group goes anywhere', () => {
  const pod = makePod('p', { labels: { app: 'web' }, affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db')] } } });
  const nodes = [zoned('a1', 'a', [makePod('db', { labels: { app: 'db' } })]), zoned('a2', 'a'), zoned('b1', 'b'), nodeInfo(makeNode('nolabel'))];
  assert.deepEqual(run(nodes, pod), [undefined, undefined, ERR_AFFINITY, ERR_AFFINITY]);
  const self = makePod('s', { labels: { app: 'db' }, affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db')] } } });
  assert.deepEqual(run([zoned('x', 'x'), nodeInfo(makeNode('y'))], self), [undefined, ERR_AFFINITY]);
});

it('required anti-affinity of the pod and of existing pods, per topology domain', () => {
  const existing = makePod('e', { labels: { app: 'web' }, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', 'kubernetes.io/hostname')] } } });
  const nodes = [zoned('a1', 'a', [existing]), zoned('a2', 'a')];
  const plain = makePod('p', { labels: { app: 'web' } });
  assert.deepEqual(run(nodes, plain), [ERR_EXISTING_ANTI_AFFINITY, undefined]);
  const anti = makePod('q', { labels: { app: 'other' }, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', 'zone')] } } });
  assert.deepEqual(run([...nodes, zoned('b1', 'b')], anti), [ERR_ANTI_AFFINITY, ERR_ANTI_AFFINITY, undefined]);
});

it('namespaces: own namespace by default, listed namespaces, namespaceSelector', () => {
  const other = makePod('db', { namespace: 'data', labels: { app: 'db' } });
  const nodes = [zoned('a1', 'a', [other]), zoned('b1', 'b')];
  const own = makePod('p', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db')] } } });
  assert.deepEqual(run(nodes, own), [ERR_AFFINITY, ERR_AFFINITY]);
  const listed = makePod('p', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', 'zone', { namespaces: ['data'] })] } } });
  assert.deepEqual(run(nodes, listed), [undefined, ERR_AFFINITY]);
  const bySelector = makePod('p', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', 'zone', { namespaceSelector: { matchLabels: { team: 'data' } } })] } } });
  const ns: Namespace = { metadata: { name: 'data', labels: { team: 'data' } } };
  assert.deepEqual(run(nodes, bySelector, [ns]), [undefined, ERR_AFFINITY]);
});

it('scores preferred affinity up and preferred anti-affinity down, min-max normalised', () => {
  const pod = makePod('p', { affinity: {
    podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: term('cache') }] },
    podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 20, podAffinityTerm: term('noisy') }] },
  } });
  const nodes = [zoned('a1', 'a', [makePod('c', { labels: { app: 'cache' } })]), zoned('b1', 'b', [makePod('n', { labels: { app: 'noisy' } })]), zoned('c1', 'c')];
  const ctx: PluginContext = { snapshot: snapshotOf(nodes), state: new Map() };
  interPodAffinity.preScore!(ctx, pod, nodes);
  const scores = nodes.map((n) => interPodAffinity.score!(ctx, pod, n));
  assert.deepEqual(scores, [50, -20, 0]);
  interPodAffinity.normalizeScore!(ctx, pod, scores);
  assert.deepEqual(scores, [100, 0, 28]);
});
