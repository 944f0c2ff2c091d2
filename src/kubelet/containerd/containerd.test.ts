// Real containerd through Skiff's supervisor and CRI client: start, image import, a pod sandbox with
// an httpd container reachable on its pod IP, exec, logs, label filters, survival of containers
// across a Skiff "SIGKILL" and a containerd restart, then teardown. Needs root + containerd packages.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CriClient } from '../cri/client.js';
import type { ContainerConfig, PodSandboxConfig } from '../cri/types.js';
import { importImage } from '../images/import.js';
import { TEST_BUSYBOX_IMAGE, TEST_WORKLOADS, buildBusyboxImage } from '../images/test-images.js';
import { startContainerd, type ContainerdHandle } from './supervisor.js';
import { containerdSkipReason, httpGet, teardownContainerd, eventually } from './test-support.js';

const skipReason = containerdSkipReason();

const POD_CIDR = '10.244.251.0/24';
const CGROUP_ROOT = '/skiff-h1-test';



/** True when ip (dotted quad) lies in cidr. */
function inCidr(ip: string, cidr: string): boolean {
  const toInt = (s: string): number => s.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const [base, bits] = cidr.split('/');
  const mask = 2 ** 32 - 2 ** (32 - Number(bits));
  return (toInt(ip) & mask) >>> 0 === (toInt(base ?? '') & mask) >>> 0;
}

function sandboxConfig(name: string, uid: string, logRoot: string): PodSandboxConfig {
  return {
    metadata: { name, uid, namespace: 'default', attempt: 0 },
    hostname: name,
    log_directory: join(logRoot, `default_${name}_${uid}`),
    dns_config: { servers: ['10.43.0.10'], searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] },
    labels: { app: name, 'io.kubernetes.pod.name': name, 'io.kubernetes.pod.namespace': 'default', 'io.kubernetes.pod.uid': uid },
    annotations: { 'kubernetes.io/config.source': 'api' },
    linux: { cgroup_parent: `${CGROUP_ROOT}/pod${uid}`, security_context: { namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } } },
  };
}

function containerConfig(sandbox: PodSandboxConfig, name: string, command: readonly string[]): ContainerConfig {
  const pod = sandbox.metadata;
  return {
    metadata: { name, attempt: 0 },
    image: { image: TEST_BUSYBOX_IMAGE },
    command: [...command],
    envs: [{ key: 'GREETING', value: 'hi' }],
    log_path: `${name}/0.log`,
    labels: {
      'io.kubernetes.pod.name': pod.name,
      'io.kubernetes.pod.namespace': pod.namespace,
      'io.kubernetes.pod.uid': pod.uid,
      'io.kubernetes.container.name': name,
    },
    annotations: { 'io.kubernetes.container.restartCount': '0', 'io.kubernetes.pod.terminationGracePeriod': '30' },
    linux: { resources: { cpu_shares: 256, memory_limit_in_bytes: 128 * 1024 * 1024 }, security_context: { namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } } },
  };
}

/** rmdir a cgroup (v1: in every controller hierarchy) and its children, deepest first; best effort. */
function removeCgroup(relPath: string): void {
  const remove = (path: string): void => {
    try {
      for (const e of readdirSync(path, { withFileTypes: true })) if (e.isDirectory()) remove(join(path, e.name));
      rmdirSync(path);
    } catch {
      // gone, busy or not a cgroup
    }
  };
  for (const hierarchy of readdirSync('/sys/fs/cgroup')) remove(join('/sys/fs/cgroup', hierarchy, relPath));
}

/** Stops and removes every sandbox, stops containerd, removes the bridge, mounts, cgroups and temp dir. */
async function cleanup(handle: ContainerdHandle | null, dir: string, bridge: string, cgroup: string): Promise<void> {
  // Without a handle (failed between detach and restart) containerd is still running unsupervised: killed.
  await teardownContainerd(handle, dir, bridge);
  removeCgroup(cgroup);
  for (const hierarchy of readdirSync('/sys/fs/cgroup')) {
    try {
      rmdirSync(join('/sys/fs/cgroup', hierarchy, CGROUP_ROOT)); // only when no other run uses it
    } catch {
      // busy or gone
    }
  }
}

test('containerd supervisor + CRI client run real pods', { skip: skipReason, timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync('/tmp/skiff-h1-');
  const uid = randomUUID();
  const bridge = `skh1${randomBytes(3).toString('hex')}`;
  const logRoot = join(dir, 'pods');
  let handle: ContainerdHandle | null = null;
  try {
    handle = await startContainerd({ dir: join(dir, 'containerd'), podCidr: POD_CIDR, bridgeName: bridge });
    t.diagnostic(`containerd ${handle.version} ready in ${handle.startMs} ms`);
    assert.match(handle.version, /^1\.\d+\.\d+/);
    assert.equal(handle.reused, false);
    const cri = handle.client;
    const status = await cri.status();
    assert.deepEqual(
      status.status?.conditions.filter((c) => c.status).map((c) => c.type).sort(),
      ['NetworkReady', 'RuntimeReady'],
    );

    await t.test('busybox image imports and CRI sees it', async () => {
      const tar = join(dir, 'busybox.tar');
      const built = await buildBusyboxImage(tar);
      const names = await importImage(handle!.socket, tar);
      assert.deepEqual(names, [TEST_BUSYBOX_IMAGE]);
      const image = await cri.imageStatus(TEST_BUSYBOX_IMAGE);
      assert.ok(image, 'imageStatus found the image');
      assert.equal(image.id, built.configDigest);
      assert.ok(image.repo_tags.includes(TEST_BUSYBOX_IMAGE));
      assert.equal(await cri.imageStatus('skiff.local/absent:0'), null);
    });

    const podConfig = sandboxConfig('web', uid, logRoot);
    const sandboxId = await cri.runPodSandbox(podConfig);
    const sandbox = await cri.podSandboxStatus(sandboxId);
    assert.equal(sandbox.state, 'SANDBOX_READY');
    assert.equal(sandbox.metadata?.uid, uid);
    const podIp = sandbox.network?.ip ?? '';
    assert.ok(inCidr(podIp, POD_CIDR), `pod IP ${podIp} in ${POD_CIDR}`);

    const webId = await cri.createContainer(sandboxId, containerConfig(podConfig, 'web', TEST_WORKLOADS.web), podConfig);
    await cri.startContainer(webId);
    const loggerCmd = ['sh', '-c', 'echo hello-stdout; echo hello-stderr >&2; exec sleep 3600'];
    const loggerId = await cri.createContainer(sandboxId, containerConfig(podConfig, 'logger', loggerCmd), podConfig);
    await cri.startContainer(loggerId);

    await t.test('pod IP serves HTTP from the host', async () => {
      const res = await eventually('GET pod IP', () => httpGet(`http://${podIp}:8080/`));
      assert.equal(res.status, 200);
      assert.equal(res.body, 'skiff busybox\n');
    });

    await t.test('ExecSync returns output and exit codes; DNS config reached resolv.conf', async () => {
      const env = await cri.execSync(webId, ['sh', '-c', 'echo $GREETING; echo oops >&2; exit 3'], 10);
      assert.equal(env.stdout.toString(), 'hi\n');
      assert.equal(env.stderr.toString(), 'oops\n');
      assert.equal(env.exit_code, 3);
      const resolv = (await cri.execSync(webId, ['cat', '/etc/resolv.conf'], 10)).stdout.toString();
      assert.match(resolv, /nameserver 10\.43\.0\.10/);
      assert.match(resolv, /search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local/);
      assert.match(resolv, /options ndots:5/);
    });

    await t.test('Exec, Attach and PortForward return streaming URLs', async () => {
      const execUrl = await cri.exec({ container_id: webId, cmd: ['sh'], stdin: true, stdout: true, stderr: true });
      assert.match(execUrl, /^http:\/\/127\.0\.0\.1:\d+\/exec\/\S+$/);
      const attachUrl = await cri.attach({ container_id: webId, stdout: true, stderr: true });
      assert.match(attachUrl, /^http:\/\/127\.0\.0\.1:\d+\/attach\/\S+$/);
      const pfUrl = await cri.portForward({ pod_sandbox_id: sandboxId, port: [8080] });
      assert.match(pfUrl, /^http:\/\/127\.0\.0\.1:\d+\/portforward\/\S+$/);
    });

    await t.test('container logs are CRI-format files under the pod log dir', async () => {
      const logFile = join(podConfig.log_directory ?? '', 'logger', '0.log');
      const text = await eventually('log lines', async () => {
        const content = readFileSync(logFile, 'utf8');
        if (!content.includes('hello-stderr')) throw new Error(`log so far: ${JSON.stringify(content)}`);
        return content;
      });
      const lines = text.trimEnd().split('\n');
      assert.ok(lines.some((l) => /^\d{4}-\d\d-\d\dT\S+Z stdout F hello-stdout$/.test(l)), text);
      assert.ok(lines.some((l) => /^\d{4}-\d\d-\d\dT\S+Z stderr F hello-stderr$/.test(l)), text);
      const st = await cri.containerStatus(loggerId);
      assert.equal(st.log_path, logFile);
    });

    await t.test('ListContainers filters by label; ContainerStatus reports running', async () => {
      const byName = await cri.listContainers({ label_selector: { 'io.kubernetes.container.name': 'web' } });
      assert.deepEqual(byName.map((c) => c.id), [webId]);
      const bySandbox = await cri.listContainers({ pod_sandbox_id: sandboxId });
      assert.deepEqual(bySandbox.map((c) => c.id).sort(), [webId, loggerId].sort());
      const st = await cri.containerStatus(webId);
      assert.equal(st.state, 'CONTAINER_RUNNING');
      assert.equal(st.annotations['io.kubernetes.container.restartCount'], '0');
      assert.ok(st.started_at > 0);
      const stats = await cri.listContainerStats({ pod_sandbox_id: sandboxId });
      assert.equal(stats.length, 2);
    });

    await t.test('containers survive a Skiff SIGKILL and a containerd restart', async () => {
      const first = handle!;
      const startedAt = (await first.client.containerStatus(webId)).started_at;
      first.detach(); // let go without stopping containerd
      handle = null;

      // A real Skiff-like process takes containerd over, then dies by SIGKILL.
      // Run from src (tsx) or from dist (plain node): import the supervisor beside this file.
      const fromSource = import.meta.url.endsWith('.ts');
      const supervisorPath = new URL(fromSource ? './supervisor.ts' : './supervisor.js', import.meta.url).pathname;
      const script = join(dir, 'skiff-like.mjs');
      writeFileSync(
        script,
        `const { startContainerd } = await import(${JSON.stringify(supervisorPath)});\n` +
          `const h = await startContainerd({ dir: ${JSON.stringify(join(dir, 'containerd'))}, podCidr: '${POD_CIDR}', bridgeName: '${bridge}' });\n` +
          'console.log(JSON.stringify({ pid: h.pid, reused: h.reused }));\nsetInterval(() => {}, 1000);\n',
      );
      const child = spawn(process.execPath, [...(fromSource ? ['--import', 'tsx'] : []), script], { stdio: ['ignore', 'pipe', 'inherit'] });
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out.trim());
        });
        child.on('exit', (code) => reject(new Error(`skiff-like process exited ${code}: ${out}`)));
      });
      assert.deepEqual(JSON.parse(line), { pid: first.pid, reused: true });
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      process.kill(first.pid, 0); // containerd still alive (throws ESRCH otherwise)

      handle = await startContainerd({ dir: join(dir, 'containerd'), podCidr: POD_CIDR, bridgeName: bridge });
      assert.equal(handle.reused, true);
      assert.equal(handle.pid, first.pid);
      assert.equal((await handle.client.containerStatus(webId)).started_at, startedAt);
      assert.equal((await httpGet(`http://${podIp}:8080/`)).status, 200);

      await handle.stop(); // containerd itself goes away; the runc shims keep the containers
      assert.equal(existsSync(join(dir, 'containerd', 'containerd.pid')), false);
      assert.equal((await httpGet(`http://${podIp}:8080/`)).status, 200, 'pod serves while containerd is down');
      handle = await startContainerd({ dir: join(dir, 'containerd'), podCidr: POD_CIDR, bridgeName: bridge });
      assert.equal(handle.reused, false);
      assert.notEqual(handle.pid, first.pid);
      const again = await handle.client.containerStatus(webId);
      assert.equal(again.state, 'CONTAINER_RUNNING');
      assert.equal(again.started_at, startedAt, 'same container, not a new one');
      assert.equal((await handle.client.listContainers({ pod_sandbox_id: sandboxId })).length, 2);
    });

    await t.test('teardown: stop and remove containers and the sandbox', async () => {
      const c = handle!.client;
      await c.stopContainer(webId, 2);
      const stopped = await c.containerStatus(webId);
      assert.equal(stopped.state, 'CONTAINER_EXITED');
      assert.ok(stopped.finished_at >= stopped.started_at);
      await c.removeContainer(webId);
      await assert.rejects(c.containerStatus(webId), (err: unknown) => (err as { code?: number }).code === 5);
      await c.stopPodSandbox(sandboxId);
      assert.equal((await c.podSandboxStatus(sandboxId)).state, 'SANDBOX_NOTREADY');
      await c.removePodSandbox(sandboxId);
      assert.deepEqual(await c.listPodSandbox({ id: sandboxId }), []);
      assert.deepEqual(await c.listContainers({ pod_sandbox_id: sandboxId }), []);
    });
  } finally {
    await cleanup(handle, dir, bridge, `${CGROUP_ROOT}/pod${uid}`);
  }
});
