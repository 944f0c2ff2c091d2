/**
 * Which client-node model a protobuf body's typeMeta names: every served kind (src/api/index.ts)
 * plus the subresource and option bodies kubectl sends that are not kinds of their own.
 * Input: apiVersion (`v1`, `apps/v1`) and kind. Output: a model name such as `V1ConfigMap`.
 */
import { findKindByKind } from '../../api/index.js';

/** Bodies that are not served kinds: `apiVersion -> kind -> model`. */
export const EXTRA_BODY_MODELS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'policy/v1': { Eviction: 'V1Eviction' },
  'authentication.k8s.io/v1': { TokenRequest: 'AuthenticationV1TokenRequest' },
  v1: { Binding: 'V1Binding' },
};

/** The model for a body's typeMeta, or undefined when Skiff does not decode that kind. */
export function modelForKind(apiVersion: string, kind: string): string | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  if (kind === 'DeleteOptions') return 'V1DeleteOptions'; // registered in every group version upstream
  return findKindByKind(group, version, kind)?.model ?? EXTRA_BODY_MODELS[apiVersion]?.[kind];
}
