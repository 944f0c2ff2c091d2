// @kubernetes/client-node 2.x against Skiff: CRUD through CoreV1Api/AppsV1Api, a patch with every content
// type (chosen per call with `setHeaderOptions('Content-Type', PatchStrategy.X)`), Watch, and the informer
// (list, watch, and re-list after 410 Expired). CRUD/patch/watch run against `skiff up`; the 410 part runs
// an in-process server so the test can compact storage under the informer.
import './node20-shims.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ADD, AppsV1Api, CoreV1Api, DELETE, ERROR, KubeConfig, ListWatch, PatchStrategy, UPDATE, Watch, makeInformer, setHeaderOptions,
  type KubernetesObject, type V1ConfigMap,
} from '@kubernetes/client-node';
import { startTestServer, type TestServer } from '../../src/apiserver/test-server.js';
import { eventually, startSkiff, type SkiffProcess } from './harness.js';

const NS = 'default';

function kubeConfig(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

/** The status code of a client-node ApiException (or -1). */
function codeOf(err: unknown): number {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'number' ? err.code : -1;
}

describe('@kubernetes/client-node against skiff up', () => {
  let s: SkiffProcess;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let kc: KubeConfig;
  before(async () => {
    s = await startSkiff();
    kc = kubeConfig(s.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
  });
  after(async () => s?.stop());

  it('CRUD on ConfigMaps and Deployments', async () => {
    const created = await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'cn1', labels: { app: 'cn' } }, data: { a: '1' } } });
    assert.equal(created.metadata?.name, 'cn1');
    assert.match(created.metadata?.uid ?? '', /^[0-9a-f-]{36}$/);
    const read = await core.readNamespacedConfigMap({ name: 'cn1', namespace: NS });
    assert.deepEqual(read.data, { a: '1' });
    read.data = { a: '2' };
    const replaced = await core.replaceNamespacedConfigMap({ name: 'cn1', namespace: NS, body: read });
    assert.equal(replaced.data?.a, '2');
    assert.notEqual(replaced.metadata?.resourceVersion, read.metadata?.resourceVersion);
    const stale = await core.replaceNamespacedConfigMap({ name: 'cn1', namespace: NS, body: read }).catch((e: unknown) => e);
    assert.equal(codeOf(stale), 409);
    const list = await core.listNamespacedConfigMap({ namespace: NS, labelSelector: 'app=cn' });
    assert.deepEqual(list.items.map((i) => i.metadata?.name), ['cn1']);
    assert.match(list.metadata?.resourceVersion ?? '', /^\d+$/);
    const dup = await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'cn1' } } }).catch((e: unknown) => e);
    assert.equal(codeOf(dup), 409);
    await core.deleteNamespacedConfigMap({ name: 'cn1', namespace: NS });
    const gone = await core.readNamespacedConfigMap({ name: 'cn1', namespace: NS }).catch((e: unknown) => e);
    assert.equal(codeOf(gone), 404);

    const d = await apps.createNamespacedDeployment({
      namespace: NS,
      body: {
        metadata: { name: 'cnd' },
        spec: { replicas: 1, selector: { matchLabels: { app: 'cnd' } }, template: { metadata: { labels: { app: 'cnd' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
      },
    });
    assert.equal(d.metadata?.generation, 1);
    assert.equal(d.spec?.strategy?.type, 'RollingUpdate', 'defaulted by the server');
    const scale = await apps.replaceNamespacedDeploymentScale({ name: 'cnd', namespace: NS, body: { metadata: { name: 'cnd', namespace: NS }, spec: { replicas: 2 } } });
    assert.equal(scale.spec?.replicas, 2);
    assert.equal((await apps.readNamespacedDeployment({ name: 'cnd', namespace: NS })).spec?.replicas, 2);
    const deleted = await apps.deleteNamespacedDeployment({ name: 'cnd', namespace: NS, propagationPolicy: 'Background' });
    assert.equal(deleted.kind === 'Status' || deleted.kind === 'Deployment', true);
  });

  it('patches with every content type', async () => {
    await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'cnp' }, data: { a: '1' } } });
    const patch = (body: object, type: string, extra: { fieldManager?: string; force?: boolean } = {}) =>
      core.patchNamespacedConfigMap({ name: 'cnp', namespace: NS, body, ...extra }, setHeaderOptions('Content-Type', type));
    // Default (no header option): JSON patch.
    const byDefault = await core.patchNamespacedConfigMap({ name: 'cnp', namespace: NS, body: [{ op: 'add', path: '/data/b', value: '2' }] });
    assert.deepEqual(byDefault.data, { a: '1', b: '2' });
    const json = await patch([{ op: 'replace', path: '/data/a', value: 'j' }], PatchStrategy.JsonPatch);
    assert.deepEqual(json.data, { a: 'j', b: '2' });
    const merge = await patch({ data: { b: null, c: 'm' } }, PatchStrategy.MergePatch);
    assert.deepEqual(merge.data, { a: 'j', c: 'm' });
    const strategic = await patch({ metadata: { labels: { s: 'yes' } } }, PatchStrategy.StrategicMergePatch);
    assert.deepEqual(strategic.metadata?.labels, { s: 'yes' });
    const applied = await patch({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cnp' }, data: { owned: 'x' } }, PatchStrategy.ServerSideApply, { fieldManager: 'cn-test', force: true });
    assert.equal(applied.data?.owned, 'x');
    assert.ok(applied.metadata?.managedFields?.some((m) => m.manager === 'cn-test' && m.operation === 'Apply'));
    const badType = await patch({ data: {} }, 'application/x-unknown').catch((e: unknown) => e);
    assert.equal(codeOf(badType), 415);
  });

  it('Watch streams ADDED, MODIFIED, DELETED', async () => {
    const list = await core.listNamespacedConfigMap({ namespace: NS });
    const events: Array<[string, string | undefined]> = [];
    let doneErr: unknown = 'not done';
    const req = await new Watch(kc).watch(`/api/v1/namespaces/${NS}/configmaps`, { resourceVersion: list.metadata?.resourceVersion }, (type: string, obj: KubernetesObject) => events.push([type, obj.metadata?.name]), (err: unknown) => (doneErr = err));
    await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'cnw' } } });
    await core.patchNamespacedConfigMap({ name: 'cnw', namespace: NS, body: { data: { x: '1' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await core.deleteNamespacedConfigMap({ name: 'cnw', namespace: NS });
    await eventually(async () => events.length >= 3, 10_000, 'three watch events');
    assert.deepEqual(events, [['ADDED', 'cnw'], ['MODIFIED', 'cnw'], ['DELETED', 'cnw']]);
    req.abort();
    assert.equal(doneErr, 'not done', 'aborting does not report an error first');
  });
});

describe('@kubernetes/client-node informer', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(async () => t?.stop());

  it('lists, watches, and re-lists after 410 Expired', async () => {
    const kc = kubeConfig(t.server.kubeconfigPath);
    const core = kc.makeApiClient(CoreV1Api);
    const create = (name: string) => core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name, labels: { inf: 'yes' } } } });
    await create('i1');
    const informer = makeInformer<V1ConfigMap>(kc, `/api/v1/namespaces/${NS}/configmaps`, () => core.listNamespacedConfigMap({ namespace: NS, labelSelector: 'inf=yes' }), 'inf=yes');
    // makeInformer's declared type hides latestResourceVersion(); the object is a ListWatch.
    assert.ok(informer instanceof ListWatch);
    const seen: string[] = [];
    const errors: unknown[] = [];
    informer.on(ADD, (o) => seen.push(`add ${o.metadata?.name}`));
    informer.on(UPDATE, (o) => seen.push(`update ${o.metadata?.name}`));
    informer.on(DELETE, (o) => seen.push(`delete ${o.metadata?.name}`));
    // Stopping aborts the watch request, which client-node reports as an AbortError: not a failure.
    informer.on(ERROR, (e) => (e instanceof Error && e.name === 'AbortError' ? undefined : errors.push(e)));
    await informer.start();
    try {
      assert.deepEqual(seen, ['add i1'], 'the initial list');
      await create('i2');
      await core.patchNamespacedConfigMap({ name: 'i1', namespace: NS, body: { data: { v: '1' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      await eventually(async () => seen.length >= 3, 10_000, 'watch events');
      assert.deepEqual(seen, ['add i1', 'add i2', 'update i1']);
      const listedAt = informer.latestResourceVersion();

      // Stop, change things while not watching, compact past the informer's resourceVersion, restart:
      // the watch from the old resourceVersion gets 410 Expired and the informer lists again.
      await informer.stop();
      await core.deleteNamespacedConfigMap({ name: 'i2', namespace: NS });
      await create('i3');
      for (let i = 0; i < 3; i++) await core.patchNamespacedConfigMap({ name: 'i3', namespace: NS, body: { data: { n: String(i) } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      const rev = await t.server.registry.storage.currentRevision();
      assert.ok(rev - 1 > Number(listedAt));
      await t.server.registry.storage.compact(rev - 1);
      seen.length = 0;
      await informer.start();
      await eventually(async () => seen.includes('delete i2') && seen.includes('add i3'), 15_000, 're-list after 410');
      assert.deepEqual(informer.list(NS).map((o) => o.metadata?.name).sort(), ['i1', 'i3']);
      assert.equal(informer.get('i3', NS)?.data?.n, '2');
      assert.ok(Number(informer.latestResourceVersion()) >= rev, `re-listed at ${informer.latestResourceVersion()}, compacted at ${rev - 1}`);
      assert.deepEqual(errors, []);
    } finally {
      await informer.stop();
    }
  });

  it('Watch from a compacted resourceVersion gets one ERROR event with 410 Expired', async () => {
    const kc = kubeConfig(t.server.kubeconfigPath);
    const core = kc.makeApiClient(CoreV1Api);
    const cm = await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'old' } } });
    for (let i = 0; i < 3; i++) await core.patchNamespacedConfigMap({ name: 'old', namespace: NS, body: { data: { n: String(i) } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await t.server.registry.storage.compact((await t.server.registry.storage.currentRevision()) - 1);
    const events: Array<{ type: string; obj: { code?: number; reason?: string } }> = [];
    let done = false;
    await new Watch(kc).watch(`/api/v1/namespaces/${NS}/configmaps`, { resourceVersion: cm.metadata?.resourceVersion }, (type: string, obj: { code?: number; reason?: string }) => events.push({ type, obj }), () => (done = true));
    await eventually(async () => done, 10_000, 'the watch to end');
    assert.equal(events.length, 1);
    assert.deepEqual([events[0]!.type, events[0]!.obj.code, events[0]!.obj.reason], ['ERROR', 410, 'Expired']);
  });
});
