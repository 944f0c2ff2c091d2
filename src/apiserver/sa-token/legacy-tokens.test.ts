import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { RestClient } from '../../client/rest.js';
import { startTestServer } from '../test-server.js';
import { legacyTokenSignerFor, startLegacyTokenController } from './index.js';

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('legacy token Secrets are populated, authenticate, and go away with their ServiceAccount', async () => {
  const ts = await startTestServer();
  const controller = await startLegacyTokenController(ts.client, { sign: await legacyTokenSignerFor(ts.dataDir), rootCAPem: ts.server.pki.caCertPem });
  try {
    // The Secret first, its account later: the Secret waits rather than being deleted.
    const secretBody = { metadata: { name: 'builder-token', annotations: { 'kubernetes.io/service-account.name': 'builder' } }, type: 'kubernetes.io/service-account-token' };
    assert.equal((await ts.client.post('/api/v1/namespaces/default/secrets', secretBody)).status, 201);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await ts.client.get<KubeObject>('/api/v1/namespaces/default/secrets/builder-token')).body.data, undefined);
    const sa = (await ts.client.post<KubeObject>('/api/v1/namespaces/default/serviceaccounts', { metadata: { name: 'builder' } })).body;

    const secret = await waitFor('token in the Secret', async () => {
      const s = (await ts.client.get<KubeObject & { data?: Record<string, string> }>('/api/v1/namespaces/default/secrets/builder-token')).body;
      return s.data?.token ? s : undefined;
    });
    assert.equal(secret.metadata?.annotations?.['kubernetes.io/service-account.uid'], sa.metadata?.uid);
    assert.equal(Buffer.from(secret.data!['ca.crt']!, 'base64').toString(), ts.server.pki.caCertPem);
    assert.equal(Buffer.from(secret.data!.namespace!, 'base64').toString(), 'default');
    const token = Buffer.from(secret.data!.token!, 'base64').toString();
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    assert.equal(claims.iss, 'kubernetes/serviceaccount');
    assert.equal(claims['kubernetes.io/serviceaccount/secret.name'], 'builder-token');
    assert.equal(claims.exp, undefined);

    const asBuilder = new RestClient({ server: ts.server.url, caPem: ts.server.pki.caCertPem, token });
    try {
      assert.equal((await asBuilder.get('/api/v1/namespaces/default/configmaps')).status, 200);
      await ts.client.delete('/api/v1/namespaces/default/serviceaccounts/builder');
      // The token dies with the account at once, and the controller deletes the Secret.
      assert.equal((await asBuilder.get('/api/v1/namespaces/default/configmaps')).status, 401);
      await waitFor('Secret deleted', async () => ((await ts.client.get('/api/v1/namespaces/default/secrets/builder-token')).status === 404 ? true : undefined));
    } finally {
      asBuilder.close();
    }
  } finally {
    controller.stop();
    await ts.stop();
  }
});
