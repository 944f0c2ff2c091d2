import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { fieldErrorMessage, type FieldError } from '../../../machinery/errors.js';
import type { KubeObject } from '../../types.js';
import { clusterRole, clusterRoleBinding, kinds, role, roleBinding } from './index.js';

const messages = (errs: FieldError[]): string[] => errs.map(fieldErrorMessage);

test('Role rules: verbs required, resources and groups required, no non-resource URLs in namespaces', () => {
  assert.deepEqual(role.validate?.({ rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] }), []);
  assert.deepEqual(messages(role.validate?.({ rules: [{ resources: ['pods'] }, { nonResourceURLs: ['/healthz'], verbs: ['get'], resources: ['pods'] }] }) ?? []), [
    'rules[0].verbs: Required value: verbs must contain at least one value',
    'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
    'rules[1].nonResourceURLs: Invalid value: ["/healthz"]: namespaced rules cannot apply to non-resource URLs',
    'rules[1].nonResourceURLs: Invalid value: ["/healthz"]: rules cannot apply to both regular resources and non-resource URLs',
  ]);
  assert.deepEqual(clusterRole.validate?.({ rules: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }] }), []);
  assert.deepEqual(messages(clusterRole.validate?.({ aggregationRule: { clusterRoleSelectors: [] } }) ?? []), [
    'aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil',
  ]);
});

test('bindings: defaults, roleRef and subject rules, roleRef immutable', () => {
  const rb: KubeObject = {
    metadata: { name: 'read', namespace: 'dev' },
    roleRef: { kind: 'Role', name: 'reader' },
    subjects: [{ kind: 'User', name: 'jane' }, { kind: 'ServiceAccount', name: 'default', namespace: 'dev' }],
  };
  roleBinding.defaults?.(rb);
  assert.deepEqual(rb.roleRef, { kind: 'Role', name: 'reader', apiGroup: 'rbac.authorization.k8s.io' });
  assert.deepEqual(rb.subjects, [
    { kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' },
    { kind: 'ServiceAccount', name: 'default', namespace: 'dev' },
  ]);
  assert.deepEqual(roleBinding.validate?.(rb), []);
  const crb: KubeObject = {
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: '' },
    subjects: [{ kind: 'ServiceAccount', name: 'sa', apiGroup: 'v1' }, { kind: 'Robot', name: 'r' }, { kind: 'Group', name: 'devs', apiGroup: 'x' }],
  };
  assert.deepEqual(messages(clusterRoleBinding.validate?.(crb) ?? []), [
    'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
    'roleRef.name: Required value',
    'subjects[0].apiGroup: Unsupported value: "v1": supported values: ""',
    'subjects[0].namespace: Required value',
    'subjects[1].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    'subjects[2].apiGroup: Unsupported value: "x": supported values: "rbac.authorization.k8s.io"',
  ]);
  const changed = structuredClone(rb);
  (changed.roleRef as Record<string, unknown>).name = 'admin';
  assert.deepEqual(messages(roleBinding.validateUpdate?.(changed, rb) ?? []), [
    'roleRef: Invalid value: {"kind":"Role","name":"admin","apiGroup":"rbac.authorization.k8s.io"}: cannot change roleRef',
  ]);
  const subjectsChanged = structuredClone(rb);
  (subjectsChanged.subjects as unknown[]).pop();
  assert.deepEqual(roleBinding.validateUpdate?.(subjectsChanged, rb), []);
});

test('rbac resource info: path-segment names, scopes', () => {
  assert.deepEqual(
    kinds.map((k) => [k.resource.plural, k.resource.namespaced, k.nameRule]),
    [
      ['roles', true, 'path-segment'],
      ['clusterroles', false, 'path-segment'],
      ['rolebindings', true, 'path-segment'],
      ['clusterrolebindings', false, 'path-segment'],
    ],
  );
});
