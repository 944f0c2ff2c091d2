import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePki } from '../src/apiserver/pki/index.js';
import { startBareHttps } from './bare-http.js';
import { quantile, runLoad, runLoadInWorker } from './load.js';

test('runLoad: request budget, unique __SEQ__ bodies, __NOW__ stamps, status codes', async (t) => {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(bodies.length % 10 === 0 ? 409 : 201);
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;

  const before = Date.now();
  const r = await runLoad({ url, clients: 8, durationMs: 0, maxRequests: 200, method: 'POST', body: '{"name":"n-__SEQ__","sent":"__NOW__"}' });
  assert.equal(r.requests, 200);
  assert.equal(bodies.length, 200);
  assert.deepEqual(r.codes, { '201': 180, '409': 20 });
  assert.equal(r.errors, 20);
  const names = bodies.map((b) => (JSON.parse(b) as { name: string }).name);
  assert.equal(new Set(names).size, 200);
  for (const n of names) assert.match(n, /^n-\d+x\d+$/);
  for (const b of bodies) {
    const sent = Number((JSON.parse(b) as { sent: string }).sent);
    assert.ok(sent >= before - 1 && sent <= Date.now() + 1, `sent ${sent}`);
  }
  assert.ok(r.p50Ms > 0 && r.p99Ms >= r.p50Ms);
});

test('runLoad: rate limit spreads requests', async (t) => {
  const server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const r = await runLoad({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, clients: 4, durationMs: 1000, ratePerSecond: 50 });
  assert.ok(r.requests >= 40 && r.requests <= 52, `${r.requests} requests at 50/s for 1 s`);
});

test('runLoadInWorker against the bare https server with a client certificate', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-load-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const pki = await ensurePki(dir, { hosts: [] });
  const bare = await startBareHttps({ cert: pki.serverCertPem, key: pki.serverKeyPem, ca: pki.caCertPem, body: '{"kind":"ConfigMap"}' });
  t.after(() => bare.close());
  const r = await runLoadInWorker({ url: `${bare.url}/api/v1/namespaces/default/configmaps/x`, clients: 4, durationMs: 500, tls: { ca: pki.caCertPem, cert: pki.adminCertPem, key: pki.adminKeyPem } });
  assert.ok(r.requests > 10, `${r.requests} requests`);
  assert.deepEqual(r.codes, { '200': r.requests });
  assert.equal(r.errors, 0);
});

test('quantile is nearest-rank', () => {
  const xs = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(quantile(xs, 0.5), 50);
  assert.equal(quantile(xs, 0.99), 99);
  assert.equal(quantile(xs, 1), 100);
  assert.equal(quantile([], 0.5), 0);
});
