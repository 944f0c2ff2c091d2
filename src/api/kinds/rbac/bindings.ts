/**
 * rbac.authorization.k8s.io/v1 RoleBinding (namespaced; refers to a Role or ClusterRole) and
 * ClusterRoleBinding (refers to a ClusterRole). roleRef.apiGroup and User/Group subject apiGroups
 * default to rbac.authorization.k8s.io; roleRef cannot change after creation.
 */
import type { V1ClusterRoleBinding, V1RoleBinding } from '@kubernetes/client-node';
import type { FieldError } from '../../../machinery/errors.js';
import { path } from '../../../machinery/errors.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { resourceInfo } from '../common/resource.js';
import { deepEqual, invalidValue } from '../common/validation.js';
import { RBAC_GROUP, defaultBinding, validateBinding } from './rules.js';

type Binding = V1RoleBinding | V1ClusterRoleBinding;
const asBinding = (obj: KubeObject): Binding => obj as unknown as Binding;

function roleRefUnchanged(obj: KubeObject, old: KubeObject): FieldError[] {
  const now = asBinding(obj).roleRef;
  return deepEqual(now, asBinding(old).roleRef) ? [] : [invalidValue(path('roleRef'), now, 'cannot change roleRef')];
}

const defaults = (obj: KubeObject): void => defaultBinding(asBinding(obj).roleRef, asBinding(obj).subjects);

export const roleBinding: KindDefinition = {
  resource: resourceInfo(RBAC_GROUP, 'v1', 'RoleBinding', { plural: 'rolebindings', namespaced: true }),
  model: 'V1RoleBinding',
  nameRule: 'path-segment',
  defaults,
  validate: (obj) => validateBinding(asBinding(obj).roleRef, asBinding(obj).subjects, true),
  validateUpdate: roleRefUnchanged,
  hasStatus: false,
  hasSpec: false,
};

export const clusterRoleBinding: KindDefinition = {
  resource: resourceInfo(RBAC_GROUP, 'v1', 'ClusterRoleBinding', { plural: 'clusterrolebindings', namespaced: false }),
  model: 'V1ClusterRoleBinding',
  nameRule: 'path-segment',
  defaults,
  validate: (obj) => validateBinding(asBinding(obj).roleRef, asBinding(obj).subjects, false),
  validateUpdate: roleRefUnchanged,
  hasStatus: false,
  hasSpec: false,
};
