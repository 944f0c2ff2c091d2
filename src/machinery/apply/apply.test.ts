import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import { StatusError } from '../errors.js';
import { applyPatch, defaultFieldManager, fromFieldsV1, toFieldsV1, trackUpdate } from './index.js';

const T1 = '2026-01-01T00:00:00Z';
const T2 = '2026-01-02T00:00:00Z';
const deployment = (replicas: number, image: string, env: { name: string; value: string }[] = []): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image, ports: [{ containerPort: 80 }], ...(env.length ? { env } : {}) }] } },
  },
});
const spec = (o: KubeObject): Record<string, any> => o.spec as Record<string, any>;
const opts = (manager: string, force = false, now = T1) => ({ manager, force, model: 'V1Deployment', now });

test('apply on a missing object creates it with one Apply entry in upstream FieldsV1 form', () => {
  const { object, managedFields } = applyPatch(undefined, deployment(2, 'nginx:1'), opts('kubectl'));
  assert.equal(spec(object).replicas, 2);
  assert.equal(managedFields.length, 1);
  const [entry] = managedFields;
  assert.deepEqual({ ...entry, fieldsV1: undefined }, { manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', time: T1, fieldsType: 'FieldsV1', fieldsV1: undefined });
  const fv = entry.fieldsV1 as Record<string, any>;
  assert.deepEqual(fv['f:metadata'], { 'f:labels': { 'f:app': {} } });
  const container = fv['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"c"}'];
  assert.deepEqual(container, { '.': {}, 'f:image': {}, 'f:name': {}, 'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } } });
  assert.deepEqual(object.metadata?.managedFields, managedFields);
});

test('FieldsV1 round-trips', () => {
  const fv = { 'f:spec': { 'f:replicas': {}, 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:image': {} } } } } }, 'f:metadata': { 'f:finalizers': { 'v:"a"': {} } } };
  assert.deepEqual(toFieldsV1(fromFieldsV1(fv)), toFieldsV1(fromFieldsV1(toFieldsV1(fromFieldsV1(fv)))));
  assert.equal(fromFieldsV1(fv).size, 4);
});

test('a second apply changes owned fields and removes fields it stopped applying', () => {
  const first = applyPatch(undefined, deployment(2, 'nginx:1', [{ name: 'A', value: '1' }, { name: 'B', value: '2' }]), opts('kubectl')).object;
  const second = applyPatch(first, deployment(2, 'nginx:2', [{ name: 'A', value: '1' }]), opts('kubectl', false, T2)).object;
  const c = spec(second).template.spec.containers[0];
  assert.equal(c.image, 'nginx:2');
  assert.deepEqual(c.env, [{ name: 'A', value: '1' }]);
  assert.equal(second.metadata?.managedFields?.length, 1);
});

test('fields another manager still owns survive removal; unowned live fields are kept', () => {
  const first = applyPatch(undefined, deployment(2, 'nginx:1'), opts('a')).object;
  (spec(first).template.spec.containers[0] as Record<string, unknown>).imagePullPolicy = 'Always'; // defaulted, unowned
  const shared = applyPatch(first, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } } }, opts('b')).object;
  const dropped = applyPatch(shared, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: deployment(2, 'nginx:1').spec }, opts('a')).object;
  assert.deepEqual(dropped.metadata?.labels, { app: 'web' }, 'b co-owns the label');
  assert.equal(spec(dropped).template.spec.containers[0].imagePullPolicy, 'Always');
});

test('conflicts: another manager owning a changed field -> 409 with causes; force takes ownership', () => {
  const live = applyPatch(undefined, deployment(2, 'nginx:1'), opts('kubectl-client-side-apply')).object;
  // Same value: shared ownership, no conflict.
  assert.doesNotThrow(() => applyPatch(live, deployment(2, 'nginx:1'), opts('other')));
  const err = (() => {
    try {
      applyPatch(live, deployment(5, 'nginx:1'), opts('other'));
    } catch (e) {
      return e;
    }
  })();
  assert.ok(err instanceof StatusError);
  assert.equal(err.code, 409);
  assert.equal(err.reason, 'Conflict');
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply": .spec.replicas');
  assert.deepEqual(err.status.details?.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply"', field: '.spec.replicas' }]);
  const forced = applyPatch(live, deployment(5, 'nginx:2'), opts('other', true));
  assert.equal(spec(forced.object).replicas, 5);
  const previous = forced.managedFields.find((m) => m.manager === 'kubectl-client-side-apply')!;
  assert.equal((previous.fieldsV1 as any)['f:spec']['f:replicas'], undefined, 'ownership moved');
  assert.ok((forced.managedFields.find((m) => m.manager === 'other')!.fieldsV1 as any)['f:spec']['f:replicas']);
});

test('Update entries: conflicts name the version; updates take changed fields from others', () => {
  const created = deployment(2, 'nginx:1');
  created.metadata!.managedFields = trackUpdate(undefined, created, 'kubectl-client-side-apply', 'Update', 'V1Deployment', T1);
  const err = (() => {
    try {
      applyPatch(created, deployment(3, 'nginx:2'), opts('kubectl'));
    } catch (e) {
      return e;
    }
  })() as StatusError;
  assert.match(err.message, /^Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps\/v1:\n- \.spec\.replicas\n- \.spec\.template\.spec\.containers\[name="c"\]\.image$/);
  const applied = applyPatch(created, deployment(2, 'nginx:1'), opts('kubectl')).object;
  const scaled = structuredClone(applied);
  spec(scaled).replicas = 9;
  const entries = trackUpdate(applied, scaled, 'kubectl-scale', 'Update', 'V1Deployment', T2);
  const owners = (m: string) => entries.find((e) => e.manager === m)?.fieldsV1 as any;
  assert.deepEqual(owners('kubectl-scale'), { 'f:spec': { 'f:replicas': {} } });
  assert.equal(owners('kubectl')['f:spec']['f:replicas'], undefined);
  assert.equal(owners('kubectl-client-side-apply')['f:spec']['f:replicas'], undefined);
  scaled.metadata!.managedFields = entries;
  assert.deepEqual(trackUpdate(scaled, structuredClone(scaled), 'x', 'Update', 'V1Deployment', T2).map((e) => e.manager).sort(), ['kubectl', 'kubectl-client-side-apply', 'kubectl-scale']);
});

test('managedFields a write sets itself are the starting point; [{}] clears them', () => {
  const live = applyPatch(undefined, deployment(2, 'nginx:1'), opts('kubectl-client-side-apply')).object;
  const rewritten = structuredClone(live);
  rewritten.metadata!.managedFields = (live.metadata!.managedFields as Record<string, unknown>[]).map((e) => ({ ...e, manager: 'kubectl' }));
  assert.deepEqual(trackUpdate(live, rewritten, 'x', 'Update', 'V1Deployment', T2).map((e) => e.manager), ['kubectl']);
  const cleared = structuredClone(live);
  cleared.metadata!.managedFields = [{}];
  spec(cleared).replicas = 7;
  assert.deepEqual(trackUpdate(live, cleared, 'x', 'Update', 'V1Deployment', T2).map((e) => [e.manager, e.fieldsV1]), [['x', { 'f:spec': { 'f:replicas': {} } }]]);
});

test('kubectl apply --server-side takes over from client-side apply without conflicts, and keeps last-applied in sync', () => {
  const csaConfig = deployment(2, 'nginx:1');
  const live = structuredClone(csaConfig);
  live.metadata!.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(csaConfig) };
  live.metadata!.managedFields = trackUpdate(undefined, live, 'kubectl-client-side-apply', 'Update', 'V1Deployment', T1);
  const { object } = applyPatch(live, deployment(2, 'nginx:2'), opts('kubectl'));
  assert.equal(spec(object).template.spec.containers[0].image, 'nginx:2');
  assert.equal(JSON.parse(object.metadata!.annotations!['kubectl.kubernetes.io/last-applied-configuration']).spec.template.spec.containers[0].image, 'nginx:2');
  // Another manager name gets the conflict; so does kubectl for a field changed since the last apply.
  assert.throws(() => applyPatch(live, deployment(2, 'nginx:2'), opts('helm')), /conflict with "kubectl-client-side-apply" using apps\/v1/);
  const drifted = structuredClone(live);
  spec(drifted).replicas = 7;
  assert.throws(() => applyPatch(drifted, deployment(3, 'nginx:1'), opts('kubectl')), /Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps\/v1: \.spec\.replicas$/);
});

test('custom resources (no model): maps merge, lists are atomic, metadata keeps its list types', () => {
  const cr = (spec: Record<string, unknown>, finalizers: string[]): KubeObject => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', finalizers }, spec });
  const first = applyPatch(undefined, cr({ size: 1, items: ['a', 'b'], nested: { x: 1 } }, ['f1']), { manager: 'a', force: false, model: 'Widget', now: T1 });
  const fv = first.managedFields[0].fieldsV1 as Record<string, any>;
  assert.deepEqual(fv, { 'f:metadata': { 'f:finalizers': { 'v:"f1"': {} } }, 'f:spec': { 'f:items': {}, 'f:nested': { 'f:x': {} }, 'f:size': {} } });
  const second = applyPatch(first.object, cr({ size: 1, items: ['c'] }, ['f2']), { manager: 'b', force: true, model: 'Widget', now: T2 }).object;
  assert.deepEqual(second.spec, { size: 1, items: ['c'], nested: { x: 1 } });
  assert.deepEqual(second.metadata?.finalizers, ['f1', 'f2']);
});

test('default field manager from the User-Agent', () => {
  assert.equal(defaultFieldManager('kubectl/v1.32.0 (linux/amd64) kubernetes/abc'), 'kubectl');
  assert.equal(defaultFieldManager(undefined), '');
});
