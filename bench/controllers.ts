/**
 * `npm run bench -- controllers [--nodes 50] [--replicas 1000] [--timeout-s 900]`
 *
 * The controller manager end to end, in one process: the real API server (SQLite in a temporary
 * data dir), every controller of `startControllers` (Deployment and ReplicaSet doing the work), the
 * scheduler and `--nodes` simulated kubelets (kwok-style: a pod becomes Running and Ready ~1.5 s
 * after it is bound). Creates a Deployment of `--replicas` pods (rolling update, maxSurge 25%,
 * maxUnavailable 25%) and times until the Deployment reports every replica updated and available
 * (`time_to_available_s`); then changes the image and times the full rolling update until the
 * Deployment reports every replica updated and available again and no old replica is left
 * (`rolling_update_s`). Polls the Deployment's status every 250 ms. Prints the figures as one JSON line.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer } from '../src/apiserver/server.js';
import { Informer } from '../src/client/informer.js';
import { RestClient, loadKubeconfig } from '../src/client/rest.js';
import { startControllers } from '../src/controllers/manager.js';
import { startSimNodes } from '../src/kubelet/sim/index.js';
import { startScheduler } from '../src/scheduler/index.js';
import { progress, type BenchArgs } from './args.js';

interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
}
interface Deployment {
  metadata?: { generation?: number };
  status?: DeploymentStatus;
}

const round2 = (n: number | undefined): number | null => (n === undefined ? null : Number(n.toFixed(2)));
const path = '/apis/apps/v1/namespaces/default/deployments/web';

function deployment(replicas: number, image: string): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image, resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
    },
  };
}

interface PodView {
  spec?: { nodeName?: string };
  status?: { conditions?: Array<{ type?: string; status?: string }> };
}

/** When the initial rollout's pods all existed, were all bound, were all Ready (seconds from `start`). */
class PodMilestones {
  created?: number;
  bound?: number;
  ready?: number;
  constructor(
    private readonly pods: Informer,
    private readonly replicas: number,
    private readonly start: number,
  ) {}
  sample(): void {
    const all = this.pods.list() as PodView[];
    const t = (performance.now() - this.start) / 1000;
    if (this.created === undefined && all.length >= this.replicas) this.created = t;
    if (this.bound === undefined && all.filter((p) => p.spec?.nodeName).length >= this.replicas) this.bound = t;
    if (this.ready === undefined && all.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length >= this.replicas) this.ready = t;
  }
}

interface ReplicaSetView {
  metadata?: { name?: string };
  spec?: { replicas?: number };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number };
}

/** `name spec/status/ready/available` of each ReplicaSet, for the progress log. */
async function replicaSetSummary(client: RestClient): Promise<string> {
  const res = await client.get<{ items: ReplicaSetView[] }>('/apis/apps/v1/namespaces/default/replicasets');
  return (res.body.items ?? []).map((r) => `${r.metadata?.name} ${r.spec?.replicas}/${r.status?.replicas ?? 0}/${r.status?.readyReplicas ?? 0}/${r.status?.availableReplicas ?? 0}`).join(', ');
}

/** Polls until the Deployment has rolled out `replicas` updated, available pods and nothing else. */
async function waitRolledOut(client: RestClient, replicas: number, timeoutMs: number, label: string, onPoll: () => void = () => {}): Promise<{ seconds: number; peakReplicas: number }> {
  const start = performance.now();
  let peakReplicas = 0;
  let lastLog = 0;
  for (;;) {
    onPoll();
    const res = await client.get<Deployment>(path);
    if (res.status !== 200) throw new Error(`get deployment: ${res.status} ${res.text.slice(0, 200)}`);
    const st = res.body.status ?? {};
    peakReplicas = Math.max(peakReplicas, st.replicas ?? 0);
    const done = (st.observedGeneration ?? 0) >= (res.body.metadata?.generation ?? 1) && st.updatedReplicas === replicas && st.availableReplicas === replicas && st.replicas === replicas;
    const elapsed = performance.now() - start;
    if (done) return { seconds: elapsed / 1000, peakReplicas };
    if (elapsed > timeoutMs) throw new Error(`${label}: not done after ${timeoutMs / 1000} s: ${JSON.stringify(st)}`);
    if (elapsed - lastLog > 2000) {
      lastLog = elapsed;
      progress(`${label} ${(elapsed / 1000).toFixed(0)} s: replicas ${st.replicas ?? 0}, updated ${st.updatedReplicas ?? 0}, available ${st.availableReplicas ?? 0}; ${await replicaSetSummary(client)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function run(args: BenchArgs): Promise<Record<string, unknown>> {
  const nodes = args.number('nodes', 50);
  const replicas = args.number('replicas', 1000);
  const timeoutMs = args.number('timeout-s', 900) * 1000;
  const dataDir = await mkdtemp(join(tmpdir(), 'skiff-bench-ctrl-'));
  const server = await startApiServer({ dataDir, port: 0, quiet: true });
  const client = new RestClient(loadKubeconfig(server.kubeconfigPath));
  const stops: Array<{ stop(): void }> = [];
  let controllerErrors = 0;
  try {
    progress(`starting ${nodes} simulated nodes, the scheduler and the controllers`);
    stops.push(await startSimNodes({ client, count: nodes }));
    stops.push(await startScheduler({ client, config: { scheduledEvents: true } }));
    stops.push(...(await startControllers(client, { dataDir, onError: () => void controllerErrors++ })));

    const pods = new Informer(client, { path: '/api/v1/namespaces/default/pods' });
    pods.start();
    await pods.waitForSync();
    stops.push(pods);
    progress(`creating a Deployment of ${replicas} replicas`);
    const milestones = new PodMilestones(pods, replicas, performance.now());
    const created = await client.post('/apis/apps/v1/namespaces/default/deployments', deployment(replicas, 'nginx:1.25'));
    if (created.status !== 201) throw new Error(`create deployment: ${created.status} ${created.text.slice(0, 200)}`);
    const first = await waitRolledOut(client, replicas, timeoutMs, 'rollout', () => milestones.sample());
    progress(`all ${replicas} available after ${first.seconds.toFixed(1)} s; rolling update`);

    const patched = await client.patch(path, { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } } }, 'application/strategic-merge-patch+json');
    if (patched.status !== 200) throw new Error(`patch deployment: ${patched.status} ${patched.text.slice(0, 200)}`);
    const update = await waitRolledOut(client, replicas, timeoutMs, 'rolling update');

    const rs = await client.get<{ items: Array<{ spec?: { replicas?: number; template?: { spec?: { containers?: Array<{ image?: string }> } } } }> }>('/apis/apps/v1/namespaces/default/replicasets');
    const scaledRS = rs.body.items.map((r) => `${r.spec?.template?.spec?.containers?.[0]?.image}=${r.spec?.replicas}`).sort();
    return {
      config: { nodes, replicas, strategy: 'RollingUpdate 25%/25%', sim_start_delay_ms: 1500 },
      time_to_available_s: Number(first.seconds.toFixed(2)),
      pods_available_per_s: Math.round(replicas / first.seconds),
      initial_pods_created_s: round2(milestones.created),
      initial_pods_bound_s: round2(milestones.bound),
      initial_pods_ready_s: round2(milestones.ready),
      rolling_update_s: Number(update.seconds.toFixed(2)),
      pods_replaced_per_s: Math.round(replicas / update.seconds),
      peak_replicas_during_update: update.peakReplicas,
      replicasets_after: scaledRS,
      controller_errors: controllerErrors,
    };
  } finally {
    for (const s of stops.reverse()) s.stop();
    client.close();
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
