// The real kubectl v1.32 forced onto its OpenAPI v2 fallback: the API server answers 404 on
// /openapi/v3, so field-validation support, client-side schema validation and `kubectl explain` all
// come from /openapi/v2 (protobuf). A fresh --cache-dir keeps earlier documents out.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../test-server.js';

const KUBECTL = '/usr/bin/kubectl';
const run = promisify(execFile);

let t: TestServer;
let dir: string;

let cacheDir = 'cache';

async function kubectl(...args: string[]): Promise<{ ok: boolean; out: string }> {
  try {
    const { stdout, stderr } = await run(KUBECTL, ['--kubeconfig', t.server.kubeconfigPath, '--cache-dir', join(dir, cacheDir), ...args], { timeout: 60_000, maxBuffer: 64 << 20 });
    return { ok: true, out: stdout + stderr };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

function deployment(name: string, extraSpec = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  replicas: 2
${extraSpec}  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: c
        image: nginx
        ports: [{containerPort: 80}]
        resources: {limits: {cpu: 500m, memory: 1Gi}}
`;
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('kubectl on the OpenAPI v2 fallback', { skip: existsSync(KUBECTL) ? false : `${KUBECTL} not installed` }, () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-openapi-v2-'));
    t = await startTestServer({ disableOpenAPIV3: true });
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves 404 on /openapi/v3 and protobuf on /openapi/v2', async () => {
    const v3 = await kubectl('get', '--raw', '/openapi/v3');
    assert.equal(v3.ok, false, v3.out);
    assert.match(v3.out, /NotFound|not find/);
    const v2 = await kubectl('get', '--raw', '/openapi/v2');
    assert.ok(v2.ok, v2.out);
    assert.match(v2.out, /"swagger":"2.0"/);
  });

  it('rejects an unknown field (fieldValidation support read from v2)', async () => {
    const bad = file('bad.yaml', deployment('bad', '  foo: bar\n'));
    const r = await kubectl('create', '--validate=strict', '-f', bad, '-v=6');
    assert.equal(r.ok, false, r.out);
    assert.match(r.out, /unknown field "spec\.foo"/);
    // v3 answered 404, v2 (protobuf) said PATCH takes fieldValidation, so the server was asked to be strict.
    assert.match(r.out, /GET https:\/\/\S+\/openapi\/v3\S* 404/);
    assert.match(r.out, /GET https:\/\/\S+\/openapi\/v2\S* 200/);
    assert.match(r.out, /POST https:\/\/\S+deployments\?fieldManager=kubectl-create&fieldValidation=Strict/);
    const applied = await kubectl('apply', '-f', bad);
    assert.equal(applied.ok, false, applied.out);
    assert.match(applied.out, /unknown field "spec\.foo"/);
  });

  it('validates a kind: List client-side against the v2 schema', async () => {
    const items = [deployment('listed-bad', '  foo: bar\n')].map((d) => `- ${d.trimEnd().split('\n').join('\n  ')}`).join('\n');
    const list = file('list.yaml', `apiVersion: v1\nkind: List\nitems:\n${items}\n`);
    const r = await kubectl('create', '--validate=strict', '-f', list);
    assert.equal(r.ok, false, r.out);
    assert.match(r.out, /unknown field "foo" in io\.k8s\.api\.apps\.v1\.DeploymentSpec/);
    const good = [deployment('listed-good')].map((d) => `- ${d.trimEnd().split('\n').join('\n  ')}`).join('\n');
    const ok = await kubectl('apply', '-f', file('good-list.yaml', `apiVersion: v1\nkind: List\nitems:\n${good}\n`));
    assert.ok(ok.ok, ok.out);
    assert.match(ok.out, /deployment.apps\/listed-good created/);
  });

  it('applies a valid Deployment', async () => {
    const r = await kubectl('apply', '-f', file('good.yaml', deployment('good')));
    assert.ok(r.ok, r.out);
    assert.match(r.out, /deployment.apps\/good created/);
  });

  it('explains a field from v2', async () => {
    const r = await kubectl('explain', 'deployment.spec.replicas');
    assert.ok(r.ok, r.out);
    assert.match(r.out, /KIND:\s+Deployment/);
    assert.match(r.out, /FIELD:\s+replicas <integer>/);
    assert.match(r.out, /Number of desired pods/);
    const spec = await kubectl('explain', 'deployment.spec');
    assert.ok(spec.ok, spec.out);
    // The v2 renderer prints references as <Object>, unlike v3's <DeploymentSpec>.
    assert.match(spec.out, /RESOURCE:\s+spec <Object>/);
    assert.match(spec.out, /DeploymentSpec is the specification of the desired behavior/);
    assert.match(spec.out, /template\s+<Object> -required-/);
  });

  it('explains named types from v2 as upstream: the field description, then the type description', async () => {
    const surge = await kubectl('explain', 'deployment.spec.strategy.rollingUpdate.maxSurge');
    assert.ok(surge.ok, surge.out);
    // v2's renderer prints the primitive type behind the reference.
    assert.match(surge.out, /FIELD:\s+maxSurge <string>/);
    assert.match(surge.out, /DESCRIPTION:\n {5}The maximum number of pods that can be scheduled above the desired number\n/);
    assert.match(surge.out, /\n {5}IntOrString is a type that can hold an int32 or a string\./);
    const created = await kubectl('explain', 'pod.metadata.creationTimestamp');
    assert.ok(created.ok, created.out);
    assert.match(created.out, /FIELD:\s+creationTimestamp <string>/);
    assert.match(created.out, /\n {5}Time is a wrapper around time\.Time/);
  });

  it('publishes a CRD added at runtime: validation and explain through v2', async () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
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
          spec:
            type: object
            description: The widget's desired shape.
            properties:
              size: {type: string, description: How big the widget is.}
              port: {x-kubernetes-int-or-string: true}
              extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;
    const created = await kubectl('apply', '-f', file('crd.yaml', crd));
    assert.ok(created.ok, created.out);
    const established = await kubectl('wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=20s');
    assert.ok(established.ok, established.out);
    cacheDir = 'cache-after-crd'; // discovery from before the CRD would not know widgets
    const widget = (name: string, spec: string): string => `- apiVersion: example.com/v1\n  kind: Widget\n  metadata: {name: ${name}}\n  spec: ${spec}`;
    const bad = await kubectl('create', '-f', file('widgets-bad.yaml', `apiVersion: v1\nkind: List\nitems:\n${widget('w1', '{size: big, color: red}')}\n`));
    assert.equal(bad.ok, false, bad.out);
    assert.match(bad.out, /unknown field "color" in com\.example\.v1\.Widget\.spec/);
    const good = await kubectl('create', '-f', file('widgets.yaml', `apiVersion: v1\nkind: List\nitems:\n${widget('w2', '{size: big, port: 8080, extra: {any: [1, 2]}}')}\n`));
    assert.ok(good.ok, good.out);
    assert.match(good.out, /widget.example.com\/w2 created/);
    const explained = await kubectl('explain', 'widgets.spec');
    assert.ok(explained.ok, explained.out);
    assert.match(explained.out, /The widget's desired shape/);
    assert.match(explained.out, /size\s+<string>\n\s+How big the widget is/);
  });
});

// With /openapi/v3 served, kubectl still validates `kind: List` manifests client-side, and that
// schema comes from /openapi/v2 only.
describe('kubectl validating a kind: List on a normal server', { skip: existsSync(KUBECTL) ? false : `${KUBECTL} not installed` }, () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-openapi-v2-list-'));
    cacheDir = 'cache';
    t = await startTestServer();
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rejects an unknown field from the v2 schema and creates valid items', async () => {
    const item = (d: string): string => `- ${d.trimEnd().split('\n').join('\n  ')}`;
    const bad = await kubectl('create', '-f', file('bad.yaml', `apiVersion: v1\nkind: List\nitems:\n${item(deployment('bad', '  foo: bar\n'))}\n`), '-v=6');
    assert.equal(bad.ok, false, bad.out);
    assert.match(bad.out, /GET https:\/\/\S+\/openapi\/v2\S* 200/);
    assert.match(bad.out, /unknown field "foo" in io\.k8s\.api\.apps\.v1\.DeploymentSpec/);
    const good = await kubectl('apply', '-f', file('good.yaml', `apiVersion: v1\nkind: List\nitems:\n${item(deployment('good'))}\n`));
    assert.ok(good.ok, good.out);
    assert.match(good.out, /deployment.apps\/good created/);
  });

  it('explains from v2 when asked for the openapiv2 renderer', async () => {
    const r = await kubectl('explain', 'pods.spec.containers.ports', '--output=plaintext-openapiv2');
    assert.ok(r.ok, r.out);
    assert.match(r.out, /RESOURCE:\s+ports <\[\]Object>/);
    assert.match(r.out, /containerPort\s+<integer> -required-/);
  });
});
