import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import { FakeVolumeSources } from './fake-volume-sources.js';
import { VolumeManager, VolumeSetupError } from './index.js';

let root: string;
let sources: FakeVolumeSources;
let vm: VolumeManager;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-volumes-'));
  sources = new FakeVolumeSources();
  vm = new VolumeManager({ rootDir: path.join(root, 'pods'), sources, nodeName: 'node-1', memoryBackedSecrets: false });
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

let uidCounter = 0;
function pod(volumes: unknown[], extra: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject {
  uidCounter++;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'ns1', uid: `uid-${uidCounter}`, labels: { app: 'web', tier: 'front' }, annotations: { note: 'say "hi"' }, ...meta },
    spec: { containers: [{ name: 'c', image: 'busybox', resources: { limits: { cpu: '1500m', memory: '64Mi' } } }], serviceAccountName: 'sa1', volumes, ...extra },
  };
}

const read = (p: string) => fs.readFileSync(p, 'utf8');
const modeOf = (p: string) => fs.statSync(p).mode & 0o777;

test('configMap: every key with defaultMode 0644, items with path and mode, binaryData decoded', async () => {
  sources.put('configmaps', 'ns1', { metadata: { name: 'cfg' }, data: { 'app.conf': 'x=1', other: 'o' }, binaryData: { 'bin.dat': Buffer.from([0, 1, 2]).toString('base64') } });
  const p = pod([
    { name: 'all', configMap: { name: 'cfg' } },
    { name: 'some', configMap: { name: 'cfg', defaultMode: 0o440, items: [{ key: 'app.conf', path: 'conf/app.conf', mode: 0o600 }, { key: 'other', path: 'o.txt' }] } },
  ]);
  await vm.setUp(p, {});
  const all = vm.hostPathFor(p.metadata!.uid!, 'all')!;
  assert.equal(all, path.join(root, 'pods', p.metadata!.uid!, 'volumes', 'kubernetes.io~configmap', 'all'));
  assert.equal(read(path.join(all, 'app.conf')), 'x=1');
  assert.equal(modeOf(path.join(all, 'app.conf')), 0o644);
  assert.deepEqual([...fs.readFileSync(path.join(all, 'bin.dat'))], [0, 1, 2]);
  const some = vm.hostPathFor(p.metadata!.uid!, 'some')!;
  assert.equal(read(path.join(some, 'conf/app.conf')), 'x=1');
  assert.equal(modeOf(path.join(some, 'conf/app.conf')), 0o600);
  assert.equal(modeOf(path.join(some, 'o.txt')), 0o440);
  assert.equal(fs.existsSync(path.join(some, 'app.conf')), false);
});

test('missing required sources fail with upstream messages; optional ones give an empty volume', async () => {
  const p = pod([
    { name: 'opt', configMap: { name: 'nope', optional: true } },
    { name: 'req', configMap: { name: 'missing-cm' } },
  ]);
  await assert.rejects(vm.setUp(p, {}), (err: unknown) => {
    assert.ok(err instanceof VolumeSetupError);
    assert.equal(err.message, 'MountVolume.SetUp failed for volume "req" : configmap "missing-cm" not found');
    return true;
  });
  const opt = vm.hostPathFor(p.metadata!.uid!, 'opt')!;
  assert.deepEqual(fs.readdirSync(opt).filter((n) => !n.startsWith('..')), []);

  const s = pod([{ name: 'sec', secret: { secretName: 'creds' } }]);
  await assert.rejects(vm.setUp(s, {}), { message: 'MountVolume.SetUp failed for volume "sec" : secret "creds" not found' });

  sources.put('configmaps', 'ns1', { metadata: { name: 'cfg' }, data: { a: '1' } });
  const k = pod([{ name: 'keys', configMap: { name: 'cfg', items: [{ key: 'zzz', path: 'z' }] } }]);
  await assert.rejects(vm.setUp(k, {}), { message: 'MountVolume.SetUp failed for volume "keys" : configmap references non-existent config key: zzz' });
  const ko = pod([{ name: 'keys', configMap: { name: 'cfg', optional: true, items: [{ key: 'zzz', path: 'z' }, { key: 'a', path: 'a' }] } }]);
  await vm.setUp(ko, {});
  assert.equal(read(path.join(vm.hostPathFor(ko.metadata!.uid!, 'keys')!, 'a')), '1');
});

test('secret: data base64-decoded, defaultMode applied to real files', async () => {
  sources.put('secrets', 'ns1', { metadata: { name: 'creds' }, data: { password: Buffer.from('s3cr3t\n').toString('base64') } });
  const p = pod([{ name: 's', secret: { secretName: 'creds', defaultMode: 0o400 } }]);
  await vm.setUp(p, {});
  const dir = vm.hostPathFor(p.metadata!.uid!, 's')!;
  assert.match(dir, /kubernetes\.io~secret\/s$/);
  assert.equal(read(path.join(dir, 'password')), 's3cr3t\n');
  assert.equal(modeOf(path.join(dir, 'password')), 0o400);
  assert.equal(fs.lstatSync(path.join(dir, 'password')).isSymbolicLink(), true);
});

test('downwardAPI: metadata fields, sorted label/annotation lines, resource limits with divisor', async () => {
  const p = pod([
    {
      name: 'info',
      downwardAPI: {
        items: [
          { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
          { path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } },
          { path: 'uid', fieldRef: { fieldPath: 'metadata.uid' } },
          { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
          { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
          { path: 'app', fieldRef: { fieldPath: "metadata.labels['app']" } },
          { path: 'cpu', resourceFieldRef: { containerName: 'c', resource: 'limits.cpu' } },
          { path: 'cpu-m', resourceFieldRef: { containerName: 'c', resource: 'limits.cpu', divisor: '1m' } },
          { path: 'mem-mi', resourceFieldRef: { containerName: 'c', resource: 'limits.memory', divisor: '1Mi' } },
          { path: 'node-mem', resourceFieldRef: { containerName: 'c', resource: 'limits.ephemeral-storage', divisor: '1Gi' } },
        ],
      },
    },
  ]);
  await vm.setUp(p, { nodeAllocatable: { 'ephemeral-storage': '10Gi' } });
  const dir = vm.hostPathFor(p.metadata!.uid!, 'info')!;
  assert.match(dir, /kubernetes\.io~downward-api\/info$/);
  assert.equal(read(path.join(dir, 'name')), 'web');
  assert.equal(read(path.join(dir, 'ns')), 'ns1');
  assert.equal(read(path.join(dir, 'uid')), p.metadata!.uid);
  assert.equal(read(path.join(dir, 'labels')), 'app="web"\ntier="front"');
  assert.equal(read(path.join(dir, 'annotations')), 'note="say \\"hi\\""');
  assert.equal(read(path.join(dir, 'app')), 'web');
  assert.equal(read(path.join(dir, 'cpu')), '2', '1500m rounded up to whole cores');
  assert.equal(read(path.join(dir, 'cpu-m')), '1500');
  assert.equal(read(path.join(dir, 'mem-mi')), '64');
  assert.equal(read(path.join(dir, 'node-mem')), '10', 'unset limit falls back to node allocatable');
});

test('refresh: a configMap change reaches an existing path atomically; subPath mounts keep the old file', async () => {
  sources.put('configmaps', 'ns1', { metadata: { name: 'cfg' }, data: { 'app.conf': 'v1', gone: 'g' } });
  const p = pod([{ name: 'cfg', configMap: { name: 'cfg' } }]);
  p.spec = { ...(p.spec as object), containers: [{ name: 'c', volumeMounts: [{ name: 'cfg', mountPath: '/etc/app' }, { name: 'cfg', mountPath: '/etc/one.conf', subPath: 'app.conf' }] }] };
  await vm.setUp(p, {});
  const visible = path.join(vm.hostPathFor(p.metadata!.uid!, 'cfg')!, 'app.conf');
  const mounts = vm.mountsFor(p, (p.spec as { containers: Array<{ volumeMounts: unknown[] }> }).containers[0]);
  const subPathMount = mounts.find((m) => m.container_path === '/etc/one.conf')!;
  assert.equal(read(visible), 'v1');
  assert.equal(read(subPathMount.host_path), 'v1');
  assert.equal(await vm.refresh(p, {}), false, 'nothing changed yet');

  sources.put('configmaps', 'ns1', { metadata: { name: 'cfg' }, data: { 'app.conf': 'v2' } });
  assert.equal(await vm.refresh(p, {}), true);
  assert.equal(read(visible), 'v2');
  assert.equal(fs.existsSync(path.join(path.dirname(visible), 'gone')), false);
  assert.equal(fs.existsSync(subPathMount.host_path), false, 'the subPath pointed at the old timestamped file, as upstream (no update)');
  assert.equal(await vm.refresh(p, {}), false);
});

test('projected kube-api-access volume: token, ca.crt and namespace; tokens cached until renewal is due', async () => {
  sources.put('configmaps', 'ns1', { metadata: { name: 'kube-root-ca.crt' }, data: { 'ca.crt': '-----BEGIN CERTIFICATE-----\n' } });
  const p = pod([
    {
      name: 'kube-api-access-abcde',
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    },
    { name: 'aud', projected: { sources: [{ serviceAccountToken: { audience: 'vault', path: 'vault/token' } }] } },
  ]);
  await vm.setUp(p, {});
  const dir = vm.hostPathFor(p.metadata!.uid!, 'kube-api-access-abcde')!;
  assert.match(dir, /kubernetes\.io~projected\/kube-api-access-abcde$/);
  assert.equal(read(path.join(dir, 'token')), 'token-1-api-sa1');
  assert.equal(read(path.join(dir, 'ca.crt')), '-----BEGIN CERTIFICATE-----\n');
  assert.equal(read(path.join(dir, 'namespace')), 'ns1');
  assert.equal(modeOf(path.join(dir, 'token')), 0o644);
  assert.deepEqual(sources.tokenRequests[0], { pod: 'web', audience: undefined, expirationSeconds: 3607 });
  assert.deepEqual(sources.tokenRequests[1], { pod: 'web', audience: 'vault', expirationSeconds: 3600 });
  assert.equal(read(path.join(vm.hostPathFor(p.metadata!.uid!, 'aud')!, 'vault/token')), 'token-2-vault-sa1');

  assert.equal(await vm.refresh(p, {}), false, 'a fresh token is reused, not re-requested');
  assert.equal(sources.tokenRequests.length, 2);

  // A token whose lifetime is already past 80% is renewed on the next refresh.
  sources.tokenTtlSeconds = 0;
  const q = pod([{ name: 't', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }]);
  await vm.setUp(q, {});
  const before = read(path.join(vm.hostPathFor(q.metadata!.uid!, 't')!, 'token'));
  assert.equal(await vm.refresh(q, {}), true);
  assert.notEqual(read(path.join(vm.hostPathFor(q.metadata!.uid!, 't')!, 'token')), before);
});

test('projected: a missing non-optional source fails the volume', async () => {
  const p = pod([{ name: 'proj', projected: { sources: [{ secret: { name: 'nope' } }, { configMap: { name: 'nada' } }] } }]);
  await assert.rejects(vm.setUp(p, {}), { message: 'MountVolume.SetUp failed for volume "proj" : [secret "nope" not found, configmap "nada" not found]' });
});

test('emptyDir on disk: a 0777 dir, size limit recorded', async () => {
  const p = pod([{ name: 'scratch', emptyDir: { sizeLimit: '1Gi' } }, { name: 'plain', emptyDir: {} }]);
  await vm.setUp(p, {});
  const dir = vm.hostPathFor(p.metadata!.uid!, 'scratch')!;
  assert.match(dir, /kubernetes\.io~empty-dir\/scratch$/);
  assert.equal(modeOf(dir), 0o777);
  fs.writeFileSync(path.join(dir, 'kept'), 'x');
  await vm.setUp(p, {});
  assert.equal(read(path.join(dir, 'kept')), 'x', 'setUp is idempotent and keeps data');
  assert.deepEqual(vm.emptyDirLimits(p.metadata!.uid!), [
    { volumeName: 'scratch', hostPath: dir, medium: '', sizeLimitBytes: 1024 ** 3 },
    { volumeName: 'plain', hostPath: vm.hostPathFor(p.metadata!.uid!, 'plain')!, medium: '', sizeLimitBytes: undefined },
  ]);
});

test('hostPath: type checks with upstream messages; *OrCreate create what is missing', async () => {
  const file = path.join(root, 'a-file');
  fs.writeFileSync(file, 'x');
  const cases: Array<[string, string, string]> = [
    [file, 'Directory', `hostPath type check failed: ${file} is not a directory`],
    [file, 'DirectoryOrCreate', `hostPath type check failed: ${file} is not a directory`],
    [root, 'File', `hostPath type check failed: ${root} is not a file`],
    [path.join(root, 'absent'), 'File', `hostPath type check failed: ${path.join(root, 'absent')} is not a file`],
    [file, 'Socket', `hostPath type check failed: ${file} is not a socket file`],
    [file, 'CharDevice', `hostPath type check failed: ${file} is not a character device`],
    [file, 'BlockDevice', `hostPath type check failed: ${file} is not a block device`],
    [file, 'Bogus', 'Bogus is an invalid volume type'],
  ];
  for (const [p, type, message] of cases) {
    await assert.rejects(vm.setUp(pod([{ name: 'h', hostPath: { path: p, type } }]), {}), { message: `MountVolume.SetUp failed for volume "h" : ${message}` }, `${type} on ${p}`);
  }
  await vm.setUp(pod([{ name: 'h', hostPath: { path: '/dev/null', type: 'CharDevice' } }]), {});
  const newDir = path.join(root, 'made', 'dir');
  const newFile = path.join(root, 'made-file');
  const ok = pod([{ name: 'd', hostPath: { path: newDir, type: 'DirectoryOrCreate' } }, { name: 'f', hostPath: { path: newFile, type: 'FileOrCreate' } }, { name: 'any', hostPath: { path: '/nonexistent-skiff' } }]);
  await vm.setUp(ok, {});
  assert.equal(fs.statSync(newDir).isDirectory(), true);
  assert.equal(fs.statSync(newFile).isFile(), true);
  assert.equal(vm.hostPathFor(ok.metadata!.uid!, 'd'), newDir);
});

test('persistentVolumeClaim: resolved to the bound PV host path; unbound claims fail clearly', async () => {
  const pvDir = path.join(root, 'pv-data');
  fs.mkdirSync(pvDir);
  sources.put('persistentvolumeclaims', 'ns1', { metadata: { name: 'data', uid: 'pvc-uid' }, spec: { volumeName: 'pv-1' }, status: { phase: 'Bound' } });
  sources.put('persistentvolumes', '', { metadata: { name: 'pv-1' }, spec: { hostPath: { path: pvDir, type: 'DirectoryOrCreate' }, claimRef: { uid: 'pvc-uid' } } });
  sources.put('persistentvolumeclaims', 'ns1', { metadata: { name: 'pending' }, spec: {}, status: { phase: 'Pending' } });
  const p = pod([{ name: 'data', persistentVolumeClaim: { claimName: 'data', readOnly: true } }]);
  p.spec = { ...(p.spec as object), containers: [{ name: 'c', volumeMounts: [{ name: 'data', mountPath: '/data' }] }] };
  await vm.setUp(p, {});
  assert.equal(vm.hostPathFor(p.metadata!.uid!, 'data'), pvDir);
  const m = vm.mountsFor(p, (p.spec as { containers: Array<{ volumeMounts: unknown[] }> }).containers[0]).find((x) => x.container_path === '/data')!;
  assert.equal(m.host_path, pvDir);
  assert.equal(m.readonly, true);

  await assert.rejects(vm.setUp(pod([{ name: 'p', persistentVolumeClaim: { claimName: 'pending' } }]), {}), { message: 'MountVolume.SetUp failed for volume "p" : PVC ns1/pending is not bound (phase "Pending")' });
  await assert.rejects(vm.setUp(pod([{ name: 'p', persistentVolumeClaim: { claimName: 'nope' } }]), {}), /failed to fetch PVC from API server: persistentvolumeclaims "nope" not found/);
});

test('generic ephemeral volume: the pod-owned PVC <pod>-<volume> is resolved; a foreign one is refused', async () => {
  const pvDir = path.join(root, 'eph');
  fs.mkdirSync(pvDir);
  const p = pod([{ name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } }]);
  sources.put('persistentvolumeclaims', 'ns1', {
    metadata: { name: 'web-scratch', ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'web', uid: p.metadata!.uid!, controller: true }] },
    spec: { volumeName: 'pv-eph' },
    status: { phase: 'Bound' },
  });
  sources.put('persistentvolumes', '', { metadata: { name: 'pv-eph' }, spec: { local: { path: pvDir } } });
  await vm.setUp(p, {});
  assert.equal(vm.hostPathFor(p.metadata!.uid!, 'scratch'), pvDir);

  const other = pod([{ name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } }]);
  await assert.rejects(vm.setUp(other, {}), { message: 'MountVolume.SetUp failed for volume "scratch" : PVC ns1/web-scratch was not created for pod ns1/web (pod is not owner)' });
  assert.deepEqual(vm.podUidsOnDisk().sort(), [p.metadata!.uid!, other.metadata!.uid!].sort());
});

test('a volume set up once keeps its files and does not block the pod when its source disappears', async () => {
  sources.put('configmaps', 'ns1', { metadata: { name: 'cfg' }, data: { a: '1' } });
  const p = pod([{ name: 'cfg', configMap: { name: 'cfg' } }]);
  await vm.setUp(p, {});
  sources.remove('configmaps', 'ns1', 'cfg');
  await vm.setUp(p, {});
  assert.equal(await vm.refresh(p, {}), false);
  const file = path.join(vm.hostPathFor(p.metadata!.uid!, 'cfg')!, 'a');
  assert.equal(read(file), '1');
  // After a kubelet restart the files on disk count as set up too.
  const restarted = new VolumeManager({ rootDir: path.join(root, 'pods'), sources, nodeName: 'node-1', memoryBackedSecrets: false });
  await restarted.setUp(p, {});
  assert.equal(restarted.hostPathFor(p.metadata!.uid!, 'cfg'), path.dirname(file));
  // A pod whose volume was never set up still fails.
  await assert.rejects(vm.setUp(pod([{ name: 'cfg', configMap: { name: 'cfg' } }]), {}), VolumeSetupError);
});
