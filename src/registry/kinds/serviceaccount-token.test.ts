import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RestClient } from '../../client/rest.js';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import type { KubeObject } from '../../api/types.js';

const run = promisify(execFile);

interface TokenRequest extends KubeObject {
  spec: { audiences: string[]; expirationSeconds: number };
  status: { token: string; expirationTimestamp: string };
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

function tokenClient(ts: TestServer, token: string): RestClient {
  return new RestClient({ server: ts.server.url, caPem: ts.client.config.caPem, token });
}

async function withServer(fn: (ts: TestServer) => Promise<void>): Promise<void> {
  const ts = await startTestServer();
  try {
    await fn(ts);
  } finally {
    await ts.stop();
  }
}

async function createSA(ts: TestServer, ns: string, name: string): Promise<KubeObject> {
  const res = await ts.client.post<KubeObject>(`/api/v1/namespaces/${ns}/serviceaccounts`, { metadata: { name } });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

test('TokenRequest: defaults, upstream claims, and the token authenticates as the service account', async () => {
  await withServer(async (ts) => {
    const sa = await createSA(ts, 'default', 'robot');
    const res = await ts.client.post<TokenRequest>('/api/v1/namespaces/default/serviceaccounts/robot/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.kind, 'TokenRequest');
    assert.equal(res.body.spec.expirationSeconds, 3600);
    assert.deepEqual(res.body.spec.audiences, ['https://kubernetes.default.svc.cluster.local']);
    const claims = claimsOf(res.body.status.token);
    assert.equal(claims.iss, 'https://kubernetes.default.svc.cluster.local');
    assert.equal(claims.sub, 'system:serviceaccount:default:robot');
    assert.equal((claims.exp as number) - (claims.iat as number), 3600);
    assert.deepEqual(claims['kubernetes.io'], { namespace: 'default', serviceaccount: { name: 'robot', uid: sa.metadata!.uid } });
    assert.equal(Date.parse(res.body.status.expirationTimestamp) / 1000, claims.exp);

    const asRobot = tokenClient(ts, res.body.status.token);
    try {
      const pods = await asRobot.get<KubeObject>('/api/v1/namespaces/default/pods');
      assert.equal(pods.status, 200, pods.text);
      assert.equal(pods.body.kind, 'PodList');
      // A tampered payload (another service account) breaks the signature.
      const [h, , s] = res.body.status.token.split('.');
      const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'system:serviceaccount:kube-system:admin' })).toString('base64url');
      const tampered = tokenClient(ts, `${h}.${forged}.${s}`);
      assert.equal((await tampered.get('/api/v1/namespaces/default/pods')).status, 401);
      // Anonymous paths too: a bad bearer token is a 401, not an anonymous request.
      assert.equal((await tampered.get('/version')).status, 401);
      tampered.close();
      // Deleting the service account invalidates its tokens.
      assert.equal((await ts.client.delete('/api/v1/namespaces/default/serviceaccounts/robot')).status, 200);
      const after = await asRobot.get('/api/v1/namespaces/default/pods');
      assert.equal(after.status, 401);
      assert.equal((after.body as { reason?: string }).reason, 'Unauthorized');
    } finally {
      asRobot.close();
    }
  });
});

test('TokenRequest: validation, audiences, pod binding, recreated service account', async () => {
  await withServer(async (ts) => {
    await createSA(ts, 'default', 'robot');
    const path = '/api/v1/namespaces/default/serviceaccounts/robot/token';
    const short = await ts.client.post<{ message: string; reason: string }>(path, { spec: { expirationSeconds: 60 } });
    assert.equal(short.status, 422);
    assert.match(short.body.message, /spec\.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes/);
    assert.equal((await ts.client.post('/api/v1/namespaces/default/serviceaccounts/nobody/token', { spec: {} })).status, 404);

    // A token for another audience is not accepted by the API server.
    const other = await ts.client.post<TokenRequest>(path, { spec: { audiences: ['vault'], expirationSeconds: 600 } });
    assert.equal(other.status, 201, other.text);
    assert.deepEqual(claimsOf(other.body.status.token).aud, ['vault']);
    const asVault = tokenClient(ts, other.body.status.token);
    assert.equal((await asVault.get('/api/v1/namespaces/default/pods')).status, 401);
    asVault.close();

    // Bound to a pod: the pod must run as this service account; the token dies with the pod.
    const pod = await ts.client.post<KubeObject>('/api/v1/namespaces/default/pods', {
      metadata: { name: 'p' },
      spec: { serviceAccountName: 'robot', containers: [{ name: 'c', image: 'busybox' }] },
    });
    assert.equal(pod.status, 201, pod.text);
    const wrongUid = await ts.client.post<{ reason: string }>(path, { spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'nope' } } });
    assert.equal(wrongUid.status, 409);
    const bound = await ts.client.post<TokenRequest>(path, { spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: pod.body.metadata!.uid } } });
    assert.equal(bound.status, 201, bound.text);
    assert.deepEqual((claimsOf(bound.body.status.token)['kubernetes.io'] as { pod: unknown }).pod, { name: 'p', uid: pod.body.metadata!.uid });
    const asPod = tokenClient(ts, bound.body.status.token);
    assert.equal((await asPod.get('/api/v1/namespaces/default/pods')).status, 200);
    await ts.client.delete('/api/v1/namespaces/default/pods/p?gracePeriodSeconds=0');
    assert.equal((await asPod.get('/api/v1/namespaces/default/pods')).status, 401);
    asPod.close();

    // A service account deleted and recreated under the same name has a new uid: old tokens fail.
    const plain = await ts.client.post<TokenRequest>(path, { spec: {} });
    await ts.client.delete('/api/v1/namespaces/default/serviceaccounts/robot');
    await createSA(ts, 'default', 'robot');
    const stale = tokenClient(ts, plain.body.status.token);
    assert.equal((await stale.get('/api/v1/namespaces/default/pods')).status, 401);
    stale.close();
  });
});

test('kubectl create token, then kubectl --token lists pods; an expired token is refused', async () => {
  await withServer(async (ts) => {
    await createSA(ts, 'default', 'default');
    const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
    const kubectl = async (kubeconfig: string, ...args: string[]) =>
      (await run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], { timeout: 60_000 })).stdout;
    /** kubectl's stderr for a command that must fail (stdin closed: no credential prompt). */
    const kubectlFails = async (kubeconfig: string, ...args: string[]): Promise<string> => {
      try {
        await run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], { timeout: 60_000 });
      } catch (err) {
        return String((err as { stderr?: string }).stderr);
      }
      throw new Error(`kubectl ${args.join(' ')} succeeded`);
    };
    // A kubeconfig with the cluster only: the token is the sole credential.
    const bare = join(ts.dataDir, 'token-only.yaml');
    writeFileSync(
      bare,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: c, cluster: {server: "' + ts.server.url + '", certificate-authority-data: ' + Buffer.from(ts.client.config.caPem).toString('base64') + '}}]',
        'users: [{name: u, user: {}}]',
        'contexts: [{name: x, context: {cluster: c, user: u}}]',
        'current-context: x',
      ].join('\n'),
    );
    try {
      const token = (await kubectl(ts.server.kubeconfigPath, 'create', 'token', 'default', '--duration', '20m')).trim();
      const claims = claimsOf(token);
      assert.equal(claims.sub, 'system:serviceaccount:default:default');
      assert.equal((claims.exp as number) - (claims.iat as number), 1200);
      const out = await kubectl(bare, '--token', token, 'get', 'pods', '-A', '-o', 'name');
      assert.equal(out.trim(), '');
      assert.match(await kubectlFails(bare, '--token', `${token.slice(0, -4)}AAAA`, 'get', 'pods'), /Unauthorized|provide credentials/);

      // Expired beyond the one-minute leeway: sign with the server's own key through a backdated request.
      const { ServiceAccountTokens } = await import('../../apiserver/sa-token/authenticator.js');
      const { ensureServiceAccountKey } = await import('../../apiserver/sa-token/signing-key.js');
      const { createServiceAccountToken } = await import('./serviceaccount-token.js');
      const signer = new ServiceAccountTokens(ts.server.registry, await ensureServiceAccountKey(ts.dataDir));
      const old = await createServiceAccountToken(ts.server.registry, signer, 'default', 'default', { spec: { expirationSeconds: 600 } }, { now: Date.now() - 13 * 60_000 });
      const expiredToken = (old.status as { token: string }).token;
      assert.match(await kubectlFails(bare, '--token', expiredToken, 'get', 'pods'), /Unauthorized|provide credentials/);
      // The same key with a fresh time works: the refusal above is the expiry, not the key.
      const fresh = await createServiceAccountToken(ts.server.registry, signer, 'default', 'default', { spec: { expirationSeconds: 600 } });
      assert.equal((await kubectl(bare, '--token', (fresh.status as { token: string }).token, 'get', 'pods', '-o', 'name')).trim(), '');
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
