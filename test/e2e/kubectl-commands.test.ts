// The real kubectl (v1.32) against `skiff up`: every command of the kubectl-compatibility issue, asserting
// the headers, cells, messages and exit codes a real cluster gives. Part 1: read-only and create commands.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KUBECTL, eventually, parseColumns, startSkiff, type SkiffProcess } from './harness.js';

const skip = existsSync(KUBECTL) ? false : `kubectl is not installed at ${KUBECTL}`;

describe('kubectl commands against skiff up', { skip }, () => {
  let s: SkiffProcess;
  let dir: string;
  const k = (...args: string[]) => s.kubectl(args);
  const ok = async (...args: string[]) => {
    const r = await s.kubectl(args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  };
  before(async () => {
    s = await startSkiff();
    dir = mkdtempSync(join(tmpdir(), 'skiff-e2e-manifests-'));
  });
  after(async () => s?.stop());

  it('version, cluster-info, api-versions, api-resources', async () => {
    assert.match(await ok('version'), /^Client Version: v1\.32\.\d+.*\nKustomize Version: .*\nServer Version: v1\.32\.\d+/);
    const info = await ok('cluster-info');
    assert.match(info, new RegExp(`Kubernetes control plane is running at ${s.url.replace(/\./g, '\\.')}`));
    assert.match(info, /To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'\./);
    const versions = (await ok('api-versions')).trim().split('\n');
    for (const v of ['v1', 'apps/v1', 'batch/v1', 'policy/v1', 'autoscaling/v1', 'authorization.k8s.io/v1']) assert.ok(versions.includes(v), v);
    const res = parseColumns(await ok('api-resources'));
    assert.deepEqual(res.headers, ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    const deploy = res.rows.find((r) => r.NAME === 'deployments');
    assert.deepEqual(deploy, { NAME: 'deployments', SHORTNAMES: 'deploy', APIVERSION: 'apps/v1', NAMESPACED: 'true', KIND: 'Deployment' });
    assert.equal(res.rows.find((r) => r.NAME === 'namespaces')?.NAMESPACED, 'false');
    const wide = parseColumns(await ok('api-resources', '-o', 'wide', '--api-group=apps'));
    assert.deepEqual(wide.headers, ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', 'VERBS', 'CATEGORIES']);
    assert.equal(wide.rows.find((r) => r.NAME === 'deployments')?.VERBS, 'create,delete,deletecollection,get,list,patch,update,watch');
  });

  it('auth can-i', async () => {
    const yes = await k('auth', 'can-i', 'create', 'deployments', '-n', 'default');
    assert.equal(yes.stdout, 'yes\n');
    assert.equal(yes.code, 0);
  });

  it('create with every generator', async () => {
    assert.equal(await ok('create', 'namespace', 'e2e'), 'namespace/e2e created\n');
    assert.equal(await ok('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '-n', 'e2e'), 'deployment.apps/web created\n');
    assert.equal(await ok('create', 'service', 'clusterip', 'web', '--tcp=80:8080', '-n', 'e2e'), 'service/web created\n');
    assert.equal(await ok('create', 'configmap', 'settings', '--from-literal=color=blue', '--from-literal=size=L', '-n', 'e2e'), 'configmap/settings created\n');
    assert.equal(await ok('create', 'secret', 'generic', 'creds', '--from-literal=password=hunter2', '-n', 'e2e'), 'secret/creds created\n');
    assert.equal(await ok('create', 'job', 'once', '--image=busybox', '-n', 'e2e', '--', 'true'), 'job.batch/once created\n');
    assert.equal(await ok('create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *', '-n', 'e2e'), 'cronjob.batch/tick created\n');
    assert.equal(await ok('create', 'pdb', 'web', '--selector=app=web', '--min-available=1', '-n', 'e2e'), 'poddisruptionbudget.policy/web created\n');
    assert.equal(await ok('create', 'secret', 'docker-registry', 'pull', '--docker-server=r.example.com', '--docker-username=u', '--docker-password=p', '-n', 'e2e'), 'secret/pull created\n');
    assert.equal(await ok('create', 'service', 'nodeport', 'np', '--tcp=80:8080', '-n', 'e2e'), 'service/np created\n');
    const fromFile = join(dir, 'app.properties');
    writeFileSync(fromFile, 'mode=fast\n');
    assert.equal(await ok('create', 'configmap', 'files', `--from-file=${fromFile}`, '-n', 'e2e'), 'configmap/files created\n');
    assert.equal(await ok('get', 'cm', 'files', '-n', 'e2e', '-o', 'jsonpath={.data.app\\.properties}'), 'mode=fast\n');
    const types = parseColumns(await ok('get', 'secret', 'pull', '-n', 'e2e'));
    assert.equal(types.rows[0]!.TYPE, 'kubernetes.io/dockerconfigjson');
    const np = parseColumns(await ok('get', 'svc', 'np', '-n', 'e2e'));
    assert.equal(np.rows[0]!.TYPE, 'NodePort');
    assert.match(np.rows[0]!['PORT(S)']!, /^80:3\d{4}\/TCP$/);
    const dup = await k('create', 'configmap', 'settings', '-n', 'e2e');
    assert.equal(dup.code, 1);
    assert.equal(dup.stderr, 'error: failed to create configmap: configmaps "settings" already exists\n');
    assert.equal(Buffer.from(await ok('get', 'secret', 'creds', '-n', 'e2e', '-o', 'jsonpath={.data.password}'), 'base64').toString(), 'hunter2');
  });

  it('get prints the server-side table columns (plain and -o wide)', async () => {
    await eventually(async () => (await k('get', 'deploy', 'web', '-n', 'e2e', '-o', 'jsonpath={.status.availableReplicas}')).stdout === '2', 30_000, 'web to be available');
    const d = parseColumns(await ok('get', 'deploy', '-n', 'e2e', '-o', 'wide'));
    assert.deepEqual(d.headers, ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    assert.deepEqual({ ...d.rows[0], AGE: '' }, { NAME: 'web', READY: '2/2', 'UP-TO-DATE': '2', AVAILABLE: '2', AGE: '', CONTAINERS: 'nginx', IMAGES: 'nginx:1.27', SELECTOR: 'app=web' });
    assert.match(d.rows[0]!.AGE!, /^\d+s$/);
    const svc = parseColumns(await ok('get', 'svc', 'web', '-n', 'e2e'));
    assert.deepEqual(svc.headers, ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    assert.equal(svc.rows[0]!.TYPE, 'ClusterIP');
    assert.match(svc.rows[0]!['CLUSTER-IP']!, /^10\.\d+\.\d+\.\d+$/);
    assert.equal(svc.rows[0]!['EXTERNAL-IP'], '<none>');
    assert.equal(svc.rows[0]!['PORT(S)'], '80/TCP');
    const cm = parseColumns(await ok('get', 'cm', 'settings', '-n', 'e2e'));
    assert.deepEqual(cm.headers, ['NAME', 'DATA', 'AGE']);
    assert.equal(cm.rows[0]!.DATA, '2');
    const secret = parseColumns(await ok('get', 'secret', 'creds', '-n', 'e2e'));
    assert.deepEqual(secret.headers, ['NAME', 'TYPE', 'DATA', 'AGE']);
    assert.deepEqual([secret.rows[0]!.TYPE, secret.rows[0]!.DATA], ['Opaque', '1']);
    const cj = parseColumns(await ok('get', 'cronjob', 'tick', '-n', 'e2e'));
    assert.deepEqual(cj.headers, ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE']);
    assert.deepEqual([cj.rows[0]!.SCHEDULE, cj.rows[0]!.TIMEZONE, cj.rows[0]!.SUSPEND], ['*/5 * * * *', '<none>', 'False']);
    const pdb = parseColumns(await ok('get', 'pdb', 'web', '-n', 'e2e'));
    assert.deepEqual(pdb.headers, ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE']);
    assert.deepEqual([pdb.rows[0]!['MIN AVAILABLE'], pdb.rows[0]!['MAX UNAVAILABLE']], ['1', 'N/A']);
    const ns = parseColumns(await ok('get', 'ns', 'e2e'));
    assert.deepEqual(ns.headers, ['NAME', 'STATUS', 'AGE']);
    assert.equal(ns.rows[0]!.STATUS, 'Active');
    const pods = parseColumns(await ok('get', 'pods', '-n', 'e2e', '-l', 'app=web', '-o', 'wide'));
    assert.deepEqual(pods.headers, ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    assert.equal(pods.rows.length, 2);
    for (const p of pods.rows) {
      assert.match(p.NAME!, /^web-[a-z0-9]+-[a-z0-9]{5}$/);
      assert.deepEqual([p.READY, p.STATUS, p.RESTARTS, p['NOMINATED NODE']], ['1/1', 'Running', '0', '<none>']);
    }
    const missing = await k('get', 'cm', 'nope', '-n', 'e2e');
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'Error from server (NotFound): configmaps "nope" not found\n');
  });

  it('get -o yaml/json/jsonpath/custom-columns/name', async () => {
    assert.match(await ok('get', 'cm', 'settings', '-n', 'e2e', '-o', 'yaml'), /^apiVersion: v1\ndata:\n {2}color: blue\n {2}size: L\nkind: ConfigMap\nmetadata:\n {2}creationTimestamp: "/);
    const list = JSON.parse(await ok('get', 'cm', '-n', 'e2e', '-o', 'json')) as { kind: string; apiVersion: string; items: Array<{ metadata: { name: string } }> };
    assert.equal(list.kind, 'List');
    assert.deepEqual(list.items.map((i) => i.metadata.name).sort(), ['files', 'kube-root-ca.crt', 'settings']);
    assert.equal(await ok('get', 'cm', 'settings', '-n', 'e2e', '-o', 'jsonpath={.data.color}/{.metadata.namespace}'), 'blue/e2e');
    assert.equal(await ok('get', 'cm', '-n', 'e2e', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}'), 'files\nkube-root-ca.crt\nsettings\n');
    const cc = parseColumns(await ok('get', 'deploy', '-n', 'e2e', '-o', 'custom-columns=NAME:.metadata.name,REPLICAS:.spec.replicas,IMAGE:.spec.template.spec.containers[0].image'));
    assert.deepEqual(cc.headers, ['NAME', 'REPLICAS', 'IMAGE']);
    assert.deepEqual(cc.rows, [{ NAME: 'web', REPLICAS: '2', IMAGE: 'nginx:1.27' }]);
    assert.equal(await ok('get', 'deploy,svc', '-n', 'e2e', '-o', 'name'), 'deployment.apps/web\nservice/np\nservice/web\n');
  });

  it('get -A, -l, --field-selector, --show-labels, -L, --sort-by, --chunk-size', async () => {
    const all = parseColumns(await ok('get', 'svc', '-A'));
    assert.deepEqual(all.headers, ['NAMESPACE', 'NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    assert.deepEqual(all.rows.map((r) => `${r.NAMESPACE}/${r.NAME}`).sort(), ['default/kubernetes', 'e2e/np', 'e2e/web']);
    assert.deepEqual(all.rows.find((r) => r.NAME === 'kubernetes')?.['CLUSTER-IP'], '10.96.0.1');
    for (const [name, tier] of [['b-cm', 'back'], ['a-cm', 'front'], ['c-cm', 'front']] as const) {
      await ok('create', 'configmap', name, '-n', 'e2e');
      await ok('label', 'configmap', name, `tier=${tier}`, '-n', 'e2e');
    }
    assert.equal(await ok('get', 'cm', '-n', 'e2e', '-l', 'tier=front', '-o', 'name'), 'configmap/a-cm\nconfigmap/c-cm\n');
    assert.equal(await ok('get', 'cm', '-n', 'e2e', '-l', 'tier!=front,tier', '-o', 'name'), 'configmap/b-cm\n');
    assert.equal(await ok('get', 'cm', '-n', 'e2e', '--field-selector', 'metadata.name=c-cm', '-o', 'name'), 'configmap/c-cm\n');
    const pods = JSON.parse(await ok('get', 'pods', '-n', 'e2e', '-o', 'json')) as { items: Array<{ metadata: { name: string }; status: { phase: string } }> };
    const running = pods.items.filter((p) => p.status.phase === 'Running').map((p) => `pod/${p.metadata.name}\n`);
    assert.ok(running.length >= 2);
    assert.equal(await ok('get', 'pods', '-n', 'e2e', '--field-selector', 'status.phase=Running', '-o', 'name'), running.sort().join(''));
    const badField = await k('get', 'cm', '-n', 'e2e', '--field-selector', 'data.x=1');
    assert.equal(badField.code, 1);
    assert.match(badField.stderr, /Error from server \(BadRequest\): Unable to find "\/v1, Resource=configmaps" that match label selector "", field selector "data\.x=1": field label not supported: data\.x/);
    const shown = parseColumns(await ok('get', 'cm', '-n', 'e2e', '-l', 'tier', '--show-labels'));
    assert.deepEqual(shown.headers, ['NAME', 'DATA', 'AGE', 'LABELS']);
    assert.equal(shown.rows.find((r) => r.NAME === 'a-cm')?.LABELS, 'tier=front');
    const labelCol = parseColumns(await ok('get', 'cm', '-n', 'e2e', '-L', 'tier'));
    assert.deepEqual(labelCol.headers, ['NAME', 'DATA', 'AGE', 'TIER']);
    assert.equal(labelCol.rows.find((r) => r.NAME === 'settings')?.TIER, '');
    assert.equal(labelCol.rows.find((r) => r.NAME === 'b-cm')?.TIER, 'back');
    const sorted = parseColumns(await ok('get', 'cm', '-n', 'e2e', '-l', 'tier', '--sort-by=.metadata.name'));
    assert.deepEqual(sorted.rows.map((r) => r.NAME), ['a-cm', 'b-cm', 'c-cm']);
    const byLabel = parseColumns(await ok('get', 'cm', '-n', 'e2e', '-l', 'tier', '--sort-by={.metadata.labels.tier}'));
    assert.equal(byLabel.rows[0]!.NAME, 'b-cm');
    const chunked = await k('get', 'cm', '-n', 'e2e', '--chunk-size=2', '-v=6');
    assert.equal(chunked.code, 0);
    assert.deepEqual(parseColumns(chunked.stdout).rows.map((r) => r.NAME), ['a-cm', 'b-cm', 'c-cm', 'files', 'kube-root-ca.crt', 'settings']);
    assert.equal([...chunked.stderr.matchAll(/configmaps\?continue=[^&\s]+&limit=2 200 OK/g)].length, 2, chunked.stderr);
  });

  it('get -w prints the watch rows as they happen', async () => {
    const watch = s.spawnKubectl(['get', 'cm', '-n', 'e2e', '-l', 'watched', '-w', '--output-watch-events', '-v=6']);
    const single = s.spawnKubectl(['get', 'cm', 'settings', '-n', 'e2e', '-w', '-v=6']);
    try {
      await eventually(async () => /watch=true/.test(watch.errors()) && /watch=true/.test(single.errors()), 10_000, 'the watches to start');
      assert.match(single.errors(), /configmaps\?fieldSelector=metadata\.name%3Dsettings&resourceVersion=\d+&watch=true/);
      await ok('create', 'configmap', 'w1', '-n', 'e2e', '--from-literal=a=b');
      await ok('label', 'configmap', 'w1', 'watched=yes', '-n', 'e2e');
      await ok('annotate', 'configmap', 'w1', 'note=x', '-n', 'e2e');
      await ok('delete', 'configmap', 'w1', '-n', 'e2e');
      await ok('annotate', 'configmap', 'settings', 'note=x', '-n', 'e2e');
      await eventually(async () => /DELETED/.test(watch.output()) && single.output().split('\n').length > 3, 10_000, 'the watch rows');
      const t = parseColumns(watch.output());
      assert.deepEqual(t.headers, ['EVENT', 'NAME', 'DATA', 'AGE']);
      // Labelling it in makes it appear (ADDED to this selection), then MODIFIED, then DELETED.
      assert.deepEqual(t.rows.map((r) => [r.EVENT, r.NAME, r.DATA]), [['ADDED', 'w1', '1'], ['MODIFIED', 'w1', '1'], ['DELETED', 'w1', '1']]);
      const one = parseColumns(single.output());
      assert.deepEqual(one.headers, ['NAME', 'DATA', 'AGE']);
      assert.deepEqual(one.rows.map((r) => r.NAME), ['settings', 'settings']);
    } finally {
      watch.child.kill();
      single.child.kill();
    }
  });

  it('explain reads the OpenAPI v3 documents', async () => {
    const field = await ok('explain', 'deployment.spec.replicas');
    assert.match(field, /^GROUP: {6}apps\nKIND: {7}Deployment\nVERSION: {4}v1\n\nFIELD: replicas <integer>\n/);
    assert.match(field, /DESCRIPTION:\n {4}Number of desired pods\./);
    const pod = await ok('explain', 'pods');
    assert.match(pod, /^KIND: {7}Pod\nVERSION: {4}v1\n\nDESCRIPTION:\n {4}Pod is a collection of containers/);
    assert.match(pod, /FIELDS:\n {2}apiVersion\t<string>\n/);
    assert.match(pod, /\n {2}spec\t<PodSpec>\n/);
    const rec = await ok('explain', 'configmap', '--recursive');
    assert.match(rec, /\n {2}data\t<map\[string\]string>\n/);
    const bad = await k('explain', 'deployment.spec.nope');
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, 'error: field "nope" does not exist\n');
  });

  it('describe shows the describers\' sections and events', async () => {
    const cm = await ok('describe', 'configmap', 'settings', '-n', 'e2e');
    assert.match(cm, /^Name: {9}settings\nNamespace: {4}e2e\nLabels: {7}<none>\nAnnotations: {2}note: x\n\nData\n====\n/);
    // kubectl walks the data map in Go's random order.
    assert.match(cm, /\ncolor:\n----\nblue\n\n/);
    assert.match(cm, /\nsize:\n----\nL\n\n/);
    assert.match(cm, /\nEvents: {2}<none>\n$/);
    const secret = await ok('describe', 'secret', 'creds', '-n', 'e2e');
    assert.match(secret, /Type: {2}Opaque\n\nData\n====\npassword: {2}7 bytes\n/);
    const svc = await ok('describe', 'service', 'web', '-n', 'e2e');
    assert.match(svc, /\nType: +ClusterIP\n/);
    assert.match(svc, /\nPort: +80-8080 {2}80\/TCP\nTargetPort: +8080\/TCP\n/);
    await eventually(async () => /Endpoints: +10\.244\.\d+\.\d+:8080,10\.244/.test(await ok('describe', 'service', 'web', '-n', 'e2e')), 20_000, 'service endpoints');
    const ns = await ok('describe', 'namespace', 'e2e');
    assert.match(ns, /^Name: {9}e2e\nLabels: {7}kubernetes\.io\/metadata\.name=e2e\nAnnotations: {2}<none>\nStatus: {7}Active\n/);
    const deploy = await ok('describe', 'deployment', 'web', '-n', 'e2e');
    assert.match(deploy, /\nReplicas: +2 desired \| 2 updated \| 2 total \| 2 available \| 0 unavailable\n/);
    assert.match(deploy, /\nNewReplicaSet: +web-[a-z0-9]+ \(2\/2 replicas created\)\n/);
    assert.match(deploy, /\nEvents:\n {2}Type {4}Reason {13}Age {3}From {19}Message\n {2}---- {4}------ {13}---- {2}---- {19}-------\n {2}Normal {2}ScalingReplicaSet {2}\S+ +deployment-controller {2}Scaled up replica set web-[a-z0-9]+ from 0 to 2\n/);
    const podName = (await ok('get', 'pods', '-n', 'e2e', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}'));
    const pod = await ok('describe', 'pod', podName, '-n', 'e2e');
    assert.match(pod, /\nStatus: +Running\n/);
    assert.match(pod, /\nControlled By: +ReplicaSet\/web-/);
    assert.match(pod, new RegExp(`Normal +Scheduled +\\S+ +default-scheduler +Successfully assigned e2e/${podName} to `));
  });

  it('wait: --for=condition, --for=jsonpath, --for=delete', async () => {
    assert.equal(await ok('wait', '--for=condition=Available', 'deployment/web', '-n', 'e2e', '--timeout=30s'), 'deployment.apps/web condition met\n');
    assert.equal(await ok('wait', '--for=jsonpath={.data.color}=blue', 'configmap/settings', '-n', 'e2e', '--timeout=10s'), 'configmap/settings condition met\n');
    const notYet = await k('wait', '--for=jsonpath={.data.color}=red', 'configmap/settings', '-n', 'e2e', '--timeout=1s');
    assert.equal(notYet.code, 1);
    assert.equal(notYet.stderr, 'error: timed out waiting for the condition on configmaps/settings\n');
    await ok('create', 'configmap', 'doomed', '-n', 'e2e');
    const waiting = s.kubectl(['wait', '--for=delete', 'configmap/doomed', '-n', 'e2e', '--timeout=20s']);
    await new Promise((r) => setTimeout(r, 500));
    await ok('delete', 'configmap', 'doomed', '-n', 'e2e', '--wait=false');
    const done = await waiting;
    assert.equal(done.code, 0, done.stderr);
    assert.equal(done.stdout, 'configmap/doomed condition met\n');
    const ready = await ok('wait', '--for=condition=Ready', 'pod', '-l', 'app=web', '-n', 'e2e', '--timeout=30s');
    assert.match(ready, /^pod\/web-\S+ condition met\npod\/web-\S+ condition met\n$/);
  });

  it('delete --wait of a pod waits for its kubelet to finish it', async () => {
    const pod = await ok('get', 'pods', '-n', 'e2e', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}');
    const started = Date.now();
    assert.equal(await ok('delete', 'pod', pod, '-n', 'e2e', '--wait', '--timeout=60s'), `pod "${pod}" deleted\n`);
    const gone = await k('get', 'pod', pod, '-n', 'e2e');
    assert.deepEqual([gone.code, gone.stderr], [1, `Error from server (NotFound): pods "${pod}" not found\n`], `deleted after ${Date.now() - started}ms`);
    await eventually(async () => (await k('get', 'pods', '-n', 'e2e', '-l', 'app=web', '--field-selector=status.phase=Running', '-o', 'name')).stdout.split('\n').filter(Boolean).length === 2, 30_000, 'the replacement pod');
    const other = await ok('get', 'pods', '-n', 'e2e', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}');
    const forced = await k('delete', 'pod', other, '-n', 'e2e', '--grace-period=0', '--force');
    assert.equal(forced.code, 0);
    assert.equal(forced.stdout, `pod "${other}" force deleted\n`);
    assert.equal(forced.stderr, 'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n');
    assert.equal((await k('get', 'pod', other, '-n', 'e2e')).code, 1);
  });
});
