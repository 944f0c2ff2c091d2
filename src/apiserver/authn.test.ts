import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authenticateRequest, isAnonymousAllowed, unauthorized, type UserInfo } from './authn.js';
import { ensurePki, issueClientCert, type Pki } from './pki/index.js';

interface Client {
  cert?: string;
  key?: string;
  headers?: Record<string, string>;
}

/** An HTTPS server configured as the brief prescribes, answering with the authenticated user as JSON (null if anonymous). */
async function startEchoServer(pki: Pki, tokens?: Map<string, UserInfo>): Promise<{ server: Server; port: number }> {
  const server = createServer(
    { cert: pki.serverCertPem, key: pki.serverKeyPem, ca: [pki.caCertPem], requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(authenticateRequest(req, tokens) ?? null));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

async function whoAmI(port: number, pki: Pki, client: Client): Promise<UserInfo | null> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/api', ca: pki.caCertPem, cert: client.cert, key: client.key, headers: client.headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve(JSON.parse(body) as UserInfo | null));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

test('authenticateRequest over real TLS', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-authn-'));
  const otherDir = await mkdtemp(join(tmpdir(), 'skiff-authn-other-'));
  t.after(() => Promise.all([rm(dir, { recursive: true, force: true }), rm(otherDir, { recursive: true, force: true })]));
  const pki = await ensurePki(dir, { hosts: [] });
  const otherPki = await ensurePki(otherDir, { hosts: [] });
  const tokens = new Map<string, UserInfo>([['s3cret-token', { username: 'system:node:n1', groups: ['system:nodes'] }]]);
  const { server, port } = await startEchoServer(pki, tokens);
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  await t.test('the admin certificate authenticates as skiff-admin in system:masters', async () => {
    const user = await whoAmI(port, pki, { cert: pki.adminCertPem, key: pki.adminKeyPem });
    assert.deepEqual(user, { username: 'skiff-admin', groups: ['system:masters', 'system:authenticated'] });
  });

  await t.test('a certificate with several O values gives every group', async () => {
    const c = await issueClientCert(pki, { commonName: 'alice', organizations: ['dev', 'ops'] });
    const user = await whoAmI(port, pki, { cert: c.certPem, key: c.keyPem });
    assert.deepEqual(user, { username: 'alice', groups: ['dev', 'ops', 'system:authenticated'] });
  });

  await t.test('no client certificate is anonymous', async () => {
    assert.equal(await whoAmI(port, pki, {}), null);
  });

  await t.test('a certificate from another CA is anonymous', async () => {
    assert.equal(await whoAmI(port, pki, { cert: otherPki.adminCertPem, key: otherPki.adminKeyPem }), null);
  });

  await t.test('a serverAuth-only certificate presented as a client certificate is anonymous', async () => {
    assert.equal(await whoAmI(port, pki, { cert: pki.serverCertPem, key: pki.serverKeyPem }), null);
  });

  await t.test('a known bearer token authenticates; an unknown one does not', async () => {
    const user = await whoAmI(port, pki, { headers: { authorization: 'Bearer s3cret-token' } });
    assert.deepEqual(user, { username: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] });
    assert.equal(await whoAmI(port, pki, { headers: { authorization: 'Bearer wrong' } }), null);
  });

  await t.test('the client certificate wins over a bearer token', async () => {
    const user = await whoAmI(port, pki, { cert: pki.adminCertPem, key: pki.adminKeyPem, headers: { authorization: 'Bearer s3cret-token' } });
    assert.equal(user?.username, 'skiff-admin');
  });
});

test('isAnonymousAllowed admits only health and version endpoints', () => {
  for (const p of ['/healthz', '/livez', '/readyz', '/version', '/version/', '/readyz?verbose', '/livez/ping', '/healthz/etcd']) {
    assert.equal(isAnonymousAllowed(p), true, p);
  }
  for (const p of ['/', '/api', '/api/v1/pods', '/apis', '/metrics', '/openapi/v2', '/healthzz', '/versions', '/readyzfoo']) {
    assert.equal(isAnonymousAllowed(p), false, p);
  }
});

test('unauthorized() is upstream\'s 401 Status', () => {
  const err = unauthorized();
  assert.deepEqual(err.status, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
});

test('identity is read once per keep-alive connection and stays correct per connection', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-authn-ka-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const pki = await ensurePki(dir, { hosts: [] });
  const { server, port } = await startEchoServer(pki);
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { Agent } = await import('node:https');
  const admin = new Agent({ keepAlive: true, maxSockets: 1, ca: pki.caCertPem, cert: pki.adminCertPem, key: pki.adminKeyPem });
  const anon = new Agent({ keepAlive: true, maxSockets: 1, ca: pki.caCertPem });
  t.after(() => (admin.destroy(), anon.destroy()));
  const ask = (agent: InstanceType<typeof Agent>) =>
    new Promise<UserInfo | null>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve(JSON.parse(body) as UserInfo | null));
      }).on('error', reject).end();
    });
  for (let i = 0; i < 3; i++) {
    assert.equal((await ask(admin))?.username, 'skiff-admin');
    assert.equal(await ask(anon), null);
  }
});
