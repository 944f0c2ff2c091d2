/**
 * authorization.k8s.io/v1 review kinds: create-only, never stored. The API server answers each review
 * with its status filled in (Skiff has no RBAC enforcement yet: authenticated users may do everything).
 */
import type { KindDefinition } from '../../types.js';
import { resourceInfo } from '../common/resource.js';

const review = (kind: string, plural: string, namespaced: boolean): KindDefinition => ({
  resource: resourceInfo('authorization.k8s.io', 'v1', kind, { plural, namespaced, verbs: ['create'] }),
  model: `V1${kind}`,
  hasStatus: false,
  hasSpec: true,
  keepStatusOnCreate: true,
});

export const selfSubjectAccessReview = review('SelfSubjectAccessReview', 'selfsubjectaccessreviews', false);
export const selfSubjectRulesReview = review('SelfSubjectRulesReview', 'selfsubjectrulesreviews', false);
export const subjectAccessReview = review('SubjectAccessReview', 'subjectaccessreviews', false);
export const localSubjectAccessReview = review('LocalSubjectAccessReview', 'localsubjectaccessreviews', true);

export const kinds: KindDefinition[] = [selfSubjectAccessReview, selfSubjectRulesReview, subjectAccessReview, localSubjectAccessReview];

/** Kinds the registry answers without storing (their plural within authorization.k8s.io). */
export const reviewPlurals = new Set(kinds.map((k) => k.resource.plural));
