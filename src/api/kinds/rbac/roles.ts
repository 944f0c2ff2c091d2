/**
 * rbac.authorization.k8s.io/v1 Role (namespaced) and ClusterRole (cluster-scoped, may aggregate
 * other ClusterRoles by label). Names are path segments (upstream ValidateRBACName).
 */
import type { V1ClusterRole, V1Role } from '@kubernetes/client-node';
import type { FieldError } from '../../../machinery/errors.js';
import { path } from '../../../machinery/errors.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { validateLabelSelector } from '../common/label-selector.js';
import { resourceInfo } from '../common/resource.js';
import { required } from '../common/validation.js';
import { RBAC_GROUP, validateRules } from './rules.js';

export const role: KindDefinition = {
  resource: resourceInfo(RBAC_GROUP, 'v1', 'Role', { plural: 'roles', namespaced: true }),
  model: 'V1Role',
  nameRule: 'path-segment',
  validate: (obj) => validateRules((obj as unknown as V1Role).rules, true),
  hasStatus: false,
  hasSpec: false,
};

function validateClusterRole(obj: KubeObject): FieldError[] {
  const cr = obj as unknown as V1ClusterRole;
  const errs = validateRules(cr.rules, false);
  if (cr.aggregationRule) {
    const selectors = cr.aggregationRule.clusterRoleSelectors ?? [];
    const fld = path('aggregationRule').child('clusterRoleSelectors');
    if (selectors.length === 0) errs.push(required(fld, 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    selectors.forEach((s, i) => errs.push(...validateLabelSelector(s, fld.index(i))));
  }
  return errs;
}

export const clusterRole: KindDefinition = {
  resource: resourceInfo(RBAC_GROUP, 'v1', 'ClusterRole', { plural: 'clusterroles', namespaced: false }),
  model: 'V1ClusterRole',
  nameRule: 'path-segment',
  validate: validateClusterRole,
  hasStatus: false,
  hasSpec: false,
};
