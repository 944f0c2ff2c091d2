/**
 * Read-modify-write of one object by path with optimistic concurrency: GET, check the uid is still the
 * one we mean, mutate a copy, PUT with its resourceVersion, retry on 409 Conflict.
 */
import type { KubeObject } from '../../api/types.js';
import type { RestClient } from '../../client/rest.js';

export type MutateOutcome = 'updated' | 'unchanged' | 'gone';

/** `mutate` edits the copy in place and returns whether it changed anything. */
export async function mutateObject(client: RestClient, path: string, uid: string | undefined, mutate: (obj: KubeObject) => boolean): Promise<MutateOutcome> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const got = await client.get<KubeObject>(path);
    if (got.status === 404) return 'gone';
    if (got.status !== 200) throw new Error(`GET ${path}: ${got.status} ${got.text.slice(0, 200)}`);
    const obj = structuredClone(got.body);
    if (uid && obj.metadata?.uid !== uid) return 'gone';
    if (!mutate(obj)) return 'unchanged';
    const put = await client.put(path, obj);
    if (put.status === 200 || put.status === 201) return 'updated';
    if (put.status === 404) return 'gone';
    if (put.status !== 409) throw new Error(`PUT ${path}: ${put.status} ${put.text.slice(0, 200)}`);
  }
  throw new Error(`PUT ${path}: conflict persisted`);
}

/** Removes one finalizer from an object (no-op when absent or the object is gone). */
export function removeFinalizer(client: RestClient, path: string, uid: string | undefined, finalizer: string): Promise<MutateOutcome> {
  return mutateObject(client, path, uid, (obj) => {
    const fins = obj.metadata?.finalizers ?? [];
    if (!fins.includes(finalizer)) return false;
    obj.metadata!.finalizers = fins.filter((f) => f !== finalizer);
    return true;
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
