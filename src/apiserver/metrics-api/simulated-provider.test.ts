import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startSimNodes } from '../../kubelet/sim/index.js';
import { startTestServer } from '../test-server.js';
import { startKubeletMetrics } from './index.js';

const run = promisify(execFile);

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('simulated nodes: kubectl top shows requests as usage, and sim nodes are never scraped', async () => {
  const ts = await startTestServer();
  const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
  const sim = await startSimNodes({ client: ts.client, count: 2, config: { leaseRenewMs: 60_000 } });
  const kubectl = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', ts.server.kubeconfigPath, '--cache-dir', cacheDir, ...args], { timeout: 60_000 })).stdout;
  const provider = await startKubeletMetrics(ts.server, { ttlMs: 0, timeoutMs: 500 });
  try {
    const [n0] = sim.nodeNames;
    for (const [name, cpu, memory] of [['a', '250m', '64Mi'], ['b', '1', '1Gi']] as const) {
      const res = await ts.client.post('/api/v1/namespaces/default/pods', {
        metadata: { name },
        spec: { nodeName: n0, containers: [{ name: 'main', image: 'busybox', resources: { requests: { cpu, memory } } }, { name: 'idle', image: 'busybox' }] },
      });
      assert.equal(res.status, 201, res.text);
    }
    await waitFor('pods Running', async () => {
      const out = await kubectl('get', 'pods', '-o', 'jsonpath={.items[*].status.phase}');
      return out === 'Running Running' ? true : undefined;
    });
    const pods = (await kubectl('top', 'pods', '--containers', '--no-headers')).trim().split('\n').map((l) => l.trim().split(/\s+/));
    assert.deepEqual(pods, [['a', 'idle', '0m', '0Mi'], ['a', 'main', '250m', '64Mi'], ['b', 'idle', '0m', '0Mi'], ['b', 'main', '1000m', '1024Mi']]);
    const nodes = (await kubectl('top', 'nodes', '--no-headers')).trim().split('\n').map((l) => l.trim().split(/\s+/)[0] + ' ' + l.trim().split(/\s+/)[1]).sort();
    assert.deepEqual(nodes, [`${n0} 1250m`, `${sim.nodeNames[1]} 0m`]);
    // Sim nodes publish a kubelet endpoint on an address plan nobody listens on: never asked.
    assert.equal(provider.lastErrors.size, 0);
  } finally {
    provider.close();
    sim.stop();
    rmSync(cacheDir, { recursive: true, force: true });
    await ts.stop();
  }
});
