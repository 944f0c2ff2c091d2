/**
 * Shared by the tests that run real containerd: why they skip on this machine, a plain HTTP GET of a
 * pod IP, and a teardown that leaves nothing behind (sandboxes, the containerd child, mounts under the
 * test dir, the test's pod bridge, the dir itself) even after a failed step.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { checkContainerdPrerequisites } from './prerequisites.js';
import type { ContainerdHandle } from './supervisor.js';

/** Why a containerd test cannot run here, or false when it can. */
export function containerdSkipReason(): string | false {
  if (process.platform !== 'linux') return 'containerd tests need Linux';
  if (process.getuid?.() !== 0) return 'containerd tests need root';
  const check = checkContainerdPrerequisites();
  return check.ok ? false : `containerd prerequisites missing: ${check.missing.join(', ')} (${check.hint})`;
}

export function httpGet(url: string, timeoutMs = 5000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { timeout: timeoutMs, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Lazily unmounts everything mounted below `dir`, deepest first. */
export function unmountBelow(dir: string): void {
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((m) => m === dir || m.startsWith(`${dir}/`));
  for (const m of mounts.sort().reverse()) {
    try {
      execFileSync('umount', ['-l', m], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
}

/** SIGKILLs containerd shims still serving a socket below `dir` (a sandbox created while containerd stopped). */
function killShimsOf(dir: string): void {
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (cmd[0]?.includes('containerd-shim') && cmd.some((a) => a.startsWith(`${dir}/`))) process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

/**
 * Stops and removes every sandbox of `handle` (or SIGKILLs the containerd of `<dir>/containerd` left
 * running without a handle), removes the bridge, unmounts and deletes `dir`.
 */
export async function teardownContainerd(handle: ContainerdHandle | null | undefined, dir: string, bridge?: string): Promise<void> {
  if (handle) {
    for (const s of await handle.client.listPodSandbox().catch(() => [])) {
      await handle.client.stopPodSandbox(s.id).catch(() => {});
      await handle.client.removePodSandbox(s.id).catch(() => {});
    }
    await handle.stop().catch(() => {});
  } else {
    const pidFile = join(dir, 'containerd', 'containerd.pid');
    try {
      if (existsSync(pidFile)) process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGKILL');
    } catch {
      // not running
    }
  }
  killShimsOf(dir);
  if (bridge) {
    try {
      execFileSync('ip', ['link', 'del', bridge], { stdio: 'ignore' });
    } catch {
      // no bridge
    }
  }
  unmountBelow(dir);
  rmSync(dir, { recursive: true, force: true });
}

/** Calls fn until it resolves (its value is returned) or timeoutMs passes (then throws, naming `what` and fn's last error). */
export async function eventually<T>(what: string, fn: () => Promise<T>, timeoutMs = 15_000, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      return await fn();
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
  throw new Error(`${what}: ${last instanceof Error ? last.message : String(last)}`);
}
