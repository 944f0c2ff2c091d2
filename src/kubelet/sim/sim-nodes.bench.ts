/**
 * Scale benchmark of the simulator: N simulated nodes (default 2000) and P pods against a real API
 * server in the same process (sqlite storage), as `skiff up --runtime sim --sim-nodes N` runs them.
 * Run: `npx tsx src/kubelet/sim/sim-nodes.bench.ts [nodes] [pods] [steadySeconds]`.
 * Prints one JSON line: registration time, time until every pod is Running, steady-state lease
 * renewals per second (and how many were skipped because the previous one was still queued), and
 * process memory (RSS, heap) before and after.
 */
import { startTestServer } from '../../apiserver/test-server.js';
import { startSimNodes } from './index.js';

const nodes = Number(process.argv[2] ?? 2000);
const pods = Number(process.argv[3] ?? 1000);
const steadySeconds = Number(process.argv[4] ?? 30);
const mb = (n: number) => Math.round((n / 1048576) * 10) / 10;
const mem = () => {
  global.gc?.();
  const m = process.memoryUsage();
  return { rssMB: mb(m.rss), heapUsedMB: mb(m.heapUsed) };
};

const ts = await startTestServer();
const memBefore = mem();
const errors: string[] = [];
let t = Date.now();
const sim = await startSimNodes({ client: ts.client, count: nodes, config: { timings: { startDelayMs: 500 }, onError: (e) => errors.length < 5 && errors.push(String(e)) } });
const registerMs = Date.now() - t;
const memAfterRegister = mem();

// Pods spread over the nodes, created 32 at a time.
t = Date.now();
const names = Array.from({ length: pods }, (_, i) => `bench-${i}`);
for (let i = 0; i < names.length; i += 32) {
  await Promise.all(names.slice(i, i + 32).map((name, j) => ts.client.post('/api/v1/namespaces/default/pods', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: sim.nodeNames[(i + j) % nodes], containers: [{ name: 'app', image: 'nginx:1.25' }] },
  })));
}
const createPodsMs = Date.now() - t;
let running = 0;
while (Date.now() - t < 300_000) {
  const list = await ts.client.get<{ items: Array<{ status?: { phase?: string } }> }>('/api/v1/namespaces/default/pods');
  running = list.body.items.filter((p) => p.status?.phase === 'Running').length;
  if (running >= pods) break;
  await new Promise((r) => setTimeout(r, 500));
}
const allRunningMs = Date.now() - t;

// Steady state: heartbeats only.
const before = { ...sim.heartbeats.stats };
const cpu0 = process.cpuUsage();
t = Date.now();
await new Promise((r) => setTimeout(r, steadySeconds * 1000));
const elapsed = (Date.now() - t) / 1000;
const cpu = process.cpuUsage(cpu0);
const after = sim.heartbeats.stats;

console.log(JSON.stringify({
  nodes,
  pods,
  registerMs,
  registerPerSecond: Math.round((nodes / registerMs) * 1000),
  createPodsMs,
  allPodsRunningMs: allRunningMs,
  podsRunning: running,
  statusPatches: sim.runtime.engine.stats.patches,
  steadySeconds: elapsed,
  leaseRenewalsPerSecond: Math.round(((after.leaseRenewals - before.leaseRenewals) / elapsed) * 10) / 10,
  expectedRenewalsPerSecond: nodes / 10,
  nodeStatusPerSecond: Math.round(((after.statusUpdates - before.statusUpdates) / elapsed) * 10) / 10,
  skippedHeartbeats: after.skipped - before.skipped,
  heartbeatErrors: after.errors,
  steadyCpuPercent: Math.round(((cpu.user + cpu.system) / 1e6 / elapsed) * 1000) / 10,
  memory: { beforeNodes: memBefore, afterRegister: memAfterRegister, end: mem() },
  errors,
}));
sim.stop();
await ts.stop();
