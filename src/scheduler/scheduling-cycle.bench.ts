/**
 * `npx tsx src/scheduler/scheduling-cycle.bench.ts [nodes=5000] [pods=3000]`: the scheduling
 * cycle alone (filter + score + assume, default profile) over an in-memory cache, with a stub
 * client answering every binding at once. Prints ms per pod and pods/s: the scheduler's own
 * ceiling, without the API server (compare with bench/scheduler.ts).
 */
import { SchedulerCache } from './cache.js';
import { buildProfiles } from './config.js';
import { EventRecorder } from './events.js';
import { Nominator } from './nominator.js';
import { SchedulingQueue } from './queue.js';
import { SchedulingLoop } from './scheduler.js';
import { makeNode, makePod } from './test-fixtures.js';
import type { RestClient } from '../client/rest.js';

const N = Number(process.argv[2] ?? 5000), P = Number(process.argv[3] ?? 3000);
const cache = new SchedulerCache();
for (let i = 0; i < N; i++) cache.setNode(makeNode(`node-${i}`, { cpu: '8', memory: '32Gi', labels: { 'topology.kubernetes.io/zone': `zone-${i % 3}` } }));
const queue = new SchedulingQueue({ priorityOf: (p) => cache.priorityOf(p) });
const client = { post: async () => ({ status: 201, text: '', body: {}, headers: {} }), patch: async () => ({ status: 200 }), delete: async () => ({ status: 200 }) } as unknown as RestClient;
const profiles = new Map(buildProfiles({}).map((p) => [p.schedulerName, p] as const));
const loop = new SchedulingLoop({ client, cache, queue, nominator: new Nominator(), events: new EventRecorder(client, { component: 'x' }), profiles, pdbs: () => [], logger: { info() {}, error() {} }, scheduledEvents: false });
for (let i = 0; i < P; i++) queue.add({ ...makePod(`pod-${i}`, { cpu: '100m', memory: '128Mi' }), metadata: { name: `pod-${i}`, namespace: 'default', uid: `u${i}`, creationTimestamp: new Date().toISOString() } });
const t = performance.now();
for (let i = 0; i < P; i++) loop.scheduleOne((queue.popActive())!);
const ms = performance.now() - t;
console.log(`${N} nodes ${P} pods: ${(ms / P).toFixed(3)} ms/pod, ${Math.round(P / (ms / 1000))} pods/s`);
queue.close();
