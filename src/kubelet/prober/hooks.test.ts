import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { runHook, type ProbeTarget } from './index.js';

const pod = { metadata: { name: 'web-1', namespace: 'default', uid: 'uid-1' } };

test('exec hook: exit 0 is ok; non-zero fails with upstream FailedPostStartHook text', async () => {
  const seen: string[][] = [];
  const target: ProbeTarget = {
    async exec(cmd) {
      seen.push(cmd);
      return cmd.at(-1) === 'true' ? { exitCode: 0, output: '' } : { exitCode: 3, output: 'nope\n' };
    },
  };
  assert.deepEqual(await runHook({ exec: { command: ['sh', '-c', 'true'] } }, target, { name: 'web' }, 30, pod), { ok: true, message: '' });
  const r = await runHook({ exec: { command: ['sh', '-c', 'exit 3'] } }, target, { name: 'web' }, 30, pod);
  assert.equal(r.ok, false);
  assert.equal(r.message, `Exec lifecycle hook ([sh -c exit 3]) for Container "web" in Pod "web-1_default(uid-1)" failed - error: command 'sh -c exit 3' exited with 3: nope\n, message: "nope\\n"`);
  assert.equal(seen.length, 2);
});

test('httpGet hook: any HTTP answer is ok (upstream ignores the status); a refused connection fails', async () => {
  const paths: string[] = [];
  const agents: string[] = [];
  const server = http.createServer((req, res) => {
    paths.push(req.url ?? '');
    agents.push(String(req.headers['user-agent']));
    res.writeHead(500).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const target: ProbeTarget = { podIP: '127.0.0.1', exec: async () => ({ exitCode: 0, output: '' }) };
  try {
    assert.deepEqual(await runHook({ httpGet: { path: '/shutdown', port } }, target, { name: 'web' }, 5, pod), { ok: true, message: '' });
    assert.deepEqual(paths, ['/shutdown']);
    assert.equal(agents[0], 'kube-lifecycle/1.32');
  } finally {
    server.close();
  }
  await new Promise((r) => setTimeout(r, 20));
  const r = await runHook({ httpGet: { path: '/shutdown', port } }, target, { name: 'web' }, 5, pod);
  assert.equal(r.ok, false);
  assert.equal(r.message, `HTTP lifecycle hook (/shutdown) for Container "web" in Pod "web-1_default(uid-1)" failed - error: Get "http://127.0.0.1:${port}/shutdown": dial tcp 127.0.0.1:${port}: connect: connection refused`);
});

test('sleep hook waits (bounded by the timeout); tcpSocket is not runnable', async () => {
  const target: ProbeTarget = { exec: async () => ({ exitCode: 0, output: '' }) };
  const t0 = Date.now();
  assert.deepEqual(await runHook({ sleep: { seconds: 1 } }, target, { name: 'web' }, 30), { ok: true, message: '' });
  assert.ok(Date.now() - t0 >= 950);
  const r = await runHook({ tcpSocket: { port: 80 } }, target, { name: 'web' }, 30);
  assert.equal(r.ok, false);
  assert.match(r.message, /^Cannot run handler: invalid handler: /);
});
