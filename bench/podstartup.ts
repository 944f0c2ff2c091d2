/**
 * `npm run bench -- podstartup [--pods 50] [--idle-pods 10] [--no-footprint]` (root, containerd installed)
 *
 * Pod startup on the containerd node: `skiff up --runtime containerd` as a child process, the busybox
 * test image imported (present on the node), then `--pods` pods created at once through the API; for each,
 * the time from its create request to the watch event showing it Running (`p50_ms`, `p99_ms`).
 * Ceiling, same run and same containerd: the same number of pods started straight through CRI
 * (RunPodSandbox + CreateContainer + StartContainer in parallel, no Skiff), `cri_p50_ms`/`cri_p99_ms`;
 * `p99_ratio` = Skiff's p99 / CRI's p99. `skiff_cpu_ms_per_pod`: CPU the `skiff up` process (with its reaped
 * children and helper shells) used from the creates until all were Running, per pod — Skiff's own
 * overhead, steadier than the wall-clock figures when the machine is shared.
 * Footprint: with `--idle-pods` pods running and the cluster idle for 20 s, RSS of `skiff up` and of
 * containerd (and of all shims together), from /proc; `--no-footprint` skips that part (e.g. for a
 * CPU profile of the startup burst alone: SKIFF_CPU_PROF_DIR=DIR makes the `skiff up` child write one).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RestClient, loadKubeconfig } from '../src/client/rest.js';
import { CriClient } from '../src/kubelet/cri/client.js';
import { TEST_BUSYBOX_IMAGE, buildBusyboxImage } from '../src/kubelet/images/index.js';
import { skiffCli, startSkiff } from '../test/e2e/harness.js';
import { progress, type BenchArgs } from './args.js';

const execFileAsync = promisify(execFile);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};
const rssMiB = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
};
function pidsOf(pattern: RegExp): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (pattern.test(readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' '))) out.push(Number(d));
    } catch {
      // gone
    }
  }
  return out;
}

/** CPU time (ms) of a process: its own, its reaped children's, and that of its live `sh` children (the mount helper and what it ran). */
function cpuMs(pid: number): number {
  const ticks = (stat: string, withChildren: boolean) => {
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const fields = withChildren ? f.slice(11, 15) : f.slice(11, 13);
    return fields.reduce((a, x) => a + Number(x), 0);
  };
  let total = ticks(readFileSync(`/proc/${pid}/stat`, 'utf8'), true);
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[1]) === pid && stat.includes('(sh)')) total += ticks(stat, true);
    } catch {
      // gone
    }
  }
  return total * 10;
}

function podManifest(name: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { bench: 'podstartup' } },
    spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: TEST_BUSYBOX_IMAGE, imagePullPolicy: 'Never', command: ['sleep', '3600'] }] },
  };
}

async function criCeiling(socket: string, n: number, dir: string): Promise<number[]> {
  const cri = await CriClient.connect(socket);
  const ids: string[] = [];
  try {
    const times = await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const t0 = performance.now();
        const sandboxConfig = { metadata: { name: `ceiling-${i}`, uid: `ceiling-${i}`, namespace: 'bench', attempt: 0 }, hostname: `ceiling-${i}`, log_directory: join(dir, `ceiling-${i}`), labels: {}, annotations: {}, port_mappings: [], linux: { cgroup_parent: '', security_context: null, sysctls: {} } };
        const sb = await cri.runPodSandbox(sandboxConfig as never);
        ids.push(sb);
        const c = await cri.createContainer(sb, { metadata: { name: 'main', attempt: 0 }, image: { image: TEST_BUSYBOX_IMAGE }, command: ['sleep', '3600'], args: [], working_dir: '', envs: [], mounts: [], labels: {}, annotations: {}, log_path: 'main.log' } as never, sandboxConfig as never);
        await cri.startContainer(c);
        return performance.now() - t0;
      }),
    );
    return times;
  } finally {
    for (const id of ids) {
      await cri.stopPodSandbox(id).catch(() => {});
      await cri.removePodSandbox(id).catch(() => {});
    }
    cri.close();
  }
}

export async function run(args: BenchArgs): Promise<Record<string, unknown>> {
  if (process.getuid?.() !== 0) throw new Error('podstartup needs root (containerd)');
  const n = args.number('pods', 50);
  const idle = args.number('idle-pods', 10);
  const work = await mkdtemp(join(tmpdir(), 'skiff-bench-ps-'));
  const tar = join(work, 'busybox.tar');
  await buildBusyboxImage(tar);
  progress('starting skiff up --runtime containerd');
  const s = await startSkiff(['--runtime', 'containerd', '--kubelet-port', '0']);
  try {
    await execFileAsync(process.execPath, [...skiffCli(), 'images', 'import', tar, '--data-dir', s.dataDir]);
    const client = new RestClient(loadKubeconfig(s.kubeconfig));
    // Wait for the node, so scheduling is not part of the figure's noise floor.
    for (let i = 0; i < 300; i++) {
      const nodes = await client.get<{ items: unknown[] }>('/api/v1/nodes');
      if ((nodes.body?.items?.length ?? 0) > 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    progress(`ceiling: ${n} pods straight through CRI`);
    const ceiling = await criCeiling(join(s.dataDir, 'containerd', 'containerd.sock'), n, work);

    const sent = new Map<string, number>();
    const running = new Map<string, number>();
    const watch = await client.watch('/api/v1/namespaces/default/pods?watch=1&labelSelector=bench%3Dpodstartup', (ev) => {
      const pod = ev.object as { metadata?: { name?: string }; status?: { phase?: string } };
      const name = pod.metadata?.name ?? '';
      if (pod.status?.phase === 'Running' && !running.has(name)) running.set(name, performance.now());
    });
    progress(`creating ${n} pods at once`);
    const cpuBefore = cpuMs(s.pid);
    await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const name = `ps-${i}`;
        sent.set(name, performance.now());
        const r = await client.post('/api/v1/namespaces/default/pods', podManifest(name));
        if (r.status !== 201) throw new Error(`create ${name}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
      }),
    );
    const deadline = Date.now() + 180_000;
    while (running.size < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const burstCpuMs = cpuMs(s.pid) - cpuBefore;
    watch.stop();
    if (running.size < n) throw new Error(`only ${running.size} of ${n} pods Running after 180 s`);
    const lat = [...sent].map(([name, t]) => running.get(name)! - t);

    const startup = {
      pods: n,
      p50_ms: Math.round(pct(lat, 50)),
      p99_ms: Math.round(pct(lat, 99)),
      max_ms: Math.round(Math.max(...lat)),
      cri_p50_ms: Math.round(pct(ceiling, 50)),
      cri_p99_ms: Math.round(pct(ceiling, 99)),
      p99_ratio: Number((pct(lat, 99) / pct(ceiling, 99)).toFixed(2)),
      skiff_cpu_ms_per_pod: Math.round(burstCpuMs / n),
    };
    if (args.bool('no-footprint')) {
      client.close();
      return startup;
    }
    progress(`footprint: keeping ${idle} pods, idle 20 s`);
    for (let i = idle; i < n; i++) await client.delete(`/api/v1/namespaces/default/pods/ps-${i}`);
    for (let i = 0; i < 600; i++) {
      const list = await client.get<{ items: unknown[] }>('/api/v1/namespaces/default/pods?labelSelector=bench%3Dpodstartup');
      if (list.body.items.length <= idle) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 20_000));
    const containerdPid = Number(readFileSync(join(s.dataDir, 'containerd', 'containerd.pid'), 'utf8').trim());
    const shims = pidsOf(new RegExp(`containerd-shim.*${s.dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    client.close();
    return {
      ...startup,
      idle_pods: idle,
      skiff_rss_mib: rssMiB(s.pid),
      containerd_rss_mib: rssMiB(containerdPid),
      shims: shims.length,
      shims_rss_mib: shims.reduce((a, p) => a + (rssMiB(p) || 0), 0),
    };
  } finally {
    await s.stop();
    await rm(work, { recursive: true, force: true });
  }
}
