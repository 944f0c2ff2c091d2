// Local-storage eviction against real containers: a real API server, Skiff's containerd kubelet on its
// own bridge (skh10, 10.43.10.0/24), busybox pods that fill an emptyDir past its sizeLimit and a
// container's writable layer past its ephemeral-storage limit. checkOnce() must return upstream's
// eviction for each, and the status patch from statusForEviction() must be accepted by the API server.
// Needs root and the containerd packages; skips with the reason otherwise.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import { signLeaf } from '../../apiserver/pki/certs.js';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import { containerdSkipReason, teardownContainerd } from '../containerd/test-support.js';
import { startCriKubelet, type CriKubeletHandle } from '../cri-kubelet/index.js';
import { buildBusyboxImage, importImage, TEST_BUSYBOX_IMAGE } from '../images/index.js';
import { LocalStorageEviction, statusForEviction, type EvictionDecision } from './index.js';

const skipReason = containerdSkipReason();
const NODE = 'h10-node';
const BRIDGE = 'skh10';
const POD_CIDR = '10.43.10.0/24';

function busyboxPod(name: string, containers: Array<{ name: string; script: string; limit?: string; mount?: boolean }>, volumes: unknown[]): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      nodeName: NODE,
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: 1,
      restartPolicy: 'Never',
      containers: containers.map((c) => ({
        name: c.name,
        image: TEST_BUSYBOX_IMAGE,
        command: ['sh', '-c', c.script],
        ...(c.limit ? { resources: { limits: { 'ephemeral-storage': c.limit } } } : {}),
        ...(c.mount ? { volumeMounts: [{ name: 'data', mountPath: '/data' }] } : {}),
      })),
      volumes,
    },
  };
}

test('real containerd: emptyDir over sizeLimit and a writable layer over its limit are evicted with upstream messages', { skip: skipReason, timeout: 240_000 }, async () => {
  const dir = mkdtempSync('/tmp/skiff-h10-');
  let api: TestServer | null = null;
  let kubelet: CriKubeletHandle | null = null;
  const evictions: Array<{ pod: KubeObject; decision: EvictionDecision }> = [];
  let manager: LocalStorageEviction | null = null;
  try {
    api = await startTestServer();
    const rest = api.client;
    const pki = api.server.pki;
    const leaf = await signLeaf({ certPem: pki.caCertPem, keyPem: pki.caKeyPem }, { subject: { commonName: `system:node:${NODE}`, organizations: ['system:nodes'] }, usage: 'server', hosts: [NODE, 'localhost', '127.0.0.1'], validDays: 1 });
    kubelet = await startCriKubelet({ client: rest, dataDir: dir, nodeName: NODE, podCIDR: POD_CIDR, bridgeName: BRIDGE, kubeletPort: 0, tls: { ...leaf, caPem: pki.caCertPem } });
    await buildBusyboxImage(join(dir, 'busybox.tar'));
    await importImage(kubelet.containerd.socket, join(dir, 'busybox.tar'));

    const fillEmptyDir = busyboxPod('fill-emptydir', [{ name: 'writer', script: 'dd if=/dev/zero of=/data/f bs=1M count=4 && sleep 3600', mount: true }], [{ name: 'data', emptyDir: { sizeLimit: '1Mi' } }]);
    const fillLayer = busyboxPod(
      'fill-layer',
      [
        { name: 'writer', script: 'dd if=/dev/zero of=/big bs=1M count=4 && sleep 3600', limit: '2Mi' },
        { name: 'idle', script: 'sleep 3600', limit: '100Mi' },
      ],
      [],
    );
    const memoryBacked = busyboxPod('memory-emptydir', [{ name: 'writer', script: 'dd if=/dev/zero of=/data/f bs=1M count=1; sleep 3600', mount: true }], [{ name: 'data', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } }]);
    for (const p of [fillEmptyDir, fillLayer, memoryBacked]) {
      const res = await rest.post('/api/v1/namespaces/default/pods', p);
      assert.equal(res.status, 201, res.text);
    }

    const listPods = async (): Promise<KubeObject[]> => ((await rest.get<{ items: KubeObject[] }>('/api/v1/namespaces/default/pods')).body?.items ?? []);
    let current: KubeObject[] = await listPods();
    manager = new LocalStorageEviction({
      cri: kubelet.containerd.client,
      pods: () => current,
      podDir: (uid) => join(dir, 'kubelet', 'pods', uid),
      logRoot: join(dir, 'kubelet', 'logs'),
      onEvict: async (pod, decision) => {
        evictions.push({ pod, decision });
        const status = statusForEviction(pod, decision, new Date().toISOString().replace(/\.\d+Z$/, 'Z'));
        const res = await rest.patch(`/api/v1/namespaces/default/pods/${pod.metadata?.name}/status`, { status });
        assert.equal(res.status, 200, res.text);
      },
    });

    // The writable layer's usage comes from containerd's snapshot stats, refreshed every 10 s.
    const deadline = Date.now() + 120_000;
    while (evictions.length < 2 && Date.now() < deadline) {
      current = await listPods();
      await manager.checkOnce();
      if (evictions.length < 2) await new Promise((r) => setTimeout(r, 1000));
    }
    const byName = new Map(evictions.map((e) => [e.pod.metadata?.name, e.decision]));
    assert.equal(byName.get('fill-emptydir')?.message, 'Usage of EmptyDir volume "data" exceeds the limit "1Mi". ');
    assert.equal(byName.get('fill-emptydir')?.signal, 'emptydirfs.limit');
    assert.ok(byName.get('fill-emptydir')!.usedBytes >= 4 * 1024 * 1024);
    assert.equal(byName.get('fill-layer')?.message, 'Container writer exceeded its local ephemeral storage limit "2Mi". ');
    assert.ok(byName.get('fill-layer')!.usedBytes > 2 * 1024 * 1024);
    assert.equal(byName.has('memory-emptydir'), false, 'a memory-backed emptyDir is bounded by its tmpfs, never evicted');
    assert.equal(evictions.length, 2);

    // The memory-backed pod is running with its tmpfs full; once only: later passes decide nothing new.
    const runningBy = Date.now() + 60_000;
    const phaseOf = (name: string) => (current.find((p) => p.metadata?.name === name)?.status as { phase?: string } | undefined)?.phase;
    while (phaseOf('memory-emptydir') !== 'Running' && Date.now() < runningBy) {
      await new Promise((r) => setTimeout(r, 500));
      current = await listPods();
    }
    assert.equal(phaseOf('memory-emptydir'), 'Running');
    await new Promise((r) => setTimeout(r, 1000));
    current = await listPods();
    assert.deepEqual(await manager.checkOnce(), []);

    const stored = (await rest.get<KubeObject>('/api/v1/namespaces/default/pods/fill-emptydir')).body;
    const status = stored?.status as { reason?: string; message?: string } | undefined;
    assert.equal(status?.reason, 'Evicted');
    assert.equal(status?.message, 'Usage of EmptyDir volume "data" exceeds the limit "1Mi". ');
  } finally {
    await manager?.stop();
    await kubelet?.stop().catch(() => {});
    await teardownContainerd(kubelet?.containerd, dir, BRIDGE);
    await api?.stop();
  }
});
