import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import { startServiceAccountController } from './index.js';

const run = promisify(execFile);
let ts: TestServer;
let ctl: { stop(): void };
const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
const ca = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run('kubectl', ['--kubeconfig', ts.server.kubeconfigPath, '--cache-dir', cacheDir, ...args], { timeout: 60_000 });
  return stdout;
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const status = async (path: string): Promise<number> => (await ts.client.get(path)).status;

describe('serviceaccount controller', () => {
  before(async () => {
    ts = await startTestServer();
    ctl = await startServiceAccountController(ts.client, { rootCAPem: ca });
  });
  after(async () => {
    ctl.stop();
    await ts.stop();
  });

  it('creates default ServiceAccounts in existing namespaces at start', async () => {
    for (const ns of ['default', 'kube-system', 'kube-public']) await waitFor(`default SA in ${ns}`, async () => (await status(`/api/v1/namespaces/${ns}/serviceaccounts/default`)) === 200);
  });

  it('a new namespace gets its default ServiceAccount and root CA; both come back when deleted', async () => {
    await kubectl('create', 'namespace', 'team-a');
    await waitFor('default SA', async () => (await kubectl('-n', 'team-a', 'get', 'serviceaccounts', '-o', 'name')).includes('serviceaccount/default'));
    await waitFor('root CA', async () => (await status('/api/v1/namespaces/team-a/configmaps/kube-root-ca.crt')) === 200);
    const data = await kubectl('-n', 'team-a', 'get', 'configmap', 'kube-root-ca.crt', '-o', 'jsonpath={.data.ca\\.crt}');
    assert.equal(data, ca);

    const before = await ts.client.get<{ metadata: { uid: string } }>('/api/v1/namespaces/team-a/serviceaccounts/default');
    await kubectl('-n', 'team-a', 'delete', 'serviceaccount', 'default');
    await waitFor('default SA recreated', async () => {
      const sa = await ts.client.get<{ metadata: { uid: string } }>('/api/v1/namespaces/team-a/serviceaccounts/default');
      return sa.status === 200 && sa.body.metadata.uid !== before.body.metadata.uid;
    });

    await kubectl('-n', 'team-a', 'patch', 'configmap', 'kube-root-ca.crt', '--type=merge', '-p', '{"data":{"ca.crt":"tampered","extra":"x"}}');
    await waitFor('root CA reset', async () => {
      const cm = await ts.client.get<{ data?: Record<string, string> }>('/api/v1/namespaces/team-a/configmaps/kube-root-ca.crt');
      return cm.body.data?.['ca.crt'] === ca && !('extra' in (cm.body.data ?? {}));
    });
  });
});
