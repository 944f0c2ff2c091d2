/**
 * Server-side printing: turns objects of a kind into a meta.k8s.io/v1 Table as upstream's
 * TableConvertor does (what `kubectl get` asks for with `Accept: application/json;as=Table`).
 *
 * Inputs: a KindDefinition (its `columns`, or upstream's default Name + Created At), the objects,
 * `now` for ages and `includeObject` (None | Metadata | Object, upstream's default Metadata).
 * Output: the Table object; the HTTP layer adds metadata.resourceVersion / continue.
 * Also exports the cell helpers kind files share (ages, label maps, joins).
 */
import { docsFor } from './schema-docs.js';
import type { KindDefinition, KubeObject, TableColumn } from './types.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableRow {
  cells: (string | number | boolean)[];
  object?: KubeObject;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: Record<string, string>;
  columnDefinitions: { name: string; type: string; format: string; description: string; priority: number }[];
  rows: TableRow[];
}

/** Upstream duration.HumanDuration: `45s`, `3m20s`, `25m`, `5h10m`, `3d4h`, `400d`, `2y30d`. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

/** translateTimestampSince: the age of an RFC 3339 timestamp, `<unknown>` when there is none. */
export function since(timestamp: unknown, now: number): string {
  if (typeof timestamp !== 'string' || timestamp === '') return '<unknown>';
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

/** labels.FormatLabels: `a=b,c=d` sorted by key, `<none>` when empty. */
export function formatLabels(labels: unknown): string {
  if (labels === null || typeof labels !== 'object') return '<none>';
  const entries = Object.entries(labels as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? '<none>' : entries.map(([k, v]) => `${k}=${String(v)}`).join(',');
}

/** The first `max` items joined with commas, then ` + N more...` as upstream's printers do. */
export function joinLimited(items: string[], max = 3): string {
  if (items.length <= max) return items.join(',');
  return `${items.slice(0, max).join(',')} + ${items.length - max} more...`;
}

const metaDoc = (field: string): string => docsFor('V1ObjectMeta').fields[field]?.description ?? '';

/** The Name column every table starts with. */
export function nameColumn(): TableColumn {
  return { name: 'Name', type: 'string', format: 'name', description: metaDoc('name'), cell: (o) => o.metadata?.name ?? '' };
}

/** The Age column (creationTimestamp as a human duration). */
export function ageColumn(): TableColumn {
  return { name: 'Age', type: 'string', description: metaDoc('creationTimestamp'), cell: (o, now) => since(o.metadata?.creationTimestamp, now) };
}

/** The description of a model field, for column definitions derived from the schema docs. */
export function fieldDoc(model: string, field: string): string {
  return docsFor(model).fields[field]?.description ?? '';
}

/** Upstream's DefaultTableConvertor for kinds without printers: Name and Created At. */
export function defaultColumns(): TableColumn[] {
  return [nameColumn(), { name: 'Created At', type: 'date', description: metaDoc('creationTimestamp'), cell: (o) => o.metadata?.creationTimestamp ?? '' }];
}

function rowObject(obj: KubeObject, include: IncludeObject): KubeObject | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata ?? {} };
}

export function buildTable(def: KindDefinition, items: KubeObject[], opts: { now?: number; includeObject?: IncludeObject } = {}): Table {
  const columns = def.columns ?? defaultColumns();
  const now = opts.now ?? Date.now();
  const include = opts.includeObject ?? 'Metadata';
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {},
    columnDefinitions: columns.map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: c.description, priority: c.priority ?? 0 })),
    rows: items.map((obj) => {
      const row: TableRow = { cells: columns.map((c) => c.cell(obj, now)) };
      const object = rowObject(obj, include);
      if (object) row.object = object;
      return row;
    }),
  };
}
