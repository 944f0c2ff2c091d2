/**
 * End to end through the REAL kubectl: create, rollout status, set image (checking availability at
 * every step), history, undo, scale, pause/resume, restart. The test plays the kubelet: it marks new
 * pods Running and Ready after a short delay.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import { startReplicaSetController } from '../replicaset/index.js';
import { listPods, makePodReady, waitFor } from '../replicaset/testing.js';
import type { Deployment, Pod, ReplicaSet } from '../replicaset/types.js';
import { startDeploymentController } from './index.js';

const run = promisify(execFile);
const NS = 'default';
const isReady = (p: Pod) => !p.metadata.deletionTimestamp && !!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

describe('Deployment through kubectl', () => {
  let ts: TestServer;
  let stops: Array<{ stop(): void }> = [];
  let kubeletTimer: NodeJS.Timeout | undefined;
  let kubeletBusy = false;
  const violations: string[] = [];
  let minReady: number | undefined;
  let maxTotal: number | undefined;
  const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));

  const kubectl = async (...args: string[]): Promise<string> => {
    const { stdout } = await run('/usr/bin/kubectl', ['--kubeconfig', ts.server.kubeconfigPath, '--cache-dir', cacheDir, ...args], { timeout: 60_000 });
    return stdout;
  };
  const getDeploy = async () => (await ts.client.get<Deployment>(`/apis/apps/v1/namespaces/${NS}/deployments/web`)).body;
  const getRSs = async () => (await ts.client.get<{ items: ReplicaSet[] }>(`/apis/apps/v1/namespaces/${NS}/replicasets`)).body.items;

  before(async () => {
    ts = await startTestServer();
    stops = [await startReplicaSetController(ts.client), await startDeploymentController(ts.client)];
    // The kubelet: pods become ready ~150 ms after they appear; the invariant is checked on every tick.
    const seen = new Map<string, number>();
    kubeletTimer = setInterval(async () => {
      if (kubeletBusy) return;
      kubeletBusy = true;
      try {
        const pods = await listPods(ts.client, NS, 'app=web');
        const live = pods.filter((p) => !p.metadata.deletionTimestamp);
        const ready = live.filter(isReady).length;
        if (minReady !== undefined && ready < minReady) violations.push(`ready=${ready} < ${minReady}`);
        if (maxTotal !== undefined && live.length > maxTotal) violations.push(`pods=${live.length} > ${maxTotal}`);
        for (const p of live) {
          if (isReady(p)) continue;
          const first = seen.get(p.metadata.uid ?? '') ?? Date.now();
          seen.set(p.metadata.uid ?? '', first);
          if (Date.now() - first > 150) await makePodReady(ts.client, p);
        }
      } catch {
        // server shutting down
      } finally {
        kubeletBusy = false;
      }
    }, 40);
  });
  after(async () => {
    clearInterval(kubeletTimer);
    for (const s of stops) s.stop();
    await ts.stop();
  });

  it('kubectl create deployment + rollout status', async () => {
    await kubectl('create', 'deployment', 'web', '--image=nginx', '--replicas=3');
    const out = await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s');
    assert.match(out, /deployment "web" successfully rolled out/);
    const d = await getDeploy();
    assert.equal(d.status?.availableReplicas, 3);
    assert.equal(d.status?.updatedReplicas, 3);
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
    assert.equal(d.status?.conditions?.find((c) => c.type === 'Available')?.reason, 'MinimumReplicasAvailable');
    assert.equal(d.status?.conditions?.find((c) => c.type === 'Progressing')?.reason, 'NewReplicaSetAvailable');
    const rss = await getRSs();
    assert.equal(rss.length, 1);
    const hash = rss[0].metadata.labels?.['pod-template-hash'];
    assert.ok(hash && /^[bcdfghjklmnpqrstvwxz2456789]+$/.test(hash), String(hash));
    assert.equal(rss[0].metadata.name, `web-${hash}`);
    assert.equal(rss[0].spec.selector.matchLabels?.['pod-template-hash'], hash);
    assert.equal(rss[0].metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '3');
    assert.equal(rss[0].metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '4');
    const events = await kubectl('get', 'events', '--field-selector', 'reason=ScalingReplicaSet', '-o', 'jsonpath={.items[*].message}');
    assert.match(events, new RegExp(`Scaled up replica set web-${hash} from 0 to 3`));
  });

  it('kubectl set image rolls out without dropping below replicas - maxUnavailable', async () => {
    minReady = 3; // 25% of 3 rounds down to 0 unavailable
    maxTotal = 4; // 25% of 3 rounds up to 1 surge
    await kubectl('set', 'image', 'deployment/web', 'nginx=nginx:2');
    const out = await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s');
    assert.match(out, /successfully rolled out/);
    minReady = undefined;
    maxTotal = undefined;
    assert.deepEqual(violations, []);
    const pods = (await listPods(ts.client, NS, 'app=web')).filter((p) => !p.metadata.deletionTimestamp);
    assert.equal(pods.length, 3);
    for (const p of pods) assert.equal((p.spec?.containers as Array<{ image: string }>)[0].image, 'nginx:2');
    const d = await getDeploy();
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
  });

  it('kubectl rollout history and undo go back to the first template and ReplicaSet', async () => {
    const history = await kubectl('rollout', 'history', 'deployment/web');
    assert.match(history, /^1\s/m);
    assert.match(history, /^2\s/m);
    const before = await getRSs();
    const first = before.find((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'] === '1');
    assert.ok(first);
    minReady = 3;
    maxTotal = 4;
    await kubectl('rollout', 'undo', 'deployment/web');
    await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s');
    minReady = undefined;
    maxTotal = undefined;
    assert.deepEqual(violations, []);
    const after = await getRSs();
    assert.equal(after.length, 2, 'the old ReplicaSet was reused, not a new one made');
    const reused = after.find((rs) => rs.metadata.uid === first.metadata.uid);
    assert.equal(reused?.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
    assert.equal(reused?.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1');
    assert.equal(reused?.spec.replicas, 3);
    const pods = (await listPods(ts.client, NS, 'app=web')).filter((p) => !p.metadata.deletionTimestamp);
    for (const p of pods) assert.equal((p.spec?.containers as Array<{ image: string }>)[0].image, 'nginx');
  });

  it('kubectl scale, then pause/resume and rollout restart', async () => {
    await kubectl('scale', 'deployment', 'web', '--replicas=5');
    await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s');
    assert.equal((await getDeploy()).status?.availableReplicas, 5);
    await kubectl('rollout', 'pause', 'deployment/web');
    await waitFor('paused condition', async () => (await getDeploy()).status?.conditions?.find((c) => c.type === 'Progressing')?.reason === 'DeploymentPaused');
    await kubectl('set', 'image', 'deployment/web', 'nginx=nginx:3');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await getRSs()).length, 2, 'no rollout while paused');
    await kubectl('rollout', 'resume', 'deployment/web');
    await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s');
    assert.equal((await getRSs()).length, 3);
    await kubectl('rollout', 'restart', 'deployment/web');
    const d = await getDeploy();
    assert.ok(d.spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']);
    await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s');
    const pods = (await listPods(ts.client, NS, 'app=web')).filter((p) => !p.metadata.deletionTimestamp);
    assert.equal(pods.length, 5);
    for (const p of pods) assert.ok(p.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']);
  });

  it('a deleted pod is replaced', async () => {
    const pods = (await listPods(ts.client, NS, 'app=web')).filter((p) => !p.metadata.deletionTimestamp);
    await kubectl('delete', 'pod', pods[0].metadata.name ?? '', '--wait=false');
    await waitFor('replacement', async () => {
      const now = (await listPods(ts.client, NS, 'app=web')).filter((p) => !p.metadata.deletionTimestamp);
      return now.length === 5 && !now.some((p) => p.metadata.name === pods[0].metadata.name);
    });
  });
});
