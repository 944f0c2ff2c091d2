// pods/{name}/ephemeralcontainers over real HTTPS: the strategic merge patch kubectl debug sends, PUT,
// the 422s upstream gives, and that nothing but spec.ephemeralContainers changes through it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../test-server.js';

type Pod = { metadata: { name: string; resourceVersion: string; generation?: number; labels?: Record<string, string> }; spec: Record<string, any>; status?: Record<string, any> };
type Status = { kind: string; reason: string; code: number; message: string; details?: { causes?: Array<{ reason: string; field: string }> } };

const SMP = 'application/strategic-merge-patch+json';
const base = '/api/v1/namespaces/default/pods';

let t: TestServer;
before(async () => {
  t = await startTestServer();
});
after(async () => {
  await t.stop();
});

async function createPod(name: string): Promise<Pod> {
  const res = await t.client.post<Pod>(base, { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'busybox' }] } });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

const addDebugger = (name: string, container: Record<string, unknown>) => t.client.patch<Pod & Status>(`${base}/${name}/ephemeralcontainers`, { spec: { ephemeralContainers: [container] } }, SMP);

describe('pods/ephemeralcontainers', () => {
  it('adds an ephemeral container with a strategic merge patch, defaulted, generation bumped', async () => {
    const created = await createPod('smp');
    const res = await addDebugger('smp', { name: 'dbg', image: 'busybox:1.36', targetContainerName: 'app', command: ['sh'], stdin: true, tty: true, terminationMessagePolicy: 'File' });
    assert.equal(res.status, 200, res.text);
    const ec = res.body.spec.ephemeralContainers;
    assert.equal(ec.length, 1);
    assert.equal(ec[0].name, 'dbg');
    assert.equal(ec[0].targetContainerName, 'app');
    assert.equal(ec[0].imagePullPolicy, 'IfNotPresent', 'defaulted (a tag other than latest)');
    assert.equal(ec[0].terminationMessagePath, '/dev/termination-log', 'defaulted');
    assert.equal(res.body.metadata.generation, (created.metadata.generation ?? 1) + 1);
    assert.notEqual(res.body.metadata.resourceVersion, created.metadata.resourceVersion);
    // A second one merges by name and the first stays; kubectl's two-way patch carries the list order.
    const second = await t.client.patch<Pod>(`${base}/smp/ephemeralcontainers`, { spec: { '$setElementOrder/ephemeralContainers': [{ name: 'dbg' }, { name: 'dbg2' }], ephemeralContainers: [{ name: 'dbg2', image: 'busybox' }] } }, SMP);
    assert.equal(second.status, 200, second.text);
    assert.deepEqual(second.body.spec.ephemeralContainers.map((c: { name: string }) => c.name), ['dbg', 'dbg2']);
    const got = await t.client.get<Pod>(`${base}/smp/ephemeralcontainers`);
    assert.equal(got.status, 200);
    assert.equal(got.body.spec.ephemeralContainers.length, 2);
  });

  it('records the writer in managedFields as an Update of the subresource', async () => {
    await createPod('managed');
    const res = await t.client.patch<Pod & { metadata: { managedFields?: Array<{ manager: string; operation: string; subresource?: string; fieldsV1?: { 'f:spec'?: Record<string, unknown> } }> } }>(
      `${base}/managed/ephemeralcontainers?fieldManager=kubectl-debug`,
      { spec: { ephemeralContainers: [{ name: 'dbg', image: 'busybox' }] } },
      SMP,
    );
    assert.equal(res.status, 200, res.text);
    const entry = res.body.metadata.managedFields?.find((m) => m.manager === 'kubectl-debug');
    assert.equal(entry?.operation, 'Update');
    assert.equal(entry?.subresource, 'ephemeralcontainers');
    assert.ok(entry?.fieldsV1?.['f:spec']?.['f:ephemeralContainers'], JSON.stringify(entry));
  });

  it('changes nothing else: other spec fields, labels and status in the request are dropped', async () => {
    await createPod('only');
    assert.equal((await t.client.patch(`${base}/only/status`, { status: { phase: 'Running' } })).status, 200);
    const res = await t.client.patch<Pod>(
      `${base}/only/ephemeralcontainers`,
      { metadata: { labels: { app: 'changed' } }, spec: { activeDeadlineSeconds: 5, ephemeralContainers: [{ name: 'dbg', image: 'busybox' }] }, status: { phase: 'Failed' } },
      'application/merge-patch+json',
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.spec.activeDeadlineSeconds, undefined);
    assert.deepEqual(res.body.metadata.labels, { app: 'only' });
    assert.equal(res.body.status?.phase, 'Running');
    assert.equal(res.body.spec.ephemeralContainers.length, 1);
  });

  it('PUT takes a whole pod; a stale resourceVersion is a 409', async () => {
    const created = await createPod('put');
    const body = { ...created, spec: { ...created.spec, ephemeralContainers: [{ name: 'dbg', image: 'busybox', terminationMessagePolicy: 'File', imagePullPolicy: 'Always' }] } };
    const res = await t.client.put<Pod>(`${base}/put/ephemeralcontainers`, body);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.spec.ephemeralContainers[0].imagePullPolicy, 'Always');
    const stale = await t.client.put<Status>(`${base}/put/ephemeralcontainers`, { ...body, spec: { ...body.spec, ephemeralContainers: [...body.spec.ephemeralContainers, { name: 'x', image: 'busybox' }] } });
    assert.equal(stale.status, 409, stale.text);
    assert.equal(stale.body.reason, 'Conflict');
  });

  it('answers 422 Invalid with upstream field causes', async () => {
    await createPod('bad');
    const dup = await addDebugger('bad', { name: 'app', image: 'busybox' });
    assert.equal(dup.status, 422, dup.text);
    assert.equal(dup.body.reason, 'Invalid');
    assert.deepEqual(dup.body.details?.causes?.map((c) => `${c.reason} ${c.field}`), ['FieldValueDuplicate spec.ephemeralContainers[0].name']);
    assert.match(dup.body.message, /^Pod "bad" is invalid: spec\.ephemeralContainers\[0\]\.name: Duplicate value: "app"$/);

    const ports = await addDebugger('bad', { name: 'dbg', image: 'busybox', ports: [{ containerPort: 80 }], targetContainerName: 'nope' });
    assert.equal(ports.status, 422, ports.text);
    const causes = ports.body.details?.causes?.map((c) => `${c.reason} ${c.field}`) ?? [];
    assert.ok(causes.includes('FieldValueForbidden spec.ephemeralContainers[0].ports'), causes.join('; '));
    assert.ok(causes.includes('FieldValueNotFound spec.ephemeralContainers[0].targetContainerName'), causes.join('; '));

    assert.equal((await addDebugger('bad', { name: 'dbg', image: 'busybox' })).status, 200);
    const removed = await t.client.patch<Status>(`${base}/bad/ephemeralcontainers`, [{ op: 'remove', path: '/spec/ephemeralContainers/0' }], 'application/json-patch+json');
    assert.equal(removed.status, 422, removed.text);
    assert.match(removed.body.message, /existing ephemeral containers "dbg" may not be removed/);
    const changed = await t.client.patch<Status>(`${base}/bad/ephemeralcontainers`, [{ op: 'replace', path: '/spec/ephemeralContainers/0/image', value: 'busybox:2' }], 'application/json-patch+json');
    assert.equal(changed.status, 422, changed.text);
    assert.match(changed.body.message, /existing ephemeral containers "dbg" may not be changed/);
  });

  it('is the only way in: an update of the pod itself may not add one', async () => {
    const created = await createPod('main');
    const res = await t.client.put<Status>(`${base}/main`, { ...created, spec: { ...created.spec, ephemeralContainers: [{ name: 'dbg', image: 'busybox', terminationMessagePolicy: 'File', imagePullPolicy: 'Always' }] } });
    assert.equal(res.status, 422, res.text);
    assert.match(res.body.message, /pod updates may not change fields/);
  });

  it('404 for a missing pod (with the pod name in details, unlike a disabled subresource)', async () => {
    const res = await addDebugger('nosuch', { name: 'dbg', image: 'busybox' });
    assert.equal(res.status, 404, res.text);
    assert.equal((res.body as unknown as { details: { name: string } }).details.name, 'nosuch');
  });

  it('refuses apply patches and other methods', async () => {
    await createPod('verbs');
    const apply = await t.client.patch<Status>(`${base}/verbs/ephemeralcontainers`, '{}', 'application/apply-patch+yaml');
    assert.equal(apply.status, 415, apply.text);
    const del = await t.client.delete<Status>(`${base}/verbs/ephemeralcontainers`);
    assert.equal(del.status, 405, del.text);
  });

  it('is in discovery and in the OpenAPI documents, as upstream lists it', async () => {
    const list = await t.client.get<{ resources: Array<{ name: string; kind: string; verbs: string[] }> }>('/api/v1');
    const entry = list.body.resources.find((r) => r.name === 'pods/ephemeralcontainers');
    assert.deepEqual(entry && { kind: entry.kind, verbs: [...entry.verbs].sort() }, { kind: 'Pod', verbs: ['get', 'patch', 'update'] });
    const path = '/api/v1/namespaces/{namespace}/pods/{name}/ephemeralcontainers';
    const v2 = await t.client.get<{ paths: Record<string, Record<string, unknown>> }>('/openapi/v2');
    assert.deepEqual(Object.keys(v2.body.paths[path] ?? {}).filter((k) => k !== 'parameters').sort(), ['get', 'patch', 'put']);
    const v3 = await t.client.get<{ paths: Record<string, Record<string, unknown>> }>('/openapi/v3/api/v1');
    assert.deepEqual(Object.keys(v3.body.paths[path] ?? {}).sort(), ['get', 'patch', 'put']);
  });
});
