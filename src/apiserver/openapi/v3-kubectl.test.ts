// The real kubectl v1.32 reading Skiff's /openapi/v3: `kubectl explain` prints the type names upstream
// prints (<IntOrString>, <map[string]Quantity>, <string> for Time, <RawExtension>, <FieldsV1>,
// <ObjectMeta> and <Object> in custom resources), and client-side apply (strategic merge patches
// computed from the v3 schema) and --validate=strict keep working. A fresh --cache-dir per server.
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
    const { stdout, stderr } = await run(KUBECTL, ['--kubeconfig', t.server.kubeconfigPath, '--cache-dir', join(dir, cacheDir), ...args], { timeout: 60_000 });
    return { ok: true, out: stdout + stderr };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

async function explain(...args: string[]): Promise<string> {
  const r = await kubectl('explain', ...args);
  assert.ok(r.ok, r.out);
  return r.out;
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function deployment(maxSurge: string, extraSpec = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 2
${extraSpec}  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: ${maxSurge}, maxUnavailable: 0}}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: c
        image: nginx
        resources: {limits: {cpu: 500m, memory: 1Gi}}
`;
}

const occurrences = (text: string, part: string): number => text.split(part).length - 1;

describe('kubectl explain on OpenAPI v3', { skip: existsSync(KUBECTL) ? false : `${KUBECTL} not installed` }, () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-openapi-v3-'));
    t = await startTestServer();
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints <IntOrString> for maxSurge, with the field description then the type description', async () => {
    const out = await explain('deployment.spec.strategy.rollingUpdate.maxSurge');
    assert.match(out, /^GROUP: {6}apps\nKIND: {7}Deployment\nVERSION: {4}v1\n\nFIELD: maxSurge <IntOrString>\n/);
    assert.match(out, /DESCRIPTION:\n {4}The maximum number of pods that can be scheduled above the desired number of\n {4}pods\./);
    assert.equal(occurrences(out, 'IntOrString is a type that can hold an int32 or a string.'), 1, out);
    const port = await explain('service.spec.ports.targetPort');
    assert.match(port, /\nFIELD: targetPort <IntOrString>\n/);
  });

  it('prints <map[string]Quantity> for resource limits and <Quantity> for a single quantity', async () => {
    const out = await explain('pod.spec.containers.resources.limits');
    assert.match(out, /^KIND: {7}Pod\nVERSION: {4}v1\n\nFIELD: limits <map\[string\]Quantity>\n/);
    assert.match(out, /Limits describes the maximum amount of compute resources allowed\./);
    assert.match(out, /Quantity is a fixed-point representation of a number\./);
    const size = await explain('pod.spec.volumes.emptyDir.sizeLimit');
    assert.match(size, /\nFIELD: sizeLimit <Quantity>\n/);
  });

  it('prints <string> for Time fields, as upstream (the Time component is a string)', async () => {
    const out = await explain('pod.metadata.creationTimestamp');
    assert.match(out, /\nFIELD: creationTimestamp <string>\n/);
    assert.match(out, /CreationTimestamp is a timestamp representing the server time/);
    // Upstream's paragraph break (client-node flattens it to two spaces).
    assert.match(out, /is in UTC\.\n {4}\n {4}Populated by the system\./);
    assert.match(out, /Time is a wrapper around time\.Time which supports correct marshaling/);
    const eventTime = await explain('events.eventTime');
    assert.match(eventTime, /\nFIELD: eventTime <string>\n\n\nDESCRIPTION:\n {4}Time when this Event was first observed\.\n {4}MicroTime is version/);
  });

  it('names RawExtension and FieldsV1, and lists a small type recursively', async () => {
    assert.match(await explain('controllerrevision.data'), /\nFIELD: data <RawExtension>\n/);
    const strategy = await explain('deployment.spec.strategy', '--recursive');
    assert.match(strategy, /\nFIELD: strategy <DeploymentStrategy>\n/);
    assert.match(strategy, /\nFIELDS:\n {2}rollingUpdate\t<RollingUpdateDeployment>\n {4}maxSurge\t<IntOrString>\n {4}maxUnavailable\t<IntOrString>\n {2}type\t<string>\n/);
    const managed = await explain('pod.metadata.managedFields', '--recursive');
    assert.match(managed, /\n {2}fieldsV1\t<FieldsV1>\n/);
    assert.match(managed, /\n {2}time\t<string>\n/);
  });

  it('explains JSONSchemaProps with upstream type names', async () => {
    const out = await explain('crd.spec.versions.schema.openAPIV3Schema');
    assert.match(out, /\nFIELD: openAPIV3Schema <JSONSchemaProps>\n/);
    assert.match(out, /\n {2}default\t<JSON>\n/);
    assert.match(out, /\n {2}enum\t<\[\]JSON>\n/);
    assert.match(out, /\n {2}items\t<JSONSchemaPropsOrArray>\n/);
    assert.match(out, /\n {2}additionalProperties\t<JSONSchemaPropsOrBool>\n/);
    assert.match(out, /\n {2}properties\t<map\[string\]JSONSchemaProps>\n/);
    assert.match(await explain('crd.spec.versions.subresources.status'), /\nFIELD: status <CustomResourceSubresourceStatus>\n/);
  });

  it('explains a custom resource: ObjectMeta, Object, and int-or-string printed as upstream (<Object>)', async () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
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
            description: The gadget's desired shape.
            properties:
              size: {type: string, description: How big the gadget is.}
              count: {type: integer}
              port: {x-kubernetes-int-or-string: true, description: Port name or number.}
              labels: {type: object, additionalProperties: {type: string}}
`;
    const created = await kubectl('apply', '-f', file('crd.yaml', crd));
    assert.ok(created.ok, created.out);
    const established = await kubectl('wait', '--for=condition=Established', 'crd/gadgets.example.com', '--timeout=20s');
    assert.ok(established.ok, established.out);
    cacheDir = 'cache-after-crd'; // discovery cached before the CRD would not know gadgets
    const root = await explain('gadgets');
    assert.match(root, /^GROUP: {6}example\.com\nKIND: {7}Gadget\nVERSION: {4}v1\n/);
    assert.match(root, /\n {2}metadata\t<ObjectMeta>\n/);
    assert.match(root, /\n {2}spec\t<Object>\n {4}The gadget's desired shape\.\n/);
    const spec = await explain('gadgets.spec', '--recursive');
    assert.match(spec, /\n {2}count\t<integer>\n/);
    assert.match(spec, /\n {2}labels\t<map\[string\]string>\n/);
    // A structural int-or-string node has no type and no $ref: kubectl's typeGuess falls back to Object.
    assert.match(spec, /\n {2}port\t<Object>\n/);
    assert.match(spec, /\n {2}size\t<string>\n/);
    assert.match(await explain('gadgets.metadata.creationTimestamp'), /\nFIELD: creationTimestamp <string>\n/);
  });

  it('explains the kinds served outside the registry (authentication.k8s.io reviews)', async () => {
    const out = await explain('tokenreviews.spec');
    assert.match(out, /^GROUP: {6}authentication\.k8s\.io\nKIND: {7}TokenReview\nVERSION: {4}v1\n\nFIELD: spec <TokenReviewSpec>\n/);
    assert.match(out, /\n {2}token\t<string>/);
  });

  it('keeps client-side apply (v3 patch metadata) and --validate=strict working', async () => {
    const first = await kubectl('apply', '-f', file('web.yaml', deployment('1')));
    assert.ok(first.ok, first.out);
    assert.match(first.out, /deployment.apps\/web created/);
    // The second apply computes a strategic merge patch from the v3 schema (containers keyed by name).
    const second = await kubectl('apply', '-f', file('web2.yaml', deployment('"50%"')));
    assert.ok(second.ok, second.out);
    assert.match(second.out, /deployment.apps\/web configured/);
    const got = await kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.spec.strategy.rollingUpdate.maxSurge} {.spec.template.spec.containers[0].resources.limits.memory}');
    assert.equal(got.out, '50% 1Gi');
    const bad = await kubectl('apply', '--validate=strict', '-f', file('bad.yaml', deployment('1', '  foo: bar\n')));
    assert.equal(bad.ok, false, bad.out);
    assert.match(bad.out, /unknown field "spec\.foo"/);
  });
});
