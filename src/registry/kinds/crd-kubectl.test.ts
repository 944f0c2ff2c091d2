// CRDs end to end with the real kubectl v1.32: apply + wait for Established, custom objects by
// short name, field errors as kubectl prints them, defaults, pruning vs --validate=strict, status
// and scale subresources, two served versions, explain, and deletion of the CRD with its objects.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';

const KUBECTL = '/usr/bin/kubectl';
const run = promisify(execFile);

const CRD_YAML = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names:
    plural: widgets
    singular: widget
    kind: Widget
    shortNames: [wd]
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale:
        specReplicasPath: .spec.replicas
        statusReplicasPath: .status.replicas
    additionalPrinterColumns:
    - name: Size
      type: string
      jsonPath: .spec.size
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            description: WidgetSpec is the desired state of a widget.
            required: [size]
            properties:
              size:
                type: string
                description: How big the widget is.
                enum: [small, large]
              replicas:
                type: integer
                default: 1
              color:
                type: string
                default: blue
          status:
            type: object
            properties:
              replicas:
                type: integer
  - name: v1beta1
    served: true
    storage: false
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
`;

const widget = (name: string, spec: string): string => `apiVersion: example.com/v1
kind: Widget
metadata:
  name: ${name}
spec:
${spec}`;

describe('CRDs with kubectl', { skip: existsSync(KUBECTL) ? false : `${KUBECTL} is not installed` }, () => {
  let t: TestServer;
  let dir: string;
  let cacheDir: string;

  async function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(KUBECTL, ['--kubeconfig', t.server.kubeconfigPath, '--cache-dir', cacheDir, ...args], { timeout: 60_000 });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  }
  const file = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  before(async () => {
    t = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'skiff-crd-kubectl-'));
  });
  beforeEach(() => {
    cacheDir = mkdtempSync(join(dir, 'cache-'));
  });
  after(async () => {
    await t.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies a CRD and waits for it to be established', async () => {
    let r = await kubectl('apply', '-f', file('crd.yaml', CRD_YAML));
    assert.equal(r.stdout.trim(), 'customresourcedefinition.apiextensions.k8s.io/widgets.example.com created', r.stderr);
    r = await kubectl('wait', '--for', 'condition=established', '--timeout=20s', 'crd/widgets.example.com');
    assert.equal(r.stdout.trim(), 'customresourcedefinition.apiextensions.k8s.io/widgets.example.com condition met', r.stderr);
    r = await kubectl('get', 'crds', '-o', 'name');
    assert.equal(r.stdout.trim(), 'customresourcedefinition.apiextensions.k8s.io/widgets.example.com');
  });

  it('creates a custom object, gets it by short name with its defaults', async () => {
    let r = await kubectl('create', '-f', file('w1.yaml', widget('w1', '  size: small\n')));
    assert.equal(r.stdout.trim(), 'widget.example.com/w1 created', r.stderr);
    r = await kubectl('get', 'wd', 'w1', '-o', 'jsonpath={.spec.size} {.spec.replicas} {.spec.color}');
    assert.equal(r.stdout, 'small 1 blue', r.stderr);
    r = await kubectl('get', 'wd', '-o', 'name');
    assert.equal(r.stdout.trim(), 'widget.example.com/w1');
  });

  it('rejects a bad object with the field errors kubectl prints', async () => {
    const r = await kubectl('create', '-f', file('bad.yaml', widget('bad', '  size: medium\n  replicas: "three"\n')));
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /The Widget "bad" is invalid: /);
    assert.ok(r.stderr.includes('* spec.size: Unsupported value: "medium": supported values: "small", "large"'), r.stderr);
    assert.ok(r.stderr.includes('* spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"'), r.stderr);
  });

  it('prunes unknown fields, and rejects them with --validate=strict', async () => {
    const path = file('unknown.yaml', widget('w2', '  size: large\n  bogus: 1\n'));
    let r = await kubectl('create', '--validate=strict', '-f', path);
    assert.notEqual(r.code, 0);
    assert.ok(r.stderr.includes('unknown field "spec.bogus"'), r.stderr);
    r = await kubectl('create', '--validate=false', '-f', path);
    assert.equal(r.stdout.trim(), 'widget.example.com/w2 created', r.stderr);
    r = await kubectl('get', 'widget', 'w2', '-o', 'jsonpath={.spec}');
    assert.deepEqual(JSON.parse(r.stdout), { size: 'large', replicas: 1, color: 'blue' });
  });

  it('writes status through the status subresource and scales through scale', async () => {
    let r = await kubectl('patch', 'widget', 'w1', '--subresource=status', '--type=merge', '-p', '{"status":{"replicas":2}}');
    assert.equal(r.stdout.trim(), 'widget.example.com/w1 patched', r.stderr);
    r = await kubectl('scale', 'widget', 'w1', '--replicas=3');
    assert.equal(r.stdout.trim(), 'widget.example.com/w1 scaled', r.stderr);
    r = await kubectl('get', 'widget', 'w1', '-o', 'jsonpath={.spec.replicas} {.status.replicas} {.metadata.generation}');
    assert.equal(r.stdout, '3 2 2');
  });

  it('serves both versions', async () => {
    const r = await kubectl('get', 'widgets.v1beta1.example.com', 'w1', '-o', 'jsonpath={.apiVersion} {.spec.size}');
    assert.equal(r.stdout, 'example.com/v1beta1 small', r.stderr);
  });

  it('explains a custom resource field', async () => {
    const r = await kubectl('explain', 'widgets.spec.size');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /KIND:\s+Widget/);
    assert.match(r.stdout, /VERSION:\s+v1\b/);
    assert.match(r.stdout, /FIELD:\s+size <string>/);
    assert.match(r.stdout, /How big the widget is\./);
  });

  it('deleting the CRD deletes its objects', async () => {
    let r = await kubectl('delete', 'crd', 'widgets.example.com', '--timeout=30s');
    assert.equal(r.stdout.trim(), 'customresourcedefinition.apiextensions.k8s.io "widgets.example.com" deleted', r.stderr);
    r = await kubectl('get', 'crds');
    assert.equal(r.stderr.trim(), 'No resources found');
    cacheDir = mkdtempSync(join(dir, 'cache-')); // discovery cached before the delete still lists widgets
    r = await kubectl('get', 'widgets');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /the server doesn't have a resource type "widgets"/);
    assert.equal((await t.server.registry.storage.list('/registry/example.com/widgets/')).items.length, 0);
  });
});
