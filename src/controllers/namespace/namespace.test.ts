import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import type { NamespaceCondition } from './conditions.js';
import { startNamespaceController } from './index.js';

const run = promisify(execFile);
let ts: TestServer;
let ctl: { stop(): void };
const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run('kubectl', ['--kubeconfig', ts.server.kubeconfigPath, '--cache-dir', cacheDir, ...args], { timeout: 60_000 });
  return stdout;
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

async function create(path: string, obj: KubeObject): Promise<void> {
  const res = await ts.client.post(path, obj);
  assert.equal(res.status, 201, res.text);
}

const podSpec = (nodeName?: string) => ({ ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'nginx' }] });

describe('namespace controller', () => {
  before(async () => {
    ts = await startTestServer();
    ctl = await startNamespaceController(ts.client, { remainingRecheckMs: 200, onError: () => {} });
  });
  after(async () => {
    ctl.stop();
    await ts.stop();
  });

  it('kubectl delete namespace empties it and the namespace goes', async () => {
    await kubectl('create', 'namespace', 'team-a');
    await kubectl('-n', 'team-a', 'create', 'configmap', 'settings', '--from-literal=a=b');
    await kubectl('-n', 'team-a', 'create', 'secret', 'generic', 'creds', '--from-literal=p=q');
    await kubectl('-n', 'team-a', 'create', 'deployment', 'web', '--image=nginx');
    await create('/api/v1/namespaces/team-a/pods', { metadata: { name: 'p1' }, spec: podSpec() });
    await kubectl('delete', 'namespace', 'team-a', '--timeout=30s');
    const ns = await ts.client.get('/api/v1/namespaces/team-a');
    assert.equal(ns.status, 404);
    // Nothing left behind under the old name.
    for (const p of ['/api/v1/namespaces/team-a/configmaps', '/api/v1/namespaces/team-a/secrets', '/apis/apps/v1/namespaces/team-a/deployments', '/api/v1/namespaces/team-a/pods']) {
      const list = await ts.client.get<{ items: KubeObject[] }>(p);
      assert.equal(list.body.items?.length ?? 0, 0, p);
    }
  });

  it('waits for lingering pods and finalizers, reporting them in conditions', async () => {
    await kubectl('create', 'namespace', 'team-b');
    await create('/api/v1/namespaces/team-b/pods', { metadata: { name: 'bound' }, spec: podSpec('node-1') });
    await create('/api/v1/namespaces/team-b/configmaps', { metadata: { name: 'held', finalizers: ['custom.io/finalizer'] } });
    await kubectl('delete', 'namespace', 'team-b', '--wait=false');
    let conditions: NamespaceCondition[] = [];
    await waitFor('remaining content reported', async () => {
      const ns = await ts.client.get<{ status?: { phase?: string; conditions?: NamespaceCondition[] } }>('/api/v1/namespaces/team-b');
      conditions = ns.body.status?.conditions ?? [];
      return conditions.some((c) => c.type === 'NamespaceFinalizersRemaining' && c.status === 'True');
    });
    const byType = new Map(conditions.map((c) => [c.type, c]));
    assert.equal(byType.get('NamespaceDeletionDiscoveryFailure')?.reason, 'ResourcesDiscovered');
    assert.equal(byType.get('NamespaceDeletionContentFailure')?.message, 'All content successfully deleted, may be waiting on finalization');
    assert.equal(byType.get('NamespaceContentRemaining')?.reason, 'SomeResourcesRemain');
    assert.match(byType.get('NamespaceContentRemaining')!.message, /configmaps has 1 resource instances/);
    assert.match(byType.get('NamespaceContentRemaining')!.message, /pods has 1 resource instances/);
    assert.equal(byType.get('NamespaceFinalizersRemaining')?.message, 'Some content in the namespace has finalizers remaining: custom.io/finalizer in 1 resource instances');
    const described = await kubectl('get', 'namespace', 'team-b', '-o', 'jsonpath={.status.phase}');
    assert.equal(described, 'Terminating');

    // The kubelet confirms the pod's termination; the finalizer's owner lets go.
    const gone = await ts.client.delete('/api/v1/namespaces/team-b/pods/bound', { gracePeriodSeconds: 0 });
    assert.ok(gone.status === 200 || gone.status === 404, gone.text);
    const released = await ts.client.patch('/api/v1/namespaces/team-b/configmaps/held', { metadata: { finalizers: null } });
    assert.equal(released.status, 200, released.text);
    await waitFor('namespace deleted', async () => (await ts.client.get('/api/v1/namespaces/team-b')).status === 404);
  });
});
