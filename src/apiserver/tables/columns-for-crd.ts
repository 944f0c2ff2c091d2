/**
 * Server-side printing for custom resources: a Printer built from a CRD version's
 * additionalPrinterColumns, as upstream's apiextensions tableconvertor does.
 *
 * - `crdPrinter(columns)`: NAME first, then one column per printer column (its name, type, format,
 *   priority, and description or "Custom resource definition column (in JSONPath format): <path>");
 *   with no columns, the default AGE column on `.metadata.creationTimestamp`. Use it with
 *   `tableWithPrinter(crdPrinter(cols), def, objects, opts)` from index.ts.
 * - `findJsonPath(obj, path)`: the JSONPath subset CRDs use: `.a.b`, `['a.b']`, `[0]`, `[*]`, and
 *   filters `[?(@.type=="Ready")]` / `!=`; returns every match.
 * Cells: the first match; `string` columns print it as text (objects and arrays as JSON), `integer`,
 * `number`, `boolean` keep the JSON value when it has that type, `date` becomes a human age; a
 * missing value is null (kubectl prints `<none>`).
 */
import type { KubeObject } from '../../api/types.js';
import { humanDuration, parseTimestamp } from '../../machinery/duration.js';
import { nameColumn, type Cell, type ColumnSpec, type Printer } from './types.js';

export interface CustomResourceColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

type Step = { kind: 'field'; name: string } | { kind: 'index'; index: number } | { kind: 'all' } | { kind: 'filter'; path: string[]; op: '==' | '!='; value: unknown };

const fieldPath = (text: string): string[] => text.split('.').filter((s) => s !== '');

/** Parses the JSONPath subset; throws Error with the position on anything else. */
export function parseJsonPath(path: string): Step[] {
  let p = path.trim();
  if (p.startsWith('{') && p.endsWith('}')) p = p.slice(1, -1);
  if (p.startsWith('$')) p = p.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < p.length) {
    if (p[i] === '.') {
      const m = /^\.((?:\\.|[^.[\\])+)/.exec(p.slice(i));
      if (!m) throw new Error(`unexpected path string at ${i} in ${path}`);
      steps.push({ kind: 'field', name: m[1]!.replace(/\\(.)/g, '$1') });
      i += m[0].length;
      continue;
    }
    if (p[i] === '[') {
      const rest = p.slice(i);
      let m: RegExpExecArray | null;
      if ((m = /^\[\s*(['"])(.*?)\1\s*\]/.exec(rest))) steps.push({ kind: 'field', name: m[2]! });
      else if ((m = /^\[\s*(-?\d+)\s*\]/.exec(rest))) steps.push({ kind: 'index', index: Number(m[1]) });
      else if ((m = /^\[\s*\*\s*\]/.exec(rest))) steps.push({ kind: 'all' });
      else if ((m = /^\[\s*\?\(\s*@((?:\.[\w\-/]+)+)\s*(==|!=)\s*(?:"([^"]*)"|'([^']*)'|(-?\d+(?:\.\d+)?)|(true|false))\s*\)\s*\]/.exec(rest))) {
        const value = m[3] ?? m[4] ?? (m[5] !== undefined ? Number(m[5]) : m[6] === 'true');
        steps.push({ kind: 'filter', path: fieldPath(m[1]!), op: m[2] as '==' | '!=', value });
      } else throw new Error(`unsupported JSONPath at ${i} in ${path}`);
      i += m[0].length;
      continue;
    }
    throw new Error(`unexpected character ${JSON.stringify(p[i])} at ${i} in ${path}`);
  }
  return steps;
}

function child(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

/** Every value `path` selects in `obj` (missing keys select nothing, as AllowMissingKeys(true)). */
export function findJsonPath(obj: unknown, path: string | Step[]): unknown[] {
  const steps = typeof path === 'string' ? parseJsonPath(path) : path;
  let current: unknown[] = [obj];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of current) {
      if (step.kind === 'field') {
        const c = child(v, step.name);
        if (c !== undefined) next.push(c);
      } else if (step.kind === 'index') {
        if (Array.isArray(v)) {
          const c = v[step.index < 0 ? v.length + step.index : step.index];
          if (c !== undefined) next.push(c);
        }
      } else if (step.kind === 'all') {
        if (Array.isArray(v)) next.push(...v);
        else if (typeof v === 'object' && v !== null) next.push(...Object.values(v));
      } else if (Array.isArray(v)) {
        for (const item of v) {
          const got = step.path.reduce<unknown>((acc, k) => child(acc, k), item);
          if (got === undefined) continue;
          if ((got === step.value) === (step.op === '==')) next.push(item);
        }
      }
    }
    current = next;
  }
  return current;
}

/** jsonpath's text form of a value: strings raw, scalars as Go prints them, objects/arrays as JSON. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** cellForJSONValue. */
function cellFor(type: string, value: unknown, now: number): Cell {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
      return asText(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      if (typeof value !== 'string') return null;
      try {
        return humanDuration(now - parseTimestamp(value));
      } catch {
        return '<invalid>';
      }
    default:
      return null;
  }
}

const DEFAULT_COLUMNS: CustomResourceColumn[] = [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }];

/** A Printer for custom resources of one CRD version. Invalid JSONPaths throw (the CRD validation should have refused them). */
export function crdPrinter(columns: CustomResourceColumn[] | undefined): Printer {
  const cols = columns && columns.length > 0 ? columns : DEFAULT_COLUMNS;
  const paths = cols.map((c) => parseJsonPath(c.jsonPath));
  const specs: ColumnSpec[] = [
    nameColumn,
    ...cols.map((c) => ({
      name: c.name,
      type: c.type as ColumnSpec['type'],
      format: c.format ?? '',
      priority: c.priority ?? 0,
      description: c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
    })),
  ];
  return {
    columns: specs,
    cells(obj: KubeObject, now: number): Cell[] {
      return [obj.metadata?.name ?? '', ...cols.map((c, i) => cellFor(c.type, findJsonPath(obj, paths[i]!)[0], now))];
    },
  };
}
