// The kubelet server with a fake backend and a fake runtime streaming server: client-certificate
// auth, /healthz, /containerLogs over real CRI-format files, and exec/attach/portForward upgrades
// proxied to the URL the (fake) CRI returns.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, appendFileSync, mkdirSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { createCa, signLeaf, type CertAndKey } from '../../apiserver/pki/certs.js';
import { StatusError } from '../../machinery/errors.js';
import type { AttachRequest, ExecRequest, PortForwardRequest } from '../cri/types.js';
import { startKubeletServer, type KubeletServerHandle, type LocatedContainer } from './index.js';

let dir: string;
let ca: CertAndKey;
let client: CertAndKey;
let kubelet: KubeletServerHandle;
let runtime: HttpServer;
let runtimePort = 0;
let running = true;
const criCalls: Array<{ kind: string; req: ExecRequest | AttachRequest | PortForwardRequest }> = [];
const runtimeRequests: string[] = [];

const ts = (s: number): string => `2026-01-01T00:00:0${s}.000000001Z`;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skiff-kubelet-server-'));
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', '0.log'), `${ts(1)} stdout F old life\n`);
  writeFileSync(join(dir, 'app', '1.log'), `${ts(2)} stdout F one\n${ts(3)} stderr F two\n${ts(4)} stdout F three\n`);
  ca = await createCa('test-ca', 1);
  client = await signLeaf(ca, { subject: { commonName: 'kube-apiserver-kubelet-client', organizations: ['system:masters'] }, usage: 'client', validDays: 1 });
  const serving = await signLeaf(ca, { subject: { commonName: 'node' }, usage: 'server', hosts: ['127.0.0.1'], validDays: 1 });
  runtime = createHttpServer((_req, res) => res.end('not an upgrade'));
  runtime.on('upgrade', (req, socket) => {
    runtimeRequests.push(`${req.method} ${req.url} ${req.headers.upgrade} ${req.headers['x-stream-protocol-version'] ?? ''}`);
    socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n');
    socket.on('data', (d: Buffer) => socket.write(Buffer.concat([Buffer.from('rt:'), d])));
  });
  await new Promise<void>((r) => runtime.listen(0, '127.0.0.1', () => r()));
  runtimePort = (runtime.address() as { port: number }).port;
  const located = (container?: string): LocatedContainer => {
    const name = container ?? 'app';
    if (name !== 'app') throw new StatusError('BadRequest', `container ${name} is not valid for pod p`);
    return { podUid: 'uid-1', sandboxId: 'sb-1', containerId: 'c-1', containerName: 'app', attempt: 1, running, logPath: join(dir, 'app', '1.log'), previousLogPath: join(dir, 'app', '0.log') };
  };
  kubelet = await startKubeletServer({
    port: 0,
    bind: '127.0.0.1',
    tls: { certPem: serving.certPem, keyPem: serving.keyPem, caPem: ca.certPem },
    backend: {
      locate: async (ns, pod, container) => {
        if (ns !== 'default' || pod !== 'p') throw new StatusError('NotFound', `pods "${pod}" not found`);
        return located(container);
      },
      locateSandbox: async () => ({ podUid: 'uid-1', sandboxId: 'sb-1' }),
      cri: {
        exec: async (req) => (criCalls.push({ kind: 'exec', req }), `http://127.0.0.1:${runtimePort}/exec/tok1`),
        attach: async (req) => (criCalls.push({ kind: 'attach', req }), `http://127.0.0.1:${runtimePort}/attach/tok2`),
        portForward: async (req) => (criCalls.push({ kind: 'portForward', req }), `http://127.0.0.1:${runtimePort}/portforward/tok3`),
      },
    },
    routes: [
      async (req, res) => {
        if (req.url !== '/stats/summary') return false;
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"node":{}}');
        return true;
      },
    ],
  });
});

after(async () => {
  await kubelet.close();
  runtime.closeAllConnections();
  runtime.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(path: string, withCert = true): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: kubelet.port, path, ca: ca.certPem, ...(withCert ? { cert: client.certPem, key: client.keyPem } : {}), agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function upgrade(path: string, withCert = true): Promise<{ head: string; socket: TLSSocket; rest: Buffer }> {
  const socket = await new Promise<TLSSocket>((resolve, reject) => {
    const s = tlsConnect({ host: '127.0.0.1', port: kubelet.port, ca: ca.certPem, ...(withCert ? { cert: client.certPem, key: client.keyPem } : {}) }, () => resolve(s));
    s.once('error', reject);
  });
  socket.write(`POST ${path} HTTP/1.1\r\nHost: node\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n`);
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const onData = (d: Buffer): void => {
      buf = Buffer.concat([buf, d]);
      const i = buf.indexOf('\r\n\r\n');
      if (i < 0) return;
      socket.off('data', onData);
      resolve({ head: buf.subarray(0, i).toString(), socket, rest: buf.subarray(i + 4) });
    };
    socket.on('data', onData);
  });
}

test('a client certificate from the cluster CA is required', async () => {
  assert.equal((await get('/healthz', false)).status, 401);
  assert.deepEqual(await get('/healthz'), { status: 200, body: 'ok' });
  assert.deepEqual(await get('/stats/summary'), { status: 200, body: '{"node":{}}' }, 'extra routes are served');
  assert.equal((await get('/stats/summary', false)).status, 401, 'extra routes need the certificate too');
  const anon = await upgrade('/exec/default/p/app?command=ls&stdout=1', false);
  assert.match(anon.head, /^HTTP\/1\.1 401/);
  anon.socket.destroy();
});

test('containerLogs: whole, tail, timestamps, previous and errors', async () => {
  assert.deepEqual(await get('/containerLogs/default/p/app'), { status: 200, body: 'one\ntwo\nthree\n' });
  assert.equal((await get('/containerLogs/default/p/app?tailLines=1&timestamps=true')).body, `${ts(4)} three\n`);
  assert.equal((await get('/containerLogs/default/p/app?previous=true')).body, 'old life\n');
  const bad = await get('/containerLogs/default/p/app?tailLines=x');
  assert.equal(bad.status, 400);
  assert.match(bad.body, /tailLines/);
  const missing = await get('/containerLogs/default/nosuch/app');
  assert.equal(missing.status, 404);
  assert.equal(JSON.parse(missing.body).message, 'pods "nosuch" not found');
});

test('containerLogs follow: streams appended lines and ends once the container stopped', async () => {
  running = true;
  const done = get('/containerLogs/default/p/app?follow=true&tailLines=0');
  await new Promise((r) => setTimeout(r, 300));
  appendFileSync(join(dir, 'app', '1.log'), `${ts(5)} stdout F four\n`);
  await new Promise((r) => setTimeout(r, 300));
  running = false;
  const res = await done;
  assert.equal(res.status, 200);
  assert.equal(res.body, 'four\n');
  running = true;
});

test('exec: the CRI request follows the query (tty drops stderr) and the upgrade is proxied raw', async () => {
  criCalls.length = 0;
  runtimeRequests.length = 0;
  const { head, socket, rest } = await upgrade('/exec/default/p/app?command=sh&command=-c&command=echo+hi&stdin=1&stdout=1&stderr=1&tty=1');
  assert.match(head, /^HTTP\/1\.1 101/);
  assert.deepEqual(criCalls, [{ kind: 'exec', req: { container_id: 'c-1', cmd: ['sh', '-c', 'echo hi'], stdin: true, stdout: true, stderr: false, tty: true } }]);
  assert.match(runtimeRequests[0]!, /^POST \/exec\/tok1\?.* SPDY\/3\.1 v4\.channel\.k8s\.io$/);
  socket.write('ping');
  const reply = rest.length > 0 ? rest.toString() : await new Promise<string>((r) => socket.once('data', (d: Buffer) => r(d.toString())));
  assert.equal(reply, 'rt:ping');
  socket.destroy();
});

test('attach and portForward ask CRI with the container / sandbox; errors come back as HTTP', async () => {
  criCalls.length = 0;
  const a = await upgrade('/attach/default/p/app?stdout=true&stderr=true');
  assert.match(a.head, /^HTTP\/1\.1 101/);
  a.socket.destroy();
  const pf = await upgrade('/portForward/default/p?ports=8080,9090');
  assert.match(pf.head, /^HTTP\/1\.1 101/);
  pf.socket.destroy();
  assert.deepEqual(criCalls, [
    { kind: 'attach', req: { container_id: 'c-1', stdin: false, stdout: true, stderr: true, tty: false } },
    { kind: 'portForward', req: { pod_sandbox_id: 'sb-1', port: [8080, 9090] } },
  ]);
  const noStreams = await upgrade('/exec/default/p/app?command=ls');
  assert.match(noStreams.head, /^HTTP\/1\.1 400/);
  noStreams.socket.destroy();
  const wrong = await upgrade('/exec/default/p/other?command=ls&stdout=1');
  assert.match(wrong.head, /^HTTP\/1\.1 400/);
  wrong.socket.destroy();
  const plain = await get('/exec/default/p/app?command=ls&stdout=1');
  assert.equal(plain.status, 400);
  assert.match(plain.body, /Upgrade request required/);
});
