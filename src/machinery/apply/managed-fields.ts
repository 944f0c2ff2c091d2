/**
 * metadata.managedFields entries as sets: parsed from and written back to upstream's wire shape
 * `{manager, operation, apiVersion, time, fieldsType: 'FieldsV1', fieldsV1, subresource?}`.
 */
import { fromFieldsV1, toFieldsV1 } from './field-path.js';

export type Operation = 'Apply' | 'Update';

export interface ManagedFieldsEntry {
  manager: string;
  operation: Operation;
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

/** One manager's ownership while a write is computed. */
export interface Owner {
  manager: string;
  operation: Operation;
  apiVersion: string;
  time: string;
  subresource?: string;
  fields: Set<string>;
  /** The entry as read, reused on output unless `dirty` (re-encoding FieldsV1 is the costly part). */
  raw?: ManagedFieldsEntry;
  dirty?: boolean;
}

/** Removes `keys` from the owner's set, marking it changed when any was there. */
export function disown(owner: Owner, keys: Iterable<string>): void {
  for (const k of keys) if (owner.fields.delete(k)) owner.dirty = true;
}

export function parseManagedFields(value: unknown): Owner[] {
  if (!Array.isArray(value)) return [];
  const owners: Owner[] = [];
  for (const e of value) {
    if (e === null || typeof e !== 'object') continue;
    const entry = e as Partial<ManagedFieldsEntry>;
    if (typeof entry.manager !== 'string' || (entry.operation !== 'Apply' && entry.operation !== 'Update')) continue;
    owners.push({
      manager: entry.manager,
      operation: entry.operation,
      apiVersion: typeof entry.apiVersion === 'string' ? entry.apiVersion : '',
      time: typeof entry.time === 'string' ? entry.time : '',
      ...(typeof entry.subresource === 'string' && entry.subresource ? { subresource: entry.subresource } : {}),
      fields: fromFieldsV1(entry.fieldsV1),
      raw: entry as ManagedFieldsEntry,
    });
  }
  return owners;
}

/** Upstream's entry order: by operation (Apply first), then time, manager, apiVersion, subresource. */
function entryOrder(p: Owner, q: Owner): number {
  const keys = (o: Owner): string[] => [o.operation, o.time, o.manager, o.apiVersion, o.subresource ?? ''];
  const [a, b] = [keys(p), keys(q)];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

/** Wire entries for the owners that still own something, in upstream's order. */
export function encodeManagedFields(owners: Owner[]): ManagedFieldsEntry[] {
  return owners
    .filter((o) => o.fields.size > 0)
    .sort(entryOrder)
    .map((o) => (o.raw && !o.dirty ? o.raw : {
      manager: o.manager,
      operation: o.operation,
      apiVersion: o.apiVersion,
      time: o.time,
      fieldsType: 'FieldsV1' as const,
      fieldsV1: toFieldsV1(o.fields),
      ...(o.subresource ? { subresource: o.subresource } : {}),
    }));
}
