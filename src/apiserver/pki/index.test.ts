import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePki, issueClientCert } from './index.js';

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-pki-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('first start creates CA, serving and admin certificates with the right fields and file modes', async (t) => {
  const dir = await tempDir(t);
  const pki = await ensurePki(dir, { hosts: ['10.0.0.5', 'skiff.example.com'] });
  const ca = new X509Certificate(pki.caCertPem);
  const server = new X509Certificate(pki.serverCertPem);
  const admin = new X509Certificate(pki.adminCertPem);

  assert.equal(ca.subject, 'CN=skiff-ca');
  assert.equal(ca.ca, true);
  const caYears = (new Date(ca.validTo).getTime() - Date.now()) / (365 * 86400_000);
  assert.ok(caYears > 9.9 && caYears < 10.1, `CA valid ${caYears} years`);

  assert.ok(server.verify(ca.publicKey));
  assert.equal(server.ca, false);
  for (const host of ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', 'skiff.example.com']) {
    assert.equal(server.checkHost(host, { wildcards: false }), host, host);
  }
  for (const ip of ['127.0.0.1', '::1', '10.0.0.5']) assert.equal(server.checkIP(ip), ip, ip);
  assert.equal(server.checkHost('other.example.com'), undefined);
  assert.deepEqual(server.keyUsage, ['1.3.6.1.5.5.7.3.1']);

  assert.ok(admin.verify(ca.publicKey));
  assert.match(admin.subject, /CN=skiff-admin/);
  assert.match(admin.subject, /O=system:masters/);
  assert.deepEqual(admin.keyUsage, ['1.3.6.1.5.5.7.3.2']);
  assert.ok(admin.checkPrivateKey((await import('node:crypto')).createPrivateKey(pki.adminKeyPem)));

  for (const key of ['ca.key', 'server.key', 'admin.key']) {
    const mode = (await stat(join(dir, 'pki', key))).mode & 0o777;
    assert.equal(mode, 0o600, `${key} mode ${mode.toString(8)}`);
  }
  assert.equal(await readFile(join(dir, 'pki', 'ca.crt'), 'utf8'), pki.caCertPem);
});

test('later starts reuse the stored files; a new host re-issues only the serving certificate', async (t) => {
  const dir = await tempDir(t);
  const first = await ensurePki(dir, { hosts: [] });
  const second = await ensurePki(dir, { hosts: [] });
  assert.deepEqual(second, first);

  const third = await ensurePki(dir, { hosts: ['192.168.1.20'] });
  assert.equal(third.caCertPem, first.caCertPem);
  assert.equal(third.adminCertPem, first.adminCertPem);
  assert.notEqual(third.serverCertPem, first.serverCertPem);
  assert.equal(new X509Certificate(third.serverCertPem).checkIP('192.168.1.20'), '192.168.1.20');
  // Asking again for a host already covered keeps it.
  const fourth = await ensurePki(dir, { hosts: ['192.168.1.20'] });
  assert.equal(fourth.serverCertPem, third.serverCertPem);
});

test('a lost CA key re-creates the CA and re-issues every leaf under it', async (t) => {
  const dir = await tempDir(t);
  const first = await ensurePki(dir, { hosts: [] });
  await unlink(join(dir, 'pki', 'ca.key'));
  const second = await ensurePki(dir, { hosts: [] });
  assert.notEqual(second.caCertPem, first.caCertPem);
  const ca = new X509Certificate(second.caCertPem);
  assert.ok(new X509Certificate(second.serverCertPem).verify(ca.publicKey));
  assert.ok(new X509Certificate(second.adminCertPem).verify(ca.publicKey));
});

test('issueClientCert signs a client identity with the cluster CA', async (t) => {
  const dir = await tempDir(t);
  const pki = await ensurePki(dir, { hosts: [] });
  const { certPem, keyPem } = await issueClientCert(pki, { commonName: 'system:node:worker-1', organizations: ['system:nodes', 'extra'] });
  const cert = new X509Certificate(certPem);
  assert.ok(cert.verify(new X509Certificate(pki.caCertPem).publicKey));
  assert.match(cert.subject, /CN=system:node:worker-1/);
  assert.match(cert.subject, /O=system:nodes/);
  assert.match(cert.subject, /O=extra/);
  assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.2']);
  assert.ok(cert.checkPrivateKey((await import('node:crypto')).createPrivateKey(keyPem)));
});
