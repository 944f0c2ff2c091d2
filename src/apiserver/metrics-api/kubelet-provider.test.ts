import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { signLeaf } from '../pki/certs.js';
import { startTestServer } from '../test-server.js';
import { startKubeletMetrics } from './index.js';
import { metricsFromSummary } from './summary.js';
import { startKubeletServer } from '../../kubelet/server/index.js';
import { handleStatsSummary, type Summary } from '../../kubelet/node/stats.js';

const run = promisify(execFile);

const summaryOf = (nodeName: string, cpuNano: number) => ({
  node: {
    nodeName,
    cpu: { time: '2026-11-28T00:00:05.123456Z', usageNanoCores: cpuNano, usageCoreNanoSeconds: 9e12 },
    memory: { time: '2026-11-28T00:00:05Z', workingSetBytes: 3 * 1024 ** 3, availableBytes: 5 * 1024 ** 3 },
  },
  pods: [
    {
      podRef: { name: 'web-1', namespace: 'default', uid: 'u1' },
      containers: [
        { name: 'main', cpu: { time: '2026-11-28T00:00:04Z', usageNanoCores: 12_345_678 }, memory: { time: '2026-11-28T00:00:04Z', workingSetBytes: 13_787_136 } },
        { name: 'starting', cpu: { time: '2026-11-28T00:00:04Z' } },
      ],
    },
    { podRef: { name: 'empty', namespace: 'default', uid: 'u2' }, containers: [] },
  ],
});

test('metricsFromSummary reads node and container usage, skipping containers without figures', () => {
  const m = metricsFromSummary(summaryOf('n1', 500_000_000), 'n1', '10s');
  assert.deepEqual(m.node, { metadata: { name: 'n1' }, timestamp: '2026-11-28T00:00:05Z', window: '10s', usage: { cpu: '500m', memory: '3Gi' } });
  assert.deepEqual(m.pods, [{ metadata: { name: 'web-1', namespace: 'default' }, timestamp: '2026-11-28T00:00:04Z', window: '10s', containers: [{ name: 'main', usage: { cpu: '12345678n', memory: '13464Ki' } }] }]);
  assert.throws(() => metricsFromSummary('nope', 'n1', '10s'));
});

test('the API server scrapes a kubelet /stats/summary with its client certificate; kubectl top shows it', async () => {
  const ts = await startTestServer();
  const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
  let kubelet: Server | undefined;
  try {
    // A fake kubelet: HTTPS with a CA-signed serving certificate, requiring a CA-signed client certificate.
    const serving = await signLeaf({ certPem: ts.server.pki.caCertPem, keyPem: ts.server.pki.caKeyPem }, { subject: { commonName: 'n1' }, usage: 'server', hosts: ['127.0.0.1'], validDays: 1 });
    const seen: string[] = [];
    kubelet = createServer({ cert: serving.certPem, key: serving.keyPem, ca: [ts.server.pki.caCertPem], requestCert: true, rejectUnauthorized: true }, (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      seen.push(`${req.url} ${String(peer.subject?.CN)}`);
      if (req.url !== '/stats/summary') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(summaryOf('n1', 1_500_000_000)));
    });
    await new Promise<void>((resolve) => kubelet!.listen(0, '127.0.0.1', resolve));
    const port = (kubelet.address() as AddressInfo).port;

    const node = (name: string, kubeletPort: number, ready: string) => ({
      metadata: { name },
      status: {
        capacity: { cpu: '4', memory: '12Gi', pods: '110' },
        allocatable: { cpu: '4', memory: '12Gi', pods: '110' },
        conditions: [{ type: 'Ready', status: ready, reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
        addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
        daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
      },
    });
    assert.equal((await ts.client.post('/api/v1/nodes', node('n1', port, 'True'))).status, 201);
    // Not ready: never asked. Ready but nothing listening: left out, the error kept.
    assert.equal((await ts.client.post('/api/v1/nodes', node('n2', port, 'False'))).status, 201);
    assert.equal((await ts.client.post('/api/v1/nodes', node('n3', 1, 'True'))).status, 201);
    assert.equal((await ts.client.post('/api/v1/namespaces/default/pods', { metadata: { name: 'web-1' }, spec: { containers: [{ name: 'main', image: 'busybox' }] } })).status, 201);

    const provider = await startKubeletMetrics(ts.server, { timeoutMs: 2000 });
    try {
      const nodes = await ts.client.get<{ items: Array<{ metadata: { name: string }; usage: { cpu: string; memory: string } }> }>('/apis/metrics.k8s.io/v1beta1/nodes');
      assert.deepEqual(nodes.body.items.map((n) => [n.metadata.name, n.usage.cpu, n.usage.memory]), [['n1', '1500m', '3Gi']]);
      assert.deepEqual(seen, ['/stats/summary kube-apiserver-kubelet-client']);
      assert.ok(provider.lastErrors.has('n3'), 'the unreachable kubelet is reported');
      const pod = await ts.client.get<{ containers: Array<{ name: string; usage: { cpu: string } }> }>('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web-1');
      assert.deepEqual(pod.body.containers, [{ name: 'main', usage: { cpu: '12345678n', memory: '13464Ki' } }]);

      const kubectl = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', ts.server.kubeconfigPath, '--cache-dir', cacheDir, ...args], { timeout: 60_000 })).stdout;
      const top = (await kubectl('top', 'nodes', '--no-headers')).trim().split('\n').map((l) => l.trim().split(/\s+/));
      // kubectl lists the nodes without metrics as <unknown>.
      assert.deepEqual(top[0], ['n1', '1500m', '37%', '3072Mi', '25%']);
      assert.deepEqual(top.slice(1).sort((a, b) => a[0]!.localeCompare(b[0]!)), [['n2', ...Array(4).fill('<unknown>')], ['n3', ...Array(4).fill('<unknown>')]]);
      const pods = (await kubectl('top', 'pods', '--no-headers')).trim().split(/\s+/);
      assert.deepEqual(pods, ['web-1', '13m', '13Mi']);
      // Everything above was served from one scrape (10 s cache).
      assert.equal(seen.length, 1);
    } finally {
      provider.close();
    }
  } finally {
    kubelet?.close();
    kubelet?.closeAllConnections();
    rmSync(cacheDir, { recursive: true, force: true });
    await ts.stop();
  }
});

test("the kubelet's HTTPS server (stats route mounted) answers the API server's scrape", async () => {
  const ts = await startTestServer();
  try {
    const pki = ts.server.pki;
    const serving = await signLeaf({ certPem: pki.caCertPem, keyPem: pki.caKeyPem }, { subject: { commonName: 'system:node:k1' }, usage: 'server', hosts: ['127.0.0.1'], validDays: 1 });
    const summary: Summary = {
      node: { nodeName: 'k1', cpu: { time: '2026-11-28T00:00:00Z', usageNanoCores: 250_000_000 }, memory: { time: '2026-11-28T00:00:00Z', workingSetBytes: 512 * 1024 * 1024 } },
      pods: [],
    };
    const unused = async (): Promise<never> => {
      throw new Error('not used');
    };
    const kubelet = await startKubeletServer({
      port: 0,
      bind: '127.0.0.1',
      tls: { certPem: serving.certPem, keyPem: serving.keyPem, caPem: pki.caCertPem },
      backend: { locate: unused, locateSandbox: unused, cri: { exec: unused, attach: unused, portForward: unused } },
      routes: [handleStatsSummary({ summary: async () => summary })],
    });
    try {
      const node = {
        metadata: { name: 'k1' },
        status: {
          conditions: [{ type: 'Ready', status: 'True' }],
          addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
          daemonEndpoints: { kubeletEndpoint: { Port: kubelet.port } },
        },
      };
      assert.equal((await ts.client.post('/api/v1/nodes', node)).status, 201);
      const provider = await startKubeletMetrics(ts.server, { simulatedNodes: false });
      try {
        const res = await ts.client.get<{ usage: { cpu: string; memory: string } }>('/apis/metrics.k8s.io/v1beta1/nodes/k1');
        assert.equal(res.status, 200, `${res.text} ${JSON.stringify([...provider.lastErrors])}`);
        assert.deepEqual(res.body.usage, { cpu: '250m', memory: '512Mi' });
      } finally {
        provider.close();
      }
    } finally {
      await kubelet.close();
    }
  } finally {
    await ts.stop();
  }
});
