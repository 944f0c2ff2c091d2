/**
 * authorization.k8s.io reviews (`kubectl auth can-i`): answered, never stored. Skiff has no RBAC
 * enforcement yet, so every authenticated user is allowed everything; the answers say so.
 */
import type { KubeObject } from '../../api/types.js';
import { StatusError } from '../../machinery/errors.js';

export function answerReview(plural: string, body: unknown): KubeObject {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new StatusError('BadRequest', 'the body of the request must be a review object');
  const review = { ...(body as KubeObject) };
  review.metadata = { ...(review.metadata ?? {}), creationTimestamp: undefined };
  delete review.metadata.creationTimestamp;
  if (plural === 'selfsubjectrulesreviews') {
    review.status = {
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    };
  } else {
    const spec = (review.spec ?? {}) as { resourceAttributes?: unknown; nonResourceAttributes?: unknown };
    if (!spec.resourceAttributes && !spec.nonResourceAttributes) {
      throw new StatusError('Invalid', `${review.kind ?? 'SelfSubjectAccessReview'}.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified`);
    }
    review.status = { allowed: true, reason: 'skiff: authenticated users may do everything (RBAC is not enforced yet)' };
  }
  return review;
}
