import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { KubeObject } from '../../api/types.js';
import { startTestServer } from '../test-server.js';

const run = promisify(execFile);

interface TokenReview {
  status: { authenticated?: boolean; user: { username?: string; uid?: string; groups?: string[] }; audiences?: string[]; error?: string };
}

test('TokenReview and SelfSubjectReview (kubectl auth whoami) for certificates and service-account tokens', async () => {
  const ts = await startTestServer();
  const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
  const kubectl = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', ts.server.kubeconfigPath, '--cache-dir', cacheDir, ...args], { timeout: 60_000 })).stdout;
  try {
    const sa = (await ts.client.post<KubeObject>('/api/v1/namespaces/default/serviceaccounts', { metadata: { name: 'bot' } })).body;
    const token = (await kubectl('create', 'token', 'bot')).trim();
    const vaultToken = (await kubectl('create', 'token', 'bot', '--audience', 'vault')).trim();

    const review = async (spec: Record<string, unknown>) => (await ts.client.post<TokenReview>('/apis/authentication.k8s.io/v1/tokenreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec })).body;
    const good = await review({ token });
    assert.equal(good.status.authenticated, true);
    assert.equal(good.status.user.username, 'system:serviceaccount:default:bot');
    assert.equal(good.status.user.uid, sa.metadata?.uid);
    assert.deepEqual(good.status.user.groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
    assert.deepEqual(good.status.audiences, ['https://kubernetes.default.svc.cluster.local']);
    // A token for another audience: not for the API server, but valid for a reviewer asking for that audience.
    assert.notEqual((await review({ token: vaultToken })).status.authenticated, true);
    const forVault = await review({ token: vaultToken, audiences: ['vault', 'other'] });
    assert.equal(forVault.status.authenticated, true);
    assert.deepEqual(forVault.status.audiences, ['vault']);
    const bad = await review({ token: `${token.slice(0, -3)}abc` });
    assert.notEqual(bad.status.authenticated, true);
    assert.deepEqual(bad.status.user, {});
    assert.equal((await ts.client.post('/apis/authentication.k8s.io/v1/tokenreviews', { spec: {} })).status, 422);

    // Discovery lists the group, so kubectl finds both resources.
    assert.match(await kubectl('api-resources', '--api-group', 'authentication.k8s.io', '--no-headers'), /selfsubjectreviews.*SelfSubjectReview[\s\S]*tokenreviews.*TokenReview/);
    const admin = await kubectl('auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username} {.status.userInfo.groups}');
    assert.equal(admin, 'skiff-admin ["system:masters","system:authenticated"]');
    // With the token as the only credential (a kubeconfig with a client certificate would present that instead).
    const bare = join(ts.dataDir, 'token-only.yaml');
    const ca = Buffer.from(ts.server.pki.caCertPem).toString('base64');
    writeFileSync(bare, `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "${ts.server.url}", certificate-authority-data: ${ca}}}]\nusers: [{name: u, user: {token: ${token}}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`);
    const asBot = (await run('kubectl', ['--kubeconfig', bare, '--cache-dir', cacheDir, 'auth', 'whoami', '-o', 'json'], { timeout: 60_000 })).stdout;
    const info = (JSON.parse(asBot) as { status: { userInfo: { username: string; extra: Record<string, string[]> } } }).status.userInfo;
    assert.equal(info.username, 'system:serviceaccount:default:bot');
    assert.match(info.extra['authentication.kubernetes.io/credential-id']![0]!, /^JTI=[0-9a-f-]{36}$/);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
    await ts.stop();
  }
});
