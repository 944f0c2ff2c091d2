// pods/log|exec|portforward through a real API server to a fake kubelet (an HTTPS server that
// requires the API server's kubelet-client certificate and speaks just enough of each protocol).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, request, type Server } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { constants, inflateSync } from 'node:zlib';
import { WebSocket } from 'ws';
import { startTestServer, type TestServer } from '../test-server.js';
import { signLeaf } from '../pki/certs.js';

interface Seen {
  method: string;
  url: string;
  clientCN: string;
  headers: IncomingMessage['headers'];
}

let api: TestServer;
let kubelet: Server;
const seen: Seen[] = [];
let logClosed = false;
/** What the fake kubelet does with an upgrade: set per test. */
let onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void = (_r, s) => s.destroy();

function record(req: IncomingMessage): void {
  const cert = (req.socket as TLSSocket).getPeerCertificate();
  seen.push({ method: req.method ?? '', url: req.url ?? '', clientCN: String(cert?.subject?.CN ?? ''), headers: req.headers });
}

before(async () => {
  api = await startTestServer();
  const pki = api.server.pki;
  const serving = await signLeaf({ certPem: pki.caCertPem, keyPem: pki.caKeyPem }, { subject: { commonName: 'fake-kubelet' }, usage: 'server', hosts: ['127.0.0.1'], validDays: 1 });
  kubelet = createServer({ key: serving.keyPem, cert: serving.certPem, ca: [pki.caCertPem], requestCert: true, rejectUnauthorized: true }, (req, res) => {
    record(req);
    const url = new URL(req.url ?? '/', 'https://k');
    if (url.pathname === '/containerLogs/default/web/bad') {
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'previous terminated container "bad" in pod "web" not found', reason: 'BadRequest', code: 400 }));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.write('line 1\n');
    if (url.searchParams.get('follow') !== 'true') return void res.end('line 2\n');
    req.on('close', () => (logClosed = true)); // follow: stream until the API server hangs up
  });
  kubelet.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    record(req);
    onUpgrade(req, socket, head);
  });
  await new Promise<void>((r) => kubelet.listen(0, '127.0.0.1', () => r()));
  const port = (kubelet.address() as { port: number }).port;
  const c = api.client;
  assert.equal((await c.post('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } })).status, 201);
  assert.equal((await c.patch('/api/v1/nodes/n1/status', { status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: port } } } })).status, 200);
  const containers = [{ name: 'web', image: 'x' }, { name: 'logger', image: 'x' }, { name: 'bad', image: 'x' }];
  assert.equal((await c.post('/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { nodeName: 'n1', containers, initContainers: [{ name: 'init', image: 'x' }] } })).status, 201);
  assert.equal((await c.patch('/api/v1/namespaces/default/pods/web/status', { status: { phase: 'Running' } })).status, 200);
  assert.equal((await c.post('/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pending' }, spec: { containers } })).status, 201);
});

after(async () => {
  kubelet.closeAllConnections();
  kubelet.close();
  await api.stop();
});

test('logs: the query reaches the kubelet with the kubelet-client identity; the body streams back', async () => {
  seen.length = 0;
  const res = await api.client.get('/api/v1/namespaces/default/pods/web/log?container=logger&tailLines=5&timestamps=true&follow=false&limitBytes=100');
  assert.equal(res.status, 200, res.text);
  assert.equal(res.text, 'line 1\nline 2\n');
  assert.equal(seen.length, 1);
  const url = new URL(seen[0]!.url, 'https://k');
  assert.equal(url.pathname, '/containerLogs/default/web/logger');
  assert.deepEqual(Object.fromEntries(url.searchParams), { timestamps: 'true', tailLines: '5', limitBytes: '100' });
  assert.equal(seen[0]!.clientCN, 'kube-apiserver-kubelet-client');
});

test('logs: container defaulting and the errors upstream gives', async () => {
  const noContainer = await api.client.get<{ message: string; reason: string }>('/api/v1/namespaces/default/pods/web/log');
  assert.equal(noContainer.status, 400);
  assert.equal(noContainer.body.message, 'a container name must be specified for pod web, choose one of: [web logger bad] or one of the init containers: [init]');
  const invalid = await api.client.get<{ message: string }>('/api/v1/namespaces/default/pods/web/log?container=nope');
  assert.equal(invalid.status, 400);
  assert.equal(invalid.body.message, 'container nope is not valid for pod web');
  const unscheduled = await api.client.get<{ message: string }>('/api/v1/namespaces/default/pods/pending/log?container=web');
  assert.equal(unscheduled.status, 400);
  assert.equal(unscheduled.body.message, 'pod pending does not have a host assigned');
  const missing = await api.client.get<{ reason: string }>('/api/v1/namespaces/default/pods/nosuch/log');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.reason, 'NotFound');
  // Init containers are valid log targets; a kubelet error keeps its code and Status body.
  const initLog = await api.client.get('/api/v1/namespaces/default/pods/web/log?container=init');
  assert.equal(initLog.status, 200);
  const kubeletError = await api.client.get<{ message: string; reason: string }>('/api/v1/namespaces/default/pods/web/log?container=bad&previous=true');
  assert.equal(kubeletError.status, 400);
  assert.equal(kubeletError.body.reason, 'BadRequest');
  assert.equal(kubeletError.body.message, 'previous terminated container "bad" in pod "web" not found');
});

test('logs -f: chunks arrive before the end, and a client that leaves closes the kubelet request', async () => {
  logClosed = false;
  const cfg = api.client.config;
  const first = await new Promise<string>((resolve, reject) => {
    const req = request(`${api.server.url}/api/v1/namespaces/default/pods/web/log?container=web&follow=true`, { ca: cfg.caPem, cert: cfg.certPem, key: cfg.keyPem, agent: false }, (res) => {
      res.once('data', (d: Buffer) => {
        resolve(d.toString());
        req.destroy();
      });
    });
    req.on('error', (err) => (err.message.includes('socket hang up') ? undefined : reject(err)));
    req.end();
  });
  assert.equal(first, 'line 1\n');
  for (let i = 0; i < 100 && !logClosed; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(logClosed, true, 'the kubelet saw the follow request end');
});

test('exec/portforward without an upgrade are 400', async () => {
  const res = await api.client.get<{ message: string }>('/api/v1/namespaces/default/pods/web/exec?command=ls&stdout=true&container=web');
  assert.equal(res.status, 400);
  assert.equal(res.body.message, 'Upgrade request required');
});

/** Opens a TLS connection to the API server with the admin identity and sends a request head. */
async function rawUpgrade(path: string, headers: Record<string, string>, withCert = true): Promise<{ head: string; rest: Buffer; socket: TLSSocket }> {
  const cfg = api.client.config;
  const url = new URL(api.server.url);
  const socket = await new Promise<TLSSocket>((resolve, reject) => {
    const s = tlsConnect({ host: url.hostname, port: Number(url.port), ca: cfg.caPem, ...(withCert ? { cert: cfg.certPem, key: cfg.keyPem } : {}) }, () => resolve(s));
    s.once('error', reject);
  });
  socket.write(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const onData = (c: Buffer): void => {
      buf = Buffer.concat([buf, c]);
      const i = buf.indexOf('\r\n\r\n');
      if (i < 0) return;
      socket.off('data', onData);
      resolve({ head: buf.subarray(0, i).toString(), rest: buf.subarray(i + 4), socket });
    };
    socket.on('data', onData);
  });
}

/** A masked client WebSocket frame (binary). */
function wsFrame(payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const head = payload.length < 126 ? Buffer.from([0x82, 0x80 | payload.length]) : Buffer.from([0x82, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([head, mask, Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!))]);
}

test('port-forward: SPDY tunnelled in WebSocket reaches the kubelet as a SPDY upgrade, bytes both ways', async () => {
  seen.length = 0;
  onUpgrade = (_req, socket) => {
    socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n');
    socket.on('data', (d: Buffer) => socket.write(Buffer.concat([Buffer.from('echo:'), d])));
  };
  const key = randomBytes(16).toString('base64');
  const { head, rest, socket } = await rawUpgrade('/api/v1/namespaces/default/pods/web/portforward', {
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': key,
    'Sec-WebSocket-Protocol': 'SPDY/3.1+portforward.k8s.io',
  });
  assert.match(head, /^HTTP\/1\.1 101/);
  assert.match(head, /\r\nSec-WebSocket-Protocol: SPDY\/3\.1\+portforward\.k8s\.io(\r\n|$)/i);
  assert.ok(head.includes(createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64')), head);
  assert.equal(seen[0]!.method, 'POST');
  assert.equal(seen[0]!.url, '/portForward/default/web');
  assert.equal(seen[0]!.headers.upgrade, 'SPDY/3.1');
  assert.equal(seen[0]!.headers['x-stream-protocol-version'], 'portforward.k8s.io');
  socket.write(wsFrame(Buffer.from('spdy-bytes')));
  const reply = await new Promise<Buffer>((resolve) => {
    let buf = rest;
    const check = (): void => {
      if (buf.length >= 2 && buf.length >= 2 + (buf[1]! & 0x7f)) resolve(buf);
    };
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      check();
    });
    check();
  });
  assert.equal(reply[0], 0x82, 'one binary message');
  assert.equal(reply.subarray(2, 2 + (reply[1]! & 0x7f)).toString(), 'echo:spdy-bytes');
  socket.destroy();
});

test('plain SPDY upgrades are replayed to the kubelet and piped raw', async () => {
  seen.length = 0;
  onUpgrade = (_req, socket) => {
    socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n');
    socket.on('data', (d: Buffer) => socket.write(d));
  };
  const { head, socket } = await rawUpgrade('/api/v1/namespaces/default/pods/web/exec?command=sh&command=-c&command=echo%20hi&container=web&stdin=true&stdout=true&tty=true&stderr=true', {
    Connection: 'Upgrade',
    Upgrade: 'SPDY/3.1',
    'X-Stream-Protocol-Version': 'v4.channel.k8s.io',
  });
  assert.match(head, /^HTTP\/1\.1 101/);
  const url = new URL(seen[0]!.url, 'https://k');
  assert.equal(url.pathname, '/exec/default/web/web');
  assert.deepEqual(url.searchParams.getAll('command'), ['sh', '-c', 'echo hi']);
  // tty merges stderr into stdout: CRI refuses both, so stderr is not asked for.
  assert.deepEqual(Object.fromEntries([...url.searchParams].filter(([k]) => k !== 'command')), { stdin: '1', stdout: '1', tty: '1' });
  socket.write('raw bytes');
  const echoed = await new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString())));
  assert.equal(echoed, 'raw bytes');
  socket.destroy();
});

test('exec over WebSocket v5: channels become SPDY streams; stdin close, resize, output and status', async () => {
  seen.length = 0;
  const streams: string[] = [];
  const dataByStream = new Map<number, Buffer[]>();
  const finned = new Set<number>();
  onUpgrade = (_req, socket) => {
    socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n');
    let buf = Buffer.alloc(0);
    const headerBlocks: Buffer[] = [];
    const idOf = (type: string): number => 1 + 2 * streams.indexOf(type);
    const send = (id: number, flags: number, data: Buffer): void => {
      const h = Buffer.alloc(8);
      h.writeUInt32BE(id, 0);
      h.writeUInt32BE((flags << 24) | data.length, 4);
      socket.write(Buffer.concat([h, data]));
    };
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 8 && buf.length >= 8 + (buf.readUInt32BE(4) & 0xffffff)) {
        const len = buf.readUInt32BE(4) & 0xffffff;
        const frame = buf.subarray(0, 8 + len);
        buf = buf.subarray(8 + len);
        if (frame[0]! & 0x80) {
          if (frame.readUInt16BE(2) !== 1) continue;
          const id = frame.readUInt32BE(8);
          headerBlocks.push(frame.subarray(18));
          const text = inflateSync(Buffer.concat(headerBlocks), { finishFlush: constants.Z_SYNC_FLUSH }).toString('latin1');
          streams.push(/streamtype\u0000\u0000\u0000.(\w+)$/.exec(text)?.[1] ?? '?');
          const reply = Buffer.alloc(8 + 4 + 11);
          reply.writeUInt16BE(0x8003, 0);
          reply.writeUInt16BE(2, 2);
          reply.writeUInt32BE(15, 4);
          reply.writeUInt32BE(id, 8);
          Buffer.from([0x78, 0x01, 0x00, 0x04, 0x00, 0xfb, 0xff, 0, 0, 0, 0]).copy(reply, 12);
          socket.write(reply.subarray(0, 8 + 15));
          continue;
        }
        const id = frame.readUInt32BE(0);
        dataByStream.set(id, [...(dataByStream.get(id) ?? []), frame.subarray(8)]);
        if (frame[4]! & 1) finned.add(id);
        if (id === idOf('stdin') && finned.has(id)) {
          // stdin ended: answer like a runtime does — output, then the exit status, then hang up.
          send(idOf('stdout'), 0, Buffer.concat(dataByStream.get(id) ?? []));
          send(idOf('error'), 0, Buffer.from(JSON.stringify({ metadata: {}, status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '7' }] } })));
          setTimeout(() => socket.destroy(), 20);
        }
      }
    });
  };
  const cfg = api.client.config;
  const wsUrl = `${api.server.url.replace('https', 'wss')}/api/v1/namespaces/default/pods/web/exec?command=cat&container=web&stdin=true&stdout=true&tty=true`;
  const ws = new WebSocket(wsUrl, ['v5.channel.k8s.io'], { ca: cfg.caPem, cert: cfg.certPem, key: cfg.keyPem });
  const messages: Buffer[] = [];
  ws.on('message', (d: Buffer) => messages.push(d));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  assert.equal(ws.protocol, 'v5.channel.k8s.io');
  ws.send(Buffer.concat([Buffer.from([4]), Buffer.from('{"Width":80,"Height":24}')]));
  ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('typed ')]));
  ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('text')]));
  ws.send(Buffer.from([255, 0]));
  const code = await new Promise<number>((resolve) => ws.once('close', (c: number) => resolve(c)));
  assert.equal(code, 1000);
  assert.deepEqual(streams, ['error', 'stdin', 'stdout', 'resize'], 'tty: no stderr stream; error stream first');
  assert.equal(Buffer.concat(dataByStream.get(1 + 2 * streams.indexOf('resize')) ?? []).toString(), '{"Width":80,"Height":24}');
  assert.equal(seen[0]!.headers['x-stream-protocol-version'], 'v4.channel.k8s.io');
  const byChannel = (ch: number): string => Buffer.concat(messages.filter((m) => m[0] === ch).map((m) => m.subarray(1))).toString();
  assert.equal(byChannel(1), 'typed text');
  assert.equal(JSON.parse(byChannel(3)).details.causes[0].message, '7');
});

test('upgrades: anonymous is 401, other resources 400, a completed pod 400 — all as Status', async () => {
  const spdy = { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'v4.channel.k8s.io' };
  const anon = await rawUpgrade('/api/v1/namespaces/default/pods/web/exec?command=ls&stdout=true', spdy, false);
  assert.match(anon.head, /^HTTP\/1\.1 401/);
  anon.socket.destroy();
  const other = await rawUpgrade('/api/v1/namespaces/default/configmaps/x/exec', spdy);
  assert.match(other.head, /^HTTP\/1\.1 400/);
  other.socket.destroy();
  assert.equal((await api.client.post('/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'done' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }] } })).status, 201);
  assert.equal((await api.client.patch('/api/v1/namespaces/default/pods/done/status', { status: { phase: 'Succeeded' } })).status, 200);
  const done = await rawUpgrade('/api/v1/namespaces/default/pods/done/exec?command=ls&stdout=true', spdy);
  assert.match(done.head, /^HTTP\/1\.1 400/);
  const body = await new Promise<string>((resolve) => {
    let text = done.rest.toString();
    done.socket.on('data', (d: Buffer) => (text += d.toString()));
    done.socket.on('end', () => resolve(text));
  });
  assert.equal(JSON.parse(body).message, 'cannot exec into a container in a completed pod; current phase is Succeeded');
});

test('nodes/{name}/proxy/{path} forwards to the kubelet', async () => {
  seen.length = 0;
  const res = await api.client.get('/api/v1/nodes/n1/proxy/containerLogs/default/web/web?tailLines=1');
  assert.equal(res.status, 200);
  assert.equal(res.text, 'line 1\nline 2\n');
  assert.equal(seen[0]!.url, '/containerLogs/default/web/web?tailLines=1');
  assert.equal(seen[0]!.clientCN, 'kube-apiserver-kubelet-client');
  assert.equal((await api.client.get('/api/v1/nodes/nosuch/proxy/healthz')).status, 404);
});
