/**
 * ControllerRevisions (upstream pkg/controller/history): snapshots of a StatefulSet's or DaemonSet's
 * pod template, named `<owner>-<hash>` where the hash covers the snapshot and the collision count.
 * Finds the revision equal to the current template, creates the next one (revision = max + 1, or
 * re-numbers an older equal one), bumps collisionCount on a name clash, and prunes old history.
 */
import type { RestClient } from '../../client/rest.js';
import { controllerOf } from '../../runtime/index.js';
import { canonicalJson, fnv32a, safeEncodeString } from '../deployment/hash.js';
import { controllerRefTo } from '../replicaset/index.js';
import type { KubeObject, ObjectMeta } from '../replicaset/types.js';

export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';

export interface ControllerRevision extends KubeObject {
  metadata: ObjectMeta;
  data: unknown;
  revision: number;
}

export interface RevisionOwner {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}

export function revisionHash(data: unknown, collisionCount: number | undefined): string {
  let h = fnv32a(Buffer.from(canonicalJson(data), 'utf8'));
  if (collisionCount) {
    const le = Buffer.alloc(4);
    le.writeUInt32LE(collisionCount >>> 0);
    h = fnv32a(le, h);
  }
  return safeEncodeString(String(h));
}

const revisionsPath = (ns: string) => `/apis/apps/v1/namespaces/${ns}/controllerrevisions`;

/** Revisions controlled by the owner, oldest revision number first. */
export function ownedRevisions(all: KubeObject[], owner: RevisionOwner): ControllerRevision[] {
  return (all as ControllerRevision[]).filter((r) => r.metadata.namespace === owner.metadata.namespace && controllerOf(r)?.uid === owner.metadata.uid).sort((a, b) => a.revision - b.revision);
}

/**
 * The revision holding `data`: an existing equal one (re-numbered to be the newest if needed) or a
 * new one. Returns it and the collision count to store in status.
 */
export async function ensureRevision(client: RestClient, owner: RevisionOwner, revisions: ControllerRevision[], data: unknown, labels: Record<string, string>, collisionCount: number): Promise<{ revision: ControllerRevision; collisionCount: number }> {
  const ns = owner.metadata.namespace ?? 'default';
  const next = (revisions.at(-1)?.revision ?? 0) + 1;
  const equal = revisions.filter((r) => canonicalJson(r.data) === canonicalJson(data));
  const found = equal.at(-1);
  if (found) {
    if (found === revisions.at(-1)) return { revision: found, collisionCount };
    const res = await client.patch<ControllerRevision>(`${revisionsPath(ns)}/${found.metadata.name}`, { revision: next });
    if (res.status !== 200) throw new Error(`renumber revision ${found.metadata.name}: ${res.status} ${res.text.slice(0, 200)}`);
    return { revision: res.body, collisionCount };
  }
  for (let cc = collisionCount; ; cc++) {
    const hash = revisionHash(data, cc);
    const body = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { name: `${owner.metadata.name}-${hash}`, namespace: ns, labels: { ...labels, [CONTROLLER_REVISION_HASH_LABEL]: hash }, ownerReferences: [controllerRefTo(owner)] },
      data,
      revision: next,
    };
    const res = await client.post<ControllerRevision>(revisionsPath(ns), body);
    if (res.status === 201) return { revision: res.body, collisionCount: cc };
    if (res.status !== 409) throw new Error(`create revision: ${res.status} ${res.text.slice(0, 200)}`);
    const existing = await client.get<ControllerRevision>(`${revisionsPath(ns)}/${body.metadata.name}`);
    if (existing.status === 200 && controllerOf(existing.body)?.uid === owner.metadata.uid && canonicalJson(existing.body.data) === canonicalJson(data)) return { revision: existing.body, collisionCount: cc };
    // A different object holds the name: hash collision, try the next count.
  }
}

/** Deletes the oldest revisions not in `live` beyond `limit` (revisionHistoryLimit, default 10). */
export async function pruneRevisions(client: RestClient, revisions: ControllerRevision[], live: Set<string>, limit = 10): Promise<void> {
  const old = revisions.filter((r) => !live.has(r.metadata.name ?? ''));
  for (const r of old.slice(0, Math.max(0, old.length - limit))) await client.delete(`${revisionsPath(r.metadata.namespace ?? 'default')}/${r.metadata.name}`);
}
