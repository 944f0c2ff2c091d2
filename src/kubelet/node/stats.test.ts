import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container, ContainerStats, PodSandbox } from '../cri/types.js';
import { metricsFromSummary } from '../../apiserver/metrics-api/summary.js';
import { handleStatsSummary, NodeStats, readNodeMemory, summaryFromCri, type StatsCri } from './stats.js';

const SEC = 1e9;

/** A CRI fake whose cumulative CPU counters the test advances. */
class FakeCri implements StatsCri {
  cpu = new Map<string, number>();
  clockNs = 1_000 * SEC;
  sandboxes: PodSandbox[] = [
    { id: 'sb1', metadata: { name: 'web', namespace: 'default', uid: 'uid-web', attempt: 0 }, state: 'SANDBOX_READY', created_at: 900 * SEC, labels: {}, annotations: {}, runtime_handler: '' },
  ];
  containers: Container[] = [
    { id: 'c-old', pod_sandbox_id: 'sb1', metadata: { name: 'app', attempt: 0 }, image: null, image_ref: '', state: 'CONTAINER_RUNNING', created_at: 901 * SEC, labels: {}, annotations: {} },
    { id: 'c-new', pod_sandbox_id: 'sb1', metadata: { name: 'app', attempt: 1 }, image: null, image_ref: '', state: 'CONTAINER_RUNNING', created_at: 950 * SEC, labels: {}, annotations: {} },
    { id: 'c-side', pod_sandbox_id: 'sb1', metadata: { name: 'sidecar', attempt: 0 }, image: null, image_ref: '', state: 'CONTAINER_RUNNING', created_at: 902 * SEC, labels: {}, annotations: {} },
    { id: 'orphan', pod_sandbox_id: 'gone', metadata: { name: 'x', attempt: 0 }, image: null, image_ref: '', state: 'CONTAINER_RUNNING', created_at: 902 * SEC, labels: {}, annotations: {} },
  ];
  async listPodSandbox(): Promise<PodSandbox[]> {
    return this.sandboxes;
  }
  async listContainers(): Promise<Container[]> {
    return this.containers;
  }
  async listContainerStats(): Promise<ContainerStats[]> {
    return this.containers.map((c) => ({
      attributes: { id: c.id, metadata: c.metadata, labels: {}, annotations: {} },
      cpu: { timestamp: this.clockNs, usage_core_nano_seconds: { value: this.cpu.get(c.id) ?? 0 }, usage_nano_cores: c.id === 'c-side' ? { value: 7_000_000 } : null },
      memory: { timestamp: this.clockNs, working_set_bytes: { value: c.id === 'c-new' ? 20 * 1024 * 1024 : 4096 }, available_bytes: null, usage_bytes: { value: 30 * 1024 * 1024 }, rss_bytes: null, page_faults: null, major_page_faults: null },
      writable_layer: null,
    }));
  }
}

function procFixture(busyJiffies: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'proc-'));
  writeFileSync(join(dir, 'stat'), `cpu  ${busyJiffies} 0 0 5000 100 0 0 0 0 0\ncpu0 1 2 3 4\nbtime 1795800000\n`);
  writeFileSync(join(dir, 'meminfo'), 'MemTotal:        8000000 kB\nMemFree:         2000000 kB\nMemAvailable:    5000000 kB\nInactive(file):  1000000 kB\nAnonPages:        700000 kB\n');
  return dir;
}

test('summaryFromCri: rates from two samples, newest attempt only, node figures from /proc', async () => {
  const cri = new FakeCri();
  const proc = procFixture(1000);
  try {
    const first = await summaryFromCri(cri, { nodeName: 'n1', procRoot: proc, now: 1_000_000 });
    const web1 = first.summary.pods[0]!;
    assert.deepEqual(web1.podRef, { name: 'web', namespace: 'default', uid: 'uid-web' });
    assert.deepEqual(web1.containers.map((c) => c.name), ['app', 'sidecar']);
    // First sample: no rate of our own; the runtime's usage_nano_cores is used where it has one.
    assert.equal(web1.containers[0]!.cpu!.usageNanoCores, undefined);
    assert.equal(web1.containers[1]!.cpu!.usageNanoCores, 7_000_000);
    assert.equal(first.summary.node.cpu!.usageNanoCores, undefined);
    assert.equal(first.summary.node.startTime, new Date(1795800000 * 1000).toISOString().replace('.000Z', 'Z'));

    // 10 s later: app used 0.25 s of CPU (25m), the node 200 jiffies = 2 s (200m).
    cri.clockNs += 10 * SEC;
    cri.cpu.set('c-new', 0.25 * SEC);
    writeFileSync(join(proc, 'stat'), 'cpu  1200 0 0 5900 100 0 0 0 0 0\n');
    const second = await summaryFromCri(cri, { nodeName: 'n1', procRoot: proc, previous: first.samples, now: 1_010_000 });
    const web2 = second.summary.pods[0]!;
    assert.equal(web2.containers[0]!.cpu!.usageNanoCores, 25_000_000);
    assert.equal(web2.containers[0]!.memory!.workingSetBytes, 20 * 1024 * 1024);
    assert.equal(web2.cpu!.usageNanoCores, 25_000_000);
    assert.equal(second.summary.node.cpu!.usageNanoCores, 200_000_000);
    // Memory: used 6 GB-ish minus inactive file = working set.
    assert.equal(second.summary.node.memory!.workingSetBytes, (8_000_000 - 2_000_000 - 1_000_000) * 1024);
    assert.equal(second.summary.node.memory!.availableBytes, 3_000_000 * 1024);

    // The API server's reader turns it into metrics: what kubectl top will show.
    const m = metricsFromSummary(second.summary, 'n1', '10s');
    assert.deepEqual(m.node?.usage, { cpu: '200m', memory: '5000000Ki' });
    assert.deepEqual(m.pods[0]!.containers, [{ name: 'app', usage: { cpu: '25m', memory: '20Mi' } }, { name: 'sidecar', usage: { cpu: '0', memory: '4Ki' } }]);
  } finally {
    rmSync(proc, { recursive: true, force: true });
  }
});

test('readNodeMemory on this machine gives sane figures', async (t) => {
  if (process.platform !== 'linux') return t.skip('needs /proc (Linux)');
  const m = await readNodeMemory('/proc');
  assert.ok(m.workingSetBytes! > 0 && m.workingSetBytes! <= m.usageBytes!);
});

test('handleStatsSummary serves the latest summary as JSON and ignores other paths', async () => {
  const cri = new FakeCri();
  const proc = procFixture(1000);
  const stats = new NodeStats(cri, { nodeName: 'n1', procRoot: proc });
  const handler = handleStatsSummary(stats);
  const server = createServer((req, res) => {
    void handler(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end('other');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const res = await fetch(`${base}/stats/summary`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { node: { nodeName: string }; pods: Array<{ podRef: { name: string } }> };
    assert.equal(body.node.nodeName, 'n1');
    assert.deepEqual(body.pods.map((p) => p.podRef.name), ['web']);
    assert.equal((await fetch(`${base}/pods`)).status, 404);
    assert.equal((await fetch(`${base}/stats/summary`, { method: 'POST' })).status, 405);
  } finally {
    server.close();
    rmSync(proc, { recursive: true, force: true });
  }
});
