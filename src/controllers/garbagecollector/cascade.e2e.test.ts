/**
 * The user flow with the real workload controllers: kubectl creates a Deployment, the deployment and
 * replicaset controllers create its ReplicaSet and pods, and kubectl deletes it with each cascade mode.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import { startDeploymentController } from '../deployment/index.js';
import { startReplicaSetController } from '../replicaset/index.js';
import { startGarbageCollectorController } from './index.js';

const run = promisify(execFile);
let ts: TestServer;
const controllers: Array<{ stop(): void }> = [];
const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run('kubectl', ['--kubeconfig', ts.server.kubeconfigPath, '--cache-dir', cacheDir, ...args], { timeout: 60_000 });
  return stdout;
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const list = async (path: string, selector: string): Promise<KubeObject[]> => (await ts.client.get<{ items: KubeObject[] }>(`${path}?labelSelector=${encodeURIComponent(selector)}`)).body.items;
const replicaSets = (app: string): Promise<KubeObject[]> => list('/apis/apps/v1/namespaces/default/replicasets', `app=${app}`);
const pods = (app: string): Promise<KubeObject[]> => list('/api/v1/namespaces/default/pods', `app=${app}`);

async function deployment(name: string): Promise<void> {
  await kubectl('create', 'deployment', name, '--image=nginx', '--replicas=3');
  await waitFor(`${name}: ReplicaSet and 3 pods`, async () => (await replicaSets(name)).length === 1 && (await pods(name)).length === 3);
}

describe('cascading deletion with the workload controllers', () => {
  before(async () => {
    ts = await startTestServer();
    controllers.push(await startGarbageCollectorController(ts.client));
    controllers.push(await startDeploymentController(ts.client, { onError: () => {} }));
    controllers.push(await startReplicaSetController(ts.client, { onError: () => {} }));
  });
  after(async () => {
    for (const c of controllers) c.stop();
    await ts.stop();
  });

  it('kubectl delete deployment --cascade=foreground removes its ReplicaSets and pods first', async () => {
    await deployment('fg');
    await kubectl('delete', 'deployment', 'fg', '--cascade=foreground', '--timeout=60s');
    assert.equal((await replicaSets('fg')).length, 0);
    assert.equal((await pods('fg')).length, 0);
  });

  it('kubectl delete deployment --cascade=orphan keeps the ReplicaSet and its pods', async () => {
    await deployment('orph');
    await kubectl('delete', 'deployment', 'orph', '--cascade=orphan', '--timeout=60s');
    await new Promise((r) => setTimeout(r, 1000));
    const rs = await replicaSets('orph');
    assert.equal(rs.length, 1);
    assert.deepEqual(rs[0]!.metadata?.ownerReferences ?? [], []);
    assert.equal((await pods('orph')).length, 3);
  });

  it('kubectl delete deployment (background) removes dependents afterwards', async () => {
    await deployment('bg');
    await kubectl('delete', 'deployment', 'bg');
    await waitFor('ReplicaSet and pods collected', async () => (await replicaSets('bg')).length === 0 && (await pods('bg')).length === 0);
  });
});
