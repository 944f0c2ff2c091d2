// Real containers end to end: `skiff up --runtime containerd` (containerd + runc + CNI as Skiff's child),
// a locally built busybox image imported with `skiff images import`, and the real kubectl for every
// user-facing flow the kubelet issue lists. Needs root and the Debian packages containerd, runc,
// containernetworking-plugins, catatonit, busybox-static (installed by .ci/run); skips saying why otherwise.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { containerdSkipReason, httpGet } from '../../src/kubelet/containerd/test-support.js';
import { TEST_BUSYBOX_IMAGE, TEST_WORKLOADS, buildBusyboxImage } from '../../src/kubelet/images/index.js';
import { eventually, skiffCli, startSkiff, type SkiffProcess } from './harness.js';
import { pushOciLayout, startRegistry } from './registry.js';

const skip = containerdSkipReason();


const run = (file: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(file, args, { env: opts.env ?? process.env, timeout: 120_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }));
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });

async function jsonOf<T>(s: SkiffProcess, args: string[]): Promise<T> {
  const r = await s.kubectl([...args, '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
}

type Pod = { metadata: { name: string; uid: string }; status: { phase?: string; podIP?: string; containerStatuses?: Array<{ name: string; ready: boolean; restartCount: number; containerID?: string; state: Record<string, { reason?: string; exitCode?: number }>; lastState: Record<string, { reason?: string; exitCode?: number; finishedAt?: string }> }> } };

const apply = async (s: SkiffProcess, yaml: string) => {
  const r = await run('/usr/bin/kubectl', ['--kubeconfig', s.kubeconfig, 'apply', '-f', '-'], { input: yaml, env: { ...process.env, KUBECACHEDIR: s.cacheDir } });
  assert.equal(r.code, 0, r.stderr);
};

const podsOf = async (s: SkiffProcess, selector: string) => (await jsonOf<{ items: Pod[] }>(s, ['get', 'pods', '-l', selector])).items;

test('real containers through containerd, driven by kubectl', { skip, timeout: 900_000 }, async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'skiff-ctr-'));
  const imageTar = join(work, 'busybox.tar');
  await buildBusyboxImage(imageTar);
  let s = await startSkiff(['--runtime', 'containerd', '--kubelet-port', '0']);
  try {
    const imported = await run(process.execPath, [...skiffCli(), 'images', 'import', imageTar, '--data-dir', s.dataDir]);
    assert.equal(imported.code, 0, imported.stderr);
    const ls = await run(process.execPath, [...skiffCli(), 'images', 'ls', '--data-dir', s.dataDir]);
    assert.match(ls.stdout, /skiff\.local\/busybox/);

    await t.test('the node is registered with real capacity and a containerd runtime', async () => {
      const nodes = await jsonOf<{ items: Array<{ status: { capacity: Record<string, string>; nodeInfo: { containerRuntimeVersion: string }; conditions: Array<{ type: string; status: string }> } }> }>(s, ['get', 'nodes']);
      assert.equal(nodes.items.length, 1);
      const n = nodes.items[0]!;
      assert.match(n.status.nodeInfo.containerRuntimeVersion, /^containerd:\/\//);
      assert.equal(n.status.capacity.pods, '110');
      assert.ok(Number(n.status.capacity.cpu) >= 1);
      await eventually(async () => (await jsonOf<typeof nodes>(s, ['get', 'nodes'])).items[0]!.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True'), 30_000, 'node Ready');
    });

    await t.test('a 3-replica Deployment becomes Ready and every pod IP serves HTTP from the host', async () => {
      await apply(s, deploymentYaml('web', 3, `["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"]`, { readiness: true }));
      const r = await s.kubectl(['rollout', 'status', 'deployment/web', '--timeout=120s'], { timeoutMs: 130_000 });
      assert.equal(r.code, 0, r.stderr + r.stdout);
      const pods = await podsOf(s, 'app=web');
      assert.equal(pods.length, 3);
      for (const p of pods) {
        assert.match(p.status.podIP ?? '', /^10\.42\.0\.\d+$/);
        const res = await httpGet(`http://${p.status.podIP}:8080/`);
        assert.equal(res.status, 200);
        assert.equal(res.body.trim(), p.metadata.name);
      }
    });

    await t.test('readiness gates the EndpointSlice', async () => {
      const [pod] = await podsOf(s, 'app=web');
      await apply(s, `apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}\n`);
      const ready = async () => {
        const slices = await jsonOf<{ items: Array<{ endpoints?: Array<{ addresses: string[]; conditions: { ready?: boolean } }> }> }>(s, ['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web']);
        return slices.items.flatMap((x) => x.endpoints ?? []).filter((e) => e.conditions.ready).map((e) => e.addresses[0]);
      };
      await eventually(async () => (await ready()).length === 3, 30_000, '3 ready endpoints');
      // Break one pod's readiness (the probe reads /www/index.html): its address leaves the ready set.
      assert.equal((await s.kubectl(['exec', pod!.metadata.name, '--', 'rm', '/www/index.html'])).code, 0);
      await eventually(async () => !(await ready()).includes(pod!.status.podIP ?? ''), 30_000, 'unready endpoint');
      assert.equal((await ready()).length, 2);
    });

    await t.test('a failing liveness probe restarts the container', async () => {
      await apply(s, podYaml('live', `["sh", "-c", "touch /tmp/ok; sleep 3; rm /tmp/ok; sleep 3600"]`, `livenessProbe: {exec: {command: [cat, /tmp/ok]}, periodSeconds: 1, failureThreshold: 2}`));
      await eventually(async () => ((await podsOf(s, 'app=live'))[0]?.status.containerStatuses?.[0]?.restartCount ?? 0) >= 1, 60_000, 'liveness restart');
      const events = await s.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=live']);
      assert.match(events.stdout, /Liveness probe failed/);
    });

    await t.test('ConfigMap and Secret volumes and env are visible through exec', async () => {
      await apply(s, `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: conf}\ndata: {greeting: hello}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: cred}\nstringData: {password: s3cret}\n`);
      await apply(s, podYaml('cfg', `["sleep", "3600"]`, `env: [{name: GREETING, valueFrom: {configMapKeyRef: {name: conf, key: greeting}}}, {name: PASSWORD, valueFrom: {secretKeyRef: {name: cred, key: password}}}, {name: MSG, value: "$(GREETING) world"}]
    volumeMounts: [{name: c, mountPath: /etc/conf}, {name: s, mountPath: /etc/cred}]`, `volumes: [{name: c, configMap: {name: conf}}, {name: s, secret: {secretName: cred}}]`));
      await waitRunning(s, 'app=cfg');
      const env = await s.kubectl(['exec', 'cfg', '--', 'env']);
      assert.match(env.stdout, /^GREETING=hello$/m);
      assert.match(env.stdout, /^PASSWORD=s3cret$/m);
      assert.match(env.stdout, /^MSG=hello world$/m);
      assert.equal((await s.kubectl(['exec', 'cfg', '--', 'cat', '/etc/conf/greeting'])).stdout, 'hello');
      assert.equal((await s.kubectl(['exec', 'cfg', '--', 'cat', '/etc/cred/password'])).stdout, 's3cret');
      // An update of the ConfigMap reaches the running pod's volume.
      assert.equal((await s.kubectl(['patch', 'configmap', 'conf', '-p', '{"data":{"greeting":"bonjour"}}'])).code, 0);
      await eventually(async () => (await s.kubectl(['exec', 'cfg', '--', 'cat', '/etc/conf/greeting'])).stdout === 'bonjour', 60_000, 'configmap update in the volume');
    });

    await t.test('exec returns the exit code, and exec -it runs with a terminal', async () => {
      const r = await s.kubectl(['exec', 'cfg', '--', 'sh', '-c', 'exit 3']);
      assert.equal(r.code, 3);
      const i = await run('/usr/bin/kubectl', ['--kubeconfig', s.kubeconfig, 'exec', '-i', 'cfg', '--', 'cat'], { input: 'through stdin\n', env: { ...process.env, KUBECACHEDIR: s.cacheDir } });
      assert.equal(i.stdout, 'through stdin\n');
      // `script` gives kubectl a pseudo-terminal, so -t is honoured: `tty` inside prints a device.
      const tty = await run('/usr/bin/script', ['-qec', `/usr/bin/kubectl --kubeconfig ${s.kubeconfig} exec -it cfg -- sh -c 'tty; stty size'`, '/dev/null'], { env: { ...process.env, KUBECACHEDIR: s.cacheDir } });
      assert.match(tty.stdout, /\/dev\/pts\/\d+/);
    });

    await t.test('init containers run in order, a sidecar keeps running, hooks and the pod spec reach the container', async () => {
      mkdirSync(join(work, 'hostdir'), { mode: 0o777 });
      chmodSync(join(work, 'hostdir'), 0o777);
      await apply(s, `apiVersion: v1
kind: Pod
metadata: {name: full, labels: {app: full, tier: backend}}
spec:
  terminationGracePeriodSeconds: 5
  volumes:
  - {name: shared, emptyDir: {}}
  - {name: mem, emptyDir: {medium: Memory, sizeLimit: 8Mi}}
  - {name: info, downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}}
  - {name: host, hostPath: {path: ${join(work, 'hostdir')}, type: DirectoryOrCreate}}
  initContainers:
  - {name: first, image: ${TEST_BUSYBOX_IMAGE}, imagePullPolicy: Never, command: [sh, -c, "echo first >> /shared/order && chmod 666 /shared/order"], volumeMounts: [{name: shared, mountPath: /shared}]}
  - {name: second, image: ${TEST_BUSYBOX_IMAGE}, imagePullPolicy: Never, command: [sh, -c, "echo second >> /shared/order"], volumeMounts: [{name: shared, mountPath: /shared}]}
  - name: sidecar
    image: ${TEST_BUSYBOX_IMAGE}
    imagePullPolicy: Never
    restartPolicy: Always
    command: [sh, -c, "echo sidecar >> /shared/order; exec sleep 3600"]
    volumeMounts: [{name: shared, mountPath: /shared}]
  containers:
  - name: main
    image: ${TEST_BUSYBOX_IMAGE}
    imagePullPolicy: Never
    command: [sh, -c, "echo main >> /shared/order; exec sleep 3600"]
    workingDir: /shared
    securityContext: {runAsUser: 1000, runAsGroup: 3000, readOnlyRootFilesystem: true}
    lifecycle:
      postStart: {exec: {command: [sh, -c, "echo poststart > /shared/hook"]}}
      preStop: {exec: {command: [sh, -c, "echo prestop > /host/prestop"]}}
    volumeMounts: [{name: shared, mountPath: /shared}, {name: mem, mountPath: /mem}, {name: info, mountPath: /info}, {name: host, mountPath: /host}]
`);
      await waitRunning(s, 'app=full');
      const sh = async (cmd: string) => (await s.kubectl(['exec', 'full', '-c', 'main', '--', 'sh', '-c', cmd])).stdout;
      assert.equal(await sh('cat /shared/order'), 'first\nsecond\nsidecar\nmain\n');
      assert.equal(await sh('cat /shared/hook'), 'poststart\n');
      assert.equal(await sh('id -u; id -g; pwd'), '1000\n3000\n/shared\n');
      assert.match(await sh('touch /rootfs-write 2>&1; echo rc=$?'), /Read-only file system[\s\S]*rc=1/);
      assert.match(await sh('cat /info/labels'), /tier="backend"/);
      assert.match(await sh('grep " /mem " /proc/mounts'), /tmpfs \/mem tmpfs .*size=8192k/);
      const token = await sh('cat /var/run/secrets/kubernetes.io/serviceaccount/token');
      assert.equal(token.split('.').length, 3, 'a JWT in the projected service-account volume');
      const pod = (await podsOf(s, 'app=full'))[0]!;
      assert.equal(pod.status.containerStatuses!.length, 1);
      // Deleting runs the preStop hook inside the grace period, on the way out.
      assert.equal((await s.kubectl(['delete', 'pod', 'full', '--wait=true', '--timeout=60s'], { timeoutMs: 70_000 })).code, 0);
      assert.equal(readFileSync(join(work, 'hostdir', 'prestop'), 'utf8'), 'prestop\n');
    });

    await t.test('a PersistentVolumeClaim from the local-path provisioner is written through to the host', async () => {
      await apply(s, `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Mi}}}
`);
      await apply(s, podYaml('pvc', `["sh", "-c", "echo stored > /data/file; exec sleep 3600"]`, 'volumeMounts: [{name: d, mountPath: /data}]', 'volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]'));
      await waitRunning(s, 'app=pvc');
      const pvc = await jsonOf<{ spec: { volumeName: string } }>(s, ['get', 'pvc', 'data']);
      const pv = await jsonOf<{ spec: { hostPath?: { path: string }; local?: { path: string } } }>(s, ['get', 'pv', pvc.spec.volumeName]);
      const hostDir = pv.spec.hostPath?.path ?? pv.spec.local?.path ?? '';
      assert.ok(hostDir.startsWith(s.dataDir), `the volume lives under the data dir (${hostDir})`);
      await eventually(async () => readFileSync(join(hostDir, 'file'), 'utf8') === 'stored\n', 20_000, 'file on the host');
    });

    await t.test('hostNetwork and hostPort pods answer on the host', async () => {
      await apply(s, podYaml('hostnet', `["httpd", "-f", "-p", "18080", "-h", "/"]`, '', 'hostNetwork: true'));
      await apply(s, podYaml('hostport', `["sh", "-c", "mkdir -p /www && echo via-hostport > /www/index.html && exec httpd -f -p 8080 -h /www"]`, 'ports: [{containerPort: 8080, hostPort: 18081}]'));
      await waitRunning(s, 'app=hostnet');
      await waitRunning(s, 'app=hostport');
      const hostIP = (await jsonOf<{ status: { hostIP: string; podIP: string } }>(s, ['get', 'pod', 'hostnet'])).status;
      assert.equal(hostIP.podIP, hostIP.hostIP, 'a hostNetwork pod has the node address');
      await eventually(async () => (await httpGet(`http://127.0.0.1:18080/`).catch(() => ({ status: 0 }))).status > 0, 20_000, 'hostNetwork httpd');
      await eventually(async () => (await httpGet(`http://${hostIP.hostIP}:18081/index.html`).catch(() => ({ status: 0, body: '' }))).body === 'via-hostport\n', 20_000, 'hostPort');
    });

    await t.test('kubectl top shows CPU and memory of running pods', async () => {
      await eventually(async () => {
        const top = await s.kubectl(['top', 'pods', '--no-headers']);
        return top.code === 0 && /^cfg\s+\d+m\s+\d+Mi/m.test(top.stdout);
      }, 60_000, 'kubectl top pods');
      const nodes = await s.kubectl(['top', 'nodes', '--no-headers']);
      assert.match(nodes.stdout, /\d+m\s+\d+%\s+\d+Mi\s+\d+%/);
    });

    await t.test('kubectl cp copies both ways', async () => {
      const local = join(work, 'up.txt');
      writeFileSync(local, 'copied up\n');
      assert.equal((await s.kubectl(['cp', local, 'cfg:/tmp/up.txt'])).code, 0);
      assert.equal((await s.kubectl(['exec', 'cfg', '--', 'cat', '/tmp/up.txt'])).stdout, 'copied up\n');
      const back = join(work, 'down.txt');
      const r = await s.kubectl(['cp', 'cfg:/tmp/up.txt', back]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(readFileSync(back, 'utf8'), 'copied up\n');
    });

    await t.test('logs -f streams new lines', async () => {
      await apply(s, podYaml('ticker', `["sh", "-c", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.5; done"]`));
      await waitRunning(s, 'app=ticker');
      const f = s.spawnKubectl(['logs', '-f', 'ticker']);
      await eventually(async () => /tick 4/.test(f.output()), 30_000, 'streamed lines');
      f.child.kill();
      const tail = await s.kubectl(['logs', 'ticker', '--tail=1', '--timestamps']);
      assert.match(tail.stdout, /^\d{4}-\d\d-\d\dT\S+Z tick \d+\n$/);
    });

    await t.test('port-forward serves HTTP from a pod', async () => {
      const [pod] = await podsOf(s, 'app=web');
      const pf = s.spawnKubectl(['port-forward', `pod/${pod!.metadata.name}`, ':8080']);
      await eventually(async () => /Forwarding from 127\.0\.0\.1:\d+/.test(pf.output()), 30_000, 'port-forward ready');
      const port = /127\.0\.0\.1:(\d+)/.exec(pf.output())![1];
      const res = await httpGet(`http://127.0.0.1:${port}/`).catch(() => ({ status: 0, body: '' }));
      pf.child.kill();
      assert.ok(res.status === 200 || res.status === 404, `port-forward answered ${res.status}`);
    });

    await t.test('a memory limit ends in OOMKilled', async () => {
      await apply(s, podYaml('hog', JSON.stringify(TEST_WORKLOADS.memoryHog), `resources: {limits: {memory: 32Mi}}`, 'restartPolicy: Never'));
      await eventually(async () => (await podsOf(s, 'app=hog'))[0]?.status.containerStatuses?.[0]?.state.terminated?.reason === 'OOMKilled', 60_000, 'OOMKilled');
    });

    await t.test('an emptyDir over its sizeLimit gets the pod evicted', async () => {
      await apply(s, podYaml('filler', `["sh", "-c", "dd if=/dev/zero of=/data/f bs=1M count=4; sleep 3600"]`, 'volumeMounts: [{name: data, mountPath: /data}]', 'volumes: [{name: data, emptyDir: {sizeLimit: 1Mi}}]'));
      await eventually(async () => (await podsOf(s, 'app=filler'))[0]?.status.phase === 'Failed', 60_000, 'evicted');
      const pod = (await podsOf(s, 'app=filler'))[0]! as Pod & { status: { reason?: string; message?: string } };
      assert.equal(pod.status.reason, 'Evicted');
      assert.equal(pod.status.message, 'Usage of EmptyDir volume "data" exceeds the limit "1Mi". ');
      assert.ok(pod.status.containerStatuses?.[0]?.state.terminated, 'the container was stopped');
      // As upstream's printer: the killed container's terminated reason wins over the pod's reason.
      assert.match((await s.kubectl(['get', 'pod', 'filler', '--no-headers'])).stdout, /^filler\s+0\/1\s+Error\s/);
      assert.match((await s.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=filler,reason=Evicted'])).stdout, /Usage of EmptyDir volume "data" exceeds the limit "1Mi"/);
    });

    await t.test('a log over 10Mi is rotated and logs -f carries on in the new file', async () => {
      const line = '0123456789'.repeat(10);
      await apply(s, podYaml('chatty', `["sh", "-c", "sleep 3; yes ${line} | head -n 110000; i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.3; done"]`));
      await waitRunning(s, 'app=chatty');
      const f = s.spawnKubectl(['logs', '-f', 'chatty']);
      const uid = (await podsOf(s, 'app=chatty'))[0]!.metadata.uid;
      const dir = join(s.dataDir, 'kubelet', 'logs', `default_chatty_${uid}`, 'main');
      let rotated: string[] = [];
      await eventually(async () => (rotated = readdirSync(dir).filter((n) => /^0\.log\.\d{8}-\d{6}$/.test(n))).length > 0, 90_000, 'a rotated log file');
      assert.ok(statSync(join(dir, rotated[0]!)).size > 10 * 1024 * 1024, 'the rotated file holds the burst');
      const seen = () => [...f.output().matchAll(/tick (\d+)/g)].map((m) => Number(m[1]));
      const atRotation = Math.max(-1, ...seen());
      await eventually(async () => Math.max(-1, ...seen()) > atRotation + 5, 30_000, 'logs -f goes on after the rotation');
      f.child.kill();
      const ticks = seen();
      assert.deepEqual(ticks, ticks.map((_, i) => ticks[0]! + i), 'no tick lost or repeated across the rotation');
      assert.ok(f.output().split(line).length - 1 >= 110000, 'the whole burst was streamed');
      assert.ok(statSync(join(dir, '0.log')).size < 1024 * 1024, 'the current file is the new one');
      assert.match((await s.kubectl(['logs', 'chatty', '--tail=1'])).stdout, /^tick \d+\n$/);
      // A deleted pod takes its log directory with it.
      assert.equal((await s.kubectl(['delete', 'pod', 'chatty', '--wait=true'])).code, 0);
      await eventually(async () => !existsSync(dirname(dir)), 30_000, 'log directory removed');
    });

    await t.test('a crasher reaches CrashLoopBackOff with growing delays', async () => {
      await apply(s, podYaml('crash', `["sh", "-c", "echo dying; exit 2"]`));
      await eventually(async () => (await podsOf(s, 'app=crash'))[0]?.status.containerStatuses?.[0]?.state.waiting?.reason === 'CrashLoopBackOff', 60_000, 'CrashLoopBackOff');
      const cs = (await podsOf(s, 'app=crash'))[0]!.status.containerStatuses![0]!;
      assert.equal(cs.lastState.terminated?.exitCode, 2);
      assert.equal(cs.lastState.terminated?.reason, 'Error');
      const prev = await s.kubectl(['logs', 'crash', '--previous']);
      assert.match(prev.stdout, /dying/);
      const events = await s.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=crash,reason=BackOff']);
      assert.match(events.stdout, /Back-off restarting failed container/);
      // The delay grows: 10 s before the first restart, then 20 s before the next one.
      const waits: string[] = [];
      await eventually(async () => {
        const w = (await podsOf(s, 'app=crash'))[0]?.status.containerStatuses?.[0]?.state.waiting as { message?: string } | undefined;
        const m = /^back-off (\d+s) restarting failed container=main pod=crash_default\(/.exec(w?.message ?? '');
        if (m && waits.at(-1) !== m[1]) waits.push(m[1]!);
        return waits.includes('20s');
      }, 90_000, 'a second, longer back-off');
      assert.deepEqual(waits.slice(0, 2), ['10s', '20s']);
    });

    await t.test('pulls from a private registry with imagePullSecrets; without them ErrImagePull then ImagePullBackOff', async () => {
      const auth = { user: 'puller', password: 'pull-secret' };
      const registry = await startRegistry(auth);
      try {
        await pushOciLayout(imageTar, registry.host, 'private/busybox', '1', auth);
        const image = `${registry.host}/private/busybox:1`;
        const dockercfg = Buffer.from(JSON.stringify({ auths: { [registry.host]: { username: auth.user, password: auth.password, auth: Buffer.from(`${auth.user}:${auth.password}`).toString('base64') } } })).toString('base64');
        await apply(s, `apiVersion: v1\nkind: Secret\nmetadata: {name: regcred}\ntype: kubernetes.io/dockerconfigjson\ndata: {.dockerconfigjson: ${dockercfg}}\n`);
        await apply(s, podYaml('pulled', `["sleep", "3600"]`, '', 'imagePullSecrets: [{name: regcred}]').replace(`image: ${TEST_BUSYBOX_IMAGE}\n    imagePullPolicy: Never`, `image: ${image}\n    imagePullPolicy: Always`));
        await waitRunning(s, 'app=pulled');
        await apply(s, podYaml('denied', `["sleep", "3600"]`).replace(`image: ${TEST_BUSYBOX_IMAGE}\n    imagePullPolicy: Never`, `image: ${registry.host}/private/busybox:missing\n    imagePullPolicy: Always`));
        // The waiting reason alternates: ErrImagePull right after each failed pull, ImagePullBackOff while waiting.
        await eventually(async () => (await podsOf(s, 'app=denied'))[0]?.status.containerStatuses?.[0]?.state.waiting?.reason === 'ImagePullBackOff', 60_000, 'ImagePullBackOff');
        const events = (await s.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=denied', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}'])).stdout;
        assert.match(events, /Failed: Failed to pull image ".*:missing": rpc error: code = Unknown desc = .*401 Unauthorized/);
        assert.match(events, /Failed: Error: ErrImagePull/);
        assert.match(events, /BackOff: Back-off pulling image/);
      } finally {
        await registry.stop();
      }
    });

    await t.test('a Job completes', async () => {
      await apply(s, `apiVersion: batch/v1\nkind: Job\nmetadata: {name: once}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: main, image: ${TEST_BUSYBOX_IMAGE}, imagePullPolicy: Never, command: ["sh", "-c", "echo done"]}]\n`);
      const r = await s.kubectl(['wait', '--for=condition=complete', 'job/once', '--timeout=90s'], { timeoutMs: 100_000 });
      assert.equal(r.code, 0, r.stderr);
      assert.match((await s.kubectl(['logs', 'job/once'])).stdout, /done/);
    });

    await t.test('SIGKILL of Skiff and a restart keep the same containers running', async () => {
      const before = await podsOf(s, 'app=web');
      const ids = before.map((p) => p.status.containerStatuses![0]!.containerID).sort();
      const restarted = await s.restart('SIGKILL');
      s = restarted;
      await eventually(async () => (await s.kubectl(['get', 'nodes'])).code === 0, 60_000, 'API back');
      await new Promise((r) => setTimeout(r, 5000));
      const after = await podsOf(s, 'app=web');
      assert.deepEqual(after.map((p) => p.status.containerStatuses![0]!.containerID).sort(), ids);
      for (const p of after) assert.equal((await httpGet(`http://${p.status.podIP}:8080/`).catch(() => ({ status: 0 }))).status === 0, false);
    });
  } finally {
    await s.kubectl(['delete', 'pods,deployments,jobs', '--all', '--wait=false']).catch(() => {});
    await s.stop();
    rmSync(work, { recursive: true, force: true });
  }
});

async function waitRunning(s: SkiffProcess, selector: string): Promise<void> {
  await eventually(async () => (await podsOf(s, selector)).some((p) => p.status.phase === 'Running' && p.status.containerStatuses?.every((c) => c.ready)), 60_000, `${selector} running`);
}

function deploymentYaml(name: string, replicas: number, command: string, opts: { readiness?: boolean } = {}): string {
  const probe = opts.readiness ? `\n        readinessProbe: {httpGet: {path: /index.html, port: 8080}, periodSeconds: 1, failureThreshold: 1}` : '';
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: main
        image: ${TEST_BUSYBOX_IMAGE}
        imagePullPolicy: Never
        command: ${command}${probe}
`;
}

function podYaml(name: string, command: string, containerExtra = '', podExtra = ''): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {app: ${name}}}
spec:
  terminationGracePeriodSeconds: 2
  ${podExtra}
  containers:
  - name: main
    image: ${TEST_BUSYBOX_IMAGE}
    imagePullPolicy: Never
    command: ${command}
    ${containerExtra}
  ${containerExtra.includes('volumeMounts') ? '' : ''}
`.replace(/\n  \n/g, '\n');
}
