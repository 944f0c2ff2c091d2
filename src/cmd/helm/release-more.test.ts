/**
 * More `skiff helm` release verbs against a real Skiff API server: CRDs from crds/ installed
 * before the templates (and --upgrade-crds), `helm test`, `diff upgrade`, install --dry-run=server,
 * upgrade --install and get all.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runHelm } from './index.js';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';

let ts: TestServer;
let kubeconfig: string;
const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
const execFileAsync = promisify(execFile);

before(async () => { ts = await startTestServer(); kubeconfig = ts.server.kubeconfigPath; });
after(async () => { await ts.stop(); });

class Out { text = ''; write(s: string) { this.text += s; return true; } }
async function helm(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Out();
  const stderr = new Out();
  const code = await runHelm([...argv, '--kubeconfig', kubeconfig], { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
async function kubectlJson(...args: string[]): Promise<Record<string, any>> {
  const { stdout } = await execFileAsync('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args, '-o', 'json'], { encoding: 'utf8' });
  return JSON.parse(stdout) as Record<string, any>;
}
function makeChart(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'helmrel-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, 'c', name, '..'), { recursive: true });
    writeFileSync(join(dir, 'c', name), text);
  }
  return join(dir, 'c');
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CHART = 'apiVersion: v2\nname: demo\nversion: 0.1.0\nappVersion: "1.0"\n';
const cm = (name: string, data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n${data}\n`;

const crd = (extraField: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: gadgets, singular: gadget, kind: Gadget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
${extraField}`;

test('crds/ are installed before templates that use them; --upgrade-crds updates them', async () => {
  const files = {
    'Chart.yaml': CHART,
    'crds/gadget.yaml': crd(''),
    'templates/gadget.yaml': 'apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g1\nspec:\n  size: {{ .Values.size }}\n',
    'values.yaml': 'size: 1\n',
  };
  const chart = makeChart(files);
  const r = await helm('install', 'gadgets', chart, '-n', 'default');
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await kubectlJson('get', 'gadgets', 'g1', '-n', 'default')).spec.size, 1);
  // A custom resource is updated with a JSON merge patch.
  assert.equal((await helm('upgrade', 'gadgets', chart, '-n', 'default', '--set', 'size=2')).code, 0);
  assert.equal((await kubectlJson('get', 'gadgets', 'g1', '-n', 'default')).spec.size, 2);
  // Helm never touches CRDs on upgrade; --upgrade-crds does.
  const withColor = makeChart({ ...files, 'crds/gadget.yaml': crd('              color: {type: string}\n') });
  assert.equal((await helm('upgrade', 'gadgets', withColor, '-n', 'default')).code, 0);
  let props = (await kubectlJson('get', 'crd', 'gadgets.example.com')).spec.versions[0].schema.openAPIV3Schema.properties.spec.properties;
  assert.deepEqual(Object.keys(props), ['size']);
  const up = await helm('upgrade', 'gadgets', withColor, '-n', 'default', '--upgrade-crds');
  assert.equal(up.code, 0, up.stderr);
  props = (await kubectlJson('get', 'crd', 'gadgets.example.com')).spec.versions[0].schema.openAPIV3Schema.properties.spec.properties;
  assert.deepEqual(Object.keys(props).sort(), ['color', 'size']);
});

test('helm test runs test hooks and records them in the release', async () => {
  const chart = makeChart({
    'Chart.yaml': CHART,
    'templates/cm.yaml': cm('tested-cfg', '  a: b'),
    'templates/test.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: tested-check\n  annotations:\n    helm.sh/hook: test\nspec:\n  restartPolicy: Never\n  containers:\n  - name: c\n    image: busybox\n',
  });
  const inst = await helm('install', 'tested', chart, '-n', 'default');
  assert.equal(inst.code, 0, inst.stderr);
  assert.doesNotMatch(inst.stdout, /TEST SUITE/, 'test hooks not run yet print nothing');
  const run = helm('test', 'tested', '-n', 'default', '--timeout', '20s');
  // No kubelet here: the test pod succeeds when we say so.
  let pod = 404;
  for (let i = 0; i < 100 && pod !== 200; i++) { await sleep(100); pod = (await ts.client.get('/api/v1/namespaces/default/pods/tested-check')).status; }
  assert.equal(pod, 200);
  const st = await ts.client.patch('/api/v1/namespaces/default/pods/tested-check/status', { status: { phase: 'Succeeded' } });
  assert.ok(st.status < 300, st.text);
  const r = await run;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^NAME: tested\n[^]*TEST SUITE:     tested-check\nLast Started:   .+\nLast Completed: .+\nPhase:          Succeeded\n$/);
  const rel = JSON.parse((await helm('status', 'tested', '-n', 'default', '-o', 'json')).stdout);
  assert.equal(rel.hooks[0].last_run.phase, 'Succeeded');
});

test('diff upgrade shows what would change, from a server dry-run, without changing anything', async () => {
  const v1 = makeChart({ 'Chart.yaml': CHART, 'templates/cm.yaml': cm('d-cfg', '  color: blue\n  size: "1"'), 'templates/old.yaml': cm('d-old', '  a: b') });
  const v2 = makeChart({ 'Chart.yaml': CHART, 'templates/cm.yaml': cm('d-cfg', '  color: green\n  size: "1"'), 'templates/new.yaml': cm('d-new', '  nn: mm') });
  assert.equal((await helm('install', 'd', v1, '-n', 'default')).code, 0);
  const r = await helm('diff', 'upgrade', 'd', v2, '-n', 'default', '--detailed-exitcode');
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stdout, /ConfigMap "d-cfg" in namespace "default" has changed:\n--- default\/ConfigMap\/d-cfg \(live\)\n\+\+\+ default\/ConfigMap\/d-cfg \(upgrade\)\n@@ -1,6 \+1,6 @@\n apiVersion: v1\n data:\n-  color: blue\n\+  color: green\n/);
  assert.match(r.stdout, /ConfigMap "d-new" in namespace "default" has been added:\n--- default\/ConfigMap\/d-new \(live\)\n\+\+\+ default\/ConfigMap\/d-new \(upgrade\)\n@@ -0,0 \+1,\d+ @@\n\+apiVersion: v1\n/);
  assert.match(r.stdout, /ConfigMap "d-old" in namespace "default" has been removed:\n[^]*\n-  a: b\n/);
  assert.equal((await kubectlJson('get', 'configmap', 'd-cfg', '-n', 'default')).data.color, 'blue', 'nothing changed');
  assert.equal((await helm('history', 'd', '-n', 'default', '-o', 'json')).stdout.match(/"revision"/g)?.length, 1);
  const same = await helm('diff', 'upgrade', 'd', v1, '-n', 'default', '--detailed-exitcode');
  assert.equal(same.code, 0);
  assert.equal(same.stdout, '');
});

test('upgrade --install installs a new release; install --dry-run=server stores nothing; get all', async () => {
  const chart = makeChart({ 'Chart.yaml': CHART, 'templates/cm.yaml': cm('ui-cfg', '  a: "{{ .Values.a }}"'), 'values.yaml': 'a: 1\n', 'templates/NOTES.txt': 'hi\n' });
  const dry = await helm('install', 'ui', chart, '-n', 'fresh', '--dry-run=server');
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /STATUS: pending-install\n[^]*HOOKS:\nMANIFEST:\n---\n# Source: demo\/templates\/cm.yaml\n/);
  assert.equal((await ts.client.get('/api/v1/namespaces/fresh/secrets/sh.helm.release.v1.ui.v1')).status, 404);
  const r = await helm('upgrade', '--install', 'ui', chart, '-n', 'fresh', '--create-namespace', '--set', 'a=5');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Release "ui" does not exist\. Installing it now\.\nNAME: ui\n/);
  assert.equal((await kubectlJson('get', 'configmap', 'ui-cfg', '-n', 'fresh')).data.a, '5');
  const all = await helm('get', 'all', 'ui', '-n', 'fresh');
  assert.match(all.stdout, /^NAME: ui\n[^]*REVISION: 1\nCHART: demo\nVERSION: 0.1.0\nAPP_VERSION: 1.0\nTEST SUITE: None\nUSER-SUPPLIED VALUES:\na: 5\n\nCOMPUTED VALUES:\na: 5\n\nHOOKS:\nMANIFEST:\n---\n# Source: demo\/templates\/cm.yaml\n[^]*NOTES:\nhi\n$/);
});

test('install --atomic uninstalls when a pre-install Job hook fails; --wait-for-jobs waits for Jobs', async () => {
  const job = (name: string, hook: string) => `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: ${name}\n${hook ? `  annotations:\n    helm.sh/hook: ${hook}\n` : ''}spec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n`;
  const setJob = async (ns: string, name: string, type: 'Complete' | 'Failed') => {
    for (let i = 0; i < 100; i++) {
      if ((await ts.client.get(`/apis/batch/v1/namespaces/${ns}/jobs/${name}`)).status === 200) break;
      await sleep(100);
    }
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const status = type === 'Complete'
      ? { startTime: now, completionTime: now, succeeded: 1, conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }] }
      : { startTime: now, failed: 7, conditions: [{ type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded' }, { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] };
    const r = await ts.client.patch(`/apis/batch/v1/namespaces/${ns}/jobs/${name}/status`, { status });
    assert.ok(r.status < 300, r.text);
  };
  const bad = makeChart({ 'Chart.yaml': CHART, 'templates/cm.yaml': cm('atomic-cfg', '  a: b'), 'templates/hook.yaml': job('atomic-pre', 'pre-install') });
  const run = helm('install', 'atomic', bad, '-n', 'default', '--atomic', '--timeout', '20s');
  await setJob('default', 'atomic-pre', 'Failed');
  const r = await run;
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^Error: INSTALLATION FAILED: release atomic failed, and has been uninstalled due to atomic being set: failed pre-install: job failed: BackoffLimitExceeded\n$/);
  assert.equal((await ts.client.get('/api/v1/namespaces/default/secrets/sh.helm.release.v1.atomic.v1')).status, 404);
  assert.equal((await ts.client.get('/api/v1/namespaces/default/configmaps/atomic-cfg')).status, 404);

  const withJob = makeChart({ 'Chart.yaml': CHART, 'templates/job.yaml': job('migrate', '') });
  let finished = false;
  const inst = helm('install', 'jobs', withJob, '-n', 'default', '--wait', '--wait-for-jobs', '--timeout', '20s').then((x) => { finished = true; return x; });
  await sleep(1500);
  assert.equal(finished, false, 'waiting for the Job to complete');
  await setJob('default', 'migrate', 'Complete');
  const done = await inst;
  assert.equal(done.code, 0, done.stderr);
});

test('upgrade --force replaces objects (fields set by others are dropped)', async () => {
  const chart = makeChart({ 'Chart.yaml': CHART, 'templates/cm.yaml': cm('forced-cfg', '  a: b') });
  assert.equal((await helm('install', 'forced', chart, '-n', 'default')).code, 0);
  const p = await ts.client.patch('/api/v1/namespaces/default/configmaps/forced-cfg', { data: { extra: 'x' } });
  assert.ok(p.status < 300, p.text);
  assert.equal((await helm('upgrade', 'forced', chart, '-n', 'default')).code, 0);
  assert.equal((await kubectlJson('get', 'configmap', 'forced-cfg', '-n', 'default')).data.extra, 'x', 'three-way patch keeps it');
  const r = await helm('upgrade', 'forced', chart, '-n', 'default', '--force');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((await kubectlJson('get', 'configmap', 'forced-cfg', '-n', 'default')).data, { a: 'b' });
});

test('--kube-context picks the context, whose namespace is the default release namespace', async () => {
  const { parse, stringify } = await import('yaml');
  const { readFileSync } = await import('node:fs');
  const cfg = parse(readFileSync(kubeconfig, 'utf8')) as { contexts: { name: string; context: Record<string, string> }[] };
  cfg.contexts.push({ name: 'other', context: { ...cfg.contexts[0].context, namespace: 'ctxns' } });
  const path = join(mkdtempSync(join(tmpdir(), 'kcfg-')), 'config');
  writeFileSync(path, stringify(cfg));
  const chart = makeChart({ 'Chart.yaml': CHART, 'templates/cm.yaml': cm('ctx-cfg', '  a: b') });
  const stdout = new Out();
  const stderr = new Out();
  const code = await runHelm(['install', 'ctx', chart, '--kubeconfig', path, '--kube-context', 'other', '--create-namespace'], { stdout, stderr });
  assert.equal(code, 0, stderr.text);
  assert.match(stdout.text, /NAMESPACE: ctxns\n/);
  assert.equal((await kubectlJson('get', 'configmap', 'ctx-cfg', '-n', 'ctxns')).metadata.namespace, 'ctxns');
  const bad = await runHelm(['list', '--kubeconfig', path, '--kube-context', 'nope'], { stdout, stderr });
  assert.equal(bad, 1);
  assert.match(stderr.text, /context "nope" does not exist/);
});

test('a release too large for a Secret fails before anything is created, with the reason', async () => {
  const { randomBytes } = await import('node:crypto');
  const chart = makeChart({ 'Chart.yaml': CHART, 'templates/cm.yaml': cm('big-cfg', '  a: b'), 'files/blob.txt': randomBytes(900 * 1024).toString('base64') });
  const r = await helm('install', 'big', chart, '-n', 'default');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^Error: INSTALLATION FAILED: release big v1 is too large to store: its encoded size is \d+ bytes, over the 1048576-byte limit of a Secret/);
  assert.equal((await ts.client.get('/api/v1/namespaces/default/configmaps/big-cfg')).status, 404);
});

test('--labels are stored on the release Secret, merged on upgrade, and selectable in list', async () => {
  const chart = makeChart({ 'Chart.yaml': CHART, 'templates/cm.yaml': cm('lab-cfg', '  a: b') });
  const r = await helm('install', 'lab', chart, '-n', 'default', '--labels', 'team=a,tier=web');
  assert.equal(r.code, 0, r.stderr);
  const s1 = await kubectlJson('get', 'secret', 'sh.helm.release.v1.lab.v1', '-n', 'default');
  assert.equal(s1.metadata.labels.team, 'a');
  assert.equal(s1.metadata.labels.tier, 'web');
  assert.equal((await helm('list', '-n', 'default', '-q', '--selector', 'team=a')).stdout, 'lab\n');
  assert.equal((await helm('list', '-n', 'default', '-q', '--selector', 'team!=a')).stdout.includes('lab'), false);
  assert.equal((await helm('upgrade', 'lab', chart, '-n', 'default', '--labels', 'tier=null,env=prod')).code, 0);
  const s2 = await kubectlJson('get', 'secret', 'sh.helm.release.v1.lab.v2', '-n', 'default');
  assert.equal(s2.metadata.labels.team, 'a');
  assert.equal(s2.metadata.labels.env, 'prod');
  assert.equal(s2.metadata.labels.tier, undefined);
  assert.equal((await helm('list', '-n', 'default', '-q', '--selector', 'tier=web')).stdout, '');
  const bad = await helm('upgrade', 'lab', chart, '-n', 'default', '--labels', 'owner=me');
  assert.match(bad.stderr, /user supplied labels contains system reserved label name/);
});

test('upgrade --reuse-values keeps the old values and the old chart defaults; --reset-then-reuse-values takes new defaults', async () => {
  const tpl = cm('reuse-cfg', '  a: "{{ .Values.a }}"\n  b: "{{ .Values.b }}"\n  c: "{{ .Values.c }}"');
  const v1 = makeChart({ 'Chart.yaml': CHART, 'values.yaml': 'a: 0\nb: 0\nc: old\n', 'templates/cm.yaml': tpl });
  const v2 = makeChart({ 'Chart.yaml': CHART, 'values.yaml': 'a: 0\nb: 0\nc: new\n', 'templates/cm.yaml': tpl });
  assert.equal((await helm('install', 'reuse', v1, '-n', 'default', '--set', 'a=1')).code, 0);
  assert.equal((await helm('upgrade', 'reuse', v2, '-n', 'default', '--reuse-values', '--set', 'b=2')).code, 0);
  assert.deepEqual((await kubectlJson('get', 'configmap', 'reuse-cfg', '-n', 'default')).data, { a: '1', b: '2', c: 'old' });
  assert.equal((await helm('get', 'values', 'reuse', '-n', 'default')).stdout, 'USER-SUPPLIED VALUES:\na: 1\nb: 2\n');
  assert.equal((await helm('upgrade', 'reuse', v2, '-n', 'default', '--reset-then-reuse-values', '--set', 'b=3')).code, 0);
  assert.deepEqual((await kubectlJson('get', 'configmap', 'reuse-cfg', '-n', 'default')).data, { a: '1', b: '3', c: 'new' });
});

test('a first install stuck in pending-install: install explains how to recover, uninstall clears it', async () => {
  const { decodeRelease, encodeRelease } = await import('../../helm/release/release.js');
  const chart = makeChart({ 'Chart.yaml': CHART, 'templates/cm.yaml': cm('stuckfirst-cfg', '  a: b') });
  assert.equal((await helm('install', 'stuckfirst', chart, '-n', 'default')).code, 0);
  const path = '/api/v1/namespaces/default/secrets/sh.helm.release.v1.stuckfirst.v1';
  const sec = (await ts.client.get<Record<string, any>>(path)).body;
  const rel = decodeRelease(Buffer.from(sec.data.release, 'base64').toString('utf8'));
  rel.info.status = 'pending-install';
  sec.data.release = Buffer.from(encodeRelease(rel)).toString('base64');
  sec.metadata.labels.status = 'pending-install';
  assert.ok((await ts.client.put(path, sec)).status < 300);
  const r = await helm('install', 'stuckfirst', chart, '-n', 'default');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^Error: INSTALLATION FAILED: cannot re-use a name that is still in use\n\(release "stuckfirst" revision 1 is pending-install; .*`skiff helm uninstall stuckfirst`\)\n$/);
  assert.equal((await helm('uninstall', 'stuckfirst', '-n', 'default')).code, 0);
  assert.equal((await helm('install', 'stuckfirst', chart, '-n', 'default')).code, 0);
});

test('manifests are read as helm reads them: timestamps stay strings, YAML 1.1 octals are numbers', async () => {
  const chart = makeChart({ 'Chart.yaml': CHART, 'templates/x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yaml-cfg\ndata:\n  day: 2024-01-01\n  time: 12:30\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: yaml-secret\nstringData:\n  a: b\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: yaml-pod\nspec:\n  containers:\n  - name: c\n    image: busybox\n  volumes:\n  - name: v\n    secret:\n      secretName: yaml-secret\n      defaultMode: 0644\n' });
  const r = await helm('install', 'yamlread', chart, '-n', 'default');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((await kubectlJson('get', 'configmap', 'yaml-cfg', '-n', 'default')).data, { day: '2024-01-01', time: '12:30' });
  assert.equal((await kubectlJson('get', 'pod', 'yaml-pod', '-n', 'default')).spec.volumes[0].secret.defaultMode, 420);
});
