/**
 * The helm v3 release record (pkg/release) and its storage encoding (pkg/storage/driver/util.go):
 * JSON with helm's field names and omitempty rules -> gzip -> base64. The Secret that stores it
 * carries that base64 text as its `release` data value, which the Secret API base64-encodes again.
 *
 *   encodeRelease(rel) -> base64 text      decodeRelease(text) -> Release
 *   chartRecord(chart) -> the chart as helm stores it (top-level chart only; subcharts are dropped)
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Chart } from '../chart/types.js';
import { metadataDocument } from '../chart/save.js';
import type { HelmMap } from '../values/yaml.js';
import { goJson, goStruct } from './go-json.js';

export const STATUSES = ['unknown', 'deployed', 'uninstalled', 'superseded', 'failed', 'uninstalling', 'pending-install', 'pending-upgrade', 'pending-rollback'] as const;
export type ReleaseStatus = (typeof STATUSES)[number];

export function isPending(s: ReleaseStatus): boolean {
  return s === 'pending-install' || s === 'pending-upgrade' || s === 'pending-rollback';
}

export interface ReleaseInfo {
  /** RFC3339Nano timestamps; "" for Go's zero time (helm's time type marshals it so). */
  first_deployed: string;
  last_deployed: string;
  deleted: string;
  description: string;
  status: ReleaseStatus;
  notes: string;
}

export interface ChartRecord {
  metadata: Record<string, unknown>;
  lock: unknown;
  templates: { name: string; data: string }[] | null;
  values: HelmMap | null;
  schema: string | null;
  files: { name: string; data: string }[] | null;
}

export type HookPhase = '' | 'Unknown' | 'Running' | 'Succeeded' | 'Failed';

export interface HookRecord {
  name: string;
  kind: string;
  path: string;
  manifest: string;
  events: string[];
  last_run: { started_at: string; completed_at: string; phase: HookPhase };
  weight: number;
  delete_policies: string[];
  output_log_policies: string[];
}

export interface Release {
  name: string;
  info: ReleaseInfo;
  chart: ChartRecord;
  config: HelmMap;
  manifest: string;
  hooks: HookRecord[];
  version: number;
  namespace: string;
  /** Custom labels (--labels): kept only as labels of the storage Secret, never in the JSON. */
  labels?: Record<string, string>;
}

export const SYSTEM_LABELS = ['name', 'owner', 'status', 'version', 'createdAt', 'modifiedAt'];

/** mergeCustomLabels: new labels over the old ones; the value "null" removes a label. */
export function mergeLabels(current: Record<string, string> | undefined, updates: Record<string, string>): Record<string, string> {
  const out = { ...(current ?? {}) };
  for (const [k, v] of Object.entries(updates)) {
    if (v === 'null') delete out[k];
    else out[k] = v;
  }
  return out;
}

/** --labels key=value pairs; reserved system label names are refused, as helm does. */
export function parseLabels(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new Error(`invalid label ${JSON.stringify(p)}: expected key=value`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  if (Object.keys(out).some((k) => SYSTEM_LABELS.includes(k))) {
    throw new Error(`user supplied labels contains system reserved label name. System labels: [${SYSTEM_LABELS.join(' ')}]`);
  }
  return out;
}

/** Go's time.RFC3339Nano of a JS date (trailing zeros of the fraction dropped). */
export function rfc3339Nano(d: Date): string {
  return d.toISOString().replace(/\.?0+Z$/, 'Z').replace(/\.Z$/, 'Z');
}

export function chartRecord(chart: Chart): ChartRecord {
  const file = (f: { name: string; data: Buffer }) => goStruct({ name: f.name, data: f.data.toString('base64') });
  return {
    metadata: metadataDocument(chart.metadata),
    lock: chart.lock ? { generated: chart.lock.generated ?? '', digest: chart.lock.digest ?? '', dependencies: chart.lock.dependencies ?? [] } : null,
    // Go's nil slices and maps (nothing appended, no values.yaml) marshal as null.
    templates: chart.templates.length > 0 ? chart.templates.map(file) : null,
    values: chart.raw.some((f) => f.name === 'values.yaml') || Object.keys(chart.values).length > 0 ? chart.values : null,
    schema: chart.schema ? chart.schema.toString('base64') : null,
    files: chart.files.length > 0 ? chart.files.map(file) : null,
  };
}

const nonEmpty = <T>(v: T, empty: boolean): T | undefined => (empty ? undefined : v);

/** The release as Go's json.Marshal writes it. */
export function releaseJson(r: Release): string {
  const m = r.chart.metadata;
  const metadata = goStruct({ ...m });
  if (Array.isArray(m.maintainers)) metadata.maintainers = m.maintainers.map((x) => goStruct({ ...(x as object) }));
  if (Array.isArray(m.dependencies)) metadata.dependencies = m.dependencies.map((x) => goStruct({ ...(x as object) }));
  const lock = r.chart.lock && typeof r.chart.lock === 'object' ? goStruct({ ...(r.chart.lock as object) }) : null;
  const doc = goStruct({
    name: nonEmpty(r.name, r.name === ''),
    info: goStruct({
      first_deployed: r.info.first_deployed,
      last_deployed: r.info.last_deployed,
      deleted: r.info.deleted,
      description: nonEmpty(r.info.description, r.info.description === ''),
      status: nonEmpty(r.info.status, (r.info.status as string) === ''),
      notes: nonEmpty(r.info.notes, r.info.notes === ''),
    }),
    chart: goStruct({
      metadata, lock, templates: r.chart.templates?.map((t) => goStruct({ name: t.name, data: t.data })) ?? null,
      values: r.chart.values, schema: r.chart.schema, files: r.chart.files?.map((t) => goStruct({ name: t.name, data: t.data })) ?? null,
    }),
    config: nonEmpty(r.config, !r.config || Object.keys(r.config).length === 0),
    manifest: nonEmpty(r.manifest, r.manifest === ''),
    hooks: nonEmpty(r.hooks.map((h) => goStruct({
      name: nonEmpty(h.name, h.name === ''),
      kind: nonEmpty(h.kind, h.kind === ''),
      path: nonEmpty(h.path, h.path === ''),
      manifest: nonEmpty(h.manifest, h.manifest === ''),
      events: nonEmpty(h.events, h.events.length === 0),
      last_run: goStruct({ started_at: h.last_run.started_at, completed_at: h.last_run.completed_at, phase: h.last_run.phase }),
      weight: nonEmpty(h.weight, h.weight === 0),
      delete_policies: nonEmpty(h.delete_policies, h.delete_policies.length === 0),
      output_log_policies: nonEmpty(h.output_log_policies, h.output_log_policies.length === 0),
    })), r.hooks.length === 0),
    version: nonEmpty(r.version, r.version === 0),
    namespace: nonEmpty(r.namespace, r.namespace === ''),
  });
  return goJson(doc);
}

/** encodeRelease: base64(gzip(json)). */
export function encodeRelease(r: Release): string {
  return gzipSync(Buffer.from(releaseJson(r), 'utf8'), { level: 9 }).toString('base64');
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** decodeRelease: base64 -> (gunzip when the bytes start 1f 8b 08) -> JSON -> Release. */
export function decodeRelease(data: string): Release {
  let b = Buffer.from(data, 'base64');
  if (b.length > 3 && b[0] === 0x1f && b[1] === 0x8b && b[2] === 0x08) b = gunzipSync(b);
  const j = obj(JSON.parse(b.toString('utf8')));
  const info = obj(j.info);
  const chart = obj(j.chart);
  const files = (v: unknown) => (Array.isArray(v) ? v.map((f) => ({ name: str(obj(f).name), data: str(obj(f).data) })) : null);
  const status = str(info.status);
  return {
    name: str(j.name),
    info: {
      first_deployed: str(info.first_deployed), last_deployed: str(info.last_deployed), deleted: str(info.deleted),
      description: str(info.description), status: (STATUSES as readonly string[]).includes(status) ? (status as ReleaseStatus) : 'unknown', notes: str(info.notes),
    },
    chart: {
      metadata: obj(chart.metadata), lock: chart.lock ?? null, templates: files(chart.templates),
      values: chart.values ? (obj(chart.values) as HelmMap) : null, schema: typeof chart.schema === 'string' ? chart.schema : null, files: files(chart.files),
    },
    config: obj(j.config) as HelmMap,
    manifest: str(j.manifest),
    hooks: (Array.isArray(j.hooks) ? j.hooks : []).map((x) => {
      const h = obj(x);
      const run = obj(h.last_run);
      return {
        name: str(h.name), kind: str(h.kind), path: str(h.path), manifest: str(h.manifest), events: strs(h.events),
        last_run: { started_at: str(run.started_at), completed_at: str(run.completed_at), phase: str(run.phase) as HookPhase },
        weight: typeof h.weight === 'number' ? h.weight : 0, delete_policies: strs(h.delete_policies), output_log_policies: strs(h.output_log_policies),
      };
    }),
    version: typeof j.version === 'number' ? j.version : 0,
    namespace: str(j.namespace),
  };
}

export function chartName(r: Release): string { return str(r.chart.metadata.name); }
export function chartVersion(r: Release): string { return str(r.chart.metadata.version); }
export function appVersion(r: Release): string { return str(r.chart.metadata.appVersion); }
