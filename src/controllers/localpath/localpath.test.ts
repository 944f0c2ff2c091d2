/**
 * The local-path provisioner with the PV binder, the real scheduler, simulated nodes and the
 * StatefulSet controller, driven with the real kubectl: the default class, a StatefulSet's claim
 * provisioned on its pod's node, and the directory removed with the volume.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import { startSimNodes } from '../../kubelet/sim/index.js';
import { startScheduler } from '../../scheduler/index.js';
import { startPersistentVolumeController } from '../persistentvolume/index.js';
import type { PersistentVolume, PersistentVolumeClaim } from '../persistentvolume/types.js';
import { waitFor } from '../replicaset/testing.js';
import { startStatefulSetController } from '../statefulset/index.js';
import { startLocalPathProvisioner } from './index.js';

const run = promisify(execFile);

describe('local-path provisioner (kubectl, scheduler, sim nodes)', () => {
  let ts: TestServer;
  const stops: Array<{ stop(): void | Promise<void> }> = [];
  const dir = mkdtempSync(join(tmpdir(), 'local-path-'));
  const dataDir = join(dir, 'data');
  const kubectl = async (...args: string[]) => (await run('/usr/bin/kubectl', ['--kubeconfig', ts.server.kubeconfigPath, '--cache-dir', join(dir, 'cache'), ...args], { timeout: 60_000 })).stdout;
  const apply = async (name: string, yaml: string) => {
    writeFileSync(join(dir, name), yaml);
    return kubectl('apply', '-f', join(dir, name));
  };
  const pvc = async (name: string) => (await ts.client.get<PersistentVolumeClaim>(`/api/v1/namespaces/default/persistentvolumeclaims/${name}`)).body;
  const pv = async (name: string) => {
    const res = await ts.client.get<PersistentVolume>(`/api/v1/persistentvolumes/${name}`);
    return res.status === 200 ? res.body : undefined;
  };

  before(async () => {
    ts = await startTestServer();
    stops.push(await startSimNodes({ client: ts.client, count: 3 }));
    stops.push(await startScheduler({ client: ts.client }));
    stops.push(await startPersistentVolumeController(ts.client), await startLocalPathProvisioner(ts.client, { dataDir }), await startStatefulSetController(ts.client));
  });
  after(async () => {
    for (const s of stops.reverse()) await s.stop();
    await ts.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the default local-path class; claims without a class get it, "" keeps no class', async () => {
    assert.match(await kubectl('get', 'storageclass', '--no-headers'), /^local-path \(default\)\s+skiff\.dev\/local-path\s+Delete\s+WaitForFirstConsumer\s/);
    await apply('claims.yaml', `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: defaulted}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: classless}
spec: {accessModes: [ReadWriteOnce], storageClassName: "", resources: {requests: {storage: 1Gi}}}
`);
    assert.equal((await pvc('defaulted')).spec?.storageClassName, 'local-path');
    assert.equal((await pvc('classless')).spec?.storageClassName, '');
    await waitFor('WaitForFirstConsumer event', async () => (await kubectl('get', 'events', '--field-selector', 'involvedObject.name=defaulted', '-o', 'jsonpath={.items[*].reason}')).includes('WaitForFirstConsumer'));
    assert.equal((await pvc('defaulted')).status?.phase, 'Pending', 'no consumer, no volume');
    await kubectl('delete', 'pvc', 'defaulted', 'classless');
  });

  it('a StatefulSet pod gets a provisioned volume on its node; deleting the claim removes volume and directory', async () => {
    await apply('sts.yaml', `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 1
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: db
        image: postgres
        volumeMounts: [{name: data, mountPath: /var/lib/postgresql}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 2Gi}}
`);
    const claim = await waitFor('claim bound', async () => {
      const res = await ts.client.get<PersistentVolumeClaim>('/api/v1/namespaces/default/persistentvolumeclaims/data-db-0');
      return res.status === 200 && res.body.status?.phase === 'Bound' && res.body;
    }, 30_000);
    const uid = claim.metadata?.uid ?? '';
    assert.equal(claim.spec?.storageClassName, 'local-path');
    assert.equal(claim.spec?.volumeName, `pvc-${uid}`);
    assert.deepEqual(claim.status?.capacity, { storage: '2Gi' });
    const node = await waitFor('pod scheduled and running', async () => {
      const out = await kubectl('get', 'pod', 'db-0', '-o', 'jsonpath={.spec.nodeName} {.status.phase}');
      const [nodeName, phase] = out.split(' ');
      return phase === 'Running' && nodeName;
    }, 30_000);
    assert.equal(claim.metadata?.annotations?.['volume.kubernetes.io/selected-node'], node);
    const vol = (await pv(`pvc-${uid}`))!;
    const path = join(dataDir, 'local-path', uid);
    assert.equal(vol.spec?.hostPath?.path, path);
    assert.ok(existsSync(path), 'volume directory made');
    assert.deepEqual(vol.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0]?.matchExpressions?.[0]?.values, [node]);
    assert.equal(vol.metadata?.annotations?.['pv.kubernetes.io/provisioned-by'], 'skiff.dev/local-path');
    assert.equal(vol.spec?.claimRef?.uid, uid);
    assert.match(await kubectl('get', 'pv', '--no-headers'), new RegExp(`^pvc-${uid}\\s+2Gi\\s+RWO\\s+Delete\\s+Bound\\s+default/data-db-0\\s+local-path\\s`));

    await kubectl('delete', 'statefulset', 'db');
    await kubectl('delete', 'pvc', 'data-db-0');
    await waitFor('volume deleted', async () => !(await pv(`pvc-${uid}`)), 30_000);
    assert.equal(existsSync(path), false, 'volume directory removed');
  });
});
