// The volume manager with a real container runtime: volumes prepared by VolumeManager, handed to
// containerd as CRI mounts, read and written from inside a busybox container through exec. Covers a
// configMap update reaching the running container (and a subPath mount keeping the old file), a
// memory-backed emptyDir, a secret, a hostPath PVC, /etc/hosts and the termination message file.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import { startContainerd, type ContainerdHandle } from '../containerd/supervisor.js';
import type { ContainerConfig, PodSandboxConfig } from '../cri/types.js';
import { importImage } from '../images/import.js';
import { TEST_BUSYBOX_IMAGE, TEST_WORKLOADS, buildBusyboxImage } from '../images/test-images.js';
import { FakeVolumeSources } from './fake-volume-sources.js';
import { VolumeManager } from './index.js';
import { mountPointsUnder } from './mount-utils.js';
import { containerdSkipReason, teardownContainerd } from '../containerd/test-support.js';

const skipReason = containerdSkipReason();

test('volumes inside a real container: configMap update, subPath, tmpfs emptyDir, secret, PVC, /etc/hosts, termination log', { skip: skipReason, timeout: 120_000 }, async () => {
  const dir = fs.mkdtempSync('/tmp/skiff-h3v-');
  const bridge = 'skh3vol0';
  let handle: ContainerdHandle | null = null;
  try {
    handle = await startContainerd({ dir: path.join(dir, 'containerd'), podCidr: '10.244.237.0/24', bridgeName: bridge });
    const cri = handle.client;
    await buildBusyboxImage(path.join(dir, 'busybox.tar'));
    await importImage(handle.socket, path.join(dir, 'busybox.tar'));

    const sources = new FakeVolumeSources();
    sources.put('configmaps', 'ns1', { metadata: { name: 'cfg' }, data: { greeting: 'hello' } });
    sources.put('secrets', 'ns1', { metadata: { name: 'creds' }, data: { password: Buffer.from('s3cr3t').toString('base64') } });
    const pvDir = path.join(dir, 'pv');
    fs.mkdirSync(pvDir);
    fs.writeFileSync(path.join(pvDir, 'stored'), 'persisted');
    sources.put('persistentvolumeclaims', 'ns1', { metadata: { name: 'data' }, spec: { volumeName: 'pv-1' }, status: { phase: 'Bound' } });
    sources.put('persistentvolumes', '', { metadata: { name: 'pv-1' }, spec: { hostPath: { path: pvDir } } });
    const vm = new VolumeManager({ rootDir: path.join(dir, 'pods'), sources, nodeName: 'node-1' });

    const containerSpec = {
      name: 'app',
      volumeMounts: [
        { name: 'cfg', mountPath: '/etc/cfg' },
        { name: 'cfg', mountPath: '/etc/greeting.txt', subPath: 'greeting' },
        { name: 'cache', mountPath: '/cache' },
        { name: 'creds', mountPath: '/secret' },
        { name: 'data', mountPath: '/data' },
      ],
    };
    const pod: KubeObject = {
      metadata: { name: 'vols', namespace: 'ns1', uid: 'h3-vol-uid' },
      spec: {
        containers: [containerSpec],
        volumes: [
          { name: 'cfg', configMap: { name: 'cfg' } },
          { name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '8Mi' } },
          { name: 'creds', secret: { secretName: 'creds' } },
          { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
        ],
      },
    };
    await vm.setUp(pod, {});
    const sandboxConfig: PodSandboxConfig = {
      metadata: { name: 'vols', uid: 'h3-vol-uid', namespace: 'ns1', attempt: 0 },
      hostname: 'vols',
      log_directory: path.join(dir, 'logs', 'ns1_vols_h3-vol-uid'),
    };
    const sandboxId = await cri.runPodSandbox(sandboxConfig);
    const podIP = (await cri.podSandboxStatus(sandboxId)).network?.ip ?? '';
    assert.match(podIP, /^10\.244\.237\./);

    const mounts = vm.mountsFor(pod, containerSpec, { podIP });
    const config: ContainerConfig = {
      metadata: { name: 'app', attempt: 0 },
      image: { image: TEST_BUSYBOX_IMAGE },
      command: [...TEST_WORKLOADS.sleeper],
      log_path: 'app/0.log',
      mounts,
      labels: { 'io.kubernetes.container.name': 'app' },
    };
    const id = await cri.createContainer(sandboxId, config, sandboxConfig);
    await cri.startContainer(id);
    const sh = async (script: string) => {
      const r = await cri.execSync(id, ['sh', '-c', script], 10);
      assert.equal(r.exit_code, 0, `${script}: ${r.stderr.toString()}`);
      return r.stdout.toString();
    };

    assert.equal(await sh('cat /etc/cfg/greeting'), 'hello');
    assert.equal(await sh('cat /etc/greeting.txt'), 'hello');
    assert.equal(await sh('cat /secret/password'), 's3cr3t');
    assert.equal(await sh('cat /data/stored'), 'persisted');
    assert.match(await sh('grep " /cache " /proc/mounts'), /tmpfs \/cache tmpfs/);
    await sh('echo scratch > /cache/f && echo written > /data/new');
    assert.equal(fs.readFileSync(path.join(vm.hostPathFor('h3-vol-uid', 'cache')!, 'f'), 'utf8'), 'scratch\n');
    assert.equal(fs.readFileSync(path.join(pvDir, 'new'), 'utf8'), 'written\n');
    assert.match(await sh('cat /etc/hosts'), new RegExp(`\\n${podIP.replace(/\./g, '\\.')}\\tvols\\n`));
    await sh('echo -n "bye" > /dev/termination-log');
    assert.equal(fs.readFileSync(vm.terminationLogPathFor('h3-vol-uid', 'app'), 'utf8'), 'bye');
    assert.notEqual((await cri.execSync(id, ['sh', '-c', 'echo x > /etc/cfg/greeting'], 10)).exit_code, 0, 'configMap volumes are read-only');

    sources.put('configmaps', 'ns1', { metadata: { name: 'cfg' }, data: { greeting: 'bonjour' } });
    assert.equal(await vm.refresh(pod, { podIP }), true);
    assert.equal(await sh('cat /etc/cfg/greeting'), 'bonjour', 'the update reaches the running container');
    assert.equal(await sh('cat /etc/greeting.txt'), 'hello', 'a subPath mount keeps the old file, as upstream');

    await cri.stopContainer(id, 0);
    await cri.removeContainer(id);
    await cri.stopPodSandbox(sandboxId);
    await cri.removePodSandbox(sandboxId);
    await vm.tearDown('h3-vol-uid');
    assert.deepEqual(await mountPointsUnder(path.join(dir, 'pods')), []);
    assert.equal(fs.existsSync(path.join(dir, 'pods', 'h3-vol-uid')), false);
    assert.equal(fs.readFileSync(path.join(pvDir, 'stored'), 'utf8'), 'persisted', 'tearDown leaves PV data alone');
  } finally {
    await teardownContainerd(handle, dir, bridge);
  }
});
