// kubectl debug end to end: the real kubectl 1.32 adds ephemeral containers to a running pod through
// pods/ephemeralcontainers on a real API server; the CRI kubelet starts them in containerd in the
// target container's process namespace, reports ephemeralContainerStatuses, never restarts them, and
// logs / exec / debug -i (attach) reach them. Needs root + containerd; skips with the reason otherwise.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { signLeaf } from '../../apiserver/pki/certs.js';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import { containerdSkipReason, teardownContainerd, eventually as retryUntil } from '../containerd/test-support.js';
import { importImage } from '../images/import.js';
import { TEST_BUSYBOX_IMAGE, buildBusyboxImage } from '../images/test-images.js';
import { startCriKubelet, type CriKubeletHandle } from './index.js';

const skipReason = containerdSkipReason() || (!existsSync('/usr/bin/kubectl') ? 'kubectl not installed at /usr/bin/kubectl' : false);

const NODE = 'h12-node';
const BRIDGE = 'skh12';
const POD_CIDR = '10.43.12.0/24';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface ContainerStatusJson {
  name: string;
  state: { running?: { startedAt: string }; terminated?: { exitCode: number; reason: string }; waiting?: { reason?: string } };
  ready: boolean;
  restartCount: number;
  image: string;
  imageID: string;
  containerID?: string;
  started?: boolean;
}
interface PodJson {
  metadata: { uid: string };
  spec: { ephemeralContainers?: Array<{ name: string; targetContainerName?: string; stdin?: boolean }> };
  status?: { phase?: string; ephemeralContainerStatuses?: ContainerStatusJson[] };
}


const eventually = <T>(what: string, fn: () => Promise<T>, timeoutMs = 60_000) => retryUntil(what, fn, timeoutMs, 300); // kubectl debug needs longer than the default

test('kubectl debug: ephemeral containers in a running pod, sharing the target pid namespace', { skip: skipReason, timeout: 300_000 }, async (t) => {
  const dir = mkdtempSync('/tmp/skiff-h12-');
  const cacheDir = join(dir, 'kube-cache');
  let api: TestServer | null = null;
  let kubelet: CriKubeletHandle | null = null;
  const kubeletLog: string[] = [];

  const kubectl = (args: string[], input?: string, timeoutMs = 90_000): Promise<Run> =>
    new Promise((resolve) => {
      const child = spawn('/usr/bin/kubectl', ['--kubeconfig', api!.server.kubeconfigPath, '--cache-dir', cacheDir, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
      // Stdin stays open a while after the input, as a person's terminal does: kubectl debug sets stdin but not
      // stdinOnce, and containerd (as upstream) ends an attach's output streams once the client's stdin closes.
      if (input !== undefined) {
        child.stdin.write(input);
        setTimeout(() => child.stdin.end(), 5000);
      } else child.stdin.end();
    });

  const getPod = async (name: string): Promise<PodJson> => {
    const res = await api!.client.get<PodJson>(`/api/v1/namespaces/default/pods/${name}`);
    assert.equal(res.status, 200, res.text);
    return res.body;
  };
  const ephemeralStatus = async (pod: string, name: string): Promise<ContainerStatusJson> => {
    const status = (await getPod(pod)).status?.ephemeralContainerStatuses?.find((s) => s.name === name);
    assert.ok(status, `no ephemeralContainerStatuses entry for ${name}`);
    return status;
  };

  try {
    api = await startTestServer();
    const pki = api.server.pki;
    const ips = Object.values(networkInterfaces()).flatMap((l) => l ?? []).map((a) => a.address);
    const leaf = await signLeaf({ certPem: pki.caCertPem, keyPem: pki.caKeyPem }, { subject: { commonName: `system:node:${NODE}`, organizations: ['system:nodes'] }, usage: 'server', hosts: [NODE, 'localhost', ...ips], validDays: 1 });
    kubelet = await startCriKubelet({ client: api.client, dataDir: join(dir, 'node'), nodeName: NODE, podCIDR: POD_CIDR, bridgeName: BRIDGE, kubeletPort: 0, tls: { ...leaf, caPem: pki.caCertPem }, log: (msg, fields) => kubeletLog.push(`${msg} ${JSON.stringify(fields ?? {})}`) });
    const tar = join(dir, 'busybox.tar');
    await buildBusyboxImage(tar);
    await importImage(kubelet.containerd.socket, tar);

    // The sleeper pod, bound directly (no scheduler; no controllers, so no service account token). Its main
    // process is a recognisable `sleep 3601`.
    const created = await api.client.post('/api/v1/namespaces/default/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'sleeper' },
      spec: { nodeName: NODE, automountServiceAccountToken: false, terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: TEST_BUSYBOX_IMAGE, command: ['sleep', '3601'] }] },
    });
    assert.equal(created.status, 201, created.text);
    await eventually('pod running', async () => {
      const pod = await getPod('sleeper');
      assert.equal(pod.status?.phase, 'Running', `${JSON.stringify(pod.status)}\nkubelet: ${kubeletLog.slice(-10).join('\n')}`);
    });

    await t.test('kubectl debug --target: the debug container runs in the target pid namespace and is reported', async () => {
      const debug = await kubectl(['debug', 'sleeper', `--image=${TEST_BUSYBOX_IMAGE}`, '--target=app', '-c', 'dbg', '--', 'sh', '-c', 'ps; sleep 30']);
      assert.equal(debug.code, 0, debug.stdout + debug.stderr);
      const pod = await getPod('sleeper');
      assert.deepEqual(pod.spec.ephemeralContainers?.map((c) => [c.name, c.targetContainerName]), [['dbg', 'app']]);

      const status = await eventually('dbg running', async () => {
        const s = await ephemeralStatus('sleeper', 'dbg');
        assert.ok(s.state.running, JSON.stringify(s.state));
        return s;
      });
      assert.match(status.containerID ?? '', /^containerd:\/\/[0-9a-f]{64}$/);
      assert.equal(status.image, TEST_BUSYBOX_IMAGE);
      assert.ok(status.imageID, 'imageID reported');
      assert.equal(status.ready, false);
      assert.equal(status.restartCount, 0);

      // ps inside dbg: pid 1 is the target's `sleep 3601` (not the pause process), and ps itself is there.
      const logs = await eventually('ps output in kubectl logs -c dbg', async () => {
        const r = await kubectl(['logs', 'sleeper', '-c', 'dbg']);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /PID\s+USER/);
        return r.stdout;
      });
      assert.match(logs, /^\s*1 \S+\s+sleep 3601$/m, logs);
      assert.match(logs, /^\s*\d+ \S+\s+sh -c ps; sleep 30$/m, logs);
      assert.doesNotMatch(logs, /pause/, logs);
    });

    await t.test('kubectl exec -c <ephemeral> reaches the debug container', async () => {
      const r = await kubectl(['exec', 'sleeper', '-c', 'dbg', '--', 'sh', '-c', 'cat /proc/1/cmdline | tr "\\0" " "']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), 'sleep 3601');
    });

    await t.test('kubectl debug -i attaches to the new container (stdin in, output back)', async () => {
      const r = await kubectl(['debug', '-i', 'sleeper', `--image=${TEST_BUSYBOX_IMAGE}`, '--target=app', '-c', 'talk', '--', 'sh', '-c', 'read line; echo "got: $line"'], 'hello debug\n');
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /got: hello debug/, r.stderr);
      const pod = await getPod('sleeper');
      assert.equal(pod.spec.ephemeralContainers?.find((c) => c.name === 'talk')?.stdin, true);
    });

    await t.test('an ephemeral container that exits is never restarted', async () => {
      const r = await kubectl(['debug', 'sleeper', `--image=${TEST_BUSYBOX_IMAGE}`, '-c', 'once', '--', 'sh', '-c', 'echo ran-once']);
      assert.equal(r.code, 0, r.stderr);
      const done = await eventually('once terminated', async () => {
        const s = await ephemeralStatus('sleeper', 'once');
        assert.ok(s.state.terminated, JSON.stringify(s.state));
        return s;
      });
      assert.equal(done.state.terminated?.exitCode, 0);
      assert.equal(done.state.terminated?.reason, 'Completed');
      // Several relists and syncs later: still one container named once, still terminated, restartCount 0.
      await new Promise((r) => setTimeout(r, 4000));
      const uid = (await getPod('sleeper')).metadata.uid;
      const mine = (await kubelet!.containerd.client.listContainers()).filter((c) => c.labels?.['io.kubernetes.pod.uid'] === uid && c.labels?.['io.kubernetes.container.name'] === 'once');
      assert.equal(mine.length, 1);
      const later = await ephemeralStatus('sleeper', 'once');
      assert.ok(later.state.terminated);
      assert.equal(later.restartCount, 0);
      assert.equal((await kubectl(['logs', 'sleeper', '-c', 'once'])).stdout, 'ran-once\n');
    });

    await t.test('the API refuses what upstream refuses', async () => {
      const dup = await kubectl(['debug', 'sleeper', `--image=${TEST_BUSYBOX_IMAGE}`, '-c', 'app', '--', 'true']);
      assert.notEqual(dup.code, 0);
      assert.match(dup.stderr, /Pod "sleeper" is invalid: spec\.ephemeralContainers\[\d\]\.name: Duplicate value: "app"/);
    });
  } finally {
    await kubelet?.stop().catch(() => {});
    await teardownContainerd(kubelet?.containerd, dir, BRIDGE);
    await api?.stop().catch(() => {});
  }
});
