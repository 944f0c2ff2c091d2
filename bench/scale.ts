/**
 * `npm run bench -- scale [--nodes 5000] [--pods 150000] [--create-concurrency 64] [--batch 5000] [--threads true]
 *   [--lease-renew-ms 120000] [--node-status-ms 300000] [--start-delay-ms 0] [--sim-concurrency 64]
 *   [--events true] [--timeout-s 1800]`
 *
 * Upstream's documented limits in one process: the API server (SQLite in a temporary data dir),
 * the scheduler, `--nodes` simulated nodes (kubelet/sim) and a pod watch of our own; with
 * `--threads true` (default) the scheduler and the sim each run on their own worker thread, as
 * separate processes would (`false`: everything on the main thread). Creates
 * `--pods` bare pods (10m CPU, 16Mi) through the API, `--batch` at a time with
 * `--create-concurrency` requests in flight, and waits until the watch has seen every pod Running.
 *
 * With `--timeout-s` exceeded it stops waiting and reports what it reached (`completed: false`).
 * Reports total_s (first create -> last Running), p50/p99/max pod startup (POST issued -> Running
 * seen by the watch), peak RSS of the process (sampled every 500 ms, and the OS's maxRSS), durable
 * storage writes per second (from the server's etcd_requests_total) with their split per resource.
 * The sim's lease period defaults to 120 s (the kubelet's is 10 s: 5,000 nodes would be 500
 * writes/s of renewals alone) and its node status period to 300 s; both are in the result's config.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer } from '../src/apiserver/server.js';
import { RestClient, loadKubeconfig } from '../src/client/rest.js';
import { startSimNodes, type SimConfig } from '../src/kubelet/sim/index.js';
import { startScheduler } from '../src/scheduler/index.js';
import { startComponent } from './scale/components.js';
import { progress, type BenchArgs } from './args.js';
import { RssSampler, StartupTracker, percentile, storageWrites } from './scale/stats.js';

const NS = 'scale';
const podsPath = `/api/v1/namespaces/${NS}/pods`;

function pod(name: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, labels: { app: 'scale' } },
    spec: { containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.9', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
  };
}

/**
 * Watches pods entering phase Running from `rv` on (a status.phase field selector: one ADDED event
 * per pod instead of every status change), re-opening from the last seen resourceVersion when the
 * stream ends.
 */
async function watchPods(client: RestClient, rv: string, tracker: StartupTracker): Promise<() => void> {
  let stopped = false;
  let stop: () => void = () => undefined;
  const open = async (): Promise<void> => {
    const w = await client.watch(`${podsPath}?watch=true&allowWatchBookmarks=true&fieldSelector=status.phase%3DRunning&resourceVersion=${rv}`, (ev) => {
      const meta = ev.object.metadata as { name?: string; resourceVersion?: string } | undefined;
      if (meta?.resourceVersion) rv = meta.resourceVersion;
      if (ev.type === 'ADDED' || ev.type === 'MODIFIED') tracker.observed(meta?.name ?? '', (ev.object.status as { phase?: string } | undefined)?.phase);
    }, () => {
      if (!stopped) setTimeout(() => void open().catch((e: unknown) => progress(`watch reopen failed: ${String(e)}`)), 100);
    });
    if (w.status !== 200) throw new Error(`watch pods: HTTP ${w.status}`);
    stop = w.stop;
  };
  await open();
  return () => {
    stopped = true;
    stop();
  };
}

async function writesNow(server: { metrics: { render(): Promise<{ body: string }> } }): Promise<ReturnType<typeof storageWrites>> {
  return storageWrites((await server.metrics.render()).body);
}

export async function run(args: BenchArgs): Promise<Record<string, unknown>> {
  const config = {
    nodes: args.number('nodes', 5000),
    pods: args.number('pods', 150_000),
    createConcurrency: args.number('create-concurrency', 64),
    batch: args.number('batch', 5000),
    leaseRenewMs: args.number('lease-renew-ms', 120_000),
    nodeStatusMs: args.number('node-status-ms', 300_000),
    startDelayMs: args.number('start-delay-ms', 0),
    simConcurrency: args.number('sim-concurrency', 64),
    events: args.string('events', 'true') !== 'false',
    threads: args.string('threads', 'true') !== 'false',
    timeoutS: args.number('timeout-s', 1800),
  };
  const rss = new RssSampler(500);
  const dataDir = await mkdtemp(join(tmpdir(), 'skiff-bench-scale-'));
  const server = await startApiServer({ dataDir, port: 0, quiet: true });
  const kube = loadKubeconfig(server.kubeconfigPath);
  // One client per component, as separate processes would have.
  const clients = { creator: new RestClient(kube), scheduler: new RestClient(kube), sim: new RestClient(kube), watcher: new RestClient(kube) };
  const stops: Array<() => void | Promise<void>> = [];
  try {
    const ns = await clients.creator.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    if (ns.status !== 201) throw new Error(`create namespace: ${ns.status} ${ns.text.slice(0, 200)}`);
    progress(`registering ${config.nodes} sim nodes`);
    const t0 = performance.now();
    const simConfig: SimConfig = { leaseRenewMs: config.leaseRenewMs, nodeStatusMs: config.nodeStatusMs, maxConcurrentRequests: config.simConcurrency, timings: { createDelayMs: 0, startDelayMs: config.startDelayMs } };
    let heartbeats: () => Record<string, number>;
    if (config.threads) {
      const sim = await startComponent({ component: 'sim', kubeconfigPath: server.kubeconfigPath, count: config.nodes, config: simConfig });
      stops.push(() => sim.stop());
      heartbeats = () => sim.latest.heartbeats;
    } else {
      const sim = await startSimNodes({ client: clients.sim, count: config.nodes, config: simConfig });
      stops.push(() => sim.stop());
      heartbeats = () => ({ ...sim.heartbeats.stats });
    }
    const nodesSeconds = (performance.now() - t0) / 1000;
    progress(`nodes registered in ${nodesSeconds.toFixed(1)} s; starting the scheduler`);
    let sched: { scheduledCount(): number };
    if (config.threads) {
      const worker = await startComponent({ component: 'scheduler', kubeconfigPath: server.kubeconfigPath, scheduledEvents: config.events });
      stops.push(() => worker.stop());
      sched = { scheduledCount: () => worker.latest.scheduled };
    } else {
      const inline = await startScheduler({ client: clients.scheduler, config: { scheduledEvents: config.events } });
      stops.push(() => inline.stop());
      sched = inline;
    }

    const tracker = new StartupTracker();
    const list = await clients.watcher.get<{ metadata?: { resourceVersion?: string } }>(podsPath);
    stops.push(await watchPods(clients.watcher, list.body.metadata?.resourceVersion ?? '0', tracker));

    const writesBefore = await writesNow(server);
    const start = performance.now();
    let createErrors = 0;
    let next = 0;
    let createdAt = 0;
    const createOne = async (): Promise<void> => {
      const i = next++;
      const name = `pod-${i}`;
      tracker.created(name);
      for (let attempt = 0; ; attempt++) {
        const res = await clients.creator.post(podsPath, pod(name));
        if (res.status === 201 || res.status === 409) return;
        createErrors++;
        if (attempt >= 5) throw new Error(`create ${name}: ${res.status} ${res.text.slice(0, 200)}`);
        await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
      }
    };
    const creating = (async () => {
      while (next < config.pods) {
        const end = Math.min(config.pods, next + config.batch);
        await Promise.all(Array.from({ length: Math.min(config.createConcurrency, end - next) }, async () => {
          while (next < end) await createOne();
        }));
        progress(`created ${end}/${config.pods} (${Math.round(end / ((performance.now() - start) / 1000))}/s); scheduled ${sched.scheduledCount()}, running ${tracker.runningCount()}, rss ${Math.round(rss.sample() / 2 ** 20)} MiB`);
      }
      createdAt = performance.now();
    })();

    const deadline = start + config.timeoutS * 1000;
    let lastReport = performance.now();
    let failed: unknown;
    let timedOut = false;
    creating.catch((e: unknown) => (failed = e));
    while (tracker.runningCount() < config.pods) {
      if (failed) throw failed;
      await new Promise((r) => setTimeout(r, 100));
      if (performance.now() > deadline) {
        progress(`timeout: ${tracker.runningCount()} of ${config.pods} Running after ${config.timeoutS} s (created ${next}, scheduled ${sched.scheduledCount()})`);
        timedOut = true;
        break;
      }
      if (createdAt && performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        progress(`scheduled ${sched.scheduledCount()}, running ${tracker.runningCount()}, rss ${Math.round(rss.sample() / 2 ** 20)} MiB`);
      }
    }
    const end = performance.now();
    if (!timedOut) await creating;
    const createdS = ((createdAt || end) - start) / 1000;
    const totalS = (end - start) / 1000;
    const writesAfter = await writesNow(server);
    const byType: Record<string, number> = {};
    for (const [k, v] of Object.entries(writesAfter.byType)) if (v - (writesBefore.byType[k] ?? 0) > 0) byType[k] = v - (writesBefore.byType[k] ?? 0);
    const writes = writesAfter.total - writesBefore.total;
    const lat = tracker.samples();
    const sec = (ms: number) => Number((ms / 1000).toFixed(2));
    return {
      config,
      total_s: Number(totalS.toFixed(1)),
      completed: !timedOut,
      create_s: Number(createdS.toFixed(1)),
      pods_created: next,
      creates_per_second: Math.round(next / createdS),
      pods_scheduled: sched.scheduledCount(),
      create_retries: createErrors,
      nodes_register_s: Number(nodesSeconds.toFixed(1)),
      pods_running: tracker.runningCount(),
      startup_p50_s: sec(percentile(lat, 50)),
      startup_p99_s: sec(percentile(lat, 99)),
      startup_max_s: sec(percentile(lat, 100)),
      peak_rss_mib: Math.round(rss.peakBytes() / 2 ** 20),
      storage_writes: writes,
      writes_per_second: Math.round(writes / totalS),
      writes_by_type: byType,
      sim_heartbeats: heartbeats(),
    };
  } finally {
    rss.stop();
    for (const s of stops.reverse()) await s();
    for (const c of Object.values(clients)) c.close();
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
