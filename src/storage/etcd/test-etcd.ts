/**
 * Starts throwaway etcd members for tests: free loopback ports, temporary --data-dirs, removed
 * again by stop(). `startTestEtcd()` gives one member; `startTestEtcdCluster(n)` an n-member
 * cluster (for failover tests). Reusable by any test that needs a real etcd; check
 * `etcdAvailable()` first and skip with `etcdMissingReason` when it is not installed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const etcdBinary = process.env.SKIFF_ETCD_BINARY ?? '/usr/bin/etcd';
export const etcdMissingReason = `etcd is not installed at ${etcdBinary} (Debian package etcd-server); skipping etcd tests`;

export function etcdAvailable(): boolean {
  return existsSync(etcdBinary);
}

export interface TestEtcd {
  /** Client URL, e.g. http://127.0.0.1:41234 */
  endpoint: string;
  stop(): Promise<void>;
}

export interface TestEtcdCluster {
  endpoints: string[];
  members: TestEtcd[];
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function healthy(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1000) });
    const body = (await res.json()) as { health?: string };
    return body.health === 'true';
  } catch {
    return false;
  }
}

interface Member extends TestEtcd {
  child: ChildProcess;
  exited: () => boolean;
  stderr: () => string;
}

function spawnMember(name: string, clientPort: number, peerPort: number, initialCluster: string, token: string): Member {
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-etcd-'));
  const endpoint = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const args = [
    ['--name', name],
    ['--data-dir', dataDir],
    ['--listen-client-urls', endpoint],
    ['--advertise-client-urls', endpoint],
    ['--listen-peer-urls', peer],
    ['--initial-advertise-peer-urls', peer],
    ['--initial-cluster', initialCluster],
    ['--initial-cluster-token', token],
    ['--initial-cluster-state', 'new'],
    ['--logger', 'zap'],
    ['--log-level', 'error'],
  ].flat();
  const child = spawn(etcdBinary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(killer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { endpoint, stop, child, exited: () => exited, stderr: () => stderr };
}

/** Starts an n-member etcd cluster on loopback and waits until every member is healthy. */
export async function startTestEtcdCluster(size: number, timeoutMs = 30_000): Promise<TestEtcdCluster> {
  if (!etcdAvailable()) throw new Error(etcdMissingReason);
  const ports: { client: number; peer: number }[] = [];
  for (let i = 0; i < size; i++) ports.push({ client: await freePort(), peer: await freePort() });
  const initialCluster = ports.map((p, i) => `m${i}=http://127.0.0.1:${p.peer}`).join(',');
  const token = `skiff-test-${process.pid}-${Date.now()}`;
  const members = ports.map((p, i) => spawnMember(`m${i}`, p.client, p.peer, initialCluster, token));
  const stopAll = async () => {
    await Promise.all(members.map((m) => m.stop()));
  };
  const deadline = Date.now() + timeoutMs;
  for (const m of members) {
    while (!(await healthy(m.endpoint))) {
      if (m.exited() || Date.now() > deadline) {
        await stopAll();
        throw new Error(`etcd member did not become healthy at ${m.endpoint}${m.exited() ? ' (it exited)' : ''}: ${m.stderr().trim()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    endpoints: members.map((m) => m.endpoint),
    members: members.map((m) => ({ endpoint: m.endpoint, stop: m.stop })),
    stop: stopAll,
  };
}

/** Starts a single-member etcd. */
export async function startTestEtcd(timeoutMs = 30_000): Promise<TestEtcd> {
  const cluster = await startTestEtcdCluster(1, timeoutMs);
  return { endpoint: cluster.endpoints[0], stop: cluster.stop };
}
