// The real thing: containerd (Skiff's supervisor) runs a pod; the kubelet server fronts it; a real
// API server proxies to it; the real kubectl 1.32 drives exec (stdout/stderr, exit codes, stdin,
// tty), cp both ways, logs (tail, previous, timestamps, -f), attach and port-forward.
// Needs root + the containerd packages; skips with the reason otherwise.
import '../../../test/e2e/node20-shims.js';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import { PassThrough } from 'node:stream';
import { Exec, KubeConfig, PortForward, type V1Status } from '@kubernetes/client-node';
import { SpdyClientSession } from '../../apiserver/streaming/spdy.js';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import { signLeaf } from '../../apiserver/pki/certs.js';
import { startContainerd, type ContainerdHandle } from '../containerd/index.js';
import type { ContainerConfig, PodSandboxConfig } from '../cri/types.js';
import { importImage } from '../images/import.js';
import { TEST_BUSYBOX_IMAGE, TEST_WORKLOADS, buildBusyboxImage } from '../images/test-images.js';
import { criStreamingBackend } from './cri-backend.js';
import { startKubeletServer, type KubeletServerHandle } from './index.js';
import { containerdSkipReason, httpGet, eventually } from '../containerd/test-support.js';

const skipReason = containerdSkipReason() || (!existsSync('/usr/bin/kubectl') ? 'kubectl not installed at /usr/bin/kubectl' : false);

const POD_CIDR = '10.244.249.0/24';
const NODE = 'h5-node';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}



function sandboxConfig(name: string, uid: string, logRoot: string): PodSandboxConfig {
  return {
    metadata: { name, uid, namespace: 'default', attempt: 0 },
    hostname: name,
    log_directory: join(logRoot, `default_${name}_${uid}`),
    labels: { 'io.kubernetes.pod.name': name, 'io.kubernetes.pod.namespace': 'default', 'io.kubernetes.pod.uid': uid },
    annotations: {},
    linux: { cgroup_parent: `/skiff-h5-test/pod${uid}`, security_context: { namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } } },
  };
}

function containerConfig(sandbox: PodSandboxConfig, name: string, command: readonly string[], attempt = 0): ContainerConfig {
  const pod = sandbox.metadata;
  return {
    metadata: { name, attempt },
    image: { image: TEST_BUSYBOX_IMAGE },
    command: [...command],
    log_path: `${name}/${attempt}.log`,
    labels: { 'io.kubernetes.pod.name': pod.name, 'io.kubernetes.pod.namespace': pod.namespace, 'io.kubernetes.pod.uid': pod.uid, 'io.kubernetes.container.name': name },
    annotations: { 'io.kubernetes.container.restartCount': String(attempt) },
    linux: { security_context: { namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } } },
  };
}

test('kubectl logs/exec/attach/cp/port-forward through the API server and the kubelet server to containerd', { skip: skipReason, timeout: 300_000 }, async (t) => {
  const dir = mkdtempSync('/tmp/skiff-h5-');
  const bridge = `skh5${randomBytes(3).toString('hex')}`;
  const logRoot = join(dir, 'pods');
  const cacheDir = join(dir, 'kube-cache');
  let containerd: ContainerdHandle | null = null;
  let api: TestServer | null = null;
  let kubelet: KubeletServerHandle | null = null;
  const children = new Set<ReturnType<typeof spawn>>();

  const kubectl = (args: string[], input?: string | Buffer, timeoutMs = 60_000): Promise<Run> =>
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
      if (input !== undefined) child.stdin.end(input);
      else child.stdin.end();
    });

  /** Starts a long-running kubectl; resolves once `ready` matches its stdout. */
  const kubectlUntil = (args: string[], ready: RegExp, timeoutMs = 30_000): Promise<{ match: RegExpMatchArray; output: () => string; errors: () => string; stop: () => void }> =>
    new Promise((resolve, reject) => {
      const child = spawn('/usr/bin/kubectl', ['--kubeconfig', api!.server.kubeconfigPath, '--cache-dir', cacheDir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.add(child);
      let out = '';
      let err = '';
      const timer = setTimeout(() => reject(new Error(`kubectl ${args.join(' ')}: no ${ready} within ${timeoutMs} ms; stdout=${JSON.stringify(out)} stderr=${JSON.stringify(err)}`)), timeoutMs);
      const check = (): void => {
        const m = out.match(ready);
        if (m) {
          clearTimeout(timer);
          resolve({ match: m, output: () => out, errors: () => err, stop: () => child.kill('SIGTERM') });
        }
      };
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        check();
      });
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('close', () => {
        children.delete(child);
        clearTimeout(timer);
        reject(new Error(`kubectl ${args.join(' ')} exited; stdout=${JSON.stringify(out)} stderr=${JSON.stringify(err)}`));
      });
    });

  try {
    containerd = await startContainerd({ dir: join(dir, 'containerd'), podCidr: POD_CIDR, bridgeName: bridge });
    const cri = containerd.client;
    const tar = join(dir, 'busybox.tar');
    await buildBusyboxImage(tar);
    await importImage(containerd.socket, tar);

    api = await startTestServer();
    const pki = api.server.pki;
    const serving = await signLeaf({ certPem: pki.caCertPem, keyPem: pki.caKeyPem }, { subject: { commonName: `system:node:${NODE}` }, usage: 'server', hosts: ['127.0.0.1'], validDays: 1 });
    kubelet = await startKubeletServer({ port: 0, bind: '127.0.0.1', tls: { certPem: serving.certPem, keyPem: serving.keyPem, caPem: pki.caCertPem }, backend: criStreamingBackend(cri) });

    // The Node and the Pod as the API server sees them.
    const client = api.client;
    assert.equal((await client.post('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: NODE } })).status, 201);
    const nodeStatus = { status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: kubelet.port } } } };
    assert.equal((await client.patch(`/api/v1/nodes/${NODE}/status`, nodeStatus)).status, 200);
    const containers = ['web', 'logger', 'once', 'short', 'reader'].map((name) => ({ name, image: TEST_BUSYBOX_IMAGE }));
    const created = await client.post<{ metadata: { uid: string } }>('/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { nodeName: NODE, containers } });
    assert.equal(created.status, 201, created.text);
    assert.equal((await client.patch('/api/v1/namespaces/default/pods/web/status', { status: { phase: 'Running' } })).status, 200);
    const unscheduled = await client.post('/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pending' }, spec: { containers: [{ name: 'c', image: TEST_BUSYBOX_IMAGE }] } });
    assert.equal(unscheduled.status, 201, unscheduled.text);

    // The same pod in containerd.
    const sb = sandboxConfig('web', created.body.metadata.uid, logRoot);
    const sandboxId = await cri.runPodSandbox(sb);
    const start = async (cfg: ContainerConfig): Promise<string> => {
      const id = await cri.createContainer(sandboxId, cfg, sb);
      await cri.startContainer(id);
      return id;
    };
    await start(containerConfig(sb, 'web', TEST_WORKLOADS.web));
    await start(containerConfig(sb, 'logger', ['sh', '-c', 'echo start; i=0; while true; do echo tick $i; i=$((i+1)); sleep 1; done']));
    const first = await start(containerConfig(sb, 'once', ['sh', '-c', 'echo first-life']));
    await eventually('first life exits', async () => assert.equal((await cri.containerStatus(first)).state, 'CONTAINER_EXITED'));
    await start(containerConfig(sb, 'once', ['sh', '-c', 'echo second-life; exec sleep 3600'], 1));

    await t.test('exec: stdout and stderr apart, exit code propagated', async () => {
      const ok = await kubectl(['exec', '-v=4', 'web', '-c', 'web', '--', 'sh', '-c', 'echo out; echo err >&2']);
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(ok.stdout, 'out\n');
      assert.match(ok.stderr, /err/);
      assert.match(ok.stderr, /The subprotocol is v5\.channel\.k8s\.io/, 'WebSocket v5, no SPDY fallback');
      const three = await kubectl(['exec', 'web', '-c', 'web', '--', 'sh', '-c', 'exit 3']);
      assert.equal(three.code, 3, `kubectl exit code; stderr=${three.stderr}`);
      assert.match(three.stderr, /command terminated with exit code 3/);
    });

    await t.test('exec -i: stdin reaches the process and its end is seen (v5 close)', async () => {
      const echo = await kubectl(['exec', '-i', 'web', '-c', 'web', '--', 'cat'], 'hello stdin\n');
      assert.equal(echo.code, 0, echo.stderr);
      assert.equal(echo.stdout, 'hello stdin\n');
      const big = randomBytes(1 << 20);
      const counted = await kubectl(['exec', '-i', 'web', '-c', 'web', '--', 'wc', '-c'], big);
      assert.equal(counted.code, 0, counted.stderr);
      assert.equal(counted.stdout.trim(), String(big.length));
    });

    await t.test('exec -t: a terminal, with its size sent by kubectl', async () => {
      // script(1) gives kubectl a pty of 33x101, which kubectl sends on the resize channel. The size
      // lands a moment after the process starts (upstream too), hence the sleep before reading it.
      const cmd = `stty rows 33 cols 101; /usr/bin/kubectl --kubeconfig ${api!.server.kubeconfigPath} --cache-dir ${cacheDir} exec -it web -c web -- sh -c 'ls -l /proc/self/fd/0; sleep 1; busybox stty size'`;
      const run = await new Promise<Run>((resolve) => {
        const child = spawn('script', ['-qec', cmd, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
        setTimeout(() => child.stdin.end(), 3000);
      });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /\/dev\/pts\/\d+/);
      assert.match(run.stdout, /33 101/);
    });

    await t.test('cp to the pod and back', async () => {
      const local = join(dir, 'to-pod.bin');
      const content = randomBytes(200_000);
      writeFileSync(local, content);
      const up = await kubectl(['cp', local, 'default/web:/tmp/copied.bin', '-c', 'web']);
      assert.equal(up.code, 0, up.stderr);
      const sum = await kubectl(['exec', 'web', '-c', 'web', '--', 'wc', '-c', '/tmp/copied.bin']);
      assert.match(sum.stdout, /^200000 /);
      const back = join(dir, 'from-pod.bin');
      const down = await kubectl(['cp', 'default/web:/tmp/copied.bin', back, '-c', 'web']);
      assert.equal(down.code, 0, down.stderr);
      assert.ok(readFileSync(back).equals(content), 'round-tripped bytes are identical');
    });

    await t.test('logs: tail, timestamps, previous, and the errors', async () => {
      const tail = await eventually('two ticks', async () => {
        const r = await kubectl(['logs', 'web', '-c', 'logger', '--tail=2']);
        assert.match(r.stdout, /^tick \d+\ntick \d+\n$/, r.stdout + r.stderr);
        return r;
      });
      assert.equal(tail.code, 0);
      const ts = await kubectl(['logs', 'web', '-c', 'logger', '--tail=1', '--timestamps']);
      assert.match(ts.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z tick \d+\n$/);
      assert.equal((await kubectl(['logs', 'web', '-c', 'once'])).stdout, 'second-life\n');
      assert.equal((await kubectl(['logs', 'web', '-c', 'once', '--previous'])).stdout, 'first-life\n');
      const noPrev = await kubectl(['logs', 'web', '-c', 'logger', '--previous']);
      assert.notEqual(noPrev.code, 0);
      assert.match(noPrev.stderr, /previous terminated container "logger" in pod "web" not found/);
      const pending = await kubectl(['logs', 'pending']);
      assert.match(pending.stderr, /pod pending does not have a host assigned/);
      const healthz = await kubectl(['get', '--raw', `/api/v1/nodes/${NODE}/proxy/healthz`]);
      assert.equal(healthz.stdout, 'ok');
      const missing = await kubectl(['exec', 'nosuch', '--', 'true']);
      assert.match(missing.stderr, /pods "nosuch" not found/);
    });

    await t.test('logs -f streams new lines as they are written', async () => {
      const f = await kubectlUntil(['logs', '-f', 'web', '-c', 'logger', '--tail=0'], /tick (\d+)\n[^]*tick (\d+)\n/);
      f.stop();
      assert.equal(Number(f.match[2]), Number(f.match[1]) + 1);
    });

    await t.test('attach shows the running process output', async () => {
      const a = await kubectlUntil(['attach', 'web', '-c', 'logger'], /tick \d+\n/);
      a.stop();
    });

    await t.test('attach -i: stdin reaches the main process; its end closes it (stdin_once)', async () => {
      await start({ ...containerConfig(sb, 'reader', ['sh', '-c', 'read line; echo "got: $line"']), stdin: true, stdin_once: true });
      const r = await kubectl(['attach', '-i', 'web', '-c', 'reader'], 'hello attach\n');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /got: hello attach/);
    });

    await t.test('logs -f ends by itself once the container exits and the file is drained', async () => {
      await start(containerConfig(sb, 'short', ['sh', '-c', 'echo a; sleep 2; echo b; sleep 1; echo c >&2']));
      const r = await kubectl(['logs', '-f', 'web', '-c', 'short'], undefined, 30_000);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'a\nb\nc\n');
    });

    await t.test('port-forward serves HTTP from the pod (SPDY tunnelled in WebSocket)', async () => {
      const pf = await kubectlUntil(['port-forward', '-v=4', 'pod/web', ':8080'], /Forwarding from 127\.0\.0\.1:(\d+) -> 8080/);
      try {
        assert.match(pf.errors(), /negotiated protocol: portforward\.k8s\.io/);
        assert.doesNotMatch(pf.errors(), /fallback/);
        const url = `http://127.0.0.1:${pf.match[1]}/`;
        for (let i = 0; i < 3; i++) {
          const res = await httpGet(url);
          assert.equal(res.status, 200);
          assert.equal(res.body, 'skiff busybox\n');
        }
      } finally {
        pf.stop();
      }
    });

    await t.test('SPDY exec (kubectl\'s fallback) passes through raw: output and the exit status', async () => {
      const cfg = api!.client.config;
      const url = new URL(api!.server.url);
      const sock = await new Promise<ReturnType<typeof tlsConnect>>((resolve, reject) => {
        const s2 = tlsConnect({ host: url.hostname, port: Number(url.port), ca: cfg.caPem, cert: cfg.certPem, key: cfg.keyPem }, () => resolve(s2));
        s2.once('error', reject);
      });
      const q = new URLSearchParams([['command', 'sh'], ['command', '-c'], ['command', 'echo via-spdy; exit 4'], ['container', 'web'], ['stdout', 'true'], ['stderr', 'true']]);
      sock.write(`POST /api/v1/namespaces/default/pods/web/exec?${q} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n`);
      const { head, rest } = await new Promise<{ head: string; rest: Buffer }>((resolve) => {
        let buf = Buffer.alloc(0);
        const onData = (c: Buffer): void => {
          buf = Buffer.concat([buf, c]);
          const i = buf.indexOf('\r\n\r\n');
          if (i < 0) return;
          sock.off('data', onData);
          resolve({ head: buf.subarray(0, i).toString(), rest: buf.subarray(i + 4) });
        };
        sock.on('data', onData);
      });
      assert.match(head, /^HTTP\/1\.1 101/);
      assert.match(head, /X-Stream-Protocol-Version: v4\.channel\.k8s\.io/i);
      const session = new SpdyClientSession(sock, rest);
      const error = session.openStream({ streamtype: 'error' });
      const stdout = session.openStream({ streamtype: 'stdout' });
      session.openStream({ streamtype: 'stderr' });
      let out = '';
      let status = '';
      stdout.on('data', (d: Buffer) => (out += d.toString()));
      error.on('data', (d: Buffer) => (status += d.toString()));
      await new Promise<void>((resolve) => session.once('close', () => resolve()));
      assert.equal(out, 'via-spdy\n');
      const parsed = JSON.parse(status) as { reason?: string; details?: { causes?: Array<{ reason?: string; message?: string }> } };
      assert.equal(parsed.reason, 'NonZeroExitCode');
      assert.deepEqual(parsed.details?.causes?.find((c) => c.reason === 'ExitCode')?.message, '4');
    });

    await t.test('client-node Exec and PortForward (WebSocket v4.channel.k8s.io, passed through)', async () => {
      const kc = new KubeConfig();
      kc.loadFromFile(api!.server.kubeconfigPath);
      const sink = (): { stream: PassThrough; text: () => string } => {
        const stream = new PassThrough();
        let text = '';
        stream.on('data', (d: Buffer) => (text += d.toString()));
        return { stream, text: () => text };
      };
      const out = sink();
      const err = sink();
      const status = await new Promise<V1Status>((resolve, reject) => {
        new Exec(kc).exec('default', 'web', 'web', ['sh', '-c', 'echo cn-out; echo cn-err >&2; exit 2'], out.stream, err.stream, null, false, resolve).catch(reject);
      });
      assert.equal(out.text(), 'cn-out\n');
      assert.equal(err.text(), 'cn-err\n');
      assert.equal(status.reason, 'NonZeroExitCode');
      assert.equal(status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message, '2');

      const pfOut = sink();
      const input = new PassThrough();
      const ws = await new PortForward(kc).portForward('default', 'web', [8080], pfOut.stream, null, input);
      input.write('GET / HTTP/1.0\r\n\r\n');
      await eventually('HTTP answer through client-node port-forward', async () => assert.match(pfOut.text(), /^HTTP\/1\.[01] 200 OK[^]*\r\n\r\nskiff busybox\n$/));
      if (typeof ws !== 'function') ws.close();
    });
  } finally {
    for (const c of children) c.kill('SIGKILL');
    await kubelet?.close().catch(() => {});
    await api?.stop().catch(() => {});
    if (containerd) {
      for (const s of await containerd.client.listPodSandbox().catch(() => [])) {
        await containerd.client.stopPodSandbox(s.id).catch(() => {});
        await containerd.client.removePodSandbox(s.id).catch(() => {});
      }
      await containerd.stop().catch(() => {});
    }
    const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(dir));
    for (const m of mounts.sort().reverse()) {
      try {
        execFileSync('umount', ['-l', m]);
      } catch {
        // already gone
      }
    }
    try {
      execFileSync('ip', ['link', 'del', bridge], { stdio: 'ignore' });
    } catch {
      // no bridge
    }
    rmSync(dir, { recursive: true, force: true });
  }
});
