/**
 * The collector's writes: metadata list edits (finalizers, ownerReferences) as guarded JSON patches,
 * and DELETEs with a uid precondition and a propagation policy.
 */
import type { KubeObject } from '../../api/types.js';
import type { RestClient } from '../../client/rest.js';

export type MutateOutcome = 'updated' | 'unchanged' | 'gone';

/**
 * Rewrites one metadata list (finalizers, ownerReferences) with a JSON patch guarded by `test` ops on
 * the uid and on the list as read, so concurrent writes to other fields (a controller updating status
 * many times a second) do not conflict with it; a failed test (422) or 409 re-reads and retries.
 * `edit` returns the new list, or undefined for no change.
 */
export async function patchMetadataList<T>(
  client: RestClient,
  path: string,
  uid: string | undefined,
  field: 'finalizers' | 'ownerReferences',
  edit: (current: T[]) => T[] | undefined,
): Promise<MutateOutcome> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const got = await client.get<KubeObject>(path);
    if (got.status === 404) return 'gone';
    if (got.status !== 200) throw new Error(`GET ${path}: ${got.status} ${got.text.slice(0, 200)}`);
    const meta = got.body.metadata ?? {};
    if (uid && meta.uid !== uid) return 'gone';
    const current = (meta[field] as T[] | undefined) ?? [];
    const next = edit(current);
    if (!next) return 'unchanged';
    const pointer = `/metadata/${field}`;
    const ops: unknown[] = [{ op: 'test', path: '/metadata/uid', value: meta.uid }];
    if (meta[field] === undefined) ops.push({ op: 'add', path: pointer, value: next });
    else ops.push({ op: 'test', path: pointer, value: current }, next.length ? { op: 'replace', path: pointer, value: next } : { op: 'remove', path: pointer });
    const res = await client.patch(path, ops, 'application/json-patch+json');
    if (res.status === 200) return 'updated';
    if (res.status === 404) return 'gone';
    if (res.status !== 409 && res.status !== 422) throw new Error(`PATCH ${path}: ${res.status} ${res.text.slice(0, 200)}`);
  }
  throw new Error(`PATCH ${path}: conflict persisted`);
}

/** Removes one finalizer from an object (no-op when absent or the object is gone). */
export function removeFinalizer(client: RestClient, path: string, uid: string | undefined, finalizer: string): Promise<MutateOutcome> {
  return patchMetadataList<string>(client, path, uid, 'finalizers', (fins) => (fins.includes(finalizer) ? fins.filter((f) => f !== finalizer) : undefined));
}

/** Removes the ownerReferences pointing at the given owner uids. */
export function removeOwnerReferences(client: RestClient, path: string, uid: string | undefined, ownerUids: ReadonlySet<string>): Promise<MutateOutcome> {
  return patchMetadataList<{ uid: string }>(client, path, uid, 'ownerReferences', (refs) => {
    const kept = refs.filter((r) => !ownerUids.has(r.uid));
    return kept.length === refs.length ? undefined : kept;
  });
}

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

/** DELETE with a uid precondition; resolves false when the object was already gone or replaced. */
export async function deleteWithUid(client: RestClient, path: string, uid: string | undefined, propagationPolicy: PropagationPolicy): Promise<boolean> {
  const body = { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy, ...(uid ? { preconditions: { uid } } : {}) };
  const res = await client.delete(path, body);
  if (res.status === 200 || res.status === 202) return true;
  if (res.status === 404 || res.status === 409) return false;
  throw new Error(`DELETE ${path}: ${res.status} ${res.text.slice(0, 200)}`);
}
