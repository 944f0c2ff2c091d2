// Strategic merge patch and server-side apply end to end: the real API server and the real kubectl v1.32
// (client-side apply twice, server-side apply with a conflict and --force-conflicts, patch --type
// strategic, rollout restart, edit-style PUT tracking).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';

const KUBECTL = '/usr/bin/kubectl';
const run = promisify(execFile);

let t: TestServer;
let dir: string;

async function kubectl(...args: string[]): Promise<{ ok: boolean; out: string }> {
  try {
    const { stdout, stderr } = await run(KUBECTL, ['--kubeconfig', t.server.kubeconfigPath, '--cache-dir', join(dir, 'cache'), ...args], { timeout: 30_000 });
    return { ok: true, out: stdout + stderr };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

async function must(...args: string[]): Promise<string> {
  const r = await kubectl(...args);
  assert.ok(r.ok, `kubectl ${args.join(' ')}: ${r.out}`);
  return r.out.trim();
}

function manifest(file: string, opts: { name: string; replicas: number; image: string; env: [string, string][] }): string {
  const env = opts.env.map(([n, v]) => `        - {name: ${n}, value: "${v}"}`).join('\n');
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${opts.name}
  labels: {app: ${opts.name}}
spec:
  replicas: ${opts.replicas}
  selector: {matchLabels: {app: ${opts.name}}}
  template:
    metadata: {labels: {app: ${opts.name}}}
    spec:
      containers:
      - name: c
        image: ${opts.image}
        ports: [{containerPort: 80}]
${env ? `        env:\n${env}\n` : ''}`;
  const path = join(dir, file);
  writeFileSync(path, text);
  return path;
}

interface Entry { manager: string; operation: string; fieldsV1: Record<string, any> }
async function deployment(name: string): Promise<{ spec: any; metadata: { managedFields?: Entry[]; annotations?: Record<string, string> } }> {
  return JSON.parse(await must('get', 'deployment', name, '-o', 'json', '--show-managed-fields'));
}

describe('kubectl apply, patch and rollout restart', { skip: existsSync(KUBECTL) ? false : `${KUBECTL} is not installed` }, () => {
  before(async () => {
    t = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'skiff-apply-'));
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('client-side apply twice: image changed, removed env var gone (strategic merge with last-applied)', async () => {
    assert.match(await must('apply', '-f', manifest('csa1.yaml', { name: 'csa', replicas: 2, image: 'nginx:1', env: [['A', '1'], ['B', '2']] })), /deployment.apps\/csa created/);
    assert.match(await must('apply', '-f', manifest('csa2.yaml', { name: 'csa', replicas: 2, image: 'nginx:2', env: [['A', '1']] })), /deployment.apps\/csa configured/);
    const d = await deployment('csa');
    const c = d.spec.template.spec.containers[0];
    assert.equal(c.image, 'nginx:2');
    assert.deepEqual(c.env, [{ name: 'A', value: '1' }]);
    assert.equal(c.imagePullPolicy, 'IfNotPresent', 'defaults kept');
    const managers = d.metadata.managedFields?.map((m) => `${m.manager}/${m.operation}`);
    assert.deepEqual(managers, ['kubectl-client-side-apply/Update']);
    assert.match(await must('apply', '-f', join(dir, 'csa2.yaml')), /deployment.apps\/csa unchanged/);
  });

  it('server-side apply: create, conflict with another manager, then --force-conflicts', async () => {
    const first = manifest('ssa1.yaml', { name: 'ssa', replicas: 2, image: 'nginx:1', env: [['A', '1']] });
    assert.match(await must('apply', '--server-side', '-f', first), /deployment.apps\/ssa serverside-applied/);
    const other = manifest('ssa2.yaml', { name: 'ssa', replicas: 5, image: 'nginx:1', env: [['A', '1']] });
    const conflict = await kubectl('apply', '--server-side', '--field-manager', 'other', '-f', other);
    assert.equal(conflict.ok, false);
    assert.match(conflict.out, /Apply failed with 1 conflict: conflict with "kubectl": \.spec\.replicas/);
    assert.match(conflict.out, /--force-conflicts/);
    assert.equal((await deployment('ssa')).spec.replicas, 2, 'nothing written on conflict');
    assert.match(await must('apply', '--server-side', '--field-manager', 'other', '--force-conflicts', '-f', other), /serverside-applied/);
    const d = await deployment('ssa');
    assert.equal(d.spec.replicas, 5);
    const byManager = new Map(d.metadata.managedFields?.map((m) => [m.manager, m]));
    assert.equal(byManager.get('kubectl')?.operation, 'Apply');
    assert.equal(byManager.get('kubectl')?.fieldsV1['f:spec']['f:replicas'], undefined, 'kubectl lost .spec.replicas');
    assert.deepEqual(byManager.get('other')?.fieldsV1['f:spec']['f:replicas'], {});
    // kubectl stops applying env var A: it stays while "other" still applies it, and goes once nobody does.
    const without = manifest('ssa3.yaml', { name: 'ssa', replicas: 5, image: 'nginx:1', env: [] });
    await must('apply', '--server-side', '-f', without);
    assert.deepEqual((await deployment('ssa')).spec.template.spec.containers[0].env, [{ name: 'A', value: '1' }], 'co-owned field kept');
    await must('apply', '--server-side', '--field-manager', 'other', '--force-conflicts', '-f', without);
    assert.equal((await deployment('ssa')).spec.template.spec.containers[0].env, undefined, 'removed once no manager applies it');
  });

  it('moving from client-side to server-side apply does not conflict (last-applied upgrade)', async () => {
    await must('apply', '-f', manifest('up1.yaml', { name: 'up', replicas: 1, image: 'nginx:1', env: [['A', '1']] }));
    assert.match(await must('apply', '--server-side', '-f', manifest('up2.yaml', { name: 'up', replicas: 1, image: 'nginx:2', env: [['A', '1']] })), /serverside-applied/);
    const d = await deployment('up');
    assert.equal(d.spec.template.spec.containers[0].image, 'nginx:2');
    const lastApplied = JSON.parse(d.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'] ?? '{}');
    assert.equal(lastApplied.spec.template.spec.containers[0].image, 'nginx:2', 'annotation follows the server-side apply');
    // A later client-side apply diffs against that annotation and still works.
    assert.match(await must('apply', '-f', manifest('up3.yaml', { name: 'up', replicas: 1, image: 'nginx:3', env: [] })), /configured/);
    const after = await deployment('up');
    assert.equal(after.spec.template.spec.containers[0].image, 'nginx:3');
    assert.equal(after.spec.template.spec.containers[0].env, undefined);
  });

  it('patch --type strategic merges containers by name and records the kubectl-patch manager', async () => {
    await must('patch', 'deployment', 'csa', '--type', 'strategic', '-p', JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox' }, { name: 'c', image: 'nginx:3' }] } } } }));
    const d = await deployment('csa');
    const containers = d.spec.template.spec.containers as { name: string; image: string; env?: unknown }[];
    assert.deepEqual(containers.map((c) => `${c.name}=${c.image}`).sort(), ['c=nginx:3', 'sidecar=busybox']);
    assert.deepEqual(containers.find((c) => c.name === 'c')?.env, [{ name: 'A', value: '1' }]);
    const patcher = d.metadata.managedFields?.find((m) => m.manager === 'kubectl-patch');
    assert.ok(patcher?.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"sidecar"}'], JSON.stringify(d.metadata.managedFields));
    const bad = await kubectl('patch', 'deployment', 'csa', '--type', 'strategic', '-p', '{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}');
    assert.equal(bad.ok, false);
    assert.match(bad.out, /does not contain declared merge key: name/);
  });

  it('rollout restart sets the restartedAt annotation on the pod template', async () => {
    assert.match(await must('rollout', 'restart', 'deployment/csa'), /restarted/);
    const d = await deployment('csa');
    assert.match(d.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'], /^\d{4}-\d\d-\d\dT/);
    assert.ok(d.metadata.managedFields?.some((m) => m.manager === 'kubectl-rollout'));
  });

  it('custom resources: server-side apply works, strategic merge is refused as upstream (415)', async () => {
    const crd = join(dir, 'crd.yaml');
    writeFileSync(crd, `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
`);
    await must('apply', '-f', crd);
    const widget = join(dir, 'widget.yaml');
    writeFileSync(widget, 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1}\nspec: {size: 1, items: [a, b]}\n');
    let applied = await kubectl('apply', '--server-side', '-f', widget);
    for (let i = 0; i < 20 && !applied.ok && /the server doesn't have a resource type|no matches for kind/.test(applied.out); i++) {
      await new Promise((r) => setTimeout(r, 250)); // the CRD becomes served asynchronously
      applied = await kubectl('apply', '--server-side', '-f', widget);
    }
    assert.ok(applied.ok, applied.out);
    assert.match(applied.out, /widget.example.com\/w1 serverside-applied/);
    const smp = await kubectl('patch', 'widget', 'w1', '--type', 'strategic', '-p', '{"spec":{"size":2}}');
    assert.equal(smp.ok, false);
    assert.match(smp.out, /application\/strategic-merge-patch\+json is not supported by example.com\/v1, Kind=Widget/);
    const w = JSON.parse(await must('get', 'widget', 'w1', '-o', 'json', '--show-managed-fields'));
    assert.deepEqual(w.metadata.managedFields.map((m: Entry) => [m.manager, m.operation, m.fieldsV1]), [['kubectl', 'Apply', { 'f:spec': { 'f:items': {}, 'f:size': {} } }]]);
  });

  it('apply-patch over REST: fieldManager required, YAML body, 201 on create, 200 after', async () => {
    const path = '/api/v1/namespaces/default/configmaps/cm';
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: "1"\n';
    const headers = { 'Content-Type': 'application/apply-patch+yaml' };
    const missing = await t.client.request<{ reason: string; message: string }>('PATCH', path, yaml, headers);
    assert.equal(missing.status, 400);
    assert.equal(missing.body.message, 'fieldManager is required for apply requests');
    const created = await t.client.request<{ data: Record<string, string> }>('PATCH', `${path}?fieldManager=tool`, yaml, headers);
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(created.body.data, { a: '1' });
    const again = await t.client.request<{ data: Record<string, string>; metadata: { managedFields: Entry[] } }>('PATCH', `${path}?fieldManager=tool`, yaml.replace('"1"', '"2"'), headers);
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(again.body.data, { a: '2' });
    assert.deepEqual(again.body.metadata.managedFields.map((m) => [m.manager, m.operation, m.fieldsV1]), [['tool', 'Apply', { 'f:data': { 'f:a': {} } }]]);
    const conflict = await t.client.request<{ code: number; reason: string; details: { causes: unknown[] } }>('PATCH', `${path}?fieldManager=intruder`, yaml.replace('"1"', '"3"'), headers);
    assert.equal(conflict.status, 409);
    assert.deepEqual(conflict.body.details.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "tool"', field: '.data.a' }]);
    const forced = await t.client.request<{ data: Record<string, string> }>('PATCH', `${path}?fieldManager=intruder&force=true`, yaml.replace('"1"', '"3"'), headers);
    assert.equal(forced.status, 200, forced.text);
    assert.deepEqual(forced.body.data, { a: '3' });
    // Strategic merge patch over REST, with an upstream-style failure for a list item without its merge key.
    const smp = { 'Content-Type': 'application/strategic-merge-patch+json' };
    const bad = await t.client.request<{ code: number; message: string }>('PATCH', '/apis/apps/v1/namespaces/default/deployments/csa', JSON.stringify({ spec: { template: { spec: { '$setElementOrder/containers': 'x' } } } }), smp);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.message, 'invalid patch format of setElementOrder list');
  });
});
