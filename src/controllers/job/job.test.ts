import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import { listPods, waitFor } from '../replicaset/testing.js';
import { startJobController } from './index.js';
import { finishPod } from './testing.js';
import type { Job, Pod } from './types.js';

const NS = 'default';
const jobBody = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: NS },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } }, ...spec },
});

describe('Job controller (real API server)', () => {
  let ts: TestServer;
  let ctl: { stop(): void };
  before(async () => {
    ts = await startTestServer();
    ctl = await startJobController(ts.client, { backoffBaseMs: 200 });
  });
  after(async () => {
    ctl.stop();
    await ts.stop();
  });
  const getJob = async (name: string) => (await ts.client.get<Job>(`/apis/batch/v1/namespaces/${NS}/jobs/${name}`)).body;
  const activePods = async (job: string) => (await listPods(ts.client, NS, `batch.kubernetes.io/job-name=${job}`)).filter((p) => !p.status?.phase || p.status.phase === 'Pending' || p.status.phase === 'Running');
  const cond = (j: Job, type: string) => j.status?.conditions?.find((c) => c.type === type);

  it('runs completions with parallelism, counts with the tracking finalizer, then completes', async () => {
    const res = await ts.client.post(`/apis/batch/v1/namespaces/${NS}/jobs`, jobBody('pi', { completions: 3, parallelism: 2 }));
    assert.equal(res.status, 201, res.text);
    const first = await waitFor('2 pods', async () => { const p = await activePods('pi'); return p.length === 2 && p; });
    for (const p of first) {
      assert.deepEqual(p.metadata.finalizers, ['batch.kubernetes.io/job-tracking']);
      assert.match(p.metadata.name ?? '', /^pi-[a-z0-9]{5}$/);
    }
    await waitFor('active=2', async () => (await getJob('pi')).status?.active === 2);
    await finishPod(ts.client, first[0] as Pod, 'Succeeded');
    // One more pod replaces it (3 completions, 1 done, parallelism 2 => 2 active).
    const second = await waitFor('succeeded=1 and a new pod', async () => {
      const j = await getJob('pi');
      const p = await activePods('pi');
      return j.status?.succeeded === 1 && p.length === 2 && p;
    });
    const done = (await listPods(ts.client, NS, 'batch.kubernetes.io/job-name=pi')).find((p) => p.metadata.name === first[0]?.metadata.name);
    assert.deepEqual(done?.metadata.finalizers ?? [], [], 'finalizer removed once counted');
    for (const p of second) await finishPod(ts.client, p, 'Succeeded');
    const j = await waitFor('Complete', async () => { const x = await getJob('pi'); return cond(x, 'Complete')?.status === 'True' && x; });
    assert.equal(j.status?.succeeded, 3);
    assert.equal(j.status?.active, 0);
    assert.ok(j.status?.completionTime);
    assert.equal(cond(j, 'SuccessCriteriaMet')?.status, 'True');
    assert.equal(cond(j, 'Complete')?.reason, 'CompletionsReached');
    // The user flow: kubectl shows it complete.
    const { stdout: out } = await promisify(execFile)('kubectl', ['--kubeconfig', ts.server.kubeconfigPath, '--cache-dir', mkdtempSync(join(tmpdir(), 'kc-')), 'get', 'jobs', 'pi', '--no-headers']);
    assert.match(out, /^pi\s+Complete\s+3\/3/);
  });

  it('recreates failed pods with backoff and fails with BackoffLimitExceeded', async () => {
    await ts.client.post(`/apis/batch/v1/namespaces/${NS}/jobs`, jobBody('flaky', { backoffLimit: 2 }));
    const seen = new Set<string>();
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const pod = await waitFor(`pod #${i + 1}`, async () => (await activePods('flaky')).find((p) => !seen.has(p.metadata.name ?? '')));
      times.push(Date.now());
      seen.add(pod.metadata.name ?? '');
      await finishPod(ts.client, pod, 'Failed');
    }
    const j = await waitFor('Failed', async () => { const x = await getJob('flaky'); return cond(x, 'Failed')?.status === 'True' && x; });
    assert.equal(j.status?.failed, 3);
    assert.equal(cond(j, 'Failed')?.reason, 'BackoffLimitExceeded');
    assert.equal(cond(j, 'FailureTarget')?.reason, 'BackoffLimitExceeded');
    // Backoff 200 ms then 400 ms between recreations.
    assert.ok((times[2] as number) - (times[1] as number) >= 350, `second backoff ${(times[2] as number) - (times[1] as number)}ms`);
    assert.equal((await activePods('flaky')).length, 0);
    assert.equal(j.status?.completionTime, undefined);
  });

  it('runs an Indexed job: one pod per index, completedIndexes, hostnames', async () => {
    await ts.client.post(`/apis/batch/v1/namespaces/${NS}/jobs`, jobBody('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    const pods = await waitFor('3 pods', async () => { const p = await activePods('idx'); return p.length === 3 && p; });
    const byIndex = new Map(pods.map((p) => [p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'], p]));
    assert.deepEqual([...byIndex.keys()].sort(), ['0', '1', '2']);
    assert.equal((byIndex.get('1')?.spec as { hostname?: string }).hostname, 'idx-1');
    await finishPod(ts.client, byIndex.get('1') as Pod, 'Succeeded');
    await waitFor('completedIndexes=1', async () => (await getJob('idx')).status?.completedIndexes === '1');
    await finishPod(ts.client, byIndex.get('0') as Pod, 'Failed');
    const replacement = await waitFor('index 0 recreated', async () => (await activePods('idx')).find((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'] === '0'));
    assert.match(replacement.metadata.name ?? '', /^idx-0-/);
    await finishPod(ts.client, replacement, 'Succeeded');
    await finishPod(ts.client, byIndex.get('2') as Pod, 'Succeeded');
    const j = await waitFor('Complete', async () => { const x = await getJob('idx'); return cond(x, 'Complete')?.status === 'True' && x; });
    assert.equal(j.status?.completedIndexes, '0-2');
    assert.equal(j.status?.failed, 1);
  });

  it('fails the job at once on a FailJob pod failure policy rule', async () => {
    await ts.client.post(`/apis/batch/v1/namespaces/${NS}/jobs`, jobBody('pfp', {
      parallelism: 2, completions: 2,
      podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } }] },
    }));
    const pods = await waitFor('2 pods', async () => { const p = await activePods('pfp'); return p.length === 2 && p; });
    await finishPod(ts.client, pods[0] as Pod, 'Failed', 42);
    const j = await waitFor('Failed', async () => { const x = await getJob('pfp'); return cond(x, 'Failed')?.status === 'True' && x; });
    assert.equal(cond(j, 'Failed')?.reason, 'PodFailurePolicy');
    assert.equal((await activePods('pfp')).length, 0, 'the other pod was deleted');
  });

  it('suspends (deleting pods) and resumes', async () => {
    await ts.client.post(`/apis/batch/v1/namespaces/${NS}/jobs`, jobBody('sus', { parallelism: 2, completions: 4 }));
    await waitFor('2 pods', async () => (await activePods('sus')).length === 2);
    await ts.client.patch(`/apis/batch/v1/namespaces/${NS}/jobs/sus`, { spec: { suspend: true } });
    const j = await waitFor('Suspended', async () => { const x = await getJob('sus'); return cond(x, 'Suspended')?.status === 'True' && x.status?.active === 0 && x; });
    assert.equal(j.status?.failed ?? 0, 0, 'suspension is not failure');
    assert.equal((await activePods('sus')).length, 0);
    await ts.client.patch(`/apis/batch/v1/namespaces/${NS}/jobs/sus`, { spec: { suspend: false } });
    await waitFor('resumed with 2 pods', async () => (await activePods('sus')).length === 2 && cond(await getJob('sus'), 'Suspended')?.status === 'False');
  });

  it('counts a pod deleted by someone else as failed and replaces it', async () => {
    await ts.client.post(`/apis/batch/v1/namespaces/${NS}/jobs`, jobBody('gone', { backoffLimit: 3 }));
    const pod = await waitFor('1 pod', async () => (await activePods('gone'))[0]);
    const del = await ts.client.delete(`/api/v1/namespaces/${NS}/pods/${pod.metadata.name}`);
    assert.ok(del.status < 300, del.text);
    const j = await waitFor('failed=1', async () => { const x = await getJob('gone'); return x.status?.failed === 1 && x; });
    assert.equal(j.status?.uncountedTerminatedPods?.failed, undefined);
    const fresh = await ts.client.get(`/api/v1/namespaces/${NS}/pods/${pod.metadata.name}`);
    assert.equal(fresh.status, 404, 'finalizer removed, so the deletion completed');
    await waitFor('replacement', async () => (await activePods('gone')).some((p) => p.metadata.name !== pod.metadata.name && !p.metadata.deletionTimestamp));
  });

  it('fails with DeadlineExceeded after activeDeadlineSeconds', async () => {
    await ts.client.post(`/apis/batch/v1/namespaces/${NS}/jobs`, jobBody('slow', { activeDeadlineSeconds: 1 }));
    await waitFor('1 pod', async () => (await activePods('slow')).length === 1);
    const j = await waitFor('Failed', async () => { const x = await getJob('slow'); return cond(x, 'Failed')?.status === 'True' && x; }, 10_000);
    assert.equal(cond(j, 'Failed')?.reason, 'DeadlineExceeded');
  });
});
