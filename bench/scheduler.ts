/**
 * `npm run bench -- scheduler [--nodes 5000] [--pods 10000] [--create-concurrency 64] [--events true]
 *   [--workload plain|anti-affinity|spread] [--apps 100] [--profile out.cpuprofile]`
 *
 * The scheduler's throughput against the real API server, in one process: start the API server
 * (SQLite in a temporary data dir), create the Node objects and the pending pods (100m CPU and
 * 128Mi each, so every pod fits), then start the scheduler and time until every pod is bound
 * (each binding a durable POST pods/{name}/binding; a Scheduled Event per pod is written too
 * unless `--events false`). Reports `pods_per_second` (bound pods / seconds from scheduler start,
 * informer sync included) and `pods_per_second_after_sync`, plus, as the ceiling measured in the
 * same run, `creates_per_second` of the pod creates (one durable write each, like a binding).
 *
 * Workloads (pods carry `app: app-<i % apps>`): `plain` (requests only); `anti-affinity` (preferred
 * pod anti-affinity, weight 100, on kubernetes.io/hostname against pods of the same app: the
 * InterPodAffinity pre-score and score run for every pod; required anti-affinity would not fit once
 * an app has more pods than there are nodes); `spread` (topologySpreadConstraints maxSkew 1 over
 * topology.kubernetes.io/zone, DoNotSchedule, same app). The result also carries what the API says
 * of the placement: the most pods of one app on one node, and the largest zone skew of an app.
 * `--profile <file>` writes a V8 CPU profile of the scheduling phase only (scheduler start to last bind).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { startApiServer } from '../src/apiserver/server.js';
import { RestClient, loadKubeconfig } from '../src/client/rest.js';
import { startScheduler } from '../src/scheduler/index.js';
import { makeNode, WORKLOADS, workloadPod, type Workload } from '../src/scheduler/test-fixtures.js';
import type { Pod } from '../src/scheduler/types.js';
import { progress, type BenchArgs } from './args.js';

export { WORKLOADS, workloadPod, type Workload };

async function pool(total: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) await task(next++);
    }),
  );
}

/** Most pods of one app on one node, and the largest (max - min) pod count of an app over the 3 zones. */
export function placementStats(pods: Pod[]): { maxPerNode: number; maxZoneSkew: number } {
  const perNode = new Map<string, number>();
  const perZone = new Map<string, number[]>();
  for (const p of pods) {
    const node = p.spec?.nodeName;
    const app = p.metadata?.labels?.app ?? '';
    if (!node) continue;
    const k = `${app}/${node}`;
    perNode.set(k, (perNode.get(k) ?? 0) + 1);
    const zones = perZone.get(app) ?? [0, 0, 0];
    zones[Number(node.slice(node.lastIndexOf('-') + 1)) % 3]! += 1;
    perZone.set(app, zones);
  }
  let maxZoneSkew = 0;
  for (const z of perZone.values()) maxZoneSkew = Math.max(maxZoneSkew, Math.max(...z) - Math.min(...z));
  return { maxPerNode: Math.max(0, ...perNode.values()), maxZoneSkew };
}

export async function run(args: BenchArgs): Promise<Record<string, unknown>> {
  const nodes = args.number('nodes', 5000);
  const pods = args.number('pods', 10_000);
  const concurrency = args.number('create-concurrency', 64);
  const events = args.string('events', 'true') !== 'false';
  const workload = args.string('workload', 'plain') as Workload;
  if (!WORKLOADS.includes(workload)) throw new Error(`--workload must be one of ${WORKLOADS.join(', ')}`);
  const apps = args.number('apps', 100);
  const profilePath = args.string('profile', '');
  const dataDir = await mkdtemp(join(tmpdir(), 'skiff-bench-sched-'));
  const server = await startApiServer({ dataDir, port: 0, quiet: true });
  const client = new RestClient(loadKubeconfig(server.kubeconfigPath));
  try {
    progress(`creating ${nodes} nodes`);
    await pool(nodes, concurrency, async (i) => {
      const res = await client.post('/api/v1/nodes', makeNode(`node-${i}`, { cpu: '8', memory: '32Gi', labels: { 'topology.kubernetes.io/zone': `zone-${i % 3}` } }));
      if (res.status !== 201) throw new Error(`create node: ${res.status} ${res.text.slice(0, 200)}`);
    });
    progress(`creating ${pods} ${workload} pods`);
    const createStart = performance.now();
    await pool(pods, concurrency, async (i) => {
      const res = await client.post('/api/v1/namespaces/default/pods', workloadPod(workload, i, apps));
      if (res.status !== 201) throw new Error(`create pod: ${res.status} ${res.text.slice(0, 200)}`);
    });
    const createSeconds = (performance.now() - createStart) / 1000;
    progress('starting the scheduler');
    const profiler = profilePath ? new Session() : undefined;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const sched = await startScheduler({ client, config: { scheduledEvents: events } });
    const synced = performance.now();
    let last = 0;
    while (sched.scheduledCount() < pods) {
      await new Promise((r) => setTimeout(r, 50));
      if (performance.now() - start > 600_000) throw new Error(`only ${sched.scheduledCount()} of ${pods} bound after 600 s`);
      if (sched.scheduledCount() - last >= 2000) progress(`${(last = sched.scheduledCount())} bound`);
    }
    const end = performance.now();
    const cpu = process.cpuUsage(cpuStart);
    sched.stop();
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      await writeFile(profilePath, JSON.stringify(profile));
      profiler.disconnect();
    }
    const seconds = (end - start) / 1000;
    // Check with the API server that every pod really is bound.
    const list = await client.get<{ items: Pod[] }>('/api/v1/namespaces/default/pods');
    const bound = list.body.items.filter((p) => p.spec?.nodeName).length;
    const placement = placementStats(list.body.items);
    return {
      config: { nodes, pods, concurrency, events, workload, apps },
      pods_per_second: Math.round(pods / seconds),
      pods_per_second_after_sync: Math.round(pods / ((end - synced) / 1000)),
      seconds: Number(seconds.toFixed(2)),
      // CPU (user + system) the process used from scheduler start to the last bind: the per-pod cost,
      // less sensitive than the wall-clock rate to other load on a shared machine.
      cpu_ms_per_pod: Number(((cpu.user + cpu.system) / 1000 / pods).toFixed(3)),
      informer_sync_seconds: Number(((synced - start) / 1000).toFixed(2)),
      bound_according_to_api: bound,
      creates_per_second: Math.round(pods / createSeconds),
      max_same_app_pods_per_node: placement.maxPerNode,
      max_zone_skew: placement.maxZoneSkew,
    };
  } finally {
    client.close();
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
