/**
 * Server-side apply (`application/apply-patch+yaml`) and field ownership tracking (managedFields).
 *
 * - `applyPatch(live, applied, {manager, force, model, now})`: merges the applied configuration into
 *   the live object (or creates it when `live` is undefined), removes fields this manager applied
 *   before but no longer does (unless another manager owns them), and records the manager's Apply
 *   entry. A field another manager owns whose value the apply would change is a conflict: 409 Conflict
 *   with FieldManagerConflict causes, unless `force` takes ownership. Output: `{object, managedFields}`
 *   (the object already carries the new managedFields).
 *   For the manager `kubectl`, conflicts on fields still as the last-applied annotation set them are
 *   taken over, and that annotation follows the apply (upstream's client-side-apply upgrade).
 *   Kinds without a client-node model (custom resources) merge as untyped JSON (lists atomic).
 * - `trackUpdate(old, next, manager, operation, model, now, subresource?)`: managedFields after an
 *   ordinary write (create, update, patch, scale): the writer takes the fields it changed, others
 *   lose them; managedFields the write itself sets are the starting point (`[{}]` clears them).
 * - `defaultFieldManager(userAgent)`: upstream's manager name when a request names none.
 *
 * Fields are compared as upstream's structured-merge-diff does, by the schema's list types
 * (src/api/patch-meta.ts); see field-path.ts for the path and FieldsV1 encodings.
 */
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../api/types.js';
import { StatusError } from '../errors.js';
import { flatten, pathString, type FlatFields } from './field-path.js';
import { disown, encodeManagedFields, parseManagedFields, type ManagedFieldsEntry, type Operation, type Owner } from './managed-fields.js';
import { mergeApplied, removePaths } from './merge.js';
import { fieldsStillAsLastApplied, syncLastApplied, UPGRADING_MANAGER } from './last-applied.js';

export type { ManagedFieldsEntry, Operation } from './managed-fields.js';
export { fromFieldsV1, toFieldsV1, pathString } from './field-path.js';

export interface ApplyOptions {
  manager: string;
  force: boolean;
  /** client-node model name of the kind, e.g. `V1Deployment`. */
  model: string;
  /** RFC 3339 timestamp recorded in the entry. */
  now: string;
}

export interface ApplyResult {
  object: KubeObject;
  managedFields: ManagedFieldsEntry[];
}

const clone = <T>(v: T): T => structuredClone(v);

function changedKeys(before: FlatFields, after: FlatFields): { changed: Set<string>; removed: Set<string> } {
  const changed = new Set<string>();
  const removed = new Set<string>();
  for (const [k, v] of after) if (before.get(k) !== v) changed.add(k);
  for (const k of before.keys()) if (!after.has(k)) removed.add(k);
  return { changed, removed };
}

function conflictError(conflicts: { owner: Owner; path: string }[]): StatusError {
  const who = (o: Owner): string => (o.operation === 'Update' ? `"${o.manager}" using ${o.apiVersion}` : `"${o.manager}"`);
  const causes = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${who(c.owner)}`, field: pathString(c.path) }));
  let message: string;
  if (conflicts.length === 1) message = `Apply failed with 1 conflict: conflict with ${who(conflicts[0].owner)}: ${pathString(conflicts[0].path)}`;
  else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) byManager.set(who(c.owner), [...(byManager.get(who(c.owner)) ?? []), pathString(c.path)]);
    const lines: string[] = [];
    for (const m of [...byManager.keys()].sort()) lines.push(`conflicts with ${m}:`, ...byManager.get(m)!.map((p) => `- ${p}`));
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new StatusError('Conflict', message, { causes });
}

export function applyPatch(live: KubeObject | undefined, applied: KubeObject, opts: ApplyOptions): ApplyResult {
  const owners = parseManagedFields(live?.metadata?.managedFields);
  const appliedFlat = flatten(applied, opts.model);
  let mine = owners.find((o) => o.manager === opts.manager && o.operation === 'Apply' && !o.subresource);
  const others = owners.filter((o) => o !== mine);

  const base = clone(live ?? {}) as Record<string, unknown>;
  if (mine) {
    const dropped = [...mine.fields].filter((p) => !appliedFlat.has(p) && !others.some((o) => o.fields.has(p)));
    removePaths(base, dropped.map((p) => JSON.parse(p) as string[]), opts.model);
  }
  const appliedCopy = clone(applied) as Record<string, unknown>;
  if (appliedCopy.metadata && typeof appliedCopy.metadata === 'object') delete (appliedCopy.metadata as Record<string, unknown>).managedFields;
  const merged = mergeApplied(base, appliedCopy, opts.model) as KubeObject;

  const liveFlat = live ? flatten(live, opts.model) : new Map<string, string>();
  const changing = [...appliedFlat.keys()].filter((k) => liveFlat.get(k) !== appliedFlat.get(k));
  const conflicts: { owner: Owner; path: string }[] = [];
  for (const o of others) {
    if (o.manager === opts.manager) continue;
    for (const k of changing) if (o.fields.has(k)) conflicts.push({ owner: o, path: k });
  }
  if (conflicts.length && !opts.force) {
    // kubectl's move from client-side apply: conflicts on fields still as last applied are taken over.
    const allowed = opts.manager === UPGRADING_MANAGER ? fieldsStillAsLastApplied(live, opts.model) : new Set<string>();
    if (!conflicts.every((c) => allowed.has(c.path))) throw conflictError(conflicts.filter((c) => !allowed.has(c.path)));
  }
  for (const c of conflicts) disown(c.owner, [c.path]);

  const apiVersion = applied.apiVersion ?? live?.apiVersion ?? '';
  if (!mine) {
    mine = { manager: opts.manager, operation: 'Apply', apiVersion, time: opts.now, fields: new Set() };
    owners.push(mine);
  }
  const before = [...mine.fields].sort().join('\n');
  mine.fields = new Set(appliedFlat.keys());
  if (before !== [...mine.fields].sort().join('\n') || changing.length || !mine.time) mine.time = opts.now;
  mine.apiVersion = apiVersion;
  mine.dirty = true;
  if (opts.manager === UPGRADING_MANAGER) syncLastApplied(live, merged, applied);
  const managedFields = encodeManagedFields(owners);
  merged.metadata = { ...(merged.metadata ?? {}), managedFields };
  return { object: merged, managedFields };
}

/**
 * managedFields after an ordinary write from `old` (undefined on create) to `next` by `manager`:
 * the writer's entry gains the fields it added or changed; every entry loses fields that changed or
 * went. Returns the entries (unchanged when the write changed no tracked field).
 */
export function trackUpdate(old: KubeObject | undefined, next: KubeObject, manager: string, operation: Operation, model: string, now: string, subresource?: string): ManagedFieldsEntry[] {
  const { changed, removed } = changedKeys(old ? flatten(old, model) : new Map(), flatten(next, model));
  const requested = next.metadata?.managedFields;
  if (changed.size === 0 && removed.size === 0 && (requested === undefined || isDeepStrictEqual(requested, old?.metadata?.managedFields))) {
    return (old?.metadata?.managedFields ?? []) as ManagedFieldsEntry[];
  }
  const owners = startingOwners(old?.metadata?.managedFields, requested);
  if (changed.size === 0 && removed.size === 0) return encodeManagedFields(owners);
  for (const o of owners) disown(o, [...changed, ...removed]);
  const apiVersion = next.apiVersion ?? old?.apiVersion ?? '';
  let mine = owners.find((o) => o.manager === manager && o.operation === operation && o.apiVersion === apiVersion && (o.subresource ?? '') === (subresource ?? ''));
  if (!mine) {
    mine = { manager, operation, apiVersion, time: now, fields: new Set(), ...(subresource ? { subresource } : {}) };
    owners.push(mine);
  }
  for (const k of changed) mine.fields.add(k);
  mine.time = now;
  mine.dirty = true;
  return encodeManagedFields(owners);
}

/**
 * Ownership a write starts from: managedFields the request itself sets win over the stored ones
 * (clients may rewrite them, as kubectl's client-side-apply upgrade does); `[{}]` clears them.
 */
function startingOwners(stored: unknown, requested: unknown): Owner[] {
  if (Array.isArray(requested) && requested.length > 0) {
    if (requested.every((e) => e !== null && typeof e === 'object' && Object.keys(e).length === 0)) return [];
    const owners = parseManagedFields(requested);
    if (owners.length > 0) return owners;
  }
  return parseManagedFields(stored);
}

/** Upstream's default manager: the User-Agent up to its first `/` (`kubectl/v1.32.0 (...)` -> `kubectl`), at most 128 bytes. */
export function defaultFieldManager(userAgent: string | undefined): string {
  return (userAgent ?? '').split('/')[0]!.slice(0, 128);
}
