// PodDisruptionBudgets end to end with the real kubectl v1.32, the scheduler, sim nodes and the
// ReplicaSet/Deployment controllers: the budget's status is computed, `kubectl drain` is blocked by a
// budget with minAvailable equal to the replicas (the eviction answers 429 and kubectl retries), and
// the drain succeeds once the budget allows disruptions.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import { startSimNodes } from '../../kubelet/sim/index.js';
import { startScheduler } from '../../scheduler/index.js';
import { startDeploymentController } from '../deployment/index.js';
import { startReplicaSetController } from '../replicaset/index.js';
import { listPods, waitFor } from '../replicaset/testing.js';
import { startDisruptionController } from './index.js';
import type { PdbStatus } from './budget.js';

const run = promisify(execFile);

describe('PodDisruptionBudget with kubectl drain', () => {
  let ts: TestServer;
  let dir: string;
  const stops: Array<{ stop(): void | Promise<void> }> = [];
  const kubectl = async (...args: string[]): Promise<{ code: number; out: string; err: string }> => {
    try {
      const r = await run('/usr/bin/kubectl', ['--kubeconfig', ts.server.kubeconfigPath, '--cache-dir', join(dir, 'cache'), ...args], { timeout: 90_000 });
      return { code: 0, out: r.stdout, err: r.stderr };
    } catch (e) {
      const x = e as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof x.code === 'number' ? x.code : 1, out: x.stdout ?? '', err: x.stderr ?? '' };
    }
  };
  const pdbStatus = async (): Promise<PdbStatus & { conditions: Array<{ type: string; status: string; reason: string }> }> =>
    (await ts.client.get<{ status: PdbStatus & { conditions: Array<{ type: string; status: string; reason: string }> } }>('/apis/policy/v1/namespaces/default/poddisruptionbudgets/web')).body.status;

  before(async () => {
    ts = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'skiff-drain-'));
    stops.push(await startSimNodes({ client: ts.client, count: 2 }));
    stops.push(await startScheduler({ client: ts.client }));
    stops.push(await startReplicaSetController(ts.client), await startDeploymentController(ts.client), await startDisruptionController(ts.client));
  });
  after(async () => {
    for (const s of stops.reverse()) await s.stop();
    await ts.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('computes the status, blocks a drain, then lets it through', async () => {
    // Both replicas on sim-node-0.
    assert.equal((await kubectl('cordon', 'sim-node-1')).code, 0);
    assert.equal((await kubectl('create', 'deployment', 'web', '--image=nginx', '--replicas=2')).code, 0);
    const rollout = await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s');
    assert.match(rollout.out, /successfully rolled out/, rollout.err);
    assert.equal((await kubectl('uncordon', 'sim-node-1')).code, 0);

    const created = await kubectl('create', 'pdb', 'web', '--selector=app=web', '--min-available=2');
    assert.equal(created.code, 0, created.err);
    const st = await waitFor('pdb status', async () => {
      const s = await pdbStatus();
      return s?.observedGeneration === 1 && s.currentHealthy === 2 ? s : undefined;
    });
    assert.equal(st.expectedPods, 2);
    assert.equal(st.desiredHealthy, 2);
    assert.equal(st.disruptionsAllowed, 0);
    assert.deepEqual(st.conditions.map((c) => [c.type, c.status, c.reason]), [['DisruptionAllowed', 'False', 'InsufficientPods']]);
    assert.match((await kubectl('get', 'pdb', 'web')).out, /web\s+2\s+N\/A\s+0\s/);

    // The eviction subresource itself answers 429 while the budget allows no disruption.
    const victim = (await listPods(ts.client, 'default', 'app=web'))[0]!.metadata.name!;
    const evict = await ts.client.post<{ message?: string }>(`/api/v1/namespaces/default/pods/${victim}/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: victim } });
    assert.equal(evict.status, 429);
    assert.equal(evict.body.message, "Cannot evict pod as it would violate the pod's disruption budget.");

    // kubectl drain only evicts when discovery names pods/eviction's group AND version (CheckEvictionSupport);
    // otherwise it deletes pods and ignores budgets.
    const disc = await ts.client.get<{ resources: Array<{ name: string; group?: string; version?: string }> }>('/api/v1');
    const ev = disc.body.resources.find((r) => r.name === 'pods/eviction');
    assert.deepEqual([ev?.group, ev?.version], ['policy', 'v1'], 'discovery names pods/eviction as policy/v1');
    const blocked = await kubectl('drain', 'sim-node-0', '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=10s');
    assert.notEqual(blocked.code, 0);
    assert.match(blocked.err, /Cannot evict pod as it would violate the pod's disruption budget\./);
    assert.equal((await listPods(ts.client, 'default', 'app=web')).filter((p) => !p.metadata.deletionTimestamp).length, 2);

    assert.equal((await kubectl('patch', 'pdb', 'web', '--type=merge', '-p', '{"spec":{"minAvailable":1}}')).code, 0);
    await waitFor('one disruption allowed', async () => {
      const s = await pdbStatus();
      return s.observedGeneration === 2 && s.disruptionsAllowed === 1 && s.conditions[0]?.reason === 'SufficientPods';
    });
    const drained = await kubectl('drain', 'sim-node-0', '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=80s');
    assert.equal(drained.code, 0, drained.err);
    assert.match(drained.out, /node\/sim-node-0 drained/);
    const pods = (await listPods(ts.client, 'default', 'app=web')).filter((p) => !p.metadata.deletionTimestamp);
    assert.ok(pods.every((p) => p.spec?.nodeName === 'sim-node-1'), 'all pods moved to sim-node-1');
  });
});
