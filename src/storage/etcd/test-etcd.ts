/**
 * Starts a throwaway single-member etcd for tests: free loopback ports, a temporary --data-dir,
 * removed again by stop(). Reusable by any test that needs a real etcd; check `etcdAvailable()`
 * first and skip with `etcdMissingReason` when it is not installed.
 */
import { spawn } from 'node:child_process';
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

export async function startTestEtcd(timeoutMs = 30_000): Promise<TestEtcd> {
  if (!etcdAvailable()) throw new Error(etcdMissingReason);
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-etcd-'));
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const endpoint = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const child = spawn(
    etcdBinary,
    [
      '--name', 'skiff-test',
      '--data-dir', dataDir,
      '--listen-client-urls', endpoint,
      '--advertise-client-urls', endpoint,
      '--listen-peer-urls', peer,
      '--initial-advertise-peer-urls', peer,
      '--initial-cluster', `skiff-test=${peer}`,
      '--initial-cluster-state', 'new',
      '--logger', 'zap',
      '--log-level', 'error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
  const cleanup = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(killer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  while (!(await healthy(endpoint))) {
    if (exited || Date.now() > deadline) {
      await cleanup();
      throw new Error(`etcd did not become healthy at ${endpoint}${exited ? ' (it exited)' : ''}: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { endpoint, stop: cleanup };
}
