import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import { FakeVolumeSources } from './fake-volume-sources.js';
import { VolumeManager } from './index.js';

let root: string;
let sources: FakeVolumeSources;
let vm: VolumeManager;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-mounts-'));
  sources = new FakeVolumeSources();
  vm = new VolumeManager({ rootDir: path.join(root, 'pods'), sources, nodeName: 'node-1', memoryBackedSecrets: false });
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function pod(spec: Record<string, unknown>, uid = 'uid-m'): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0', namespace: 'shop', uid }, spec };
}

test('volumeMounts become CRI mounts: readonly, propagation, subPath created inside the volume', async () => {
  sources.put('configmaps', 'shop', { metadata: { name: 'cfg' }, data: { a: '1' } });
  const container = {
    name: 'app',
    env: [{ name: 'POD_DIR', value: 'pods' }, { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
    volumeMounts: [
      { name: 'scratch', mountPath: '/scratch', mountPropagation: 'HostToContainer' },
      { name: 'scratch', mountPath: '/logs', subPath: 'logs/app' },
      { name: 'scratch', mountPath: '/expr', subPathExpr: '$(POD_DIR)/$(POD_NAME)/x' },
      { name: 'cfg', mountPath: '/cfg' },
      { name: 'host', mountPath: '/host', readOnly: true, mountPropagation: 'Bidirectional' },
    ],
  };
  const p = pod({
    containers: [container],
    volumes: [{ name: 'scratch', emptyDir: {} }, { name: 'cfg', configMap: { name: 'cfg' } }, { name: 'host', hostPath: { path: root } }],
  });
  await vm.setUp(p, {});
  const scratch = vm.hostPathFor('uid-m', 'scratch')!;
  const mounts = vm.mountsFor(p, container);
  const byPath = new Map(mounts.map((m) => [m.container_path, m]));
  assert.deepEqual(byPath.get('/scratch'), { container_path: '/scratch', host_path: scratch, readonly: false, selinux_relabel: false, propagation: 'PROPAGATION_HOST_TO_CONTAINER' });
  assert.equal(byPath.get('/logs')!.host_path, path.join(fs.realpathSync(scratch), 'logs/app'));
  assert.equal(fs.statSync(path.join(scratch, 'logs/app')).mode & 0o777, 0o777, 'subPath dir gets the volume mode');
  assert.equal(byPath.get('/expr')!.host_path, path.join(fs.realpathSync(scratch), 'pods/web-0/x'));
  assert.equal(byPath.get('/cfg')!.readonly, true, 'configMap volumes are always read-only');
  assert.equal(byPath.get('/host')!.readonly, true);
  assert.equal(byPath.get('/host')!.propagation, 'PROPAGATION_BIDIRECTIONAL');
  assert.equal(byPath.get('/host')!.host_path, root);
});

test('subPath may not climb out of the volume (.., absolute, or a symlink escaping it)', async () => {
  const p = pod({ containers: [], volumes: [{ name: 'v', emptyDir: {} }] });
  await vm.setUp(p, {});
  const mk = (subPath: string) => ({ name: 'c', volumeMounts: [{ name: 'v', mountPath: '/m', subPath }] });
  assert.throws(() => vm.mountsFor(p, mk('../../etc')), /must not contain '\.\.'/);
  assert.throws(() => vm.mountsFor(p, mk('/etc')), /must not be an absolute path/);
  fs.symlinkSync('/etc', path.join(vm.hostPathFor('uid-m', 'v')!, 'escape'));
  assert.throws(() => vm.mountsFor(p, mk('escape')), /outside the volume path/);
  assert.throws(() => vm.mountsFor(p, { name: 'c', volumeMounts: [{ name: 'nope', mountPath: '/x' }] }), /cannot find volume "nope" to mount into container "c"/);
});

test('/etc/hosts is written with the pod IP and mounted unless hostNetwork; termination-log per container', async () => {
  const container = { name: 'app', terminationMessagePath: '/tmp/msg' };
  const p = pod({ containers: [container], hostname: 'web', subdomain: 'db', hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo.local', 'bar.local'] }] });
  await vm.setUp(p, {});
  assert.equal(vm.mountsFor(p, container).some((m) => m.container_path === '/etc/hosts'), false, 'no hosts file before the pod IP is known');

  await vm.setUp(p, { podIP: '10.42.0.7' });
  const mounts = vm.mountsFor(p, container);
  const hosts = mounts.find((m) => m.container_path === '/etc/hosts')!;
  assert.equal(hosts.host_path, path.join(root, 'pods', 'uid-m', 'etc-hosts'));
  const content = fs.readFileSync(hosts.host_path, 'utf8');
  assert.equal(
    content,
    '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n' +
      '10.42.0.7\tweb.db.shop.svc.cluster.local\tweb\n\n# Entries added by HostAliases.\n10.1.2.3\tfoo.local\n10.1.2.3\tbar.local\n',
  );

  const term = mounts.find((m) => m.container_path === '/tmp/msg')!;
  assert.equal(term.host_path, path.join(root, 'pods', 'uid-m', 'containers', 'app', 'termination-log'));
  assert.equal(fs.statSync(term.host_path).mode & 0o777, 0o666);
  fs.writeFileSync(term.host_path, 'died');
  vm.mountsFor(p, container);
  assert.equal(fs.readFileSync(term.host_path, 'utf8'), '', 'a new container instance starts with an empty message file');
  assert.equal(vm.mountsFor(p, { name: 'other' }).at(-1)!.container_path, '/dev/termination-log');

  // A pod object whose status already carries the IP gets its hosts file even without setUp({podIP}).
  const withStatus: KubeObject = { ...pod({ containers: [container] }, 'uid-st'), status: { podIP: '10.42.0.9', podIPs: [{ ip: '10.42.0.9' }] } };
  await vm.setUp(withStatus, {});
  const stHosts = vm.mountsFor(withStatus, container).find((m) => m.container_path === '/etc/hosts')!;
  assert.match(fs.readFileSync(stHosts.host_path, 'utf8'), /\n10\.42\.0\.9\tweb-0\n$/);

  // Or the caller passes the sandbox IP it just got.
  const fresh = pod({ containers: [container] }, 'uid-ctx');
  await vm.setUp(fresh, {});
  const ctxHosts = vm.mountsFor(fresh, container, { podIP: '10.42.0.11' }).find((m) => m.container_path === '/etc/hosts')!;
  assert.match(fs.readFileSync(ctxHosts.host_path, 'utf8'), /\n10\.42\.0\.11\tweb-0\n$/);

  const hostNet = pod({ containers: [container], hostNetwork: true }, 'uid-hn');
  await vm.setUp(hostNet, { podIP: '192.168.1.5' });
  assert.equal(vm.mountsFor(hostNet, container).some((m) => m.container_path === '/etc/hosts'), false);
});

test('fsGroup: payload and emptyDir files get the group and group permission bits', { skip: process.getuid?.() !== 0 ? 'chown to another group needs root' : false }, async () => {
  sources.put('secrets', 'shop', { metadata: { name: 's' }, data: { k: Buffer.from('v').toString('base64') } });
  const p = pod({ containers: [], securityContext: { fsGroup: 2345 }, volumes: [{ name: 's', secret: { secretName: 's', defaultMode: 0o400 } }, { name: 'e', emptyDir: {} }] });
  await vm.setUp(p, {});
  const secretFile = path.join(vm.hostPathFor('uid-m', 's')!, 'k');
  const st = fs.statSync(secretFile);
  assert.equal(st.gid, 2345);
  assert.equal(st.mode & 0o777, 0o440, '0400 plus group read, as upstream');
  assert.equal(await vm.refresh(p, {}), false, 'an unchanged payload is not rewritten because of the group bits');
  const e = fs.statSync(vm.hostPathFor('uid-m', 'e')!);
  assert.equal(e.gid, 2345);
  assert.equal(e.mode & 0o7777, 0o2777, 'setgid dir');
});

test('tearDown removes the pod dir and forgets its volumes', async () => {
  const p = pod({ containers: [{ name: 'c' }], volumes: [{ name: 'e', emptyDir: {} }] });
  await vm.setUp(p, { podIP: '10.0.0.1' });
  vm.mountsFor(p, { name: 'c' });
  const dir = path.join(root, 'pods', 'uid-m');
  assert.equal(fs.existsSync(dir), true);
  await vm.tearDown('uid-m');
  assert.equal(fs.existsSync(dir), false);
  assert.equal(vm.hostPathFor('uid-m', 'e'), undefined);
  await vm.tearDown('uid-m');
  await assert.rejects(vm.tearDown('../etc'), /invalid pod uid/);
});
