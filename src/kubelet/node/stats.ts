/**
 * The kubelet Summary API (GET /stats/summary, stats/v1alpha1) built from CRI, as upstream's CRI
 * stats provider does: pods from ListPodSandbox (ready sandboxes, podRef from the sandbox
 * metadata), containers from ListContainers (running ones) and ListContainerStats; node figures
 * from /proc/stat (CPU) and /proc/meminfo (memory). This is what metrics.k8s.io scrapes.
 *
 * CPU usage in nanocores is a rate: it needs two samples of the cumulative usage_core_nano_seconds.
 * `summaryFromCri` takes the previous samples and returns the new ones; `NodeStats` keeps them and
 * samples every 10 s so that any request finds a rate. Until a container has two samples, the
 * runtime's own usage_nano_cores is used when it gives one (containerd computes it), else the
 * container has no usageNanoCores (metrics-server then skips it).
 *
 * Inputs: a CRI client (the three list calls), the node name, a /proc root (tests use a fixture).
 * Outputs: the Summary JSON object; `handleStatsSummary(stats)` serves it over HTTP.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Container, ContainerFilter, ContainerStats, ContainerStatsFilter, PodSandbox, PodSandboxFilter } from '../cri/types.js';
import { formatTimestamp } from '../../machinery/duration.js';

/** What stats need from the CRI client (CriClient satisfies it). */
export interface StatsCri {
  listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]>;
  listContainers(filter?: ContainerFilter): Promise<Container[]>;
  listContainerStats(filter?: ContainerStatsFilter): Promise<ContainerStats[]>;
}

export interface CpuStats {
  time: string;
  usageNanoCores?: number;
  usageCoreNanoSeconds?: number;
}

export interface MemoryStats {
  time: string;
  availableBytes?: number;
  usageBytes?: number;
  workingSetBytes?: number;
  rssBytes?: number;
  pageFaults?: number;
  majorPageFaults?: number;
}

export interface ContainerSummary {
  name: string;
  startTime: string;
  cpu?: CpuStats;
  memory?: MemoryStats;
}

export interface PodSummary {
  podRef: { name: string; namespace: string; uid: string };
  startTime: string;
  containers: ContainerSummary[];
  cpu?: CpuStats;
  memory?: MemoryStats;
}

export interface Summary {
  node: { nodeName: string; startTime?: string; cpu?: CpuStats; memory?: MemoryStats };
  pods: PodSummary[];
}

/** A cumulative CPU reading: nanoseconds of CPU time at a wall-clock time in nanoseconds. */
interface CpuSample {
  atNs: number;
  usageNs: number;
}

/** The samples a rate is computed against: the node's and each container's (by container id). */
export interface StatsSamples {
  node?: CpuSample;
  containers: Map<string, CpuSample>;
}

const USER_HZ_NS = 1e7; // /proc/stat counts in USER_HZ (100 per second) on Linux.

function rate(prev: CpuSample | undefined, cur: CpuSample): number | undefined {
  if (!prev || cur.atNs <= prev.atNs || cur.usageNs < prev.usageNs) return undefined;
  return Math.round(((cur.usageNs - prev.usageNs) / (cur.atNs - prev.atNs)) * 1e9);
}

/** Node CPU from /proc/stat: busy time (all but idle and iowait) and boot time. */
export async function readNodeCpu(procRoot: string, nowNs: number): Promise<{ sample: CpuSample; bootTime?: number }> {
  const text = await readFile(join(procRoot, 'stat'), 'utf8');
  const cpu = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!cpu) throw new Error('no cpu line in /proc/stat');
  const f = cpu.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already inside user/nice).
  const total = f.slice(0, 8).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  const busy = total - (f[3] ?? 0) - (f[4] ?? 0);
  const btime = /^btime\s+(\d+)/m.exec(text);
  return { sample: { atNs: nowNs, usageNs: busy * USER_HZ_NS }, ...(btime ? { bootTime: Number(btime[1]) * 1000 } : {}) };
}

/** Node memory from /proc/meminfo, as cadvisor's root-cgroup figures: working set = used - inactive file pages. */
export async function readNodeMemory(procRoot: string): Promise<Omit<MemoryStats, 'time'>> {
  const text = await readFile(join(procRoot, 'meminfo'), 'utf8');
  const kb = (key: string): number => {
    const m = new RegExp(`^${key.replace(/[()]/g, '\\$&')}:\\s+(\\d+)`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : 0;
  };
  const total = kb('MemTotal');
  const usage = total - kb('MemFree');
  const workingSet = Math.max(0, usage - kb('Inactive(file)'));
  return { usageBytes: usage, workingSetBytes: workingSet, availableBytes: Math.max(0, total - workingSet), rssBytes: kb('AnonPages') };
}

const value = (v: { value: number } | null | undefined): number | undefined => (v ? v.value : undefined);

function containerMemory(s: ContainerStats, time: string): MemoryStats | undefined {
  const m = s.memory;
  if (!m || !m.working_set_bytes) return undefined;
  const fields = { workingSetBytes: value(m.working_set_bytes), usageBytes: value(m.usage_bytes), availableBytes: value(m.available_bytes), rssBytes: value(m.rss_bytes), pageFaults: value(m.page_faults), majorPageFaults: value(m.major_page_faults) };
  return { time, ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) };
}

function sumOf(parts: Array<CpuStats | MemoryStats | undefined>, key: 'usageNanoCores' | 'usageCoreNanoSeconds' | 'workingSetBytes' | 'usageBytes'): number | undefined {
  let total: number | undefined;
  for (const p of parts) {
    const v = (p as Record<string, unknown> | undefined)?.[key];
    if (typeof v === 'number') total = (total ?? 0) + v;
  }
  return total;
}

export interface SummaryOptions {
  nodeName: string;
  procRoot?: string;
  previous?: StatsSamples;
  /** Wall clock in milliseconds (tests). */
  now?: number;
}

export async function summaryFromCri(cri: StatsCri, opts: SummaryOptions): Promise<{ summary: Summary; samples: StatsSamples }> {
  const nowMs = opts.now ?? Date.now();
  const time = formatTimestamp(nowMs);
  const procRoot = opts.procRoot ?? '/proc';
  const previous: StatsSamples = opts.previous ?? { containers: new Map() };
  const samples: StatsSamples = { containers: new Map() };
  const [sandboxes, containers, stats] = await Promise.all([cri.listPodSandbox({ state: { state: 'SANDBOX_READY' } }), cri.listContainers({ state: { state: 'CONTAINER_RUNNING' } }), cri.listContainerStats({})]);

  const summary: Summary = { node: { nodeName: opts.nodeName }, pods: [] };
  try {
    const { sample, bootTime } = await readNodeCpu(procRoot, nowMs * 1e6);
    samples.node = sample;
    summary.node.cpu = { time, usageCoreNanoSeconds: sample.usageNs, ...optional('usageNanoCores', rate(previous.node, sample)) };
    if (bootTime !== undefined) summary.node.startTime = formatTimestamp(bootTime);
    summary.node.memory = { time, ...(await readNodeMemory(procRoot)) };
  } catch {
    // No /proc (not Linux): the node reports no figures rather than failing the whole summary.
  }

  const statsById = new Map(stats.map((s) => [s.attributes?.id ?? '', s]));
  const pods = new Map<string, PodSummary>();
  for (const sb of sandboxes) {
    if (!sb.metadata) continue;
    pods.set(sb.id, { podRef: { name: sb.metadata.name, namespace: sb.metadata.namespace, uid: sb.metadata.uid }, startTime: formatTimestamp(sb.created_at / 1e6), containers: [] });
  }
  // Running containers only, the newest attempt of each name (a restarting container leaves its old one behind).
  const newest = new Map<string, Container>();
  for (const c of containers) {
    const key = `${c.pod_sandbox_id}/${c.metadata?.name ?? ''}`;
    const seen = newest.get(key);
    if (!seen || c.created_at > seen.created_at) newest.set(key, c);
  }
  for (const c of newest.values()) {
    const pod = pods.get(c.pod_sandbox_id);
    if (!pod || !c.metadata) continue;
    const s = statsById.get(c.id);
    const entry: ContainerSummary = { name: c.metadata.name, startTime: formatTimestamp(c.created_at / 1e6) };
    const cumulative = value(s?.cpu?.usage_core_nano_seconds);
    if (s?.cpu && cumulative !== undefined) {
      const sample = { atNs: s.cpu.timestamp || nowMs * 1e6, usageNs: cumulative };
      samples.containers.set(c.id, sample);
      const nano = rate(previous.containers.get(c.id), sample) ?? value(s.cpu.usage_nano_cores);
      entry.cpu = { time: formatTimestamp(sample.atNs / 1e6), usageCoreNanoSeconds: cumulative, ...optional('usageNanoCores', nano) };
    }
    const memory = s ? containerMemory(s, s.memory?.timestamp ? formatTimestamp(s.memory.timestamp / 1e6) : time) : undefined;
    if (memory) entry.memory = memory;
    pod.containers.push(entry);
  }
  for (const pod of pods.values()) {
    pod.containers.sort((a, b) => a.name.localeCompare(b.name));
    const cpus = pod.containers.map((c) => c.cpu);
    const mems = pod.containers.map((c) => c.memory);
    if (cpus.some(Boolean)) pod.cpu = { time, ...optional('usageNanoCores', sumOf(cpus, 'usageNanoCores')), ...optional('usageCoreNanoSeconds', sumOf(cpus, 'usageCoreNanoSeconds')) };
    if (mems.some(Boolean)) pod.memory = { time, ...optional('workingSetBytes', sumOf(mems, 'workingSetBytes')), ...optional('usageBytes', sumOf(mems, 'usageBytes')) };
    summary.pods.push(pod);
  }
  summary.pods.sort((a, b) => a.podRef.namespace.localeCompare(b.podRef.namespace) || a.podRef.name.localeCompare(b.podRef.name));
  return { summary, samples };
}

function optional<K extends string>(key: K, v: number | undefined): Partial<Record<K, number>> {
  return v === undefined ? {} : ({ [key]: v } as Record<K, number>);
}

/** Keeps the samples between summaries and refreshes them every `intervalMs`, so requests always find a rate. */
export class NodeStats {
  private samples?: StatsSamples;
  private timer?: NodeJS.Timeout;
  private latest?: Promise<Summary>;

  constructor(
    private readonly cri: StatsCri,
    private readonly opts: { nodeName: string; procRoot?: string; intervalMs?: number; onError?: (err: unknown) => void },
  ) {}

  start(): void {
    const tick = () => void this.refresh().catch((err: unknown) => this.opts.onError?.(err));
    tick();
    this.timer = setInterval(tick, this.opts.intervalMs ?? 10_000);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Takes a new sample now and returns the summary computed against the previous one. */
  async refresh(): Promise<Summary> {
    const run = summaryFromCri(this.cri, { nodeName: this.opts.nodeName, procRoot: this.opts.procRoot, previous: this.samples }).then(({ summary, samples }) => {
      this.samples = samples;
      return summary;
    });
    this.latest = run;
    return run;
  }

  /** The latest summary (a sample is taken when there is none yet). */
  summary(): Promise<Summary> {
    return this.latest?.catch(() => this.refresh()) ?? this.refresh();
  }
}

/**
 * GET /stats/summary for the kubelet HTTPS server (src/kubelet/server/): answers and returns true,
 * or returns false for any other path so the caller routes it elsewhere.
 */
export function handleStatsSummary(stats: Pick<NodeStats, 'summary'>): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/stats/summary' && path !== '/stats/summary/') return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { 'Content-Type': 'text/plain' }).end('Method Not Allowed');
      return true;
    }
    try {
      const body = JSON.stringify(await stats.summary());
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) }).end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`Internal Error: failed to get node stats: ${err instanceof Error ? err.message : String(err)}`);
    }
    return true;
  };
}
