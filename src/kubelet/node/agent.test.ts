import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { KubeObject } from '../../api/types.js';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import { parseQuantity, quantityValue } from '../../machinery/quantity.js';
import { startNodeAgent, type NodeAgent } from './agent.js';
import type { NodeImage } from './node-status.js';

const run = promisify(execFile);

interface NodeStatusView {
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
  conditions: Array<{ type: string; status: string; reason: string; message: string; lastTransitionTime: string }>;
  addresses: Array<{ type: string; address: string }>;
  daemonEndpoints: { kubeletEndpoint: { Port: number } };
  nodeInfo: Record<string, string>;
  images: NodeImage[];
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const bytes = (q: string | undefined): number => quantityValue(parseQuantity(q ?? '0'));

async function getNode(ts: TestServer, name: string): Promise<KubeObject & { status: NodeStatusView; spec: { podCIDR?: string; podCIDRs?: string[] } }> {
  const res = await ts.client.get<KubeObject & { status: NodeStatusView; spec: { podCIDR?: string } }>(`/api/v1/nodes/${name}`);
  assert.equal(res.status, 200, res.text);
  return res.body as KubeObject & { status: NodeStatusView; spec: { podCIDR?: string; podCIDRs?: string[] } };
}

test('startNodeAgent registers the machine with real capacity, nodeInfo, conditions, images and a Lease', async () => {
  const ts = await startTestServer();
  const cacheDir = mkdtempSync(join(os.tmpdir(), 'kubectl-cache-'));
  let images: NodeImage[] = Array.from({ length: 60 }, (_, i) => ({ names: [`registry.local/img-${i}:v1`], sizeBytes: (i + 1) * 1_000_000 }));
  let runtimeError: string | undefined;
  let agent: NodeAgent | undefined;
  try {
    agent = await startNodeAgent({
      client: ts.client,
      nodeName: 'box',
      podCIDR: '10.42.0.0/24',
      kubeletPort: 10250,
      runtimeVersion: 'containerd://1.6.20~ds1',
      dataDir: ts.dataDir,
      images: async () => images,
      labels: { 'skiff.dev/test': 'yes' },
      runtimeStatus: async () => runtimeError,
      leaseRenewMs: 150,
      statusUpdateMs: 150,
      statusReportMs: 60_000,
    });
    const node = await getNode(ts, 'box');
    assert.equal(agent.node()?.metadata?.uid, node.metadata?.uid);
    const s = node.status;
    assert.equal(s.capacity.cpu, String(os.availableParallelism()));
    assert.equal(bytes(s.capacity.memory), Math.floor(os.totalmem() / 1024) * 1024);
    assert.equal(bytes(s.allocatable.memory), bytes(s.capacity.memory) - 100 * 1024 * 1024);
    assert.equal(s.capacity.pods, '110');
    assert.equal(s.capacity['hugepages-2Mi'], '0');
    const fs = await import('node:fs/promises').then((m) => m.statfs(ts.dataDir));
    assert.equal(bytes(s.capacity['ephemeral-storage']), Math.floor((fs.blocks * fs.bsize) / 1024) * 1024);
    assert.ok(bytes(s.allocatable['ephemeral-storage']) < bytes(s.capacity['ephemeral-storage']));
    assert.deepEqual(node.spec.podCIDRs, ['10.42.0.0/24']);
    assert.equal(node.metadata?.labels?.['kubernetes.io/hostname'], 'box');
    assert.equal(node.metadata?.labels?.['node-role.kubernetes.io/control-plane'], '');
    assert.equal(node.metadata?.labels?.['skiff.dev/test'], 'yes');
    assert.equal(node.metadata?.labels?.['kubernetes.io/arch'], process.arch === 'x64' ? 'amd64' : process.arch);
    const ready = s.conditions.find((c) => c.type === 'Ready')!;
    assert.deepEqual([ready.status, ready.reason, ready.message], ['True', 'KubeletReady', 'kubelet is posting ready status']);
    assert.deepEqual(s.conditions.map((c) => `${c.type}=${c.status}`).sort(), ['DiskPressure=False', 'MemoryPressure=False', 'PIDPressure=False', 'Ready=True']);
    assert.deepEqual(s.addresses.map((a) => a.type), ['InternalIP', 'Hostname']);
    assert.equal(s.daemonEndpoints.kubeletEndpoint.Port, 10250);
    const version = (await ts.client.get<{ gitVersion: string }>('/version')).body.gitVersion;
    assert.equal(s.nodeInfo.kubeletVersion, version);
    assert.equal(s.nodeInfo.containerRuntimeVersion, 'containerd://1.6.20~ds1');
    assert.equal(s.nodeInfo.kernelVersion, os.release());
    assert.equal(s.nodeInfo.operatingSystem, 'linux');
    assert.equal(s.images.length, 50);
    assert.equal(s.images[0]!.names[0], 'registry.local/img-59:v1');
    assert.ok(s.images.every((img, i) => i === 0 || img.sizeBytes <= s.images[i - 1]!.sizeBytes));

    // The Lease is renewed.
    const leasePath = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/box';
    const lease1 = (await ts.client.get<{ spec: { holderIdentity: string; renewTime: string; leaseDurationSeconds: number } }>(leasePath)).body;
    assert.equal(lease1.spec.holderIdentity, 'box');
    assert.equal(lease1.spec.leaseDurationSeconds, 40);
    await waitFor('lease renewal', async () => ((await ts.client.get<{ spec: { renewTime: string } }>(leasePath)).body.spec.renewTime !== lease1.spec.renewTime ? true : undefined));

    // A change (a new, biggest image; the runtime going down) is posted at the next status check.
    images = [...images, { names: ['registry.local/huge:v1'], sizeBytes: 9e9 }];
    await waitFor('new image in status', async () => ((await getNode(ts, 'box')).status.images[0]!.names[0] === 'registry.local/huge:v1' ? true : undefined));
    runtimeError = 'container runtime network not ready: NetworkReady=false';
    const notReady = await waitFor('Ready=False', async () => (await getNode(ts, 'box')).status.conditions.find((c) => c.type === 'Ready' && c.status === 'False'));
    assert.deepEqual([notReady.reason, notReady.message], ['KubeletNotReady', runtimeError]);
    assert.notEqual(notReady.lastTransitionTime, undefined);
    runtimeError = undefined;
    await waitFor('Ready=True again', async () => ((await getNode(ts, 'box')).status.conditions.some((c) => c.type === 'Ready' && c.status === 'True') ? true : undefined));

    // Real kubectl sees a Ready control-plane node with the runtime and version.
    const wide = (await run('kubectl', ['--kubeconfig', ts.server.kubeconfigPath, '--cache-dir', cacheDir, 'get', 'node', 'box', '-o', 'wide', '--no-headers'], { timeout: 60_000 })).stdout;
    assert.match(wide, /^box\s+Ready\s+control-plane\s+\S+\s+v1\.32\.0\S*\s+\S+\s+<none>\s+.+containerd:\/\/1\.6\.20~ds1/);

    // Deleted behind its back: the next status post (here, for a new biggest image) gets 404 and registers again.
    assert.equal((await ts.client.delete('/api/v1/nodes/box')).status, 200);
    images = [...images, { names: ['registry.local/trigger:v1'], sizeBytes: 9.5e9 }];
    const again = await waitFor('re-registration', async () => {
      const res = await ts.client.get<KubeObject>('/api/v1/nodes/box');
      return res.status === 200 && res.body.metadata?.uid !== node.metadata?.uid ? res.body : undefined;
    });
    assert.deepEqual((again.spec as { podCIDRs: string[] }).podCIDRs, ['10.42.0.0/24']);
  } finally {
    agent?.stop();
    rmSync(cacheDir, { recursive: true, force: true });
    await ts.stop();
  }
});

test('startNodeAgent takes over an existing Node: keeps its labels, sets podCIDR and status', async () => {
  const ts = await startTestServer();
  let agent: NodeAgent | undefined;
  try {
    const pre = await ts.client.post<KubeObject>('/api/v1/nodes', { metadata: { name: 'old', labels: { keep: 'me' } } });
    assert.equal(pre.status, 201, pre.text);
    agent = await startNodeAgent({ client: ts.client, nodeName: 'old', podCIDR: '10.42.7.0/24', kubeletPort: 11250, runtimeVersion: 'containerd://1.6.20', dataDir: ts.dataDir, images: async () => [], address: '192.0.2.10', controlPlane: false });
    const node = await getNode(ts, 'old');
    assert.equal(node.metadata?.uid, pre.body.metadata?.uid);
    assert.equal(node.metadata?.labels?.keep, 'me');
    assert.equal(node.metadata?.labels?.['kubernetes.io/os'], 'linux');
    assert.equal(node.metadata?.labels?.['node-role.kubernetes.io/control-plane'], undefined, 'a worker node has no control-plane role');
    assert.equal(node.spec.podCIDR, '10.42.7.0/24');
    assert.equal(node.status.addresses[0]!.address, '192.0.2.10');
    assert.equal(node.status.daemonEndpoints.kubeletEndpoint.Port, 11250);
    assert.equal(node.status.conditions.find((c) => c.type === 'Ready')?.status, 'True');
  } finally {
    agent?.stop();
    await ts.stop();
  }
});
