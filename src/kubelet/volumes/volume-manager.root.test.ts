/**
 * Volume manager tests that need root: tmpfs mounts (emptyDir medium Memory, secrets kept off disk),
 * tearDown unmounting them, and a prepared volume bind-mounted into a new mount namespace as a
 * container runtime would, seeing an atomic update.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import { FakeVolumeSources } from './fake-volume-sources.js';
import { VolumeManager } from './index.js';
import { listMountPoints, mountPointsUnder } from './mount-utils.js';

const hasTool = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const rootSkip = process.getuid?.() !== 0 ? 'needs root (tmpfs and bind mounts)' : !hasTool('mount') || !hasTool('umount') ? 'mount/umount not installed' : false;
const unshareSkip = rootSkip || (!hasTool('unshare') ? 'unshare (util-linux) not installed' : false);

let root: string;
let sources: FakeVolumeSources;
let vm: VolumeManager;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-volroot-'));
  sources = new FakeVolumeSources();
  vm = new VolumeManager({ rootDir: path.join(root, 'pods'), sources, nodeName: 'node-1', memoryBackedSecrets: true });
});
afterEach(async () => {
  for (const m of await mountPointsUnder(root)) spawnSync('umount', ['-l', m]);
  fs.rmSync(root, { recursive: true, force: true });
});

function pod(uid: string, volumes: unknown[]): KubeObject {
  return { metadata: { name: 'p', namespace: 'ns1', uid }, spec: { containers: [{ name: 'c' }], volumes } };
}

test('emptyDir medium Memory is a tmpfs of sizeLimit; secrets live on tmpfs; tearDown unmounts and removes', { skip: rootSkip }, async () => {
  sources.put('secrets', 'ns1', { metadata: { name: 's' }, data: { k: Buffer.from('v').toString('base64') } });
  const p = pod('uid-tmpfs', [{ name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } }, { name: 'sec', secret: { secretName: 's' } }]);
  await vm.setUp(p, {});
  await vm.setUp(p, {}); // idempotent: no second mount stacked on the first
  const mem = vm.hostPathFor('uid-tmpfs', 'mem')!;
  const sec = vm.hostPathFor('uid-tmpfs', 'sec')!;
  const mounts = await listMountPoints();
  const memMounts = mounts.filter((m) => m.mountPoint === mem);
  assert.equal(memMounts.length, 1);
  assert.equal(memMounts[0].fsType, 'tmpfs');
  assert.match(memMounts[0].options, /size=16384k/);
  assert.equal(fs.statSync(mem).mode & 0o777, 0o777);
  assert.equal(mounts.filter((m) => m.mountPoint === sec && m.fsType === 'tmpfs').length, 1);
  assert.equal(fs.readFileSync(path.join(sec, 'k'), 'utf8'), 'v');

  await vm.tearDown('uid-tmpfs');
  assert.deepEqual(await mountPointsUnder(path.join(root, 'pods', 'uid-tmpfs')), []);
  assert.equal(fs.existsSync(path.join(root, 'pods', 'uid-tmpfs')), false);
});

test('a prepared configMap volume bind-mounted in a new mount namespace sees an atomic update', { skip: unshareSkip }, async () => {
  sources.put('configmaps', 'ns1', { metadata: { name: 'cfg' }, data: { greeting: 'hello' } });
  const p = pod('uid-ns', [{ name: 'cfg', configMap: { name: 'cfg' } }]);
  await vm.setUp(p, {});
  const [mount] = vm.mountsFor(p, { volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg' }] });
  const target = path.join(root, 'container-view');
  fs.mkdirSync(target);
  // The "container": its own mount namespace with the volume bound where the container path would be.
  const script = `mount --bind "${mount.host_path}" "${target}" && cat "${target}/greeting" && echo && read line && cat "${target}/greeting" && echo`;
  const child = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const firstLine = new Promise<void>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      lines.push(...d.toString().split('\n').filter(Boolean));
      if (lines.length >= 1) resolve();
    });
  });
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  await Promise.race([firstLine, exited]);
  assert.deepEqual(lines, ['hello'], stderr);
  assert.equal((await listMountPoints()).some((m) => m.mountPoint === target), false, 'the bind mount stays inside the new namespace');

  sources.put('configmaps', 'ns1', { metadata: { name: 'cfg' }, data: { greeting: 'bonjour' } });
  assert.equal(await vm.refresh(p, {}), true);
  child.stdin.write('\n');
  assert.equal(await exited, 0, stderr);
  assert.deepEqual(lines, ['hello', 'bonjour']);
  await vm.tearDown('uid-ns');
});
