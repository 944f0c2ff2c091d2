import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { fieldErrorMessage, type FieldError } from '../../../machinery/errors.js';
import type { KubeObject } from '../../types.js';
import { controllerRevision, daemonSet, deployment, kinds, prepareDaemonSetForUpdate, replicaSet, statefulSet } from './index.js';

const messages = (errs: FieldError[]): string[] => errs.map(fieldErrorMessage);
const clone = <T>(v: T): T => structuredClone(v);

function minimalDeployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
    },
  };
}

/** A valid object of the kind, after defaulting. */
function defaulted(def: typeof deployment, obj: KubeObject): KubeObject {
  def.defaults?.(obj);
  return obj;
}

test('a minimal Deployment is defaulted exactly as upstream (kubectl create deployment web --image=nginx)', () => {
  const obj = defaulted(deployment, minimalDeployment());
  assert.deepEqual(obj.spec, {
    progressDeadlineSeconds: 600,
    replicas: 1,
    revisionHistoryLimit: 10,
    selector: { matchLabels: { app: 'web' } },
    strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [{ image: 'nginx', imagePullPolicy: 'Always', name: 'nginx', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
        dnsPolicy: 'ClusterFirst',
        restartPolicy: 'Always',
        schedulerName: 'default-scheduler',
        securityContext: {},
        terminationGracePeriodSeconds: 30,
      },
    },
  });
  assert.deepEqual(deployment.validate?.(obj), []);
});

test('Deployment defaults keep what the user set; Recreate gets no rollingUpdate', () => {
  const obj = minimalDeployment();
  Object.assign(obj.spec as object, { replicas: 0, strategy: { type: 'Recreate' }, revisionHistoryLimit: 2 });
  deployment.defaults?.(obj);
  const spec = obj.spec as Record<string, unknown>;
  assert.equal(spec.replicas, 0);
  assert.equal(spec.revisionHistoryLimit, 2);
  assert.deepEqual(spec.strategy, { type: 'Recreate' });
});

test('Deployment validation reports every problem with its field path', () => {
  const obj = defaulted(deployment, minimalDeployment());
  const spec = obj.spec as Record<string, any>;
  spec.replicas = -1;
  spec.selector = { matchLabels: { app: 'other' } };
  spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } };
  spec.template.spec.restartPolicy = 'OnFailure';
  spec.template.spec.activeDeadlineSeconds = 5;
  spec.progressDeadlineSeconds = 3;
  spec.minReadySeconds = 10;
  const msgs = messages(deployment.validate?.(obj) ?? []);
  for (const want of [
    'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
    'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported',
    'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0',
    'spec.progressDeadlineSeconds: Invalid value: 3: must be greater than minReadySeconds',
  ]) {
    assert.ok(msgs.includes(want), `missing ${want} in\n${msgs.join('\n')}`);
  }
});

test('Deployment selector: required, non-empty, valid operators; strategy type and percents', () => {
  const obj = defaulted(deployment, minimalDeployment());
  const spec = obj.spec as Record<string, any>;
  delete spec.selector;
  assert.ok(messages(deployment.validate?.(obj) ?? []).includes('spec.selector: Required value'));
  spec.selector = {};
  assert.ok(messages(deployment.validate?.(obj) ?? []).includes('spec.selector: Invalid value: {}: empty selector is invalid for deployment'));
  spec.selector = { matchExpressions: [{ key: 'app', operator: 'Is', values: ['web'] }, { key: 'x', operator: 'In' }] };
  const msgs = messages(deployment.validate?.(obj) ?? []);
  assert.ok(msgs.includes('spec.selector.matchExpressions[0].operator: Invalid value: "Is": not a valid selector operator'), msgs.join('\n'));
  assert.ok(msgs.includes("spec.selector.matchExpressions[1].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"), msgs.join('\n'));
  spec.selector = { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] };
  spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 'half', maxUnavailable: '150%' } };
  const msgs2 = messages(deployment.validate?.(obj) ?? []);
  assert.deepEqual(msgs2, [
    "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"half\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
    'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%',
  ]);
  spec.strategy = { type: 'Recreate', rollingUpdate: {} };
  assert.deepEqual(messages(deployment.validate?.(obj) ?? []), ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"]);
  spec.strategy = { type: 'BlueGreen' };
  assert.deepEqual(messages(deployment.validate?.(obj) ?? []), ['spec.strategy: Unsupported value: {"type":"BlueGreen"}: supported values: "Recreate", "RollingUpdate"']);
});

test('Deployment, ReplicaSet, DaemonSet selectors are immutable on update; replicas are not', () => {
  for (const def of [deployment, replicaSet, daemonSet]) {
    const old = defaulted(def, minimalDeployment());
    const now = clone(old);
    (now.spec as Record<string, any>).replicas = 5;
    assert.deepEqual(def.validateUpdate?.(now, old), [], def.resource.kind);
    (now.spec as Record<string, any>).selector = { matchLabels: { app: 'web', tier: 'x' } };
    assert.deepEqual(messages(def.validateUpdate?.(now, old) ?? []), [
      'spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"x"}}: field is immutable',
    ]);
  }
});

test('Deployment status: counters bounded by status.replicas', () => {
  const obj = defaulted(deployment, minimalDeployment());
  obj.status = { replicas: 2, readyReplicas: 3, availableReplicas: 3, updatedReplicas: -1 };
  assert.deepEqual(messages(deployment.validateStatus?.(obj, obj) ?? []), [
    'status.updatedReplicas: Invalid value: -1: must be greater than or equal to 0',
    'status.readyReplicas: Invalid value: 3: cannot be greater than status.replicas',
    'status.availableReplicas: Invalid value: 3: cannot be greater than status.replicas',
  ]);
});

test('ReplicaSet: replicas default, empty selector message, status.replicas field selector', () => {
  const obj = defaulted(replicaSet, { ...minimalDeployment(), kind: 'ReplicaSet' });
  assert.equal((obj.spec as Record<string, unknown>).replicas, 1);
  assert.deepEqual(replicaSet.validate?.(obj), []);
  obj.status = { replicas: 4 };
  assert.equal(replicaSet.fieldSelectors?.['status.replicas']?.(obj), '4');
});

test('StatefulSet defaults: OrderedReady, RollingUpdate partition 0, Retain/Retain, claim templates', () => {
  const obj = minimalDeployment();
  (obj.spec as Record<string, unknown>).serviceName = 'web';
  (obj.spec as Record<string, unknown>).volumeClaimTemplates = [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'] } }];
  statefulSet.defaults?.(obj);
  const spec = obj.spec as Record<string, unknown>;
  assert.equal(spec.podManagementPolicy, 'OrderedReady');
  assert.deepEqual(spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
  assert.deepEqual(spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
  assert.equal(spec.replicas, 1);
  assert.equal(spec.revisionHistoryLimit, 10);
  assert.deepEqual(spec.volumeClaimTemplates, [
    { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' }, status: { phase: 'Pending' } },
  ]);
  assert.deepEqual(statefulSet.validate?.(obj), []);
});

test('StatefulSet validation and the update rule', () => {
  const old = defaulted(statefulSet, minimalDeployment());
  const obj = clone(old);
  const spec = obj.spec as Record<string, any>;
  spec.podManagementPolicy = 'Random';
  spec.updateStrategy = { type: 'OnDelete', rollingUpdate: { partition: 1 } };
  spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Keep', whenScaled: 'Retain' };
  spec.template.spec.activeDeadlineSeconds = 1;
  spec.selector = {};
  assert.deepEqual(messages(statefulSet.validate?.(obj) ?? []), [
    "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'",
    "spec.updateStrategy.rollingUpdate: Invalid value: {\"partition\":1}: only allowed for updateStrategy 'RollingUpdate'",
    'spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"',
    'spec.selector: Invalid value: {}: empty selector is invalid for statefulset',
    'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported',
  ]);
  const upd = clone(old);
  (upd.spec as Record<string, any>).replicas = 3;
  (upd.spec as Record<string, any>).template.spec.containers[0].image = 'nginx:2';
  assert.deepEqual(statefulSet.validateUpdate?.(upd, old), []);
  (upd.spec as Record<string, any>).serviceName = 'other';
  assert.deepEqual(messages(statefulSet.validateUpdate?.(upd, old) ?? []), [
    "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
  ]);
});

test('DaemonSet defaults RollingUpdate 1/0 and validates surge/unavailable exclusivity', () => {
  const obj = defaulted(daemonSet, minimalDeployment());
  const spec = obj.spec as Record<string, any>;
  assert.deepEqual(spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  assert.equal(spec.revisionHistoryLimit, 10);
  assert.equal(spec.replicas, undefined);
  assert.deepEqual(daemonSet.validate?.(obj), []);
  (spec.updateStrategy as Record<string, unknown>).rollingUpdate = { maxUnavailable: 1, maxSurge: '10%' };
  assert.deepEqual(messages(daemonSet.validate?.(obj) ?? []), ['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: "10%": may not be set when maxUnavailable is non-zero']);
  (spec.updateStrategy as Record<string, unknown>).rollingUpdate = { maxUnavailable: 0, maxSurge: 0 };
  assert.deepEqual(messages(daemonSet.validate?.(obj) ?? []), ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0']);
  spec.template.spec.activeDeadlineSeconds = 9;
  spec.updateStrategy = { type: 'OnDelete' };
  assert.deepEqual(messages(daemonSet.validate?.(obj) ?? []), ['spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported']);
});

test('ControllerRevision: data required and immutable, revision non-negative', () => {
  const rev: KubeObject = { metadata: { name: 'web-1' }, revision: -2 };
  assert.deepEqual(messages(controllerRevision.validate?.(rev) ?? []), [
    'data: Required value: data is mandatory',
    'revision: Invalid value: -2: must be greater than or equal to 0',
  ]);
  const old: KubeObject = { metadata: { name: 'web-1' }, revision: 1, data: { spec: { a: 1 } } };
  assert.deepEqual(messages(controllerRevision.validateUpdate?.({ ...old, data: { spec: { a: 2 } } }, old) ?? []), [
    'data: Invalid value: {"spec":{"a":2}}: field is immutable',
  ]);
});

test('apps resource info matches upstream discovery', () => {
  const byPlural = Object.fromEntries(kinds.map((k) => [k.resource.plural, k.resource]));
  assert.deepEqual(byPlural.deployments?.shortNames, ['deploy']);
  assert.deepEqual(byPlural.deployments?.categories, ['all']);
  assert.deepEqual(byPlural.deployments?.subresources, ['status', 'scale']);
  assert.deepEqual(byPlural.statefulsets?.shortNames, ['sts']);
  assert.deepEqual(byPlural.daemonsets?.subresources, ['status']);
  assert.deepEqual(byPlural.controllerrevisions?.categories, []);
  for (const k of kinds) assert.equal(k.resource.group, 'apps');
  assert.deepEqual(deployment.scale, { specReplicas: ['spec', 'replicas'], statusReplicas: ['status', 'replicas'], labelSelector: ['spec', 'selector'] });
});

test('per-kind upstream quirks: DaemonSet nil selector, StatefulSet template checks, StatefulSet names and status', () => {
  const ds = defaulted(daemonSet, minimalDeployment());
  delete (ds.spec as Record<string, unknown>).selector;
  assert.deepEqual(messages(daemonSet.validate?.(ds) ?? []), ['spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`']);
  const rs = defaulted(replicaSet, minimalDeployment());
  delete (rs.spec as Record<string, unknown>).selector;
  assert.deepEqual(messages(replicaSet.validate?.(rs) ?? []), [
    'spec.selector: Required value',
    'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
  ]);
  // upstream validates only the labels and annotations of a StatefulSet's template, not its pod spec
  const sts = defaulted(statefulSet, minimalDeployment());
  const tpl = (sts.spec as Record<string, any>).template;
  tpl.spec.containers[0].name = 'Not_A_Name';
  tpl.metadata.labels['bad key!'] = 'web';
  (sts.spec as Record<string, any>).selector = { matchLabels: { app: 'web' } };
  const msgs = messages(statefulSet.validate?.(sts) ?? []);
  assert.equal(msgs.length, 1, msgs.join('\n'));
  assert.ok(msgs[0]?.startsWith('spec.template.labels: Invalid value: "bad key!": name part must consist of alphanumeric characters'), msgs[0]);
  assert.equal(statefulSet.nameRule, 'label');
  sts.status = { replicas: 3, readyReplicas: 1, availableReplicas: 2 };
  assert.deepEqual(messages(statefulSet.validateStatus?.(sts, sts) ?? []), ['status.availableReplicas: Invalid value: 2: cannot be greater than status.readyReplicas']);
});

test('DaemonSet template generation annotation: 1 on create, +1 when the template changes', () => {
  const ds = minimalDeployment();
  daemonSet.defaults?.(ds);
  assert.equal(ds.metadata?.annotations, undefined, 'no uid yet: not a create');
  (ds.metadata as Record<string, unknown>).uid = 'u1';
  daemonSet.defaults?.(ds);
  assert.deepEqual(ds.metadata?.annotations, { 'deprecated.daemonset.template.generation': '1' });
  const same = structuredClone(ds);
  (same.spec as Record<string, any>).minReadySeconds = 5;
  prepareDaemonSetForUpdate(same, ds);
  assert.equal(same.metadata?.annotations?.['deprecated.daemonset.template.generation'], '1');
  const changed = structuredClone(ds);
  (changed.spec as Record<string, any>).template.spec.containers[0].image = 'nginx:2';
  delete changed.metadata?.annotations;
  prepareDaemonSetForUpdate(changed, ds);
  assert.equal(changed.metadata?.annotations?.['deprecated.daemonset.template.generation'], '2');
});

test('status collisionCount may not be decremented', () => {
  for (const def of [deployment, statefulSet, daemonSet]) {
    const old = defaulted(def, minimalDeployment());
    old.status = { collisionCount: 3 };
    const now = structuredClone(old);
    now.status = { collisionCount: 2 };
    assert.deepEqual(messages(def.validateStatus?.(now, old) ?? []), ['status.collisionCount: Invalid value: 2: cannot be decremented'], def.resource.kind);
    now.status = { collisionCount: 4 };
    assert.deepEqual(def.validateStatus?.(now, old), [], def.resource.kind);
  }
});
