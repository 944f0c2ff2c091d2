/**
 * The PV binder against a real API server, driven with the real kubectl: static PVs bound to
 * matching claims, pre-binding both ways, WaitForFirstConsumer, and Retain vs Delete on claim deletion.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import { waitFor } from '../replicaset/testing.js';
import { startPersistentVolumeController } from './index.js';
import type { PersistentVolume, PersistentVolumeClaim } from './types.js';

const run = promisify(execFile);

describe('persistentvolume binder (kubectl)', () => {
  let ts: TestServer;
  let binder: { stop(): void };
  const dir = mkdtempSync(join(tmpdir(), 'pv-binder-'));
  const kubectl = async (...args: string[]) => (await run('/usr/bin/kubectl', ['--kubeconfig', ts.server.kubeconfigPath, '--cache-dir', join(dir, 'cache'), ...args], { timeout: 60_000 })).stdout;
  const apply = async (name: string, yaml: string) => {
    writeFileSync(join(dir, name), yaml);
    return kubectl('apply', '-f', join(dir, name));
  };
  const pv = async (name: string) => {
    const res = await ts.client.get<PersistentVolume>(`/api/v1/persistentvolumes/${name}`);
    return res.status === 200 ? res.body : undefined;
  };
  const pvc = async (name: string) => (await ts.client.get<PersistentVolumeClaim>(`/api/v1/namespaces/default/persistentvolumeclaims/${name}`)).body;
  const staticPV = (name: string, size: string, extra = '') => `apiVersion: v1
kind: PersistentVolume
metadata: {name: ${name}, labels: {volume: ${name}}}
spec:
  capacity: {storage: ${size}}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /tmp/${name}}
${extra}---
`;
  const claimYaml = (name: string, size: string, extra = '') => `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: ${name}}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: ""
  resources: {requests: {storage: ${size}}}
${extra}---
`;

  before(async () => {
    ts = await startTestServer();
    binder = await startPersistentVolumeController(ts.client);
  });
  after(async () => {
    binder.stop();
    await ts.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('binds a claim to the smallest matching PV; kubectl get pv,pvc shows Bound both ways', async () => {
    await apply('pvs.yaml', staticPV('pv-small', '1Gi') + staticPV('pv-large', '10Gi') + staticPV('pv-rwx', '2Gi', '  storageClassName: other\n'));
    await apply('claim.yaml', claimYaml('data', '512Mi'));
    const bound = await waitFor('claim bound', async () => {
      const c = await pvc('data');
      return c.status?.phase === 'Bound' && c;
    });
    assert.equal(bound.spec?.volumeName, 'pv-small');
    assert.deepEqual(bound.status?.capacity, { storage: '1Gi' });
    assert.deepEqual(bound.status?.accessModes, ['ReadWriteOnce']);
    assert.equal(bound.metadata?.annotations?.['pv.kubernetes.io/bind-completed'], 'yes');
    assert.equal(bound.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
    const vol = await waitFor('volume bound', async () => {
      const v = await pv('pv-small');
      return v?.status?.phase === 'Bound' && v;
    });
    assert.equal(vol.spec?.claimRef?.uid, bound.metadata?.uid);
    assert.equal(vol.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
    const table = await kubectl('get', 'pv,pvc', '--no-headers');
    assert.match(table, /persistentvolume\/pv-small\s+1Gi\s+RWO\s+Retain\s+Bound\s+default\/data\s/);
    assert.match(table, /persistentvolume\/pv-large\s+10Gi\s+RWO\s+Retain\s+Available\s/);
    assert.match(table, /persistentvolumeclaim\/data\s+Bound\s+pv-small\s+1Gi\s+RWO\s/);
  });

  it('honours pre-binding from either side and leaves an unsatisfiable claim Pending', async () => {
    await apply('pre.yaml', staticPV('pv-reserved', '5Gi', '  claimRef: {namespace: default, name: wants-reserved}\n') + staticPV('pv-named', '3Gi'));
    await apply('pre-claims.yaml', claimYaml('wants-reserved', '1Gi') + claimYaml('names-volume', '1Gi', '  volumeName: pv-named\n') + claimYaml('too-big', '100Gi') + claimYaml('rwx', '1Gi').replace('[ReadWriteOnce]', '[ReadWriteMany]'));
    await waitFor('pre-bound claims bound', async () => (await pvc('wants-reserved')).status?.phase === 'Bound' && (await pvc('names-volume')).status?.phase === 'Bound');
    assert.equal((await pvc('wants-reserved')).spec?.volumeName, 'pv-reserved');
    assert.equal((await pvc('names-volume')).metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], undefined, 'the user set volumeName');
    assert.equal((await pv('pv-named'))?.spec?.claimRef?.name, 'names-volume');
    await waitFor('FailedBinding event', async () => (await kubectl('get', 'events', '--field-selector', 'involvedObject.name=too-big', '-o', 'jsonpath={.items[*].reason}')).includes('FailedBinding'));
    assert.equal((await pvc('too-big')).status?.phase, 'Pending');
    assert.equal((await pvc('rwx')).status?.phase, 'Pending');
    assert.equal((await pv('pv-large'))?.status?.phase, 'Available', 'no claim took the large volume');
  });

  it('WaitForFirstConsumer claims wait for the scheduler', async () => {
    await apply('wffc.yaml', `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: late}
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
---
` + staticPV('pv-late', '1Gi', '  storageClassName: late\n') + claimYaml('late', '1Gi').replace('storageClassName: ""', 'storageClassName: late'));
    await waitFor('WaitForFirstConsumer event', async () => (await kubectl('get', 'events', '--field-selector', 'involvedObject.name=late', '-o', 'jsonpath={.items[*].reason}')).includes('WaitForFirstConsumer'));
    assert.equal((await pvc('late')).spec?.volumeName, undefined);
    assert.equal((await pv('pv-late'))?.spec?.claimRef, undefined);
    // What the scheduler's VolumeBinding does at bind time for a static volume: pre-bind it.
    const claim = await pvc('late');
    await ts.client.patch('/api/v1/persistentvolumes/pv-late', { spec: { claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'default', name: 'late', uid: claim.metadata?.uid } } });
    await waitFor('late claim bound', async () => (await pvc('late')).status?.phase === 'Bound');
    assert.equal((await pvc('late')).spec?.volumeName, 'pv-late');
  });

  it('WaitForFirstConsumer claims with a selected node bind a volume that can reach that node', async () => {
    for (const n of ['node-a', 'node-b']) {
      const res = await ts.client.post('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: n, labels: { 'kubernetes.io/hostname': n } } });
      assert.equal(res.status, 201, res.text);
    }
    const onNode = (n: string) => `  storageClassName: late\n  nodeAffinity: {required: {nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [${n}]}]}]}}\n`;
    await apply('selected.yaml', staticPV('pv-on-b', '1Gi', onNode('node-b')) + staticPV('pv-on-a', '4Gi', onNode('node-a')) +
      claimYaml('picked', '1Gi').replace('storageClassName: ""', 'storageClassName: late').replace('metadata: {name: picked}', 'metadata: {name: picked, annotations: {volume.kubernetes.io/selected-node: node-a}}'));
    await waitFor('picked bound', async () => (await pvc('picked')).status?.phase === 'Bound');
    assert.equal((await pvc('picked')).spec?.volumeName, 'pv-on-a', 'the smaller volume is on the other node');
    assert.equal((await pv('pv-on-b'))?.status?.phase, 'Available');
  });

  it('on claim deletion: Retain leaves the PV Released, Delete deletes it', async () => {
    await apply('reclaim.yaml', staticPV('pv-keep', '7Gi', '  persistentVolumeReclaimPolicy: Retain\n') + staticPV('pv-drop', '8Gi', '  persistentVolumeReclaimPolicy: Delete\n') + claimYaml('keep', '7Gi') + claimYaml('drop', '8Gi'));
    await waitFor('both bound', async () => (await pvc('keep')).spec?.volumeName === 'pv-keep' && (await pvc('drop')).spec?.volumeName === 'pv-drop' && (await pvc('drop')).status?.phase === 'Bound');
    await kubectl('delete', 'pvc', 'keep', 'drop');
    await waitFor('pv-drop deleted', async () => !(await pv('pv-drop')));
    await waitFor('pv-keep released', async () => (await pv('pv-keep'))?.status?.phase === 'Released');
    assert.match(await kubectl('get', 'pv', 'pv-keep', '--no-headers'), /pv-keep\s+7Gi\s+RWO\s+Retain\s+Released\s+default\/keep\s/);
    // A new claim of the same name does not get the released volume back.
    await apply('keep-again.yaml', claimYaml('keep', '7Gi', '  selector: {matchLabels: {volume: pv-keep}}\n'));
    await waitFor('FailedBinding for the new claim', async () => (await kubectl('get', 'events', '--field-selector', 'involvedObject.name=keep', '-o', 'jsonpath={.items[*].reason}')).includes('FailedBinding'));
    assert.equal((await pv('pv-keep'))?.status?.phase, 'Released');
    // The administrator clears the claimRef: Available again, and the waiting claim binds.
    await kubectl('patch', 'pv', 'pv-keep', '--type=json', '-p', '[{"op":"remove","path":"/spec/claimRef"}]');
    await waitFor('keep re-bound', async () => (await pvc('keep')).spec?.volumeName === 'pv-keep' && (await pvc('keep')).status?.phase === 'Bound', 30_000);
  });

  // Upstream's retroactive default StorageClass (1.28+). The selector keeps the claim from binding one of the
  // class-less volumes earlier cases left Available (a bound claim never gets a class).
  it('a claim created before any default class gets the default once there is one', async () => {
    await apply('no-class.yaml', claimYaml('no-class', '1Gi', '  selector: {matchLabels: {volume: none-such}}\n').replace('  storageClassName: ""\n', ''));
    assert.equal((await pvc('no-class')).spec?.storageClassName, undefined, 'no default class yet');
    await apply('default-class.yaml', `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: kubernetes.io/no-provisioner
`);
    await waitFor('default class assigned', async () => (await pvc('no-class')).spec?.storageClassName === 'standard');
  });
});
