/** The rbac.authorization.k8s.io/v1 kinds: Role, ClusterRole, RoleBinding, ClusterRoleBinding. */
import type { KindDefinition } from '../../types.js';
import { clusterRoleBinding, roleBinding } from './bindings.js';
import { clusterRole, role } from './roles.js';

export { clusterRole, clusterRoleBinding, role, roleBinding };
export { RBAC_GROUP, validatePolicyRule } from './rules.js';
export const kinds: KindDefinition[] = [role, clusterRole, roleBinding, clusterRoleBinding];
