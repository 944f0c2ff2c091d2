import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import { createPod, setPodStatus, waitFor } from '../endpoints/testing.js';
import type { EndpointGroup, SliceEndpoint } from './desired.js';
import { startEndpointSliceController } from './index.js';
import { planSlices } from './placement.js';

const run = promisify(execFile);
let ts: TestServer;
let ctl: { stop(): void };
const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run('kubectl', ['--kubeconfig', ts.server.kubeconfigPath, '--cache-dir', cacheDir, ...args], { timeout: 60_000 });
  return stdout;
}

interface Slice {
  metadata: { name: string; labels: Record<string, string>; ownerReferences?: Array<{ kind: string; name: string; controller?: boolean }> };
  addressType: string;
  endpoints?: SliceEndpoint[];
  ports?: Array<{ name: string; port: number; protocol: string }>;
}

async function slicesOf(svc: string): Promise<Slice[]> {
  const res = await ts.client.get<{ items: Slice[] }>(`/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io/service-name=${svc}`);
  return res.body.items;
}

const endpointsOf = async (svc: string): Promise<SliceEndpoint[]> => (await slicesOf(svc)).flatMap((s) => s.endpoints ?? []);

const ep = (ip: string): SliceEndpoint => ({ addresses: [ip], conditions: { ready: true, serving: true, terminating: false }, targetRef: { kind: 'Pod', namespace: 'n', name: ip, uid: ip } });

describe('planSlices', () => {
  const group = (ips: string[]): Map<string, EndpointGroup> => new Map([['IPv4|[]', { addressType: 'IPv4', ports: [], endpoints: ips.map(ep) }]]);
  it('splits at the limit and keeps endpoints where they are', () => {
    const ips = Array.from({ length: 250 }, (_, i) => `10.0.${Math.floor(i / 200)}.${i % 200}`);
    const first = planSlices(group(ips), [], 100);
    assert.deepEqual(first.create.map((c) => c.endpoints.length), [100, 100, 50]);
    const existing = first.create.map((c, i) => ({ name: `s-${i}`, addressType: c.addressType, ports: c.ports, endpoints: c.endpoints }));
    // One endpoint leaves, one arrives: only the slices involved change.
    const gone = existing[0]!.endpoints[5]!.addresses[0]!;
    const next = planSlices(group([...ips.filter((i) => i !== gone), '10.9.9.9']), existing, 100);
    assert.equal(next.create.length, 0);
    assert.deepEqual(next.update.map((u) => u.name), ['s-0']);
    assert.ok(next.update[0]!.endpoints.some((e) => e.addresses[0] === '10.9.9.9'));
    assert.deepEqual(next.unchanged, ['s-1', 's-2']);
  });
  it('keeps one empty placeholder when there are no endpoints', () => {
    const plan = planSlices(new Map(), [], 100);
    assert.equal(plan.create.length, 1);
    assert.deepEqual(plan.create[0]!.endpoints, []);
  });
});

describe('endpointslice controller', () => {
  before(async () => {
    ts = await startTestServer();
    ctl = await startEndpointSliceController(ts.client, { maxEndpointsPerSlice: 2, onError: (k, e) => console.error('endpointslice', k, e) });
  });
  after(async () => {
    ctl.stop();
    await ts.stop();
  });

  it('endpoints carry the zone of their node', async () => {
    const node = await ts.client.post('/api/v1/nodes', { metadata: { name: 'zoned', labels: { 'topology.kubernetes.io/zone': 'zone-a' } } });
    assert.equal(node.status, 201, node.text);
    const svc = await ts.client.post('/api/v1/namespaces/default/services', { metadata: { name: 'zsvc' }, spec: { selector: { app: 'z' }, ports: [{ port: 80 }] } });
    assert.equal(svc.status, 201, svc.text);
    await new Promise((r) => setTimeout(r, 300));
    await createPod(ts.client, 'default', { name: 'z-1', labels: { app: 'z' }, nodeName: 'zoned' });
    await setPodStatus(ts.client, 'default', 'z-1', '10.3.0.1', true);
    await waitFor('zoned endpoint', async () => (await endpointsOf('zsvc')).some((e) => e.zone === 'zone-a'));
    assert.deepEqual((await slicesOf('zsvc'))[0]?.ports, [{ name: '', port: 80, protocol: 'TCP' }]);
  });

  it('slices follow pod readiness and termination, labelled and owned as upstream', async () => {
    const svc = await ts.client.post<{ metadata: { uid: string } }>('/api/v1/namespaces/default/services', {
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
    assert.equal(svc.status, 201, svc.text);
    await waitFor('placeholder slice', async () => (await slicesOf('web')).length === 1);
    for (let i = 1; i <= 5; i++) {
      await createPod(ts.client, 'default', { name: `web-${i}`, labels: { app: 'web' }, port: { name: 'http', containerPort: 8000 + (i === 5 ? 1 : 0) } });
      await setPodStatus(ts.client, 'default', `web-${i}`, `10.1.0.${i}`, i !== 2);
    }
    await waitFor('five endpoints', async () => (await endpointsOf('web')).length === 5);
    await new Promise((r) => setTimeout(r, 500));
    const slices = await slicesOf('web');
    // web-5 resolves the named port to 8001: its own slice; the others (4) in two slices of 2.
    assert.equal(slices.length, 3, JSON.stringify(slices.map((s) => s.endpoints?.length)));
    for (const s of slices) {
      assert.equal(s.metadata.labels['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
      assert.equal(s.metadata.labels['kubernetes.io/service-name'], 'web');
      assert.equal(s.metadata.ownerReferences?.[0]?.kind, 'Service');
      assert.equal(s.addressType, 'IPv4');
      assert.ok((s.endpoints?.length ?? 0) <= 2);
    }
    assert.deepEqual(slices.find((s) => s.endpoints?.[0]?.addresses[0] === '10.1.0.5')?.ports, [{ name: 'http', port: 8001, protocol: 'TCP' }]);
    const notReady = (await endpointsOf('web')).find((e) => e.addresses[0] === '10.1.0.2')!;
    assert.deepEqual(notReady.conditions, { ready: false, serving: false, terminating: false });
    assert.equal(notReady.nodeName, 'node-1');
    assert.equal(notReady.targetRef?.name, 'web-2');

    await setPodStatus(ts.client, 'default', 'web-2', '10.1.0.2', true);
    await waitFor('web-2 ready', async () => (await endpointsOf('web')).find((e) => e.addresses[0] === '10.1.0.2')?.conditions.ready === true);

    // Graceful deletion of a pod on a node: it lingers as terminating (serving, not ready).
    await ts.client.delete('/api/v1/namespaces/default/pods/web-3');
    await waitFor('web-3 terminating', async () => {
      const e = (await endpointsOf('web')).find((x) => x.addresses[0] === '10.1.0.3');
      return !!e && e.conditions.terminating && !e.conditions.ready && e.conditions.serving;
    });
    const shown = await kubectl('get', 'endpointslices', '-l', 'kubernetes.io/service-name=web', '--no-headers');
    assert.match(shown, /10\.1\.0\.1/);

    await kubectl('delete', 'service', 'web');
    await waitFor('slices removed with the service', async () => (await slicesOf('web')).length === 0);
  });

  it('leaves services without a selector alone', async () => {
    const res = await ts.client.post('/api/v1/namespaces/default/services', { metadata: { name: 'manual' }, spec: { ports: [{ port: 80 }] } });
    assert.equal(res.status, 201, res.text);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await slicesOf('manual')).length, 0);
  });
});
