/**
 * Strategic merge patch (`application/strategic-merge-patch+json`), as kubectl edit, client-side
 * apply and `rollout restart` send it.
 *
 * Input: the current object (plain JSON), the patch (a JSON object), and the client-node model name
 * of the object's kind (`V1Deployment`) whose schema and patch tags (src/api/patch-meta.ts) decide how
 * each list merges. Output: the patched object, a new value (inputs are not modified).
 * Failures are StatusErrors as upstream's API server reports them (see errors.ts).
 *
 * Semantics follow kubernetes/community's strategic-merge-patch.md and apimachinery's strategicpatch:
 * lists with `patchStrategy: merge` merge by their merge key (lists of scalars as ordered sets),
 * other lists are replaced; maps merge recursively; `null` deletes; `$patch: replace|delete|merge`,
 * `$retainKeys`, `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>` are honoured.
 */
import { schemaFor } from '../../api/schema.js';
import { errors } from './errors.js';
import { DELETED, isMap, mergeMap } from './merge.js';

export { createThreeWayMergePatch } from './three-way.js';


export function applyStrategicMergePatch(original: unknown, patch: unknown, model: string): unknown {
  if (!isMap(patch)) throw errors.notAnObject(Array.isArray(patch) ? 'array' : patch === null ? 'null' : typeof patch);
  const base = isMap(original) ? (structuredClone(original) as Record<string, unknown>) : undefined;
  const merged = mergeMap(base, structuredClone(patch) as Record<string, unknown>, schemaFor(model));
  return merged === DELETED ? {} : merged;
}
