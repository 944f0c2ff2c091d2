/**
 * `npx tsx src/scheduler/scheduling-cycle.bench.ts [nodes=5000] [pods=3000] [workload=plain|anti-affinity|spread] [apps=100]`:
 * the scheduling cycle alone (filter + score + assume, default profile) over an in-memory cache,
 * with a stub client answering every binding at once. Prints ms per pod and pods/s overall and
 * per quarter of the pods (the cost per pod should not grow as the cluster fills): the
 * scheduler's own ceiling, without the API server (compare with bench/scheduler.ts). Workloads
 * are bench/scheduler.ts's (test-fixtures.ts `workloadPod`).
 */
import { SchedulerCache } from './cache.js';
import { buildProfiles } from './config.js';
import { EventRecorder } from './events.js';
import { Nominator } from './nominator.js';
import { SchedulingQueue } from './queue.js';
import { SchedulingLoop } from './scheduler.js';
import { makeNode, WORKLOADS, workloadPod, type Workload } from './test-fixtures.js';
import type { RestClient } from '../client/rest.js';

const N = Number(process.argv[2] ?? 5000), P = Number(process.argv[3] ?? 3000);
const workload = (process.argv[4] ?? 'plain') as Workload;
const apps = Number(process.argv[5] ?? 100);
if (!WORKLOADS.includes(workload)) throw new Error(`workload must be one of ${WORKLOADS.join(', ')}`);
const cache = new SchedulerCache();
for (let i = 0; i < N; i++) cache.setNode(makeNode(`node-${i}`, { cpu: '8', memory: '32Gi', labels: { 'topology.kubernetes.io/zone': `zone-${i % 3}` } }));
const queue = new SchedulingQueue({ priorityOf: (p) => cache.priorityOf(p) });
const client = { post: async () => ({ status: 201, text: '', body: {}, headers: {} }), patch: async () => ({ status: 200 }), delete: async () => ({ status: 200 }) } as unknown as RestClient;
const profiles = new Map(buildProfiles({}).map((p) => [p.schedulerName, p] as const));
const loop = new SchedulingLoop({ client, cache, queue, nominator: new Nominator(), events: new EventRecorder(client, { component: 'x' }), profiles, pdbs: () => [], logger: { info() {}, error() {} }, scheduledEvents: false });
for (let i = 0; i < P; i++) {
  const pod = workloadPod(workload, i, apps);
  queue.add({ ...pod, metadata: { ...pod.metadata, uid: `u${i}`, creationTimestamp: new Date().toISOString() } });
}
const quarters: string[] = [];
const t = performance.now();
let qStart = t;
for (let i = 0; i < P; i++) {
  loop.scheduleOne(queue.popActive()!);
  if ((i + 1) % Math.ceil(P / 4) === 0 || i === P - 1) {
    const now = performance.now();
    quarters.push(((now - qStart) / Math.ceil(P / 4)).toFixed(3));
    qStart = now;
  }
}
const ms = performance.now() - t;
console.log(`${N} nodes ${P} ${workload} pods: ${(ms / P).toFixed(3)} ms/pod, ${Math.round(P / (ms / 1000))} pods/s; ms/pod per quarter: ${quarters.join(' ')}`);
queue.close();
