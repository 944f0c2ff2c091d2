/**
 * The wire shapes of server-side printing (meta.k8s.io/v1 Table) and the small vocabulary printers
 * are written in: a column spec (name, type, format, priority, description source) and a cell.
 */
import type { KubeObject, ObjectMeta } from '../../api/types.js';
import { docsFor } from '../../api/schema-docs.js';

export type TableVersion = 'v1' | 'v1beta1';
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** A cell as upstream's printers emit it: string, int64, float or bool; null (printed `<none>`) for a missing CRD column value. */
export type Cell = string | number | boolean | null;

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: string;
  metadata: ObjectMeta;
}

export interface TableRowCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

export interface TableRow {
  cells: Cell[];
  conditions?: TableRowCondition[];
  object?: PartialObjectMetadata | KubeObject;
}

export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

/** Where a column's description comes from: literal text, or a field's doc in a client-node model. */
export type Description = string | { model: string; field: string };

export interface ColumnSpec {
  name: string;
  type: 'string' | 'integer' | 'boolean' | 'date' | 'number';
  format?: string;
  priority?: number;
  description: Description;
}

/** One kind's printer: its columns and how one object becomes cells (upstream prints with Wide=true on the server). */
export interface Printer {
  columns: ColumnSpec[];
  cells(obj: KubeObject, now: number): Cell[];
  /** Row conditions (upstream marks finished pods `Completed`). */
  conditions?(obj: KubeObject): TableRowCondition[] | undefined;
}

const metaDoc = (field: string): Description => ({ model: 'V1ObjectMeta', field });

/** The Name column every upstream printer starts with. */
export const nameColumn: ColumnSpec = { name: 'Name', type: 'string', format: 'name', description: metaDoc('name') };
/** The Age column (creationTimestamp as a human duration). */
export const ageColumn: ColumnSpec = { name: 'Age', type: 'string', description: metaDoc('creationTimestamp') };

/** Shorthand for a column: `col('Ready', 'string', 'text')`, `col('IP', 'string', {model, field}, 1)`. */
export function col(name: string, type: ColumnSpec['type'], description: Description, priority = 0, format?: string): ColumnSpec {
  return { name, type, description, priority, ...(format ? { format } : {}) };
}

/** A field doc as upstream's SwaggerDoc() gives it; '' when the model does not have it. */
export function describe(d: Description): string {
  if (typeof d === 'string') return d;
  try {
    return docsFor(d.model).fields[d.field]?.description ?? '';
  } catch {
    return '';
  }
}

const definitionsCache = new WeakMap<ColumnSpec[], TableColumnDefinition[]>();

/** The wire column definitions of a printer's columns (computed once per column list, then copied). */
export function columnDefinitions(specs: ColumnSpec[]): TableColumnDefinition[] {
  let defs = definitionsCache.get(specs);
  if (!defs) {
    defs = specs.map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: describe(c.description), priority: c.priority ?? 0 }));
    definitionsCache.set(specs, defs);
  }
  return defs.map((d) => ({ ...d }));
}
