/**
 * Validation shared by the four RBAC kinds (upstream pkg/apis/rbac/validation): policy rules,
 * role references and subjects, plus the subject/roleRef apiGroup defaults.
 */
import type { RbacV1Subject, V1PolicyRule, V1RoleRef } from '@kubernetes/client-node';
import type { FieldError, FieldPath } from '../../../machinery/errors.js';
import { path } from '../../../machinery/errors.js';
import { isDNS1123Subdomain, isValidPathSegmentName } from '../../../machinery/names.js';
import { invalidEach, invalidValue, notSupported, required } from '../common/validation.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** upstream ValidatePolicyRule. */
export function validatePolicyRule(rule: V1PolicyRule, namespaced: boolean, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if ((rule.verbs ?? []).length === 0) errs.push(required(fld.child('verbs'), 'verbs must contain at least one value'));
  const urls = rule.nonResourceURLs ?? [];
  if (urls.length > 0) {
    if (namespaced) errs.push(invalidValue(fld.child('nonResourceURLs'), urls, 'namespaced rules cannot apply to non-resource URLs'));
    if ((rule.apiGroups ?? []).length > 0 || (rule.resources ?? []).length > 0 || (rule.resourceNames ?? []).length > 0) {
      errs.push(invalidValue(fld.child('nonResourceURLs'), urls, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if ((rule.apiGroups ?? []).length === 0) errs.push(required(fld.child('apiGroups'), 'resource rules must supply at least one api group'));
  if ((rule.resources ?? []).length === 0) errs.push(required(fld.child('resources'), 'resource rules must supply at least one resource'));
  return errs;
}

export function validateRules(rules: V1PolicyRule[] | undefined, namespaced: boolean): FieldError[] {
  return (rules ?? []).flatMap((r, i) => validatePolicyRule(r, namespaced, path('rules').index(i)));
}

/** upstream ValidateRoleBindingSubject. */
function validateSubject(s: RbacV1Subject, namespaced: boolean, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!s.name) errs.push(required(fld.child('name')));
  switch (s.kind) {
    case 'ServiceAccount':
      if (s.name) errs.push(...invalidEach(fld.child('name'), s.name, isDNS1123Subdomain(s.name)));
      if (s.apiGroup) errs.push(notSupported(fld.child('apiGroup'), s.apiGroup, ['']));
      if (!namespaced && !s.namespace) errs.push(required(fld.child('namespace')));
      break;
    case 'User':
    case 'Group':
      if (s.apiGroup !== RBAC_GROUP) errs.push(notSupported(fld.child('apiGroup'), s.apiGroup ?? '', [RBAC_GROUP]));
      break;
    default:
      errs.push(notSupported(fld.child('kind'), s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

/** roleRef and subjects of a RoleBinding (namespaced) or ClusterRoleBinding. */
export function validateBinding(roleRef: V1RoleRef | undefined, subjects: RbacV1Subject[] | undefined, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ref = path('roleRef');
  if (roleRef?.apiGroup !== RBAC_GROUP) errs.push(notSupported(ref.child('apiGroup'), roleRef?.apiGroup ?? '', [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(roleRef?.kind ?? '')) errs.push(notSupported(ref.child('kind'), roleRef?.kind ?? '', kinds));
  if (!roleRef?.name) errs.push(required(ref.child('name')));
  else errs.push(...invalidEach(ref.child('name'), roleRef.name, isValidPathSegmentName(roleRef.name)));
  (subjects ?? []).forEach((s, i) => errs.push(...validateSubject(s, namespaced, path('subjects').index(i))));
  return errs;
}

/** upstream SetDefaults_RoleBinding / _ClusterRoleBinding / _Subject. */
export function defaultBinding(roleRef: V1RoleRef | undefined, subjects: RbacV1Subject[] | undefined): void {
  if (roleRef && !roleRef.apiGroup) roleRef.apiGroup = RBAC_GROUP;
  for (const s of subjects ?? []) {
    if (!s.apiGroup && (s.kind === 'User' || s.kind === 'Group')) s.apiGroup = RBAC_GROUP;
  }
}
