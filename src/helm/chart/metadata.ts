/**
 * Chart.yaml parsing and validation with helm's messages (pkg/chart/metadata.go, dependency.go):
 * `validation: chart.metadata.name is required`, `... type must be application or library`, ...
 * String fields are sanitized like helm (whitespace -> space, non-printables dropped).
 */
import { isHelmMap, type HelmValue } from '../values/yaml.js';
import { parseSemver } from './semver.js';
import type { ChartDependency, ChartMetadata, Maintainer } from './types.js';

export class ChartValidationError extends Error {
  constructor(message: string) { super(`validation: ${message}`); }
}

function sanitize(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  let out = '';
  for (const ch of s) {
    if (/\s/u.test(ch)) out += ' ';
    else if (/[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u.test(ch)) out += ch;
  }
  return out;
}

function str(v: HelmValue | undefined, field: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  // sigs.k8s.io/yaml turns scalars into strings when the Go field is a string.
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  throw new Error(`json: cannot unmarshal ${Array.isArray(v) ? 'array' : 'object'} into Go struct field Metadata.${field} of type string`);
}

function strList(v: HelmValue | undefined, field: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new Error(`json: cannot unmarshal ${typeof v === 'string' ? 'string' : 'object'} into Go struct field Metadata.${field} of type []string`);
  return v.map((x) => (x === null ? '' : String(x)));
}

function parseDependency(v: HelmValue): ChartDependency | null {
  if (v === null) return null;
  if (!isHelmMap(v)) throw new Error('json: cannot unmarshal into Go struct field Metadata.dependencies of type chart.Dependency');
  return {
    name: str(v.name, 'dependencies.name') ?? '',
    version: str(v.version, 'dependencies.version'),
    repository: str(v.repository, 'dependencies.repository'),
    condition: str(v.condition, 'dependencies.condition'),
    tags: strList(v.tags, 'dependencies.tags'),
    enabled: v.enabled === true,
    'import-values': Array.isArray(v['import-values']) ? v['import-values'] : undefined,
    alias: str(v.alias, 'dependencies.alias'),
  };
}

/** Apply a parsed Chart.yaml (or requirements.yaml) map onto metadata, like json.Unmarshal does. */
export function applyMetadata(md: Partial<ChartMetadata>, doc: HelmValue): void {
  if (doc === null) return;
  if (!isHelmMap(doc)) throw new Error('error unmarshaling JSON: json: cannot unmarshal into Go value of type chart.Metadata');
  const s = (k: string) => str(doc[k], k);
  const assign = <K extends keyof ChartMetadata>(k: K, v: ChartMetadata[K] | undefined) => { if (v !== undefined) md[k] = v; };
  assign('name', s('name'));
  assign('home', s('home'));
  assign('sources', strList(doc.sources, 'sources'));
  assign('version', s('version'));
  assign('description', s('description'));
  assign('keywords', strList(doc.keywords, 'keywords'));
  if (Array.isArray(doc.maintainers)) {
    md.maintainers = doc.maintainers.map((m): Maintainer | null =>
      isHelmMap(m) ? { name: str(m.name, 'name'), email: str(m.email, 'email'), url: str(m.url, 'url') } : null);
  }
  assign('icon', s('icon'));
  assign('apiVersion', s('apiVersion'));
  assign('condition', s('condition'));
  assign('tags', s('tags'));
  assign('appVersion', s('appVersion'));
  if (typeof doc.deprecated === 'boolean') md.deprecated = doc.deprecated;
  if (isHelmMap(doc.annotations)) {
    md.annotations = {};
    for (const [k, v] of Object.entries(doc.annotations)) md.annotations[k] = v === null ? '' : String(v);
  }
  assign('kubeVersion', s('kubeVersion'));
  if (Array.isArray(doc.dependencies)) md.dependencies = doc.dependencies.map(parseDependency);
  assign('type', s('type'));
}

export function validateMetadata(md: ChartMetadata | undefined): void {
  if (!md) throw new ChartValidationError('chart.metadata is required');
  md.name = sanitize(md.name) ?? '';
  md.description = sanitize(md.description);
  md.home = sanitize(md.home);
  md.icon = sanitize(md.icon);
  md.condition = sanitize(md.condition);
  md.tags = sanitize(md.tags);
  md.appVersion = sanitize(md.appVersion);
  md.kubeVersion = sanitize(md.kubeVersion);
  if (md.sources) md.sources = md.sources.map((x) => sanitize(x) ?? '');
  if (md.keywords) md.keywords = md.keywords.map((x) => sanitize(x) ?? '');

  if (!md.apiVersion) throw new ChartValidationError('chart.metadata.apiVersion is required');
  if (!md.name) throw new ChartValidationError('chart.metadata.name is required');
  if (md.name === '.' || md.name === '..') throw new ChartValidationError(`chart.metadata.name ${JSON.stringify(md.name)} is not allowed`);
  if (md.name.includes('/') || md.name !== md.name.replace(/\/+$/, '')) {
    throw new ChartValidationError(`chart.metadata.name ${JSON.stringify(md.name)} is invalid`);
  }
  if (!md.version) throw new ChartValidationError('chart.metadata.version is required');
  if (!parseSemver(md.version)) throw new ChartValidationError(`chart.metadata.version ${JSON.stringify(md.version)} is invalid`);
  if (!['', 'application', 'library'].includes(md.type ?? '')) {
    throw new ChartValidationError('chart.metadata.type must be application or library');
  }
  for (const m of md.maintainers ?? []) {
    if (m === null) throw new ChartValidationError('maintainers must not contain empty or null nodes');
    m.name = sanitize(m.name);
    m.email = sanitize(m.email);
    m.url = sanitize(m.url);
  }
  const seen = new Set<string>();
  for (const d of md.dependencies ?? []) {
    if (d === null) throw new ChartValidationError('dependencies must not contain empty or null nodes');
    d.name = sanitize(d.name) ?? '';
    d.version = sanitize(d.version);
    d.repository = sanitize(d.repository);
    d.condition = sanitize(d.condition);
    if (d.tags) d.tags = d.tags.map((t) => sanitize(t) ?? '');
    if (d.alias && !/^[a-zA-Z0-9_-]+$/.test(d.alias)) {
      throw new ChartValidationError(`dependency ${JSON.stringify(d.name)} has disallowed characters in the alias`);
    }
    const key = d.alias || d.name;
    if (seen.has(key)) throw new ChartValidationError(`more than one dependency with name or alias ${JSON.stringify(key)}`);
    seen.add(key);
  }
}
