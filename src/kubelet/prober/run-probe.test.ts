import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { ExecTimeoutError, expandCommand, resolveContainerPort, runProbe, type ProbeTarget } from './index.js';

const requests: http.IncomingHttpHeaders[] = [];
let port = 0;
let server: http.Server;

function route(req: http.IncomingMessage, res: http.ServerResponse): void {
  requests.push(req.headers);
  const url = new URL(req.url ?? '/', 'http://x');
  switch (url.pathname) {
    case '/healthz':
      res.end('ok');
      return;
    case '/fail':
      res.writeHead(500).end('boom: secret details');
      return;
    case '/same-host':
      res.writeHead(302, { Location: '/healthz' }).end();
      return;
    case '/other-host':
      res.writeHead(302, { Location: `http://localhost:${port}/healthz` }).end('moved');
      return;
    case '/loop':
      res.writeHead(302, { Location: `/loop?n=${Number(url.searchParams.get('n') ?? 0) + 1}` }).end();
      return;
    case '/slow':
      setTimeout(() => res.end('late'), 3000).unref();
      return;
    case '/big':
      res.end('x'.repeat(50_000));
      return;
    default:
      res.writeHead(404).end();
  }
}

before(async () => {
  server = http.createServer(route);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const noExec = async (): Promise<{ exitCode: number; output: string }> => {
  throw new Error('exec not expected');
};
const target = (podIP = '127.0.0.1', exec: ProbeTarget['exec'] = noExec): ProbeTarget => ({ podIP, exec });
const httpProbe = (path: string, extra: Record<string, unknown> = {}) => ({ httpGet: { path, port, ...extra }, timeoutSeconds: 1 });

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

test('httpGet: 200 passes with the body as message; kube-probe user agent and Accept', async () => {
  requests.length = 0;
  const r = await runProbe(httpProbe('/healthz'), target(), {});
  assert.deepEqual(r, { result: 'success', message: 'ok' });
  assert.equal(requests[0]!['user-agent'], 'kube-probe/1.32');
  assert.equal(requests[0]!.accept, '*/*');
});

test('httpGet: 500 fails with upstream message (no body)', async () => {
  const r = await runProbe(httpProbe('/fail'), target(), {});
  assert.deepEqual(r, { result: 'failure', message: 'HTTP probe failed with statuscode: 500' });
});

test('httpGet: headers, Host override and named port', async () => {
  requests.length = 0;
  const probe = { httpGet: { path: '/healthz', port: 'web', httpHeaders: [{ name: 'x-custom', value: 'v1' }, { name: 'Host', value: 'example.test' }, { name: 'user-agent', value: 'mine' }] } };
  const r = await runProbe(probe, target(), { ports: [{ name: 'metrics', containerPort: 1 }, { name: 'web', containerPort: port }] });
  assert.equal(r.result, 'success');
  assert.equal(requests[0]!['x-custom'], 'v1');
  assert.equal(requests[0]!.host, 'example.test');
  assert.equal(requests[0]!['user-agent'], 'mine');
});

test('httpGet: same-host redirect is followed; other-host redirect ends with a warning (success)', async () => {
  requests.length = 0;
  assert.deepEqual(await runProbe(httpProbe('/same-host'), target(), {}), { result: 'success', message: 'ok' });
  assert.equal(requests.length, 2);
  const other = await runProbe(httpProbe('/other-host'), target(), {});
  assert.deepEqual(other, { result: 'success', warning: true, message: 'Probe terminated redirects, Response body: moved' });
});

test('httpGet: a redirect loop fails after 10 requests', async () => {
  requests.length = 0;
  const r = await runProbe(httpProbe('/loop'), target(), {});
  assert.equal(r.result, 'failure');
  assert.match(r.message, new RegExp(`^Get "http://127\\.0\\.0\\.1:${port}/loop\\?n=10": stopped after 10 redirects$`));
  assert.equal(requests.length, 10);
});

test('httpGet: connection refused reads like Go', async () => {
  const p = await freePort();
  const r = await runProbe({ httpGet: { path: '/healthz', port: p } }, target(), {});
  assert.deepEqual(r, { result: 'failure', message: `Get "http://127.0.0.1:${p}/healthz": dial tcp 127.0.0.1:${p}: connect: connection refused` });
});

test('httpGet: timeoutSeconds bounds the request', async () => {
  const t0 = Date.now();
  const r = await runProbe(httpProbe('/slow'), target(), {});
  assert.equal(r.result, 'failure');
  assert.equal(r.message, `Get "http://127.0.0.1:${port}/slow": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`);
  assert.ok(Date.now() - t0 < 2500, 'gave up after about 1 s');
});

test('httpGet: only the first 10 KiB of the body are kept', async () => {
  const r = await runProbe(httpProbe('/big'), target(), {});
  assert.equal(r.result, 'success');
  assert.equal(r.message.length, 10 * 1024);
});

test('httpGet over HTTPS skips certificate verification', async (t) => {
  let dir: string;
  try {
    dir = mkdtempSync(join(tmpdir(), 'probe-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=nobody'], { stdio: 'ignore' });
  } catch {
    t.skip('openssl not available to make a self-signed certificate');
    return;
  }
  const tls = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) => res.end('secure'));
  await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
  try {
    const p = (tls.address() as net.AddressInfo).port;
    const r = await runProbe({ httpGet: { path: '/', port: p, scheme: 'HTTPS' } }, target(), {});
    assert.deepEqual(r, { result: 'success', message: 'secure' });
  } finally {
    tls.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tcpSocket: open port passes, closed port fails like Go', async () => {
  assert.equal((await runProbe({ tcpSocket: { port } }, target(), {})).result, 'success');
  const p = await freePort();
  assert.deepEqual(await runProbe({ tcpSocket: { port: p } }, target(), {}), { result: 'failure', message: `dial tcp 127.0.0.1:${p}: connect: connection refused` });
});

test('bad ports and missing handlers are errors (unknown), not failures', async () => {
  const named = await runProbe({ tcpSocket: { port: 'nope' } }, target(), { ports: [] });
  assert.deepEqual(named, { result: 'unknown', message: 'strconv.Atoi: parsing "nope": invalid syntax' });
  assert.equal(resolveContainerPort('8080', {}), 8080);
  assert.throws(() => resolveContainerPort(70000, {}), /invalid port number: 70000/);
  assert.equal((await runProbe({ periodSeconds: 3 }, target(), { name: 'web' })).result, 'unknown');
});

test('exec: exit 0 passes, non-zero fails with the output, timeout fails with upstream message', async () => {
  const calls: Array<{ cmd: string[]; timeout: number }> = [];
  const exec: ProbeTarget['exec'] = async (cmd, timeout) => {
    calls.push({ cmd, timeout });
    if (cmd.some((a) => a.includes('sleep'))) throw new ExecTimeoutError(cmd);
    return cmd.at(-1) === 'ok' ? { exitCode: 0, output: 'fine\n' } : { exitCode: 1, output: 'cat: /tmp/healthy: No such file or directory\n' };
  };
  assert.deepEqual(await runProbe({ exec: { command: ['check', 'ok'] }, timeoutSeconds: 4 }, target(undefined, exec), {}), { result: 'success', message: 'fine\n' });
  assert.equal(calls[0]!.timeout, 4);
  assert.deepEqual(await runProbe({ exec: { command: ['cat', '/tmp/healthy'] } }, target(undefined, exec), {}), { result: 'failure', message: 'cat: /tmp/healthy: No such file or directory\n' });
  assert.deepEqual(await runProbe({ exec: { command: ['sh', '-c', 'sleep 5'] } }, target(undefined, exec), {}), { result: 'failure', message: 'command "sh -c sleep 5" timed out' });
});

test('exec commands expand $(VAR) from literal env values only', () => {
  const env = [{ name: 'FILE', value: '/tmp/x' }, { name: 'FROM', valueFrom: { fieldRef: {} } }];
  assert.deepEqual(expandCommand(['cat', '$(FILE)', '$(MISSING)', '$$(FILE)', '$(FROM)', 'a$b', '$('], env), ['cat', '/tmp/x', '$(MISSING)', '$(FILE)', '', 'a$b', '$(']);
});

test('grpc: Health/Check SERVING passes; NOT_SERVING, unknown service, no health service and refused fail', async () => {
  const def = protoLoader.loadSync(fileURLToPath(new URL('./health.proto', import.meta.url)), { keepCase: true, enums: String, defaults: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } } };
  const agents: string[] = [];
  const healthy = new grpc.Server();
  healthy.addService(pkg.grpc.health.v1.Health.service, {
    Check(call: grpc.ServerUnaryCall<{ service: string }, unknown>, cb: grpc.sendUnaryData<unknown>) {
      agents.push(String(call.metadata.get('user-agent')[0] ?? ''));
      const s = call.request.service;
      if (s === '' || s === 'api') cb(null, { status: 'SERVING' });
      else if (s === 'down') cb(null, { status: 'NOT_SERVING' });
      else cb({ code: grpc.status.NOT_FOUND, details: 'unknown service' });
    },
  });
  const bare = new grpc.Server();
  const bind = (s: grpc.Server) => new Promise<number>((res, rej) => s.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
  const hp = await bind(healthy);
  const bp = await bind(bare);
  try {
    assert.deepEqual(await runProbe({ grpc: { port: hp } }, target(), {}), { result: 'success', message: 'service healthy' });
    assert.match(agents[0]!, /^kube-probe\/1\.32/);
    assert.deepEqual(await runProbe({ grpc: { port: hp, service: 'api' } }, target(), {}), { result: 'success', message: 'service healthy' });
    assert.deepEqual(await runProbe({ grpc: { port: hp, service: 'down' } }, target(), {}), { result: 'failure', message: 'service unhealthy (responded with "NOT_SERVING")' });
    assert.deepEqual(await runProbe({ grpc: { port: hp, service: 'other' } }, target(), {}), { result: 'failure', message: 'error: health rpc probe failed: rpc error: code = NotFound desc = unknown service' });
    const bareResult = await runProbe({ grpc: { port: bp } }, target(), {});
    assert.equal(bareResult.result, 'failure');
    assert.match(bareResult.message, /^error: this server does not implement the grpc health protocol \(grpc\.health\.v1\.Health\): /);
    const p = await freePort();
    assert.deepEqual(await runProbe({ grpc: { port: p }, timeoutSeconds: 1 }, target(), {}), { result: 'failure', message: `timeout: failed to connect service "127.0.0.1:${p}" within 1s: context deadline exceeded` });
  } finally {
    healthy.forceShutdown();
    bare.forceShutdown();
  }
});
