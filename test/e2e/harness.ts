/**
 * End-to-end harness: starts `skiff up` as a child process on a fresh data dir (API port 0, simulated
 * nodes), parses its one "Skiff is ready" line, and runs the real kubectl against it with a fresh
 * KUBECACHEDIR. Also parses kubectl's column output into header names and cells.
 *
 * From source the CLI is `src/cmd/skiff.ts` run with `node --import tsx`, so the source under test is what
 * runs; compiled (`npm test` runs dist/) it is dist/src/cmd/skiff.js. SKIFF_CLI overrides both.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { teardownContainerd } from '../../src/kubelet/containerd/test-support.js';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const KUBECTL = '/usr/bin/kubectl';
// Compiled (dist/test/e2e/harness.js): the CLI compiled next to it; from source: the CLI's source via tsx.
const compiled = import.meta.url.endsWith('.js');
const CLI_ARGS = process.env.SKIFF_CLI
  ? [resolve(process.env.SKIFF_CLI)]
  : compiled
    ? [fileURLToPath(new URL('../../src/cmd/skiff.js', import.meta.url))]
    : ['--import', 'tsx', fileURLToPath(new URL('../../src/cmd/skiff.ts', import.meta.url))];

export interface KubectlResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface SkiffProcess {
  /** Process id of `skiff up`. */
  pid: number;
  url: string;
  kubeconfig: string;
  dataDir: string;
  cacheDir: string;
  /** Runs kubectl with the cluster's kubeconfig and the fresh cache dir. */
  kubectl(args: string[], opts?: { env?: Record<string, string>; timeoutMs?: number }): Promise<KubectlResult>;
  /** Starts kubectl and returns the child (for `get -w`); the caller kills it. */
  spawnKubectl(args: string[]): { child: ChildProcess; output(): string; errors(): string };
  /** Kills `skiff up` with `signal` and starts it again on the same data dir and flags. */
  restart(signal: NodeJS.Signals): Promise<SkiffProcess>;
  stop(): Promise<void>;
}

/** The argv prefix that runs the skiff CLI under test with `process.execPath`. */
export function skiffCli(): string[] {
  return [...CLI_ARGS];
}

/** Starts `skiff up` and resolves once it printed its ready line. */
export async function startSkiff(extraArgs: string[] = [], reuse?: { dataDir: string; cacheDir: string }): Promise<SkiffProcess> {
  const dataDir = reuse?.dataDir ?? mkdtempSync(join(tmpdir(), 'skiff-e2e-'));
  const cacheDir = reuse?.cacheDir ?? mkdtempSync(join(tmpdir(), 'skiff-e2e-kubecache-'));
  // Simulated nodes unless a test asks for containerd: the default would pick containerd where it is installed.
  const runtime = extraArgs.includes('--runtime') ? [] : ['--runtime', 'sim'];
  // SKIFF_CPU_PROF_DIR=DIR: the `skiff up` child writes a V8 CPU profile there when it exits (Node refuses --cpu-prof in NODE_OPTIONS).
  const prof = process.env.SKIFF_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SKIFF_CPU_PROF_DIR}`] : [];
  const proc = spawn(process.execPath, [...prof, ...CLI_ARGS, 'up', '--data-dir', dataDir, '--api-port', '0', ...runtime, ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const ready = await new Promise<{ url: string; kubeconfig: string }>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`skiff up did not get ready: ${err}`)), 60_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Skiff is ready: API server at (https:\/\/\S+); kubeconfig: (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePromise({ url: m[1]!, kubeconfig: m[2]! });
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`skiff up exited with ${code}: ${err}`));
    });
  });
  const env = { ...process.env, KUBECACHEDIR: cacheDir, KUBECONFIG: ready.kubeconfig };
  const kubectl = (args: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}) =>
    new Promise<KubectlResult>((resolvePromise) => {
      execFile(KUBECTL, ['--kubeconfig', ready.kubeconfig, ...args], { env: { ...env, ...opts.env }, timeout: opts.timeoutMs ?? 60_000 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolvePromise({ stdout, stderr, code });
      });
    });
  const spawnKubectl = (args: string[]) => {
    const child = spawn(KUBECTL, ['--kubeconfig', ready.kubeconfig, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    let errors = '';
    child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (errors += d.toString()));
    return { child, output: () => text, errors: () => errors };
  };
  return {
    ...ready,
    pid: proc.pid ?? 0,
    dataDir,
    cacheDir,
    kubectl,
    spawnKubectl,
    async restart(signal) {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill(signal);
        await exited;
      }
      return startSkiff(extraArgs, { dataDir, cacheDir });
    },
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await new Promise((r) => proc.once('exit', r));
      }
      await removeContainers(dataDir);
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

export interface ParsedTable {
  headers: string[];
  rows: Array<Record<string, string>>;
}

/**
 * Splits kubectl's tab-aligned column output: each header starts a column, a cell is the text between
 * its header's offset and the next one's. Blank lines separate tables (`get a,b`); only the first is read.
 */
export function parseColumns(text: string): ParsedTable {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.trim() !== '');
  const header = lines[first] ?? '';
  const starts: number[] = [];
  const headers: string[] = [];
  for (const m of header.matchAll(/\S+(?: \S+)*/g)) {
    starts.push(m.index);
    headers.push(m[0]);
  }
  const rows: Array<Record<string, string>> = [];
  for (const line of lines.slice(first + 1)) {
    if (line.trim() === '') break;
    const row: Record<string, string> = {};
    headers.forEach((h, i) => (row[h] = line.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : undefined).trim()));
    rows.push(row);
  }
  return { headers, rows };
}

/** Polls `check` until it returns true or the time runs out. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Once `skiff up` has exited (its kubelet would recreate what is removed while it runs): brings the data
 * dir's containerd back if needed, stops and removes every pod sandbox, stops containerd, unmounts.
 */
async function removeContainers(dataDir: string): Promise<void> {
  const dir = join(dataDir, 'containerd');
  if (!existsSync(join(dir, 'config.toml'))) return;
  const { startContainerd } = await import('../../src/kubelet/containerd/index.js');
  const { DEFAULT_POD_CIDR } = await import('../../src/kubelet/cri-kubelet/index.js');
  const handle = await startContainerd({ dir, podCidr: DEFAULT_POD_CIDR }).catch(() => undefined);
  await teardownContainerd(handle, dataDir);
}
