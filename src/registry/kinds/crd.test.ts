// CRDs through the REST API of a real server: establishing, name conflicts, custom objects
// (defaults, pruning, fieldValidation, status and scale subresources, generation, versions),
// OpenAPI, deletion with the cleanup finalizer, and serving again after a restart.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import type { RestClient } from '../../client/rest.js';

type Obj = Record<string, any>;
const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const WIDGETS = '/apis/example.com/v1/namespaces/default/widgets';

function widgetCRD(): Obj {
  const schema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        required: ['size'],
        properties: {
          size: { type: 'string', enum: ['small', 'large'] },
          replicas: { type: 'integer', default: 1, minimum: 0 },
          selector: { type: 'string' },
        },
      },
      status: { type: 'object', properties: { replicas: { type: 'integer' }, selector: { type: 'string' } } },
    },
  };
  const subresources = { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', kind: 'Widget', shortNames: ['wd'], categories: ['all'] },
      versions: [
        { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema }, subresources },
        { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
      ],
    },
  };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function condition(c: RestClient, name: string, type: string): Promise<Obj | undefined> {
  const r = await c.get<Obj>(`${CRDS}/${name}`);
  return (r.body?.status?.conditions ?? []).find((x: Obj) => x.type === type);
}

async function established(c: RestClient, name: string): Promise<void> {
  await waitFor(`${name} established`, async () => ((await condition(c, name, 'Established'))?.status === 'True' ? true : undefined));
}

describe('CustomResourceDefinitions over REST', () => {
  let t: TestServer;
  let c: RestClient;
  let dataDir: string;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'skiff-crd-'));
    t = await startTestServer({ dataDir });
    c = t.client;
  });
  after(async () => {
    await t.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('establishes a CRD: accepted names, conditions, storedVersions, discovery', async () => {
    const r = await c.post<Obj>(CRDS, widgetCRD());
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.body!.spec.names, { plural: 'widgets', kind: 'Widget', shortNames: ['wd'], categories: ['all'], singular: 'widget', listKind: 'WidgetList' });
    await established(c, 'widgets.example.com');
    const crd = (await c.get<Obj>(`${CRDS}/widgets.example.com`)).body!;
    assert.deepEqual(crd.status.storedVersions, ['v1']);
    assert.equal(crd.status.acceptedNames.kind, 'Widget');
    assert.deepEqual((await condition(c, 'widgets.example.com', 'NamesAccepted'))!.reason, 'NoConflicts');
    const list = (await c.get<Obj>('/apis/example.com/v1')).body!;
    const widgets = list.resources.find((x: Obj) => x.name === 'widgets');
    assert.deepEqual([widgets.kind, widgets.shortNames, widgets.categories, widgets.namespaced], ['Widget', ['wd'], ['all'], true]);
    assert.ok(list.resources.some((x: Obj) => x.name === 'widgets/scale'));
    const crdRes = (await c.get<Obj>('/apis/apiextensions.k8s.io/v1')).body!.resources.find((x: Obj) => x.name === 'customresourcedefinitions');
    assert.deepEqual([crdRes.shortNames, crdRes.categories], [['crd', 'crds'], ['api-extensions']]);
  });

  it('rejects an invalid CRD with upstream field errors', async () => {
    const bad = widgetCRD();
    bad.metadata.name = 'gadgets.example.com';
    const r = await c.post<Obj>(CRDS, bad);
    assert.equal(r.status, 422);
    assert.equal(r.body!.message, 'CustomResourceDefinition.apiextensions.k8s.io "gadgets.example.com" is invalid: metadata.name: Invalid value: "gadgets.example.com": must be spec.names.plural+"."+spec.group');
  });

  it('refuses names already in use in the group: NamesAccepted False, not established', async () => {
    const other = widgetCRD();
    other.metadata.name = 'gizmos.example.com';
    other.spec.names = { plural: 'gizmos', singular: 'gizmo', kind: 'Widget' };
    assert.equal((await c.post(CRDS, other)).status, 201);
    const accepted = await waitFor('NamesAccepted', () => condition(c, 'gizmos.example.com', 'NamesAccepted'));
    assert.deepEqual([accepted.status, accepted.reason, accepted.message], ['False', 'KindConflict', '"Widget" is already in use']);
    assert.equal((await condition(c, 'gizmos.example.com', 'Established'))!.status, 'False');
    assert.equal((await c.get('/apis/example.com/v1/namespaces/default/gizmos')).status, 404);
  });

  it('creates custom objects with defaults, pruning and fieldValidation', async () => {
    let r = await c.post<Obj>(WIDGETS, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 'small', bogus: true } });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.body!.spec, { size: 'small', replicas: 1 });
    assert.equal(r.body!.metadata.generation, 1);
    r = await c.post<Obj>(`${WIDGETS}?fieldValidation=Strict`, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w2' }, spec: { size: 'small', bogus: true } });
    assert.equal(r.status, 400);
    assert.equal(r.body!.message, 'strict decoding error: unknown field "spec.bogus"');
    r = await c.post<Obj>(`${WIDGETS}?fieldValidation=Warn`, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w3' }, spec: { size: 'large', bogus: true } });
    assert.equal(r.status, 201);
    assert.ok(String(r.headers.warning).includes('unknown field \\"spec.bogus\\"'), String(r.headers.warning));
    r = await c.post<Obj>(WIDGETS, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'bad' }, spec: { replicas: -1 } });
    assert.equal(r.status, 422);
    assert.equal(r.body!.message, 'Widget.example.com "bad" is invalid: [spec.size: Required value, spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0]');
    assert.deepEqual(r.body!.details.causes[0], { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.size' });
  });

  it('watches through another version see that version', async () => {
    const events: Array<{ type: string; object: Obj }> = [];
    const w = await c.watch('/apis/example.com/v1beta1/namespaces/default/widgets?watch=true&resourceVersion=0', (ev) => void events.push(ev));
    assert.equal(w.status, 200);
    assert.equal((await c.post(WIDGETS, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'watched' }, spec: { size: 'small' } })).status, 201);
    const added = await waitFor('ADDED watched', async () => events.find((e) => e.type === 'ADDED' && e.object.metadata?.name === 'watched'));
    w.stop();
    assert.equal(added.object.apiVersion, 'example.com/v1beta1');
    assert.equal((await c.delete(`${WIDGETS}/watched`)).status, 200);
  });

  it('without a status subresource, status is written with the object and bumps generation', async () => {
    const path = '/apis/example.com/v1beta1/namespaces/default/widgets';
    let r = await c.post<Obj>(path, { apiVersion: 'example.com/v1beta1', kind: 'Widget', metadata: { name: 'free' }, spec: { anything: 1 }, status: { ok: true } });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual([r.body!.spec, r.body!.status, r.body!.metadata.generation], [{ anything: 1 }, { ok: true }, 1]);
    r = await c.patch<Obj>(`${path}/free`, { status: { ok: false } });
    assert.deepEqual([r.body!.status, r.body!.metadata.generation], [{ ok: false }, 2]);
    assert.equal((await c.get(`${path}/free/status`)).status, 404);
    assert.equal((await c.delete(`${path}/free`)).status, 200);
  });

  it('serves both versions from one storage, each with its apiVersion', async () => {
    const v1beta1 = (await c.get<Obj>('/apis/example.com/v1beta1/namespaces/default/widgets/w1')).body!;
    assert.equal(v1beta1.apiVersion, 'example.com/v1beta1');
    assert.deepEqual(v1beta1.spec, { size: 'small', replicas: 1 });
    const list = (await c.get<Obj>('/apis/example.com/v1beta1/namespaces/default/widgets')).body!;
    assert.deepEqual([list.kind, list.items.map((i: Obj) => i.apiVersion)], ['WidgetList', ['example.com/v1beta1', 'example.com/v1beta1']]);
  });

  it('status subresource: status only through /status; generation only on spec changes', async () => {
    const cur = (await c.get<Obj>(`${WIDGETS}/w1`)).body!;
    let r = await c.put<Obj>(`${WIDGETS}/w1/status`, { ...cur, spec: { size: 'large' }, status: { replicas: 1, selector: 'app=w' } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.body!.spec.size, r.body!.status.replicas, r.body!.metadata.generation], ['small', 1, 1]);
    r = await c.put<Obj>(`${WIDGETS}/w1`, { ...r.body!, spec: { size: 'large', replicas: 1 }, status: { replicas: 9 } });
    assert.deepEqual([r.body!.spec.size, r.body!.status.replicas, r.body!.metadata.generation], ['large', 1, 2]);
    r = await c.patch<Obj>(`${WIDGETS}/w1`, { metadata: { labels: { a: 'b' } } });
    assert.equal(r.body!.metadata.generation, 2);
    r = await c.patch<Obj>(`${WIDGETS}/w1/status`, { status: { replicas: 'many' } });
    assert.equal(r.status, 422);
    assert.match(r.body!.message, /status\.replicas: Invalid value: "string": status\.replicas in body must be of type integer: "string"/);
    r = await c.patch<Obj>(`${WIDGETS}/w1`, { spec: { size: 'small' } }, 'application/strategic-merge-patch+json');
    assert.equal(r.status, 415);
  });

  it('scale subresource reads and writes the configured paths', async () => {
    let r = await c.get<Obj>(`${WIDGETS}/w1/scale`);
    assert.deepEqual([r.body!.kind, r.body!.spec.replicas, r.body!.status.replicas, r.body!.status.selector], ['Scale', 1, 1, 'app=w']);
    r = await c.put<Obj>(`${WIDGETS}/w1/scale`, { ...r.body!, spec: { replicas: 4 } });
    assert.equal(r.status, 200, r.text);
    assert.equal((await c.get<Obj>(`${WIDGETS}/w1`)).body!.spec.replicas, 4);
  });

  it('publishes the schema in OpenAPI v3', async () => {
    const root = (await c.get<Obj>('/openapi/v3')).body!;
    assert.ok(root.paths['apis/example.com/v1']);
    const doc = (await c.get<Obj>('/openapi/v3/apis/example.com/v1')).body!;
    const widget = doc.components.schemas['com.example.v1.Widget'];
    assert.deepEqual(widget['x-kubernetes-group-version-kind'], [{ group: 'example.com', version: 'v1', kind: 'Widget' }]);
    assert.deepEqual(widget.properties.spec.properties.size.enum, ['small', 'large']);
    assert.ok(doc.components.schemas[widget.properties.metadata.allOf[0].$ref.split('/').pop()]);
  });

  it('updating a CRD changes what is served', async () => {
    const cur = (await c.get<Obj>(`${CRDS}/widgets.example.com`)).body!;
    cur.spec.versions[1].served = false;
    cur.spec.versions.push({ name: 'v2', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'string', maxLength: 3 } } } } } } });
    const r = await c.put<Obj>(`${CRDS}/widgets.example.com`, cur);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body!.metadata.generation, 2);
    await waitFor('v2 served', async () => ((await c.get('/apis/example.com/v2/namespaces/default/widgets')).status === 200 ? true : undefined));
    assert.equal((await c.get('/apis/example.com/v1beta1/namespaces/default/widgets')).status, 404);
    const bad = await c.put<Obj>('/apis/example.com/v2/namespaces/default/widgets/w1', { ...(await c.get<Obj>('/apis/example.com/v2/namespaces/default/widgets/w1')).body!, spec: { size: 'large' } });
    assert.equal(bad.status, 422);
    assert.equal(bad.body!.message, 'Widget.example.com "w1" is invalid: spec.size: Too long: may not be more than 3 bytes');
  });

  it('serves the CRD again after a restart on the same data dir', async () => {
    await t.stop();
    t = await startTestServer({ dataDir });
    c = t.client;
    const r = await c.get<Obj>(`${WIDGETS}/w1`);
    assert.equal(r.status, 200, r.text + JSON.stringify(t.server.registry.kinds.filter((k) => k.resource.group === 'example.com').map((k) => k.resource)));
  });

  it('deleting the CRD deletes its objects, then the CRD, and stops serving', async () => {
    const r = await c.delete<Obj>(`${CRDS}/widgets.example.com`);
    assert.equal(r.status, 200);
    assert.ok(r.body!.metadata.deletionTimestamp);
    assert.deepEqual(r.body!.metadata.finalizers, ['customresourcecleanup.apiextensions.k8s.io']);
    await waitFor('CRD gone', async () => ((await c.get(`${CRDS}/widgets.example.com`)).status === 404 ? true : undefined));
    assert.equal((await c.get(WIDGETS)).status, 404);
    assert.equal((await t.server.registry.storage.list('/registry/example.com/widgets/')).items.length, 0);
    // The names are free again: the CRD that was refused them is established now.
    await established(c, 'gizmos.example.com');
    assert.equal((await c.get('/apis/example.com/v1/namespaces/default/gizmos')).status, 200);
    await c.delete(`${CRDS}/gizmos.example.com`);
    await waitFor('gizmos gone', async () => ((await c.get(`${CRDS}/gizmos.example.com`)).status === 404 ? true : undefined));
  });
});
