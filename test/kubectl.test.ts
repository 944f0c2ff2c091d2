// The real kubectl creates, gets, lists and deletes through the kubeconfig Skiff writes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../src/apiserver/test-server.js';

const run = promisify(execFile);
const KUBECTL = '/usr/bin/kubectl';
const skip = existsSync(KUBECTL) ? false : `kubectl is not installed at ${KUBECTL}`;

describe('real kubectl', { skip }, () => {
  let t: TestServer;
  let cacheDir: string;
  const kubectl = async (...args: string[]) => {
    const res = await run(KUBECTL, ['--kubeconfig', t.server.kubeconfigPath, '--cache-dir', cacheDir, ...args], { timeout: 60_000 }).catch((e: { stdout: string; stderr: string; code: number }) => e);
    return { stdout: res.stdout, stderr: res.stderr, code: 'code' in res ? (res as { code: number }).code : 0 };
  };
  before(async () => {
    t = await startTestServer();
    cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
  });
  after(async () => t.stop());

  it('answers readyz and version', async () => {
    assert.equal((await kubectl('get', '--raw', '/readyz')).stdout, 'ok');
    const v = await kubectl('version', '-o', 'json');
    assert.equal(JSON.parse(v.stdout).serverVersion.minor, '32');
  });

  it('auth can-i answers through SelfSubjectAccessReview and SelfSubjectRulesReview', async () => {
    const yes = await kubectl('auth', 'can-i', 'create', 'deployments', '-n', 'default');
    assert.equal(yes.stdout.trim(), 'yes', yes.stderr);
    const list = await kubectl('auth', 'can-i', '--list');
    assert.match(list.stdout, /Resources\s+Non-Resource URLs/);
    assert.match(list.stdout, /\*\.\*/);
  });

  it('creates, gets, lists and deletes', async () => {
    // kubectl's generators (`create configmap ...`) send protobuf bodies, which Skiff does not decode
    // yet; manifests go as JSON.
    const cmFile = join(cacheDir, 'cm.yaml');
    writeFileSync(cmFile, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kc\ndata:\n  greeting: hello\n');
    const created = await kubectl('create', '-f', cmFile);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /configmap\/kc created/);
    const manifest = join(cacheDir, 'ns.yaml');
    writeFileSync(manifest, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s1\n  namespace: team-a\nstringData:\n  password: hunter2\n');
    const applied = await kubectl('create', '-f', manifest);
    assert.equal(applied.code, 0, applied.stderr);
    const got = await kubectl('get', 'configmap', 'kc', '-o', 'jsonpath={.data.greeting}');
    assert.equal(got.stdout, 'hello');
    const secret = await kubectl('get', 'secret', 's1', '-n', 'team-a', '-o', 'jsonpath={.data.password}');
    assert.equal(Buffer.from(secret.stdout, 'base64').toString(), 'hunter2');
    const list = await kubectl('get', 'namespaces', '-o', 'name');
    assert.match(list.stdout, /namespace\/team-a/);
    assert.match(list.stdout, /namespace\/kube-system/);
    const cms = await kubectl('get', 'cm');
    assert.match(cms.stdout, /kc/);
    const del = await kubectl('delete', 'configmap', 'kc');
    assert.equal(del.code, 0, del.stderr);
    assert.match(del.stdout, /configmap "kc" deleted/);
    const gone = await kubectl('get', 'configmap', 'kc');
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /Error from server \(NotFound\): configmaps "kc" not found/);
  });
});
