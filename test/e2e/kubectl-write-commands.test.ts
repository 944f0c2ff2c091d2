// The real kubectl (v1.32) against `skiff up`, part 2: the commands that change objects (apply client-
// and server-side on a directory, diff, replace, edit, patch of all three types, label, annotate, scale,
// delete with --wait/--cascade/--grace-period/-l) and upstream's error text for bad input.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KUBECTL, eventually, parseColumns, startSkiff, type SkiffProcess } from './harness.js';

const skip = existsSync(KUBECTL) ? false : `kubectl is not installed at ${KUBECTL}`;

const CONFIGMAP = (value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\n  labels: {tier: web}\ndata:\n  k: ${value}\n`;
const DEPLOYMENT = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app1
spec:
  replicas: 1
  selector: {matchLabels: {app: app1}}
  template:
    metadata: {labels: {app: app1}}
    spec:
      containers:
      - name: c
        image: ${image}
        ports: [{containerPort: 80}]
`;

describe('kubectl write commands against skiff up', { skip }, () => {
  let s: SkiffProcess;
  let dir: string;
  let manifests: string;
  const k = (...args: string[]) => s.kubectl(args);
  const ok = async (...args: string[]) => {
    const r = await s.kubectl(args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  };
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  before(async () => {
    s = await startSkiff();
    dir = mkdtempSync(join(tmpdir(), 'skiff-e2e-write-'));
    manifests = join(dir, 'manifests');
    mkdirSync(manifests);
  });
  after(async () => s?.stop());

  it('apply -f dir (client-side), unchanged, configured; diff; apply --server-side', async () => {
    writeFileSync(join(manifests, 'cm.yaml'), CONFIGMAP('v1'));
    writeFileSync(join(manifests, 'deploy.yaml'), DEPLOYMENT('nginx:1'));
    assert.equal(await ok('apply', '-f', manifests), 'configmap/applied created\ndeployment.apps/app1 created\n');
    assert.equal(await ok('apply', '-f', manifests), 'configmap/applied unchanged\ndeployment.apps/app1 unchanged\n');
    const lastApplied = JSON.parse(await ok('get', 'cm', 'applied', '-o', 'jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}')) as { data: { k: string } };
    assert.equal(lastApplied.data.k, 'v1');
    const same = await k('diff', '-f', manifests);
    assert.deepEqual([same.code, same.stdout], [0, '']);
    writeFileSync(join(manifests, 'cm.yaml'), CONFIGMAP('v2'));
    writeFileSync(join(manifests, 'deploy.yaml'), DEPLOYMENT('nginx:2'));
    const diff = await k('diff', '-f', manifests);
    assert.equal(diff.code, 1, diff.stderr);
    assert.match(diff.stdout, /\n-  k: v1\n\+  k: v2\n/);
    assert.match(diff.stdout, /\n- {6}- image: nginx:1\n\+ {6}- image: nginx:2\n/);
    assert.match(diff.stdout, /\n-  generation: 1\n\+  generation: 2\n/);
    assert.equal(await ok('get', 'cm', 'applied', '-o', 'jsonpath={.data.k}'), 'v1', 'diff must not change anything (dryRun=All)');
    assert.equal(await ok('apply', '-f', manifests), 'configmap/applied configured\ndeployment.apps/app1 configured\n');
    assert.equal(await ok('get', 'deploy', 'app1', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'), 'nginx:2');
    writeFileSync(join(manifests, 'cm.yaml'), CONFIGMAP('v3'));
    assert.equal(await ok('apply', '--server-side', '-f', manifests), 'configmap/applied serverside-applied\ndeployment.apps/app1 serverside-applied\n');
    const managers = JSON.parse(await ok('get', 'cm', 'applied', '-o', 'json', '--show-managed-fields')) as { metadata: { managedFields: Array<{ manager: string; operation: string }> }; data: { k: string } };
    assert.equal(managers.data.k, 'v3');
    assert.ok(managers.metadata.managedFields.some((m) => m.manager === 'kubectl' && m.operation === 'Apply'), JSON.stringify(managers.metadata.managedFields));
    // Another manager owning data.k makes a server-side apply of a different value conflict.
    await ok('patch', 'cm', 'applied', '--type=merge', '-p', '{"data":{"k":"theirs"}}', '--field-manager=other');
    const conflict = await k('apply', '--server-side', '-f', join(manifests, 'cm.yaml'));
    assert.equal(conflict.code, 1);
    assert.match(conflict.stderr, /^error: Apply failed with 1 conflict: conflict with "other" using v1: \.data\.k\n/);
    assert.equal(await ok('apply', '--server-side', '--force-conflicts', '-f', join(manifests, 'cm.yaml')), 'configmap/applied serverside-applied\n');
    writeFileSync(join(manifests, 'cm.yaml'), CONFIGMAP('v4'));
    const ssaDiff = await k('diff', '--server-side', '--force-conflicts', '-f', join(manifests, 'cm.yaml'));
    assert.equal(ssaDiff.code, 1, ssaDiff.stderr);
    assert.match(ssaDiff.stdout, /\n-  k: v3\n\+  k: v4\n/);
    assert.equal(await ok('get', 'cm', 'applied', '-o', 'jsonpath={.data.k}'), 'v3');
  });

  it('apply -k and delete -k (kustomize)', async () => {
    const kdir = join(dir, 'kustomize');
    mkdirSync(kdir);
    writeFileSync(join(kdir, 'kustomization.yaml'), 'namespace: default\nconfigMapGenerator:\n- name: kz\n  literals: [a=b]\n');
    const applied = await ok('apply', '-k', kdir);
    assert.match(applied, /^configmap\/kz-[a-z0-9]{10} created\n$/);
    const diff = await k('diff', '-k', kdir);
    assert.deepEqual([diff.code, diff.stdout], [0, '']);
    assert.match(await ok('delete', '-k', kdir), /^configmap "kz-[a-z0-9]{10}" deleted\n$/);
  });

  it('replace and edit', async () => {
    const replaced = file('replace.yaml', CONFIGMAP('replaced'));
    assert.equal(await ok('replace', '-f', replaced), 'configmap/applied replaced\n');
    assert.equal(await ok('get', 'cm', 'applied', '-o', 'jsonpath={.data.k}'), 'replaced');
    assert.equal(await ok('replace', '--force', '-f', replaced), 'configmap "applied" deleted\nconfigmap/applied replaced\n');
    const editor = file('editor.sh', '#!/bin/sh\nsed -i "s/k: replaced/k: edited/" "$1"\n');
    chmodSync(editor, 0o755);
    const edited = await s.kubectl(['edit', 'cm', 'applied'], { env: { EDITOR: editor, KUBE_EDITOR: editor } });
    assert.equal(edited.code, 0, edited.stderr);
    assert.equal(edited.stdout, 'configmap/applied edited\n');
    assert.equal(await ok('get', 'cm', 'applied', '-o', 'jsonpath={.data.k}'), 'edited');
    const noop = await s.kubectl(['edit', 'cm', 'applied'], { env: { EDITOR: 'true', KUBE_EDITOR: 'true' } });
    assert.deepEqual([noop.code, noop.stdout.trim() || noop.stderr.trim()], [0, 'Edit cancelled, no changes made.']);
    const missing = await k('replace', '-f', file('missing.yaml', CONFIGMAP('x').replace('name: applied', 'name: missing')));
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'Error from server (NotFound): error when replacing "' + join(dir, 'missing.yaml') + '": configmaps "missing" not found\n');
  });

  it('patch (strategic, merge, json), label, annotate, scale', async () => {
    assert.equal(await ok('patch', 'deploy', 'app1', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"nginx:3"}]}}}}'), 'deployment.apps/app1 patched\n');
    const containers = JSON.parse(await ok('get', 'deploy', 'app1', '-o', 'jsonpath={.spec.template.spec.containers}')) as Array<{ name: string; image: string; ports: unknown[] }>;
    assert.equal(containers.length, 1, 'strategic merge keeps the list merged by name');
    assert.deepEqual([containers[0]!.image, containers[0]!.ports.length], ['nginx:3', 1]);
    assert.equal(await ok('patch', 'cm', 'applied', '--type=merge', '-p', '{"data":{"m":"1"}}'), 'configmap/applied patched\n');
    assert.equal(await ok('patch', 'cm', 'applied', '--type=json', '-p', '[{"op":"replace","path":"/data/m","value":"2"}]'), 'configmap/applied patched\n');
    assert.equal(await ok('patch', 'cm', 'applied', '--type=merge', '-p', '{"data":{"m":"2"}}'), 'configmap/applied patched (no change)\n');
    assert.equal(await ok('get', 'cm', 'applied', '-o', 'jsonpath={.data.m}'), '2');
    const badJson = await k('patch', 'cm', 'applied', '--type=json', '-p', '[{"op":"test","path":"/data/m","value":"9"}]');
    // 422 Invalid with one field-less cause, which kubectl prints after "The request is invalid: ".
    assert.deepEqual([badJson.code, badJson.stderr], [1, 'The request is invalid: : testing value /data/m failed: test failed\n']);
    assert.equal(await ok('label', 'cm', 'applied', 'x=y'), 'configmap/applied labeled\n');
    const clash = await k('label', 'cm', 'applied', 'x=z');
    assert.deepEqual([clash.code, clash.stderr], [1, "error: 'x' already has a value (y), and --overwrite is false\n"]);
    assert.equal(await ok('label', 'cm', 'applied', 'x=z', '--overwrite'), 'configmap/applied labeled\n');
    assert.equal(await ok('label', 'cm', 'applied', 'x-'), 'configmap/applied unlabeled\n');
    assert.equal(await ok('annotate', 'cm', 'applied', 'team=blue'), 'configmap/applied annotated\n');
    assert.equal(await ok('get', 'cm', 'applied', '-o', 'jsonpath={.metadata.annotations.team}'), 'blue');
    assert.equal(await ok('scale', 'deploy', 'app1', '--replicas=3'), 'deployment.apps/app1 scaled\n');
    assert.equal(await ok('get', 'deploy', 'app1', '-o', 'jsonpath={.spec.replicas}'), '3');
    const precondition = await k('scale', 'deploy', 'app1', '--replicas=5', '--current-replicas=2');
    assert.deepEqual([precondition.code, precondition.stderr], [1, 'error: Expected replicas to be 2, was 3\n']);
    await eventually(async () => (await k('get', 'deploy', 'app1', '-o', 'jsonpath={.status.readyReplicas}')).stdout === '3', 30_000, 'app1 to scale');
    const d = parseColumns(await ok('get', 'deploy', 'app1'));
    assert.deepEqual([d.rows[0]!.READY, d.rows[0]!['UP-TO-DATE'], d.rows[0]!.AVAILABLE], ['3/3', '3', '3']);
  });

  it('bad input gets upstream\'s error text', async () => {
    const unknown = file('unknown.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad1\n  bogus: 1\ndata:\n  a: b\n');
    const created = await k('create', '-f', unknown);
    assert.deepEqual([created.code, created.stderr], [1, `Error from server (BadRequest): error when creating "${unknown}": strict decoding error: unknown field "metadata.bogus"\n`]);
    const applied = await k('apply', '-f', unknown);
    assert.deepEqual([applied.code, applied.stderr], [1, `Error from server (BadRequest): error when creating "${unknown}": strict decoding error: unknown field "metadata.bogus"\n`]);
    // Server-side apply fails converting the configuration to the typed schema first (a reason-less 500 upstream).
    const ssa = await k('apply', '--server-side', '-f', unknown);
    assert.deepEqual([ssa.code, ssa.stderr], [1, 'Error from server: failed to create typed patch object (default/bad1; /v1, Kind=ConfigMap): .metadata.bogus: field not declared in schema\n']);
    const wrongType = file('wrong.yaml', DEPLOYMENT('x').replace('replicas: 1', 'replicas: "three"').replace('name: app1', 'name: bad2'));
    const typed = await k('apply', '-f', wrongType);
    assert.deepEqual([typed.code, typed.stderr], [1, `Error from server (BadRequest): error when creating "${wrongType}": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32\n`]);
    const invalid = await k('create', 'deployment', 'Bad_Name', '--image=x');
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /^error: failed to create deployment: Deployment\.apps "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of/);
    const unknownKind = await k('get', 'frobnicators');
    assert.deepEqual([unknownKind.code, unknownKind.stderr], [1, 'error: the server doesn\'t have a resource type "frobnicators"\n']);
  });

  it('invalid custom resource values get the field errors kubectl prints', async () => {
    const crd = file('crd.yaml', `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.e2e.example.com
spec:
  group: e2e.example.com
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
              size: {type: string, enum: [small, large]}
              replicas: {type: integer}
`);
    assert.equal(await ok('apply', '-f', crd), 'customresourcedefinition.apiextensions.k8s.io/gadgets.e2e.example.com created\n');
    assert.equal(await ok('wait', '--for=condition=Established', 'crd/gadgets.e2e.example.com', '--timeout=20s'), 'customresourcedefinition.apiextensions.k8s.io/gadgets.e2e.example.com condition met\n');
    const cr = (name: string, spec: string) => file(`${name}.yaml`, `apiVersion: e2e.example.com/v1\nkind: Gadget\nmetadata:\n  name: ${name}\nspec:\n${spec}`);
    let good = await k('apply', '-f', cr('g1', '  size: small\n  replicas: 2\n'));
    // Discovery may lag the Established condition by a moment: kubectl then asks again.
    for (let i = 0; i < 20 && good.code !== 0; i++) {
      await new Promise((r) => setTimeout(r, 250));
      good = await k('apply', '-f', cr('g1', '  size: small\n  replicas: 2\n'));
    }
    assert.equal(good.stdout, 'gadget.e2e.example.com/g1 created\n', good.stderr);
    const bad = await k('apply', '-f', cr('g2', '  size: medium\n  replicas: "three"\n'));
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^The Gadget "g2" is invalid: \n/);
    assert.ok(bad.stderr.includes('* spec.size: Unsupported value: "medium": supported values: "small", "large"\n'), bad.stderr);
    assert.ok(bad.stderr.includes('* spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"\n'), bad.stderr);
    const t = parseColumns(await ok('get', 'gadgets'));
    assert.deepEqual(t.headers, ['NAME', 'AGE']);
    assert.deepEqual(t.rows.map((r) => r.NAME), ['g1']);
  });

  it('delete: --wait, -l, --grace-period, --cascade=orphan and foreground', async () => {
    for (const n of ['d1', 'd2', 'd3']) await ok('create', 'configmap', n, '--from-literal=a=b');
    await ok('label', 'cm', 'd1', 'd2', 'grp=x');
    assert.equal(await ok('delete', 'cm', '-l', 'grp=x'), 'configmap "d1" deleted\nconfigmap "d2" deleted\n');
    assert.equal(await ok('delete', 'cm', 'd3', '--wait', '--grace-period=0'), 'configmap "d3" deleted\n');
    const none = await k('delete', 'cm', '-l', 'grp=x');
    assert.deepEqual([none.code, none.stdout, none.stderr], [0, 'No resources found\n', '']);
    const missing = await k('delete', 'cm', 'd3');
    assert.deepEqual([missing.code, missing.stderr], [1, 'Error from server (NotFound): configmaps "d3" not found\n']);
    // Orphan: the ReplicaSet stays, without its owner reference.
    const rsName = (await ok('get', 'rs', '-l', 'app=app1', '-o', 'name')).trim().split('\n');
    assert.ok(rsName.length >= 1);
    assert.equal(await ok('delete', 'deploy', 'app1', '--cascade=orphan'), 'deployment.apps "app1" deleted\n');
    await eventually(async () => (await k('get', rsName[0]!, '-o', 'jsonpath={.metadata.ownerReferences}')).stdout === '', 20_000, 'the orphaned ReplicaSet to lose its owner');
    // Foreground: the Deployment goes only after its ReplicaSets and pods.
    await ok('create', 'deployment', 'fg', '--image=nginx', '--replicas=1');
    await eventually(async () => (await k('get', 'pods', '-l', 'app=fg', '-o', 'name')).stdout.trim() !== '', 30_000, 'fg pods');
    const fg = await s.kubectl(['delete', 'deploy', 'fg', '--cascade=foreground', '--timeout=30s'], { timeoutMs: 40_000 });
    assert.deepEqual([fg.code, fg.stdout], [0, 'deployment.apps "fg" deleted\n'], fg.stderr);
    assert.equal((await k('get', 'rs', '-l', 'app=fg', '-o', 'name')).stdout, '');
  });
  it('debug adds an ephemeral container, which a simulated node runs once', async () => {
    await ok('run', 'dbg-target', '--image=app:1');
    await eventually(async () => (await k('get', 'pod', 'dbg-target', '-o', 'jsonpath={.status.phase}')).stdout === 'Running', 30_000, 'the pod to run');
    const out = await ok('debug', 'dbg-target', '--image=busybox:1', '--target=dbg-target', '-c', 'dbg', '--', 'sleep', '1');
    assert.match(out, /Targeting container "dbg-target"/);
    await eventually(async () => (await k('get', 'pod', 'dbg-target', '-o', 'jsonpath={.status.ephemeralContainerStatuses[0].state.running.startedAt}')).stdout !== '', 30_000, 'the debug container to run');
    assert.equal(await ok('get', 'pod', 'dbg-target', '-o', 'jsonpath={.spec.ephemeralContainers[0].targetContainerName}'), 'dbg-target');
    const clash = await k('debug', 'dbg-target', '--image=busybox:1', '-c', 'dbg-target');
    assert.notEqual(clash.code, 0);
    assert.match(clash.stderr, /Pod "dbg-target" is invalid: spec\.ephemeralContainers\[1\]\.name: Duplicate value: "dbg-target"/);
  });
});
