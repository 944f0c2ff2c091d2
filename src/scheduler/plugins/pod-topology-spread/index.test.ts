import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { PluginContext } from '../../framework.js';
import type { NodeInfo } from '../../node-info.js';
import { makeNode, makePod, nodeInfo, snapshotOf } from '../../test-fixtures.js';
import type { Pod, TopologySpreadConstraint } from '../../types.js';
import { ERR_CONSTRAINTS, ERR_MISSING_LABEL, podTopologySpread } from './index.js';

const web = (n: string): Pod => makePod(n, { labels: { app: 'web' } });
const spread = (c: Partial<TopologySpreadConstraint> = {}, extra: Parameters<typeof makePod>[1] = {}): Pod =>
  makePod('new', { labels: { app: 'web' }, ...extra, topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, ...c }] });
const zoned = (name: string, zone: string, pods: Pod[] = [], more: Record<string, string> = {}): NodeInfo => nodeInfo(makeNode(name, { labels: { zone, ...more } }), pods);

function run(nodes: NodeInfo[], pod: Pod): Array<string | undefined> {
  const ctx: PluginContext = { snapshot: snapshotOf(nodes), state: new Map() };
  assert.equal(podTopologySpread.preFilter!(ctx, pod), undefined);
  return nodes.map((n) => podTopologySpread.filter!(ctx, pod, n)?.reasons[0]);
}

it('keeps skew within maxSkew and rejects nodes without the topology key', () => {
  const nodes = [zoned('a1', 'a', [web('1'), web('2')]), zoned('b1', 'b', [web('3')]), zoned('c1', 'c'), nodeInfo(makeNode('x'))];
  assert.deepEqual(run(nodes, spread()), [ERR_CONSTRAINTS, ERR_CONSTRAINTS, undefined, ERR_MISSING_LABEL]);
  assert.deepEqual(run(nodes, spread({ maxSkew: 2 })), [ERR_CONSTRAINTS, undefined, undefined, ERR_MISSING_LABEL]);
  // Pods in other namespaces or not matching the selector do not count.
  const other = [zoned('a1', 'a', [makePod('o', { namespace: 'other', labels: { app: 'web' } }), makePod('d', { labels: { app: 'db' } })]), zoned('b1', 'b')];
  assert.deepEqual(run(other, spread()), [undefined, undefined]);
});

it('minDomains: with fewer domains than required the global minimum is 0', () => {
  const nodes = [zoned('a1', 'a', [web('1')]), zoned('b1', 'b', [web('2')])];
  assert.deepEqual(run(nodes, spread()), [undefined, undefined]);
  assert.deepEqual(run(nodes, spread({ minDomains: 3 })), [ERR_CONSTRAINTS, ERR_CONSTRAINTS]);
});

it('nodeAffinityPolicy Honor leaves out domains the pod cannot use; Ignore counts them', () => {
  const nodes = [zoned('a1', 'a', [web('1')], { pool: 'x' }), zoned('b1', 'b', [], { pool: 'y' })];
  const honor = spread({}, { nodeSelector: { pool: 'x' } });
  assert.deepEqual(run(nodes, honor)[0], undefined, 'zone b is not a domain for this pod, min is zone a itself');
  const ignore = spread({ nodeAffinityPolicy: 'Ignore' }, { nodeSelector: { pool: 'x' } });
  assert.deepEqual(run(nodes, ignore)[0], ERR_CONSTRAINTS);
});

it('nodeTaintsPolicy Honor leaves out tainted nodes', () => {
  const tainted = nodeInfo(makeNode('b1', { labels: { zone: 'b' }, taints: [{ key: 'k', effect: 'NoSchedule' }] }));
  const nodes = [zoned('a1', 'a', [web('1')]), tainted];
  assert.deepEqual(run(nodes, spread())[0], ERR_CONSTRAINTS);
  assert.deepEqual(run(nodes, spread({ nodeTaintsPolicy: 'Honor' }))[0], undefined);
});

it('ScheduleAnyway scores emptier domains higher', () => {
  const nodes = [zoned('a1', 'a', [web('1'), web('2')]), zoned('b1', 'b', [web('3')]), zoned('c1', 'c'), nodeInfo(makeNode('nozone'))];
  const pod = spread({ whenUnsatisfiable: 'ScheduleAnyway' });
  const ctx: PluginContext = { snapshot: snapshotOf(nodes), state: new Map() };
  assert.equal(podTopologySpread.preFilter!(ctx, pod), 'skip');
  podTopologySpread.preScore!(ctx, pod, nodes);
  const scores = nodes.map((n) => podTopologySpread.score!(ctx, pod, n));
  podTopologySpread.normalizeScore!(ctx, pod, scores);
  assert.ok(scores[2]! > scores[1]! && scores[1]! > scores[0]!, String(scores));
  assert.equal(scores[2], 100);
  assert.equal(scores[3], 0, 'a node without the topology key is ignored');
});
