// CriClient against an in-process gRPC server speaking ./api.proto on a unix socket: requests
// arrive with upstream's snake_case fields, responses come back typed, and gRPC failures become
// CriError with the status code and details. (The real containerd is exercised in
// ../containerd/containerd.test.ts.)
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { CriClient, CriError, isCriNotFound } from './client.js';
import type { PodSandboxConfig } from './types.js';

const dir = mkdtempSync(join(tmpdir(), 'skiff-cri-'));
const socket = join(dir, 'fake.sock');
const seen: Record<string, unknown> = {};
let server: grpc.Server;
let client: CriClient;

type Handler = (call: { request: Record<string, unknown> }, cb: grpc.sendUnaryData<unknown>) => void;
const record = (name: string, reply: (req: Record<string, unknown>) => unknown): Handler => (call, cb) => {
  seen[name] = call.request;
  try {
    cb(null, reply(call.request));
  } catch (err) {
    cb(err as grpc.ServiceError, null);
  }
};

before(async () => {
  const def = protoLoader.loadSync(fileURLToPath(new URL('./api.proto', import.meta.url)), { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { runtime: { v1: Record<string, grpc.ServiceClientConstructor> } };
  server = new grpc.Server();
  server.addService(pkg.runtime.v1['RuntimeService']!.service, {
    Version: record('Version', () => ({ version: '0.1.0', runtime_name: 'fake', runtime_version: '9.9.9', runtime_api_version: 'v1' })),
    RunPodSandbox: record('RunPodSandbox', () => ({ pod_sandbox_id: 'sb-1' })),
    ContainerStatus: record('ContainerStatus', (req) => {
      if (req['container_id'] === 'gone') throw Object.assign(new Error('x'), { code: grpc.status.NOT_FOUND, details: 'container "gone" not found' });
      return { status: { id: req['container_id'], state: 'CONTAINER_EXITED', exit_code: 137, reason: 'OOMKilled', finished_at: 1_700_000_000_123_456_789 } };
    }),
    ExecSync: record('ExecSync', () => ({ stdout: Buffer.from('out'), stderr: Buffer.from('err'), exit_code: 2 })),
    ListContainers: record('ListContainers', () => ({ containers: [{ id: 'c1', state: 'CONTAINER_RUNNING', labels: { a: 'b' } }] })),
  });
  server.addService(pkg.runtime.v1['ImageService']!.service, {
    ImageStatus: record('ImageStatus', (req) => ((req['image'] as { image: string }).image === 'there:1' ? { image: { id: 'sha256:abc', repo_tags: ['there:1'], size: 5 } } : {})),
  });
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix://${socket}`, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())),
  );
  client = await CriClient.connect(socket, { timeoutMs: 3000 });
});

after(() => {
  client?.close();
  server?.forceShutdown();
  rmSync(dir, { recursive: true, force: true });
});

test('version sends the CRI API version and returns the runtime fields', async () => {
  const v = await client.version();
  assert.equal(v.runtime_version, '9.9.9');
  assert.deepEqual(seen['Version'], { version: 'v1' });
});

test('runPodSandbox passes the config with snake_case fields and returns the id', async () => {
  const id = await client.runPodSandbox(
    {
      metadata: { name: 'p', uid: 'u', namespace: 'ns', attempt: 1 },
      log_directory: '/var/log/pods/ns_p_u',
      dns_config: { servers: ['10.43.0.10'], options: ['ndots:5'] },
      port_mappings: [{ protocol: 'UDP', container_port: 53, host_port: 5353 }],
      linux: { cgroup_parent: '/kubepods/pod-u', security_context: { namespace_options: { network: 'NODE' } } },
    },
    'runc',
  );
  assert.equal(id, 'sb-1');
  const req = seen['RunPodSandbox'] as { config: PodSandboxConfig; runtime_handler: string };
  assert.equal(req.runtime_handler, 'runc');
  assert.equal(req.config.log_directory, '/var/log/pods/ns_p_u');
  assert.equal(req.config.metadata.attempt, 1);
  assert.deepEqual(req.config.port_mappings, [{ protocol: 'UDP', container_port: 53, host_port: 5353, host_ip: '' }]);
  assert.equal(req.config.linux?.security_context?.namespace_options?.network, 'NODE');
  assert.deepEqual(req.config.dns_config?.servers, ['10.43.0.10']);
});

test('int64 nanosecond timestamps arrive as numbers; enums as names', async () => {
  const st = await client.containerStatus('c1');
  assert.equal(st.state, 'CONTAINER_EXITED');
  assert.equal(st.reason, 'OOMKilled');
  assert.equal(typeof st.finished_at, 'number');
  assert.ok(Math.abs(st.finished_at - 1_700_000_000_123_456_789) < 1000);
  assert.equal(st.started_at, 0, 'defaults fill unset scalars');
  assert.deepEqual(st.labels, {});
});

test('gRPC errors become CriError with code and details', async () => {
  const err = await client.containerStatus('gone').catch((e: unknown) => e);
  assert.ok(err instanceof CriError);
  assert.equal(err.code, grpc.status.NOT_FOUND);
  assert.equal(err.details, 'container "gone" not found');
  assert.equal(err.method, 'ContainerStatus');
  assert.ok(isCriNotFound(err));
  const unimplemented = await client.removeContainer('x').catch((e: unknown) => e);
  assert.ok(unimplemented instanceof CriError);
  assert.equal(unimplemented.code, grpc.status.UNIMPLEMENTED);
  assert.equal(isCriNotFound(unimplemented), false);
});

test('execSync returns Buffers and the exit code; filters pass through', async () => {
  const r = await client.execSync('c1', ['sh', '-c', 'exit 2'], 5);
  assert.ok(Buffer.isBuffer(r.stdout));
  assert.equal(r.stdout.toString(), 'out');
  assert.equal(r.exit_code, 2);
  assert.deepEqual(seen['ExecSync'], { container_id: 'c1', cmd: ['sh', '-c', 'exit 2'], timeout: 5 });
  const list = await client.listContainers({ label_selector: { app: 'x' }, state: { state: 'CONTAINER_RUNNING' } });
  assert.deepEqual(list.map((c) => c.id), ['c1']);
  const filter = (seen['ListContainers'] as { filter: { label_selector: Record<string, string>; state: { state: string } } }).filter;
  assert.deepEqual(filter.label_selector, { app: 'x' });
  assert.equal(filter.state.state, 'CONTAINER_RUNNING');
});

test('imageStatus returns the image or null', async () => {
  assert.equal((await client.imageStatus('there:1'))?.id, 'sha256:abc');
  assert.equal(await client.imageStatus('absent:1'), null);
});

test('connect fails clearly when nothing listens', async () => {
  await assert.rejects(CriClient.connect(join(dir, 'nobody.sock'), { timeoutMs: 300 }), /cannot connect to CRI socket/);
});
