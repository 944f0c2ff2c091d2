// The test workloads and pod network features a kubelet relies on, on real containerd: a crasher
// exits with reason Error, the memory hog under a limit ends OOMKilled (137), a hostNetwork sandbox
// (no hostname, as upstream's kubelet sends it), a hostPort through the portmap plugin, and a
// PullImage over plain HTTP from a local docker-registry on loopback.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ContainerConfig, LinuxContainerConfig, PodSandboxConfig } from '../cri/types.js';
import { importImage } from '../images/import.js';
import { TEST_BUSYBOX_IMAGE, TEST_WORKLOADS, buildBusyboxImage } from '../images/test-images.js';
import { findBinary } from './prerequisites.js';
import { startContainerd, type ContainerdHandle } from './supervisor.js';
import { containerdSkipReason, teardownContainerd } from './test-support.js';

const skipReason = containerdSkipReason();

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

test('workloads, hostNetwork, hostPort and registry pulls on real containerd', { skip: skipReason, timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync('/tmp/skiff-h1w-');
  const bridge = 'skh1w0';
  let handle: ContainerdHandle | null = null;
  const children: ChildProcess[] = [];
  const sandbox = (name: string, extra: Partial<PodSandboxConfig> = {}): PodSandboxConfig => ({
    metadata: { name, uid: `${name}-uid`, namespace: 'default', attempt: 0 },
    hostname: name,
    log_directory: join(dir, 'pods', name),
    ...extra,
  });
  const container = (name: string, command: readonly string[], linux: LinuxContainerConfig = {}, image = TEST_BUSYBOX_IMAGE): ContainerConfig => ({
    metadata: { name, attempt: 0 },
    image: { image },
    command: [...command],
    log_path: `${name}/0.log`,
    labels: { 'io.kubernetes.container.name': name },
    linux,
  });
  try {
    handle = await startContainerd({ dir: join(dir, 'containerd'), podCidr: '10.244.254.0/24', bridgeName: bridge });
    const cri = handle.client;
    await buildBusyboxImage(join(dir, 'busybox.tar'));
    await importImage(handle.socket, join(dir, 'busybox.tar'));

    await t.test('crasher exits with Error, memory hog under a limit with OOMKilled', async () => {
      const pod = sandbox('workloads');
      const id = await cri.runPodSandbox(pod);
      const crash = await cri.createContainer(id, container('crash', TEST_WORKLOADS.crasher), pod);
      const hog = await cri.createContainer(id, container('hog', TEST_WORKLOADS.memoryHog, { resources: { memory_limit_in_bytes: 64 << 20 } }), pod);
      await cri.startContainer(crash);
      await cri.startContainer(hog);
      for (let i = 0; i < 100; i++) {
        const states = await Promise.all([crash, hog].map(async (c) => (await cri.containerStatus(c)).state));
        if (states.every((s) => s === 'CONTAINER_EXITED')) break;
        await sleep(100);
      }
      const crashed = await cri.containerStatus(crash);
      assert.deepEqual([crashed.state, crashed.reason, crashed.exit_code], ['CONTAINER_EXITED', 'Error', 1]);
      const oom = await cri.containerStatus(hog);
      assert.deepEqual([oom.state, oom.reason, oom.exit_code], ['CONTAINER_EXITED', 'OOMKilled', 137]);
    });

    await t.test('hostNetwork sandbox (no hostname) shares the node network', async () => {
      const pod = sandbox('hostnet', { linux: { security_context: { namespace_options: { network: 'NODE', pid: 'CONTAINER', ipc: 'POD' } } } });
      delete pod.hostname; // runc refuses a hostname without a private UTS namespace; upstream sends none
      const id = await cri.runPodSandbox(pod);
      assert.equal((await cri.podSandboxStatus(id)).network?.ip ?? '', '');
      const c = await cri.createContainer(id, container('sleeper', TEST_WORKLOADS.sleeper), pod);
      await cri.startContainer(c);
      const ifaces = (await cri.execSync(c, ['cat', '/proc/net/dev'], 10)).stdout.toString();
      assert.match(ifaces, new RegExp(`${bridge}:`), 'the node bridge is visible inside');
    });

    await t.test('hostPort reaches the pod through portmap', async () => {
      const hostPort = await freePort();
      const pod = sandbox('hostport', { port_mappings: [{ protocol: 'TCP', container_port: 8080, host_port: hostPort }] });
      const id = await cri.runPodSandbox(pod);
      const c = await cri.createContainer(id, container('web', TEST_WORKLOADS.web), pod);
      await cri.startContainer(c);
      const hostIp = execFileSync('hostname', ['-I']).toString().trim().split(/\s+/)[0] ?? '';
      let body = '';
      for (let i = 0; i < 50 && body === ''; i++) body = await httpGet(`http://${hostIp}:${hostPort}/`).catch(() => sleep(100).then(() => ''));
      assert.equal(body, 'skiff busybox\n');
    });

    const registryBin = findBinary('docker-registry');
    await t.test('PullImage from a plain-HTTP registry on loopback', { skip: registryBin ? false : 'docker-registry not installed' }, async () => {
      const port = await freePort();
      mkdirSync(join(dir, 'registry'), { recursive: true });
      const config = join(dir, 'registry', 'config.yml');
      writeFileSync(config, `version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'registry', 'data')}\nhttp:\n  addr: 127.0.0.1:${port}\n`);
      children.push(spawn(registryBin!, ['serve', config], { stdio: 'ignore' }));
      for (let i = 0; i < 50; i++) if ((await httpGet(`http://127.0.0.1:${port}/v2/`).catch(() => null)) !== null) break; else await sleep(100);
      const ref = `127.0.0.1:${port}/skiff/busybox:1`;
      const ctr = ['--address', handle!.socket, '--namespace', 'k8s.io', 'images'];
      execFileSync('ctr', [...ctr, 'tag', TEST_BUSYBOX_IMAGE, ref]);
      execFileSync('ctr', [...ctr, 'push', '--plain-http', ref], { stdio: 'ignore' });
      await cri.removeImage(ref);
      assert.equal(await cri.imageStatus(ref), null);
      const imageRef = await cri.pullImage(ref);
      assert.match(imageRef, /^sha256:[0-9a-f]{64}$/);
      assert.equal((await cri.imageStatus(ref))?.id, imageRef);
      await assert.rejects(cri.pullImage(`127.0.0.1:${port}/skiff/absent:1`), /not found|NotFound/i);
    });
  } finally {
    for (const child of children) child.kill();
    await teardownContainerd(handle, dir, bridge);
  }
});
