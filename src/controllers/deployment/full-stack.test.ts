/**
 * The workload controllers with the real scheduler and simulated nodes (kwok-style kubelets):
 * pods get scheduled, run, become ready and terminate gracefully, as in `skiff up --runtime sim`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import { startSimNodes } from '../../kubelet/sim/index.js';
import { startScheduler } from '../../scheduler/index.js';
import { startReplicaSetController } from '../replicaset/index.js';
import { listPods, waitFor } from '../replicaset/testing.js';
import { startDeploymentController } from './index.js';

const run = promisify(execFile);

describe('Deployment with scheduler and sim nodes', () => {
  let ts: TestServer;
  const stops: Array<{ stop(): void | Promise<void> }> = [];
  const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
  const kubectl = async (...args: string[]) => (await run('/usr/bin/kubectl', ['--kubeconfig', ts.server.kubeconfigPath, '--cache-dir', cacheDir, ...args], { timeout: 90_000 })).stdout;

  before(async () => {
    ts = await startTestServer();
    stops.push(await startSimNodes({ client: ts.client, count: 2 }));
    stops.push(await startScheduler({ client: ts.client }));
    stops.push(await startReplicaSetController(ts.client), await startDeploymentController(ts.client));
  });
  after(async () => {
    for (const s of stops.reverse()) await s.stop();
    await ts.stop();
  });

  it('rolls out, updates and replaces pods that terminate gracefully', async () => {
    await kubectl('create', 'deployment', 'web', '--image=nginx', '--replicas=3');
    assert.match(await kubectl('rollout', 'status', 'deployment/web', '--timeout=80s'), /successfully rolled out/);
    const pods = await listPods(ts.client, 'default', 'app=web');
    assert.equal(pods.length, 3);
    for (const p of pods) assert.ok(p.spec?.nodeName, 'scheduled');
    await kubectl('set', 'image', 'deployment/web', 'nginx=nginx:2');
    assert.match(await kubectl('rollout', 'status', 'deployment/web', '--timeout=80s'), /successfully rolled out/);
    await waitFor('old pods gone', async () => {
      const now = await listPods(ts.client, 'default', 'app=web');
      return now.length === 3 && now.every((p) => (p.spec?.containers as Array<{ image: string }>)[0].image === 'nginx:2');
    }, 60_000);
    const victim = (await listPods(ts.client, 'default', 'app=web'))[0].metadata.name ?? '';
    await kubectl('delete', 'pod', victim, '--wait=false');
    await waitFor('replaced', async () => {
      const now = (await listPods(ts.client, 'default', 'app=web')).filter((p) => !p.metadata.deletionTimestamp && p.metadata.name !== victim);
      return now.length === 3;
    }, 30_000);
  });
});
