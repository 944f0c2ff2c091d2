import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../test-server.js';
import { formatBytes, formatNanoCores, type MetricsProvider, type NodeMetrics, type PodMetrics } from './types.js';

const run = promisify(execFile);

/** A provider with fixed numbers, counting calls so tests can see it is asked. */
class FakeProvider implements MetricsProvider {
  calls = 0;
  constructor(
    private readonly nodes: NodeMetrics[],
    private readonly pods: PodMetrics[],
  ) {}
  async nodeMetrics(): Promise<NodeMetrics[]> {
    this.calls++;
    return this.nodes;
  }
  async podMetrics(namespace?: string): Promise<PodMetrics[]> {
    this.calls++;
    return this.pods.filter((p) => !namespace || p.metadata.namespace === namespace);
  }
}

const at = '2026-11-28T00:00:00Z';
const nodeM = (name: string, cpuNano: number, bytes: number): NodeMetrics => ({ metadata: { name }, timestamp: at, window: '10s', usage: { cpu: formatNanoCores(cpuNano), memory: formatBytes(bytes) } });
const podM = (namespace: string, name: string, containers: Array<[string, number, number]>): PodMetrics => ({
  metadata: { name, namespace },
  timestamp: at,
  window: '10s',
  containers: containers.map(([c, cpu, mem]) => ({ name: c, usage: { cpu: formatNanoCores(cpu), memory: formatBytes(mem) } })),
});

async function seed(ts: TestServer): Promise<void> {
  for (const [name, zone] of [['n1', 'a'], ['n2', 'b']] as const) {
    const res = await ts.client.post('/api/v1/nodes', {
      metadata: { name, labels: { zone } },
      status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' }, allocatable: { cpu: '4', memory: '8Gi', pods: '110' } },
    });
    assert.equal(res.status, 201, res.text);
  }
  for (const [name, app] of [['web-1', 'web'], ['db-1', 'db']] as const) {
    const res = await ts.client.post('/api/v1/namespaces/default/pods', { metadata: { name, labels: { app } }, spec: { containers: [{ name: 'main', image: 'busybox' }] } });
    assert.equal(res.status, 201, res.text);
  }
}

const provider = () =>
  new FakeProvider(
    [nodeM('n1', 2_000_000_000, 2 * 1024 ** 3), nodeM('n2', 123_456_789, 1536 * 1024 ** 2), nodeM('gone', 1, 1024)],
    [podM('default', 'web-1', [['main', 5_000_000, 10 * 1024 ** 2], ['sidecar', 1234, 4096]]), podM('default', 'db-1', [['main', 250_000_000, 300 * 1024 ** 2]]), podM('default', 'deleted', [['x', 1, 1]])],
  );

test('quantities are formatted as metrics-server does', () => {
  assert.equal(formatNanoCores(123_456_789), '123456789n');
  assert.equal(formatNanoCores(5_000_000), '5m');
  assert.equal(formatNanoCores(7000), '7u');
  assert.equal(formatNanoCores(2e9), '2');
  assert.equal(formatBytes(13_787_136), '13464Ki');
  assert.equal(formatBytes(300 * 1024 ** 2), '300Mi');
  assert.equal(formatBytes(1500), '1500');
});

test('metrics.k8s.io: discovery, lists with labels and selectors, items, 404s', async () => {
  const ts = await startTestServer();
  try {
    await seed(ts);
    // Not served without a provider.
    assert.equal((await ts.client.get('/apis/metrics.k8s.io/v1beta1/nodes')).status, 404);
    assert.ok(!JSON.stringify((await ts.client.get('/apis')).body).includes('metrics.k8s.io'));
    const fake = provider();
    ts.server.setMetricsProvider(fake);

    const groups = (await ts.client.get<{ groups: Array<{ name: string; preferredVersion: { version: string } }> }>('/apis')).body.groups;
    assert.equal(groups.find((g) => g.name === 'metrics.k8s.io')?.preferredVersion.version, 'v1beta1');
    const list = (await ts.client.get<{ resources: Array<{ name: string; kind: string; namespaced: boolean; verbs: string[] }> }>('/apis/metrics.k8s.io/v1beta1')).body.resources;
    assert.deepEqual(list.map((r) => [r.name, r.kind, r.namespaced, r.verbs.join(',')]), [['nodes', 'NodeMetrics', false, 'get,list'], ['pods', 'PodMetrics', true, 'get,list']]);
    const aggregated = await ts.client.request<{ items: Array<{ metadata: { name: string }; versions: Array<{ resources: Array<{ resource: string; scope: string }> }> }> }>('GET', '/apis', undefined, {
      Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    });
    const metricsGroup = aggregated.body.items.find((i) => i.metadata.name === 'metrics.k8s.io');
    assert.deepEqual(metricsGroup?.versions[0]?.resources.map((r) => `${r.resource}:${r.scope}`), ['nodes:Cluster', 'pods:Namespaced']);

    const nodes = await ts.client.get<{ kind: string; items: Array<{ metadata: { name: string; labels: Record<string, string> }; usage: { cpu: string; memory: string }; window: string }> }>('/apis/metrics.k8s.io/v1beta1/nodes');
    assert.equal(nodes.status, 200);
    assert.equal(nodes.body.kind, 'NodeMetricsList');
    // The metrics of a node that does not exist are dropped; labels come from the Node.
    assert.deepEqual(nodes.body.items.map((n) => [n.metadata.name, n.metadata.labels.zone, n.usage.cpu, n.usage.memory, n.window]), [['n1', 'a', '2', '2Gi', '10s'], ['n2', 'b', '123456789n', '1536Mi', '10s']]);
    const zoneB = await ts.client.get<{ items: Array<{ metadata: { name: string } }> }>('/apis/metrics.k8s.io/v1beta1/nodes?labelSelector=zone%3Db');
    assert.deepEqual(zoneB.body.items.map((n) => n.metadata.name), ['n2']);
    const one = await ts.client.get<{ kind: string; apiVersion: string; metadata: { name: string } }>('/apis/metrics.k8s.io/v1beta1/nodes/n1');
    assert.deepEqual([one.body.kind, one.body.apiVersion, one.body.metadata.name], ['NodeMetrics', 'metrics.k8s.io/v1beta1', 'n1']);

    const pods = await ts.client.get<{ kind: string; items: Array<{ metadata: { name: string }; containers: Array<{ name: string }> }> }>('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Dweb');
    assert.equal(pods.body.kind, 'PodMetricsList');
    assert.deepEqual(pods.body.items.map((p) => [p.metadata.name, p.containers.map((c) => c.name).join(',')]), [['web-1', 'main,sidecar']]);
    const all = await ts.client.get<{ items: unknown[] }>('/apis/metrics.k8s.io/v1beta1/pods');
    assert.equal(all.body.items.length, 2);
    assert.equal((await ts.client.get<{ items: unknown[] }>('/apis/metrics.k8s.io/v1beta1/namespaces/other/pods')).body.items.length, 0);

    // As metrics-server: a missing object is its own NotFound; an object without metrics is ours (`ns/name` for pods).
    const missing = await ts.client.get<{ reason: string; message: string }>('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/deleted');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.message, 'pods "deleted" not found');
    assert.equal((await ts.client.get<{ message: string }>('/apis/metrics.k8s.io/v1beta1/nodes/gone')).body.message, 'nodes "gone" not found');
    assert.equal((await ts.client.post('/api/v1/namespaces/default/pods', { metadata: { name: 'quiet' }, spec: { containers: [{ name: 'main', image: 'busybox' }] } })).status, 201);
    const noMetrics = await ts.client.get<{ reason: string; message: string; details: { group: string; kind: string } }>('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/quiet');
    assert.equal(noMetrics.status, 404);
    assert.equal(noMetrics.body.message, 'podmetrics.metrics.k8s.io "default/quiet" not found');
    assert.deepEqual([noMetrics.body.details.group, noMetrics.body.details.kind], ['metrics.k8s.io', 'podmetrics']);
    assert.equal((await ts.client.post('/api/v1/nodes', { metadata: { name: 'n3' } })).status, 201);
    assert.equal((await ts.client.get<{ message: string }>('/apis/metrics.k8s.io/v1beta1/nodes/n3')).body.message, 'nodemetrics.metrics.k8s.io "n3" not found');

    // Server-side printing, metrics-server's columns.
    const table = await ts.client.request<{ kind: string; columnDefinitions: Array<{ name: string }>; rows: Array<{ cells: unknown[] }> }>('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods', undefined, {
      Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
    });
    assert.equal(table.body.kind, 'Table');
    assert.deepEqual(table.body.columnDefinitions.map((c) => c.name), ['Name', 'cpu', 'memory', 'Window']);
    assert.deepEqual(table.body.rows.map((r) => r.cells), [['db-1', '250m', '300Mi', '10s'], ['web-1', '5001234n', '10244Ki', '10s']]);
    assert.equal((await ts.client.delete('/apis/metrics.k8s.io/v1beta1/nodes/n1')).status, 405);
    assert.ok(fake.calls > 0);
  } finally {
    await ts.stop();
  }
});

test('kubectl top nodes / top pods against a fake provider', async () => {
  const ts = await startTestServer();
  const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
  const kubectl = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', ts.server.kubeconfigPath, '--cache-dir', cacheDir, ...args], { timeout: 60_000 })).stdout;
  try {
    await seed(ts);
    ts.server.setMetricsProvider(provider());
    const nodes = (await kubectl('top', 'nodes')).trim().split('\n').map((l) => l.trim().split(/\s+/));
    assert.deepEqual(nodes[0], ['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']);
    // n1: 2 of 4 cores = 50%, 2Gi of 8Gi = 25%; n2: 123m = 3%, 1536Mi = 18%.
    assert.deepEqual(nodes.slice(1), [['n1', '2000m', '50%', '2048Mi', '25%'], ['n2', '124m', '3%', '1536Mi', '18%']]);
    const pods = (await kubectl('top', 'pods')).trim().split('\n').map((l) => l.trim().split(/\s+/));
    assert.deepEqual(pods, [['NAME', 'CPU(cores)', 'MEMORY(bytes)'], ['db-1', '250m', '300Mi'], ['web-1', '6m', '10Mi']]);
    const containers = (await kubectl('top', 'pods', 'web-1', '--containers')).trim().split('\n').map((l) => l.trim().split(/\s+/));
    assert.deepEqual(containers.slice(1), [['web-1', 'main', '5m', '10Mi'], ['web-1', 'sidecar', '1m', '0Mi']]);
    const selected = (await kubectl('top', 'pods', '-l', 'app=db', '--no-headers')).trim().split(/\s+/);
    assert.deepEqual(selected, ['db-1', '250m', '300Mi']);
    const got = (await kubectl('get', 'nodes.metrics.k8s.io', '--no-headers')).trim().split('\n').map((l) => l.trim().split(/\s+/));
    assert.deepEqual(got, [['n1', '2', '2Gi', '10s'], ['n2', '123456789n', '1536Mi', '10s']]);
    assert.match(await kubectl('get', 'podmetrics', 'web-1', '-o', 'jsonpath={.containers[*].name}'), /^main sidecar$/);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
    await ts.stop();
  }
});
