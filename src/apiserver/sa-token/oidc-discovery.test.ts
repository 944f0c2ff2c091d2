import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import type { KubeObject } from '../../api/types.js';
import { RestClient } from '../../client/rest.js';
import { startTestServer } from '../test-server.js';
import { verifyJwt } from './jwt.js';

test('issuer discovery: an outside party verifies a service-account token with the published JWKS', async () => {
  const ts = await startTestServer();
  try {
    const config = await ts.client.get<{ issuer: string; jwks_uri: string; id_token_signing_alg_values_supported: string[] }>('/.well-known/openid-configuration');
    assert.equal(config.status, 200);
    assert.equal(config.body.issuer, 'https://kubernetes.default.svc.cluster.local');
    assert.equal(config.body.jwks_uri, 'https://kubernetes.default.svc.cluster.local/openid/v1/jwks');
    assert.deepEqual(config.body.id_token_signing_alg_values_supported, ['RS256']);
    const keys = await ts.client.get<{ keys: Array<JsonWebKey & { kid: string; alg: string; use: string }> }>('/openid/v1/jwks');
    assert.equal(keys.status, 200);
    assert.equal(keys.headers['content-type'], 'application/jwk-set+json');
    const [jwk] = keys.body.keys;
    assert.deepEqual([jwk!.kty, jwk!.alg, jwk!.use], ['RSA', 'RS256', 'sig']);

    await ts.client.post('/api/v1/namespaces/default/serviceaccounts', { metadata: { name: 'ci' } });
    const tr = await ts.client.post<KubeObject & { status: { token: string } }>('/api/v1/namespaces/default/serviceaccounts/ci/token', { spec: { audiences: ['ci-system'] } });
    const verified = verifyJwt(tr.body.status.token, createPublicKey({ key: jwk!, format: 'jwk' }));
    assert.equal(verified?.header.kid, jwk!.kid);
    assert.equal(verified?.claims.iss, config.body.issuer);

    // Not for anonymous callers (upstream's default RBAC binds it to service accounts only).
    const anonymous = new RestClient({ server: ts.server.url, caPem: ts.server.pki.caCertPem });
    assert.equal((await anonymous.get('/openid/v1/jwks')).status, 401);
    anonymous.close();
  } finally {
    await ts.stop();
  }
});
