import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { authenticateRequest } from '../authn.js';
import { ensurePki } from './index.js';
import { writeKubeconfig } from './kubeconfig.js';

const run = promisify(execFile);
const KUBECTL = '/usr/bin/kubectl';
const skip = existsSync(KUBECTL) ? false : `${KUBECTL} is not installed`;

interface ViewedConfig {
  'current-context': string;
  clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { name: string; user: { 'client-certificate-data': string; 'client-key-data': string } }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
}

test('kubectl accepts the kubeconfig and talks TLS with its certificates', { skip }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-kubeconfig-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const pki = await ensurePki(dir, { hosts: [] });

  // An HTTPS server configured like the API server, answering with who the caller is.
  const server = createServer(
    { cert: pki.serverCertPem, key: pki.serverKeyPem, ca: [pki.caCertPem], requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ path: req.url, user: authenticateRequest(req) ?? null }));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const serverUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const path = join(dir, 'kubeconfig.yaml');
  await writeKubeconfig(path, { server: serverUrl, caCertPem: pki.caCertPem, certPem: pki.adminCertPem, keyPem: pki.adminKeyPem });
  assert.equal((await stat(path)).mode & 0o777, 0o600);

  const view = await run(KUBECTL, ['--kubeconfig', path, 'config', 'view', '--raw', '-o', 'json']);
  const cfg = JSON.parse(view.stdout) as ViewedConfig;
  assert.equal(cfg['current-context'], 'skiff');
  assert.equal(cfg.clusters[0]?.name, 'skiff');
  assert.equal(cfg.clusters[0]?.cluster.server, serverUrl);
  assert.equal(Buffer.from(cfg.clusters[0]?.cluster['certificate-authority-data'] ?? '', 'base64').toString(), pki.caCertPem);
  assert.equal(Buffer.from(cfg.users[0]?.user['client-certificate-data'] ?? '', 'base64').toString(), pki.adminCertPem);
  assert.equal(Buffer.from(cfg.users[0]?.user['client-key-data'] ?? '', 'base64').toString(), pki.adminKeyPem);
  assert.deepEqual(cfg.contexts[0], { name: 'skiff', context: { cluster: 'skiff', user: cfg.users[0]?.name } });

  const ctx = await run(KUBECTL, ['--kubeconfig', path, 'config', 'current-context']);
  assert.equal(ctx.stdout.trim(), 'skiff');

  // Go's TLS verifies our ECDSA serving certificate for 127.0.0.1 and presents the admin certificate.
  const raw = await run(KUBECTL, ['--kubeconfig', path, 'get', '--raw', '/healthz']);
  assert.deepEqual(JSON.parse(raw.stdout), { path: '/healthz', user: { username: 'skiff-admin', groups: ['system:masters', 'system:authenticated'] } });
});

test('custom cluster, user and context names', { skip }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-kubeconfig-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const pki = await ensurePki(dir, { hosts: [] });
  const path = join(dir, 'sub', 'config');
  await writeKubeconfig(path, { server: 'https://10.0.0.1:6443', caCertPem: pki.caCertPem, certPem: pki.adminCertPem, keyPem: pki.adminKeyPem, clusterName: 'c1', userName: 'u1', contextName: 'ctx1' });
  const cfg = JSON.parse((await run(KUBECTL, ['--kubeconfig', path, 'config', 'view', '--raw', '-o', 'json'])).stdout) as ViewedConfig;
  assert.equal(cfg['current-context'], 'ctx1');
  assert.deepEqual(cfg.contexts[0], { name: 'ctx1', context: { cluster: 'c1', user: 'u1' } });
});
