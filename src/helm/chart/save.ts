/**
 * Writing a chart archive (helm pkg/chartutil/save.go): `<name>-<version>.tgz` with every file
 * under `<name>/`, Chart.yaml re-marshaled, values.yaml verbatim, subcharts as directories under
 * `<name>/charts/<sub>/`. Also the Chart.lock digest (HashReq).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { marshalYaml, omitEmpty } from '../values/marshal.js';
import { writeTgz } from './tar.js';
import type { Chart, ChartDependency, ChartMetadata } from './types.js';

/** chart.Metadata as its JSON form (Go json tags, omitempty). */
export function metadataDocument(md: ChartMetadata): Record<string, unknown> {
  return omitEmpty({
    name: md.name, home: md.home, sources: md.sources, version: md.version, description: md.description,
    keywords: md.keywords,
    maintainers: md.maintainers?.filter((m) => m !== null).map((m) => omitEmpty({ name: m?.name, email: m?.email, url: m?.url })),
    icon: md.icon, apiVersion: md.apiVersion, condition: md.condition, tags: md.tags, appVersion: md.appVersion,
    deprecated: md.deprecated, annotations: md.annotations, kubeVersion: md.kubeVersion,
    dependencies: md.dependencies?.filter((d): d is ChartDependency => d !== null).map(dependencyDocument),
    type: md.type,
  });
}

export function dependencyDocument(d: ChartDependency): Record<string, unknown> {
  return omitEmpty({
    name: d.name, version: d.version, repository: d.repository, condition: d.condition, tags: d.tags,
    enabled: d.enabled, 'import-values': d['import-values'], alias: d.alias,
  }, ['name', 'repository']);
}

function archiveEntries(c: Chart, base: string): { name: string; data: Buffer }[] {
  const out: { name: string; data: Buffer }[] = [];
  out.push({ name: `${base}/Chart.yaml`, data: Buffer.from(marshalYaml(metadataDocument(c.metadata))) });
  if (c.lock && c.metadata.apiVersion === 'v2') {
    out.push({ name: `${base}/Chart.lock`, data: Buffer.from(marshalYaml(c.lock)) });
  }
  for (const f of c.raw) if (f.name === 'values.yaml') out.push({ name: `${base}/values.yaml`, data: f.data });
  if (c.schema) out.push({ name: `${base}/values.schema.json`, data: c.schema });
  for (const t of c.templates) out.push({ name: `${base}/${t.name}`, data: t.data });
  for (const f of c.files) out.push({ name: `${base}/${f.name}`, data: f.data });
  for (const d of c.dependencies) out.push(...archiveEntries(d, `${base}/charts/${d.name}`));
  return out;
}

/** Save: write the archive into `dir`, returning its path. */
export function saveChartArchive(c: Chart, dir: string): string {
  const path = join(dir, `${c.name}-${c.metadata.version}.tgz`);
  writeFileSync(path, writeTgz(archiveEntries(c, c.name)));
  return path;
}

/** HashReq: sha256 over the JSON of [requirements, locked]. */
export function hashRequirements(req: ChartDependency[], lock: ChartDependency[]): string {
  // Go's json.Marshal escapes <, > and & (HTML-safe), which changes the digest of constraints.
  const json = JSON.stringify([req.map(dependencyDocument), lock.map(dependencyDocument)])
    .replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
  return 'sha256:' + createHash('sha256').update(json).digest('hex');
}

/** HashV2Req: the digest Helm 2 wrote into requirements.lock (accepted for apiVersion v1 charts). */
export function hashRequirementsV2(req: ChartDependency[]): string {
  const json = JSON.stringify({ dependencies: req.map(dependencyDocument) })
    .replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
  return 'sha256:' + createHash('sha256').update(json).digest('hex');
}
