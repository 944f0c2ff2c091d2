/**
 * `skiff helm` release verbs against a real Skiff API server (startTestServer), inspected with
 * the real kubectl: install, hooks, upgrade, rollback, uninstall, history, status, list, get,
 * --wait readiness, --atomic, ownership checks, pending guard, and the release Secret's encoding.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { runHelm } from './index.js';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';

let ts: TestServer;
let kubeconfig: string;
const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));

before(async () => {
  ts = await startTestServer();
  kubeconfig = ts.server.kubeconfigPath;
});
after(async () => { await ts.stop(); });

class Out { text = ''; write(s: string) { this.text += s; return true; } }

async function helm(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Out();
  const stderr = new Out();
  const code = await runHelm([...argv, '--kubeconfig', kubeconfig], { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

// Async: the API server runs in this process, so a blocking exec would starve it.
const execFileAsync = promisify(execFile);
async function kubectl(...args: string[]): Promise<string> {
  return (await execFileAsync('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], { encoding: 'utf8' })).stdout;
}
async function kubectlJson(...args: string[]): Promise<Record<string, any>> {
  return JSON.parse(await kubectl(...args, '-o', 'json')) as Record<string, any>;
}
async function exists(...args: string[]): Promise<boolean> {
  try { await kubectl('get', ...args); return true; } catch { return false; }
}

function makeChart(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'helmrel-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, 'c', name, '..'), { recursive: true });
    writeFileSync(join(dir, 'c', name), text);
  }
  return join(dir, 'c');
}

const CHART = 'apiVersion: v2\nname: demo\nversion: 0.1.0\nappVersion: "1.0"\n';
const cm = (name: string, data: string, extra = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}data:\n${data}\n`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('install creates objects with ownership metadata and stores the release Secret as helm does', async () => {
  const chart = makeChart({
    'Chart.yaml': CHART,
    'values.yaml': 'color: blue\nsize: 3\n',
    'templates/cm.yaml': cm('{{ .Release.Name }}-cfg', '  color: {{ .Values.color | quote }}\n  size: "{{ .Values.size }}"'),
    'templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-svc\nspec:\n  ports:\n  - port: 80\n  selector:\n    app: x\n',
    'templates/NOTES.txt': 'Thanks for installing {{ .Release.Name }}.\n',
  });
  const r = await helm('install', 'one', chart, '-n', 'default', '--set', 'color=red');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^NAME: one\nLAST DEPLOYED: \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\nNAMESPACE: default\nSTATUS: deployed\nREVISION: 1\nTEST SUITE: None\nNOTES:\nThanks for installing one.\n$/);

  const live = await kubectlJson('get', 'configmap', 'one-cfg', '-n', 'default');
  assert.equal(live.data.color, 'red');
  assert.equal(live.metadata.labels['app.kubernetes.io/managed-by'], 'Helm');
  assert.equal(live.metadata.annotations['meta.helm.sh/release-name'], 'one');
  assert.equal(live.metadata.annotations['meta.helm.sh/release-namespace'], 'default');
  assert.ok(await exists('service', 'one-svc', '-n', 'default'));

  const secret = await kubectlJson('get', 'secret', 'sh.helm.release.v1.one.v1', '-n', 'default');
  assert.equal(secret.type, 'helm.sh/release.v1');
  assert.equal(secret.metadata.labels.name, 'one');
  assert.equal(secret.metadata.labels.owner, 'helm');
  assert.equal(secret.metadata.labels.status, 'deployed');
  assert.equal(secret.metadata.labels.version, '1');
  assert.match(secret.metadata.labels.modifiedAt, /^\d+$/);
  // Double base64: the API's encoding of the data value, then helm's own base64 of the gzip.
  const inner = Buffer.from(secret.data.release, 'base64').toString('utf8');
  const gz = Buffer.from(inner, 'base64');
  assert.deepEqual([...gz.subarray(0, 3)], [0x1f, 0x8b, 0x08]);
  const json = gunzipSync(gz).toString('utf8');
  const rel = JSON.parse(json);
  assert.deepEqual(Object.keys(rel), ['name', 'info', 'chart', 'config', 'manifest', 'version', 'namespace']);
  assert.equal(rel.name, 'one');
  assert.equal(rel.version, 1);
  assert.equal(rel.namespace, 'default');
  assert.deepEqual(Object.keys(rel.info), ['first_deployed', 'last_deployed', 'deleted', 'description', 'status', 'notes']);
  assert.equal(rel.info.status, 'deployed');
  assert.equal(rel.info.description, 'Install complete');
  assert.equal(rel.info.deleted, '');
  assert.match(rel.info.first_deployed, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  assert.equal(rel.info.notes, 'Thanks for installing one.\n');
  assert.deepEqual(rel.config, { color: 'red' });
  assert.deepEqual(Object.keys(rel.chart), ['metadata', 'lock', 'templates', 'values', 'schema', 'files']);
  assert.deepEqual(rel.chart.metadata, { name: 'demo', version: '0.1.0', apiVersion: 'v2', appVersion: '1.0' });
  assert.equal(rel.chart.lock, null);
  assert.equal(rel.chart.schema, null);
  assert.deepEqual(rel.chart.values, { color: 'blue', size: 3 });
  const tmpl = rel.chart.templates.find((t: { name: string }) => t.name === 'templates/cm.yaml');
  assert.match(Buffer.from(tmpl.data, 'base64').toString('utf8'), /\.Values\.color/);
  assert.match(rel.manifest, /^---\n# Source: demo\/templates\/cm.yaml\napiVersion: v1\nkind: ConfigMap/);
  assert.ok(rel.manifest.indexOf('kind: ConfigMap') < rel.manifest.indexOf('kind: Service'), 'kind install order');

  const list = await helm('list', '-n', 'default');
  assert.equal(list.code, 0, list.stderr);
  const lines = list.stdout.split('\n');
  assert.equal(lines.length, 3, 'header, one release, one final newline');
  assert.match(lines[0], /^NAME\s*\tNAMESPACE\tREVISION\tUPDATED\s*\tSTATUS\s*\tCHART\s*\tAPP VERSION$/);
  assert.match(lines[1], /^one\s*\tdefault\s*\t1\s*\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? [+-]\d{4} \S+\s*\tdeployed\tdemo-0.1.0\t1.0\s*$/);
  const vals = await helm('get', 'values', 'one', '-n', 'default');
  assert.equal(vals.stdout, 'USER-SUPPLIED VALUES:\ncolor: red\n');
  const all = await helm('get', 'values', 'one', '-n', 'default', '-a');
  assert.equal(all.stdout, 'COMPUTED VALUES:\ncolor: red\nsize: 3\n');
  const manifest = await helm('get', 'manifest', 'one', '-n', 'default');
  assert.equal(manifest.stdout, `${rel.manifest}\n`);

  const again = await helm('install', 'one', chart, '-n', 'default');
  assert.equal(again.code, 1);
  assert.equal(again.stderr, 'Error: INSTALLATION FAILED: cannot re-use a name that is still in use\n');
});

test('install refuses objects owned by nobody (invalid ownership metadata)', async () => {
  await kubectl('create', 'configmap', 'taken-cfg', '-n', 'default', '--from-literal=a=b');
  const chart = makeChart({ 'Chart.yaml': CHART, 'templates/cm.yaml': cm('taken-cfg', '  a: c') });
  const r = await helm('install', 'taken', chart, '-n', 'default');
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'Error: INSTALLATION FAILED: rendered manifests contain a resource that already exists. Unable to continue with install: ConfigMap "taken-cfg" in namespace "default" exists and cannot be imported into the current release: invalid ownership metadata; label validation error: missing key "app.kubernetes.io/managed-by": must be set to "Helm"; annotation validation error: missing key "meta.helm.sh/release-name": must be set to "taken"; annotation validation error: missing key "meta.helm.sh/release-namespace": must be set to "default"\n');
  assert.equal((await kubectlJson('get', 'configmap', 'taken-cfg', '-n', 'default')).data.a, 'b');
  assert.equal((await helm('history', 'taken', '-n', 'default')).stderr, 'Error: release: not found\n');
});

test('hooks run in weight order, Job hooks are awaited, delete policies apply', async () => {
  const hook = (name: string, weight: string, policy = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  annotations:\n    helm.sh/hook: pre-install\n    helm.sh/hook-weight: "${weight}"\n${policy ? `    helm.sh/hook-delete-policy: ${policy}\n` : ''}data:\n  x: z\n`;
  const chart = makeChart({
    'Chart.yaml': CHART,
    'templates/hooks.yaml': [hook('h-c', '5'), hook('h-a', '-2'), hook('h-b', '5'), hook('h-gone', '1', 'hook-succeeded')].join('---\n'),
    'templates/job.yaml': 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: post-job\n  annotations:\n    helm.sh/hook: post-install\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n',
    'templates/cm.yaml': cm('hooked-main', '  a: b'),
  });
  const install = helm('install', 'hooked', chart, '-n', 'default', '--timeout', '20s');
  // No job controller here: complete the post-install Job once it appears.
  let job: Record<string, any> | undefined;
  for (let i = 0; i < 100 && !job; i++) {
    await sleep(100);
    const res = await ts.client.get<Record<string, any>>('/apis/batch/v1/namespaces/default/jobs/post-job');
    if (res.status === 200) job = res.body;
  }
  if (!job) assert.fail(`post-install job not created: ${JSON.stringify(await install)}`);
  // The release objects exist before post-install hooks run.
  assert.ok(await exists('configmap', 'hooked-main', '-n', 'default'));
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const st = await ts.client.patch('/apis/batch/v1/namespaces/default/jobs/post-job/status', {
    status: { startTime: now, completionTime: now, succeeded: 1, conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }] },
  });
  assert.ok(st.status < 300, st.text);
  const r = await install;
  assert.equal(r.code, 0, r.stderr);
  const rv = async (n: string) => Number((await kubectlJson('get', 'configmap', n, '-n', 'default')).metadata.resourceVersion);
  assert.ok(await rv('h-a') < await rv('h-b') && await rv('h-b') < await rv('h-c'), 'weight, then name order');
  assert.equal(await exists('configmap', 'h-gone', '-n', 'default'), false, 'hook-succeeded deletes the hook');
  const hooks = await helm('get', 'hooks', 'hooked', '-n', 'default');
  assert.match(hooks.stdout, /^---\n# Source: demo\/templates\/hooks.yaml\n/);
  const out = await helm('status', 'hooked', '-n', 'default', '-o', 'json');
  const rel = JSON.parse(out.stdout);
  const jobHook = rel.hooks.find((h: { name: string }) => h.name === 'post-job');
  assert.deepEqual(jobHook.events, ['post-install']);
  assert.equal(jobHook.last_run.phase, 'Succeeded');
  assert.deepEqual(jobHook.delete_policies, ['before-hook-creation']);
  assert.equal(rel.hooks.find((h: { name: string }) => h.name === 'h-a').weight, -2);
});

test('upgrade three-way merges, deletes dropped objects, keeps resource-policy keep; rollback and history', async () => {
  const v1 = makeChart({
    'Chart.yaml': CHART,
    'values.yaml': 'color: blue\n',
    'templates/cm.yaml': cm('up-cfg', '  color: {{ .Values.color }}\n  fixed: "1"'),
    'templates/old.yaml': cm('up-old', '  a: b'),
    'templates/kept.yaml': cm('up-kept', '  a: b', '  annotations:\n    helm.sh/resource-policy: keep\n'),
  });
  const v2 = makeChart({
    'Chart.yaml': CHART.replace('0.1.0', '0.2.0'),
    'values.yaml': 'color: blue\n',
    'templates/cm.yaml': cm('up-cfg', '  color: {{ .Values.color }}'),
    'templates/new.yaml': cm('up-new', '  n: "1"'),
  });
  assert.equal((await helm('install', 'up', v1, '-n', 'default')).code, 0);
  // Someone else adds a label: a three-way patch leaves it alone.
  await kubectl('label', 'configmap', 'up-cfg', '-n', 'default', 'team=x');
  const r = await helm('upgrade', 'up', v2, '-n', 'default', '--set', 'color=green');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Release "up" has been upgraded\. Happy Helming!\nNAME: up\n[^]*STATUS: deployed\nREVISION: 2\n/);
  const live = await kubectlJson('get', 'configmap', 'up-cfg', '-n', 'default');
  assert.deepEqual(live.data, { color: 'green' });
  assert.equal(live.metadata.labels.team, 'x');
  assert.equal(await exists('configmap', 'up-old', '-n', 'default'), false);
  assert.equal(await exists('configmap', 'up-kept', '-n', 'default'), true);
  assert.equal(await exists('configmap', 'up-new', '-n', 'default'), true);

  // No values given: the previous revision's values are reused.
  assert.equal((await helm('upgrade', 'up', v2, '-n', 'default')).code, 0);
  assert.equal((await kubectlJson('get', 'configmap', 'up-cfg', '-n', 'default')).data.color, 'green');
  assert.equal((await helm('upgrade', 'up', v2, '-n', 'default', '--reset-values')).code, 0);
  assert.equal((await kubectlJson('get', 'configmap', 'up-cfg', '-n', 'default')).data.color, 'blue');

  const rb = await helm('rollback', 'up', '1', '-n', 'default');
  assert.equal(rb.code, 0, rb.stderr);
  assert.equal(rb.stdout, 'Rollback was a success! Happy Helming!\n');
  assert.deepEqual((await kubectlJson('get', 'configmap', 'up-cfg', '-n', 'default')).data, { color: 'blue', fixed: '1' });
  assert.equal(await exists('configmap', 'up-new', '-n', 'default'), false);
  assert.equal(await exists('configmap', 'up-old', '-n', 'default'), true);

  const h = await helm('history', 'up', '-n', 'default');
  assert.ok(h.stdout.endsWith('\n') && !h.stdout.endsWith('\n\n'));
  const rows = h.stdout.trimEnd().split('\n').map((l) => l.split('\t').map((c) => c.trim()));
  assert.deepEqual(rows[0], ['REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION', 'DESCRIPTION']);
  assert.deepEqual(rows.slice(1).map((x) => [x[0], x[2], x[3], x[5]]), [
    ['1', 'superseded', 'demo-0.1.0', 'Install complete'],
    ['2', 'superseded', 'demo-0.2.0', 'Upgrade complete'],
    ['3', 'superseded', 'demo-0.2.0', 'Upgrade complete'],
    ['4', 'superseded', 'demo-0.2.0', 'Upgrade complete'],
    ['5', 'deployed', 'demo-0.1.0', 'Rollback to 1'],
  ]);
  const hj = JSON.parse((await helm('history', 'up', '-n', 'default', '-o', 'json', '--max', '2')).stdout);
  assert.deepEqual(hj.map((x: { revision: number }) => x.revision), [4, 5]);
  assert.deepEqual(Object.keys(hj[0]), ['revision', 'updated', 'status', 'chart', 'app_version', 'description']);

  // --history-max prunes the oldest revisions.
  assert.equal((await helm('upgrade', 'up', v2, '-n', 'default', '--history-max', '3')).code, 0);
  const revs = JSON.parse((await helm('history', 'up', '-n', 'default', '-o', 'json')).stdout).map((x: { revision: number }) => x.revision);
  assert.deepEqual(revs, [4, 5, 6]);
});

test('uninstall: hooks, keep-history, purge; list filters by state', async () => {
  const chart = makeChart({
    'Chart.yaml': CHART,
    'templates/cm.yaml': cm('gone-cfg', '  a: b'),
    'templates/pre-delete.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gone-predelete\n  annotations:\n    helm.sh/hook: pre-delete\ndata:\n  a: b\n',
  });
  assert.equal((await helm('install', 'gone', chart, '-n', 'default')).code, 0);
  const u = await helm('uninstall', 'gone', '-n', 'default', '--keep-history');
  assert.equal(u.code, 0, u.stderr);
  assert.equal(u.stdout, 'release "gone" uninstalled\n');
  assert.equal(await exists('configmap', 'gone-cfg', '-n', 'default'), false);
  assert.equal(await exists('configmap', 'gone-predelete', '-n', 'default'), true, 'pre-delete hook ran');
  const listed = await helm('list', '-n', 'default', '--uninstalled', '-q');
  assert.equal(listed.stdout, 'gone\n');
  assert.doesNotMatch((await helm('list', '-n', 'default', '-q')).stdout, /gone/);
  const st = await helm('status', 'gone', '-n', 'default', '--show-desc');
  assert.match(st.stdout, /STATUS: uninstalled\nREVISION: 1\nDESCRIPTION: Uninstallation complete\n/);
  const again = await helm('uninstall', 'gone', '-n', 'default', '--keep-history');
  assert.equal(again.stderr, 'Error: the release named "gone" is already deleted\n');
  // upgrade --install over an uninstalled release installs again as the next revision (helm's --replace).
  const re = await helm('upgrade', '--install', 'gone', chart, '-n', 'default');
  assert.equal(re.code, 0, re.stderr);
  assert.match(re.stdout, /^Release "gone" does not exist\. Installing it now\.\n[^]*STATUS: deployed\nREVISION: 2\n/);
  assert.equal(await exists('configmap', 'gone-cfg', '-n', 'default'), true);
  const hist = JSON.parse((await helm('history', 'gone', '-n', 'default', '-o', 'json')).stdout);
  assert.deepEqual(hist.map((x: { status: string }) => x.status), ['superseded', 'deployed']);
  assert.equal((await helm('uninstall', 'gone', '-n', 'default')).code, 0);
  assert.equal(await exists('secret', 'sh.helm.release.v1.gone.v1', '-n', 'default'), false);
  assert.equal(await exists('secret', 'sh.helm.release.v1.gone.v2', '-n', 'default'), false);
});

test('a pending release blocks upgrade with a recovery hint; rollback recovers', async () => {
  const chart = makeChart({ 'Chart.yaml': CHART, 'templates/cm.yaml': cm('stuck-cfg', '  a: "{{ .Values.a }}"'), 'values.yaml': 'a: 1\n' });
  assert.equal((await helm('install', 'stuck', chart, '-n', 'default')).code, 0);
  assert.equal((await helm('upgrade', 'stuck', chart, '-n', 'default', '--set', 'a=2')).code, 0);
  // Simulate an interrupted upgrade: mark revision 2 pending-upgrade in its Secret, as helm would leave it.
  const { decodeRelease, encodeRelease } = await import('../../helm/release/release.js');
  const sec = await kubectlJson('get', 'secret', 'sh.helm.release.v1.stuck.v2', '-n', 'default');
  const rel = decodeRelease(Buffer.from(sec.data.release, 'base64').toString('utf8'));
  rel.info.status = 'pending-upgrade';
  sec.data.release = Buffer.from(encodeRelease(rel)).toString('base64');
  sec.metadata.labels.status = 'pending-upgrade';
  const put = await ts.client.put('/api/v1/namespaces/default/secrets/sh.helm.release.v1.stuck.v2', sec);
  assert.ok(put.status < 300, put.text);
  const r = await helm('upgrade', 'stuck', chart, '-n', 'default', '--set', 'a=3');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^Error: UPGRADE FAILED: another operation \(install\/upgrade\/rollback\) is in progress\n.*skiff helm rollback stuck 1/);
  assert.equal((await helm('list', '-n', 'default', '--pending', '-q')).stdout, 'stuck\n');
  assert.equal((await helm('rollback', 'stuck', '1', '-n', 'default')).code, 0);
  assert.equal((await helm('upgrade', 'stuck', chart, '-n', 'default', '--set', 'a=3')).code, 0);
  assert.equal((await kubectlJson('get', 'configmap', 'stuck-cfg', '-n', 'default')).data.a, '3');
});

const deployment = (image: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: ${image}\n`;

/** Plays the deployment controller: a ReplicaSet for the current template, all replicas ready. */
async function makeDeploymentReady(ns: string, name: string): Promise<void> {
  const dep = (await ts.client.get<Record<string, any>>(`/apis/apps/v1/namespaces/${ns}/deployments/${name}`)).body;
  const rsName = `${name}-${dep.metadata.generation}x`;
  const rs = await ts.client.post<Record<string, any>>(`/apis/apps/v1/namespaces/${ns}/replicasets`, {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name: rsName, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: dep.metadata.uid, controller: true }] },
    spec: { replicas: dep.spec.replicas, selector: dep.spec.selector, template: dep.spec.template },
  });
  assert.ok(rs.status < 300, rs.text);
  const p1 = await ts.client.patch(`/apis/apps/v1/namespaces/${ns}/replicasets/${rsName}/status`, { status: { replicas: dep.spec.replicas, readyReplicas: dep.spec.replicas, availableReplicas: dep.spec.replicas, observedGeneration: rs.body.metadata.generation } });
  assert.ok(p1.status < 300, p1.text);
  const p2 = await ts.client.patch(`/apis/apps/v1/namespaces/${ns}/deployments/${name}/status`, { status: { observedGeneration: dep.metadata.generation, replicas: dep.spec.replicas, readyReplicas: dep.spec.replicas, availableReplicas: dep.spec.replicas, updatedReplicas: dep.spec.replicas } });
  assert.ok(p2.status < 300, p2.text);
}

test('--wait waits for the Deployment to be ready; --atomic rolls back a failed upgrade', async () => {
  await kubectl('create', 'namespace', 'waitns');
  const v1 = makeChart({ 'Chart.yaml': CHART, 'templates/dep.yaml': deployment('nginx:1'), 'templates/cm.yaml': cm('w-cfg', '  v: "1"') });
  const v2 = makeChart({ 'Chart.yaml': CHART.replace('0.1.0', '0.2.0'), 'templates/dep.yaml': deployment('nginx:2'), 'templates/cm.yaml': cm('w-cfg', '  v: "2"') });
  let done = false;
  const install = helm('install', 'w', v1, '-n', 'waitns', '--wait', '--timeout', '30s').then((r) => { done = true; return r; });
  let dep: { status: number } = { status: 404 };
  for (let i = 0; i < 100 && dep.status !== 200; i++) { await sleep(100); dep = await ts.client.get('/apis/apps/v1/namespaces/waitns/deployments/web'); }
  assert.equal(dep.status, 200);
  await sleep(1200);
  assert.equal(done, false, 'install still waiting while the Deployment is not ready');
  const pending = await kubectlJson('get', 'secret', 'sh.helm.release.v1.w.v1', '-n', 'waitns');
  assert.equal(pending.metadata.labels.status, 'pending-install');
  await makeDeploymentReady('waitns', 'web');
  const r = await install;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /STATUS: deployed/);

  // The upgraded Deployment (nginx:2) never becomes ready: --atomic rolls back to revision 1, whose
  // template (nginx:1) our stand-in controller makes ready again.
  let upgrading = true;
  const controller = (async () => {
    while (upgrading) {
      await sleep(200);
      const d = (await ts.client.get<Record<string, any>>('/apis/apps/v1/namespaces/waitns/deployments/web')).body;
      if (d.spec.template.spec.containers[0].image === 'nginx:1' && d.status?.observedGeneration !== d.metadata.generation) await makeDeploymentReady('waitns', 'web');
    }
  })();
  const up = await helm('upgrade', 'w', v2, '-n', 'waitns', '--atomic', '--timeout', '2s');
  upgrading = false;
  await controller;
  assert.equal(up.code, 1);
  assert.match(up.stderr, /^Error: UPGRADE FAILED: release w failed, and has been rolled back due to atomic being set: context deadline exceeded/);
  const h = JSON.parse((await helm('history', 'w', '-n', 'waitns', '-o', 'json')).stdout);
  assert.deepEqual(h.map((x: { status: string }) => x.status), ['superseded', 'failed', 'deployed']);
  assert.match(h[1].description, /^Upgrade "w" failed: context deadline exceeded/);
  assert.equal(h[2].description, 'Rollback to 1');
  assert.equal((await kubectlJson('get', 'configmap', 'w-cfg', '-n', 'waitns')).data.v, '1');
  assert.equal((await kubectlJson('get', 'deployment', 'web', '-n', 'waitns')).spec.template.spec.containers[0].image, 'nginx:1');
});
