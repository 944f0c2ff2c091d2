import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import { startJobController } from '../job/index.js';
import { finishPod } from '../job/testing.js';
import { listPods, waitFor } from '../replicaset/testing.js';
import { startCronJobController } from './index.js';
import type { CronJob, Job } from './types.js';

const NS = 'default';
const cronJobBody = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name, namespace: NS },
  spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } } } }, ...spec },
});

describe('CronJob controller (real API server, injected clock)', () => {
  let ts: TestServer;
  let cron: { stop(): void; resync(): void };
  let jobs: { stop(): void };
  // The clock starts 1-2 minutes ahead of real time so a schedule time has passed since creation.
  let clock = Math.ceil((Date.now() + 60_000) / 60_000) * 60_000 + 5_000;
  const advance = (ms: number) => {
    clock += ms;
    cron.resync();
  };
  before(async () => {
    ts = await startTestServer();
    jobs = await startJobController(ts.client, { backoffBaseMs: 100 });
    cron = await startCronJobController(ts.client, { now: () => clock });
  });
  after(async () => {
    cron.stop();
    jobs.stop();
    await ts.stop();
  });
  const getCj = async (name: string) => (await ts.client.get<CronJob>(`/apis/batch/v1/namespaces/${NS}/cronjobs/${name}`)).body;
  const listJobs = async () => (await ts.client.get<{ items: Job[] }>(`/apis/batch/v1/namespaces/${NS}/jobs`)).body.items;

  it('fires at the schedule time, forbids overlap, records success, runs the skipped time after', async () => {
    const res = await ts.client.post(`/apis/batch/v1/namespaces/${NS}/cronjobs`, cronJobBody('tick', { concurrencyPolicy: 'Forbid' }));
    assert.equal(res.status, 201, res.text);
    const scheduled = clock - 5_000;
    const job = await waitFor('first job', async () => (await listJobs()).find((j) => j.metadata.name?.startsWith('tick-')));
    assert.equal(job.metadata.name, `tick-${scheduled / 60_000}`);
    assert.equal(job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], new Date(scheduled).toISOString().replace('.000Z', 'Z'));
    assert.equal(job.metadata.ownerReferences?.[0]?.kind, 'CronJob');
    const cj = await waitFor('status.active', async () => { const c = await getCj('tick'); return c.status?.active?.length === 1 && c; });
    assert.equal(cj.status?.active?.[0]?.name, job.metadata.name);
    assert.equal(cj.status?.lastScheduleTime, new Date(scheduled).toISOString().replace('.000Z', 'Z'));

    // Next minute: the first Job still runs, Forbid skips.
    advance(60_000);
    await waitFor('JobAlreadyActive event', async () => {
      const ev = await ts.client.get<{ items: Array<{ reason: string }> }>(`/api/v1/namespaces/${NS}/events`);
      return ev.body.items.some((e) => e.reason === 'JobAlreadyActive');
    });
    assert.equal((await listJobs()).length, 1);

    // Play the kubelet: the Job's pod succeeds, the Job completes, the CronJob notices.
    const pod = await waitFor('job pod', async () => (await listPods(ts.client, NS, `batch.kubernetes.io/job-name=${job.metadata.name}`))[0]);
    await finishPod(ts.client, pod, 'Succeeded');
    const done = await waitFor('lastSuccessfulTime', async () => { const c = await getCj('tick'); return c.status?.lastSuccessfulTime ? c : undefined; });
    assert.ok(done.status?.lastSuccessfulTime);
    // The minute skipped under Forbid is still due (no startingDeadlineSeconds): it starts now, as upstream.
    const second = await waitFor('second job', async () => (await listJobs()).find((j) => j.metadata.name === `tick-${scheduled / 60_000 + 1}`));
    assert.ok(second);
    await waitFor('active is the second job', async () => (await getCj('tick')).status?.active?.map((r) => r.name).join() === second.metadata.name);
    const { stdout } = await promisify(execFile)('kubectl', ['--kubeconfig', ts.server.kubeconfigPath, '--cache-dir', mkdtempSync(join(tmpdir(), 'kc-')), 'get', 'cj', 'tick', '--no-headers']);
    assert.match(stdout, /^tick\s+\* \* \* \* \*\s+<none>\s+False\s+1\s+/);
  });

  it('Replace deletes the running Job; suspend stops new ones', async () => {
    await ts.client.post(`/apis/batch/v1/namespaces/${NS}/cronjobs`, cronJobBody('swap', { concurrencyPolicy: 'Replace', schedule: '*/2 * * * *' }));
    advance(120_000);
    const first = await waitFor('first swap job', async () => (await listJobs()).find((j) => j.metadata.name?.startsWith('swap-')));
    advance(120_000);
    await waitFor('replaced', async () => {
      const names = (await listJobs()).filter((j) => j.metadata.name?.startsWith('swap-') && !j.metadata.deletionTimestamp).map((j) => j.metadata.name);
      return names.length === 1 && names[0] !== first.metadata.name;
    });
    await ts.client.patch(`/apis/batch/v1/namespaces/${NS}/cronjobs/swap`, { spec: { suspend: true } });
    await waitFor('suspended in cache', async () => (await getCj('swap')).spec.suspend === true);
    const before = (await listJobs()).filter((j) => j.metadata.name?.startsWith('swap-')).length;
    advance(120_000);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await listJobs()).filter((j) => j.metadata.name?.startsWith('swap-')).length, before);
  });

  it('skips schedule times older than startingDeadlineSeconds, starts one within it', async () => {
    await ts.client.post(`/apis/batch/v1/namespaces/${NS}/cronjobs`, cronJobBody('late', { schedule: '0 * * * *', startingDeadlineSeconds: 10 }));
    advance(3_600_000 + 30_000 - (clock % 3_600_000)); // 30 s past the hour: too late for that one.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await listJobs()).filter((j) => j.metadata.name?.startsWith('late-')).length, 0);
    assert.equal((await getCj('late')).status?.lastScheduleTime, undefined);
    advance(3_600_000 - 25_000); // 5 s past the next hour: within the deadline.
    const hour = clock - 5_000;
    await waitFor('on-time job', async () => (await listJobs()).some((j) => j.metadata.name === `late-${hour / 60_000}`));
  });
});
