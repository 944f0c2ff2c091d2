/**
 * The client-side-apply upgrade path of upstream's field manager, active only for the manager
 * `kubectl` (kubectl apply --server-side):
 * - conflicts are allowed (the apply is forced) when every conflicting field is one the object's
 *   `kubectl.kubernetes.io/last-applied-configuration` set to the value it still has, so moving from
 *   client-side to server-side apply does not conflict with `kubectl-client-side-apply`;
 * - after the apply, an existing last-applied annotation is rewritten to the applied configuration,
 *   so a later client-side apply diffs against it.
 */
import type { KubeObject } from '../../api/types.js';
import { flatten } from './field-path.js';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
export const UPGRADING_MANAGER = 'kubectl';

function lastAppliedOf(obj: KubeObject | undefined): string | undefined {
  const v = obj?.metadata?.annotations?.[LAST_APPLIED];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Path keys the last-applied configuration sets to the values `live` still has. */
export function fieldsStillAsLastApplied(live: KubeObject | undefined, model: string): Set<string> {
  const text = lastAppliedOf(live);
  if (!text || !live) return new Set();
  let applied: unknown;
  try {
    applied = JSON.parse(text);
  } catch {
    return new Set();
  }
  const liveFlat = flatten(live, model);
  const out = new Set<string>();
  for (const [k, v] of flatten(applied, model)) if (liveFlat.get(k) === v) out.add(k);
  return out;
}

/** Rewrites an existing last-applied annotation on `merged` to `applied` (without that annotation). */
export function syncLastApplied(live: KubeObject | undefined, merged: KubeObject, applied: KubeObject): void {
  if (!lastAppliedOf(live)) return;
  const copy = structuredClone(applied);
  if (copy.metadata?.annotations) delete copy.metadata.annotations[LAST_APPLIED];
  if (copy.metadata) delete copy.metadata.managedFields;
  merged.metadata = { ...(merged.metadata ?? {}), annotations: { ...(merged.metadata?.annotations ?? {}), [LAST_APPLIED]: JSON.stringify(copy) } };
}
