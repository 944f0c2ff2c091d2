/**
 * The Job, StatefulSet and DaemonSet controllers with the real scheduler and simulated nodes
 * (kwok-style kubelets), driven through the real kubectl as a user would.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import { startSimNodes } from '../../kubelet/sim/index.js';
import { startScheduler } from '../../scheduler/index.js';
import { startDaemonSetController } from '../daemonset/index.js';
import { listPods, waitFor } from '../replicaset/testing.js';
import { startStatefulSetController } from '../statefulset/index.js';
import { startCronJobController } from '../cronjob/index.js';
import { startJobController } from './index.js';

const run = promisify(execFile);

describe('Job, CronJob, StatefulSet, DaemonSet with scheduler and sim nodes (kubectl)', () => {
  let ts: TestServer;
  const stops: Array<{ stop(): void | Promise<void> }> = [];
  const dir = mkdtempSync(join(tmpdir(), 'workloads-'));
  const kubectl = async (...args: string[]) => (await run('/usr/bin/kubectl', ['--kubeconfig', ts.server.kubeconfigPath, '--cache-dir', join(dir, 'cache'), ...args], { timeout: 90_000 })).stdout;
  const apply = async (name: string, yaml: string) => {
    writeFileSync(join(dir, name), yaml);
    return kubectl('apply', '-f', join(dir, name));
  };

  before(async () => {
    ts = await startTestServer();
    stops.push(await startSimNodes({ client: ts.client, count: 2 }));
    stops.push(await startScheduler({ client: ts.client }));
    stops.push(await startJobController(ts.client, { backoffBaseMs: 200 }), await startStatefulSetController(ts.client), await startDaemonSetController(ts.client), await startCronJobController(ts.client));
  });
  after(async () => {
    for (const s of stops.reverse()) await s.stop();
    await ts.stop();
  });

  it('kubectl create job runs to completion; an Indexed job completes every index', async () => {
    await kubectl('create', 'job', 'pi', '--image=busybox', '--', 'true');
    assert.match(await kubectl('wait', '--for=condition=complete', 'job/pi', '--timeout=60s'), /condition met/);
    await apply('indexed.yaml', `apiVersion: batch/v1
kind: Job
metadata: {name: idx}
spec:
  completions: 3
  parallelism: 2
  completionMode: Indexed
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox}]
`);
    assert.match(await kubectl('wait', '--for=condition=complete', 'job/idx', '--timeout=60s'), /condition met/);
    assert.equal(await kubectl('get', 'job', 'idx', '-o', 'jsonpath={.status.completedIndexes} {.status.succeeded}'), '0-2 3');
    const pods = await listPods(ts.client, 'default', 'batch.kubernetes.io/job-name=idx');
    assert.deepEqual(pods.flatMap((p) => p.metadata.finalizers ?? []), [], 'tracking finalizers all removed');
  });

  it('kubectl create cronjob, then a Job from it runs to completion', async () => {
    await kubectl('create', 'cronjob', 'hello', '--image=busybox', '--schedule=0 0 1 1 *', '--', 'true');
    assert.match(await kubectl('get', 'cj', 'hello', '--no-headers'), /^hello\s+0 0 1 1 \*\s+<none>\s+False\s+0\s+<none>/);
    await kubectl('create', 'job', 'manual', '--from=cronjob/hello');
    assert.match(await kubectl('wait', '--for=condition=complete', 'job/manual', '--timeout=60s'), /condition met/);
  });

  it('a failing job backs off and fails with BackoffLimitExceeded', async () => {
    await apply('fail.yaml', `apiVersion: batch/v1
kind: Job
metadata: {name: boom}
spec:
  backoffLimit: 1
  template:
    metadata: {annotations: {skiff.dev/sim-exit-code: "3"}}
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox}]
`);
    assert.match(await kubectl('wait', '--for=condition=failed', 'job/boom', '--timeout=60s'), /condition met/);
    assert.equal(await kubectl('get', 'job', 'boom', '-o', 'jsonpath={.status.failed} {.status.conditions[?(@.type=="Failed")].reason}'), '2 BackoffLimitExceeded');
  });

  it('a StatefulSet rolls out in order, updates and scales down', async () => {
    await apply('sts.yaml', `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  replicas: 3
  serviceName: web
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: "nginx:1"}]}
`);
    assert.match(await kubectl('rollout', 'status', 'sts/web', '--timeout=80s'), /roll(ed)? out|complete/i);
    const pods = await listPods(ts.client, 'default', 'app=web');
    assert.deepEqual(pods.map((p) => p.metadata.name).sort(), ['web-0', 'web-1', 'web-2']);
    assert.ok(pods.every((p) => p.spec?.nodeName));
    await kubectl('set', 'image', 'sts/web', 'c=nginx:2');
    assert.match(await kubectl('rollout', 'status', 'sts/web', '--timeout=80s'), /roll(ed)? out|complete/i);
    await waitFor('all on nginx:2', async () => (await listPods(ts.client, 'default', 'app=web')).every((p) => (p.spec?.containers as Array<{ image: string }>)[0]?.image === 'nginx:2'), 30_000);
    await kubectl('scale', 'sts/web', '--replicas=1');
    await waitFor('only web-0', async () => (await listPods(ts.client, 'default', 'app=web')).map((p) => p.metadata.name).join() === 'web-0', 60_000);
    assert.match(await kubectl('get', 'sts', 'web', '--no-headers'), /^web\s+1\/1\s/);
  });

  it('a DaemonSet runs a pod on each node and rolls out an update', async () => {
    await apply('ds.yaml', `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: c, image: "agent:1"}]}
`);
    assert.match(await kubectl('rollout', 'status', 'ds/agent', '--timeout=80s'), /successfully rolled out/);
    const nodes = (await listPods(ts.client, 'default', 'app=agent')).map((p) => p.spec?.nodeName).sort();
    assert.equal(nodes.length, 2);
    assert.notEqual(nodes[0], nodes[1]);
    await kubectl('set', 'image', 'ds/agent', 'c=agent:2');
    assert.match(await kubectl('rollout', 'status', 'ds/agent', '--timeout=80s'), /successfully rolled out/);
    await waitFor('updated', async () => {
      const pods = (await listPods(ts.client, 'default', 'app=agent')).filter((p) => !p.metadata.deletionTimestamp);
      return pods.length === 2 && pods.every((p) => (p.spec?.containers as Array<{ image: string }>)[0]?.image === 'agent:2');
    }, 30_000);
    assert.match(await kubectl('get', 'ds', 'agent', '--no-headers'), /^agent\s+2\s+2\s+2\s+2\s+2\s/);
  });
});
