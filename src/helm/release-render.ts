/**
 * Client-side release rendering, the offline half of helm's install action (pkg/action/install.go
 * RunWithContext + action.go renderResources) used by `helm template` and `install --dry-run`:
 * validate the release name, process dependencies, coalesce values, validate values.schema.json
 * of every chart, render, pull out NOTES.txt, split and sort manifests and hooks, and assemble the
 * release manifest text (`---\n# Source: <name>\n<doc>\n` per document, CRDs first if asked).
 * Errors after rendering starts carry `partial: true` (helm returns a partial release then).
 */
import { mkdirSync, appendFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { processDependencies } from './chart/dependencies.js';
import { validateAgainstSchema } from './chart/jsonschema.js';
import { isCompatibleRange } from './chart/semver.js';
import type { Chart } from './chart/types.js';
import { goTrimSpace, sortManifests, type Hook } from './manifests.js';
import { renderChartTemplates, type EngineOptions } from './render.js';
import { defaultCapabilities, parseKubeVersion, releaseObject, type Capabilities, type ReleaseOptions } from './render-data.js';
import { coalesceValues } from './values/coalesce.js';
import { isHelmMap, type HelmMap } from './values/yaml.js';

/** `partial`: helm returned a partial release (the CLI adds "Use --debug ..."); `manifest`: the
 *  text helm prints with --debug in that case. */
export class RenderError extends Error {
  constructor(message: string, readonly partial: boolean, readonly manifest = '') { super(message); }
}

export interface RenderReleaseOptions extends EngineOptions {
  release: ReleaseOptions;
  kubeVersion?: string;
  apiVersions?: string[];
  includeCrds?: boolean;
  skipSchemaValidation?: boolean;
  subNotes?: boolean;
  outputDir?: string;
  useReleaseName?: boolean;
  /** Called with each file written under outputDir (helm prints `wrote <path>`). */
  onWrite?: (path: string) => void;
  /** --post-renderer: rewrites the manifest text (CRDs + manifests, not hooks). */
  postRender?: (manifests: string) => string;
}

export interface RenderedRelease { manifest: string; hooks: Hook[]; notes: string; values: HelmMap; capabilities: Capabilities }

const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function validateReleaseName(name: string): void {
  if (name === '' || name.length > 53 || !RELEASE_NAME.test(name)) {
    throw new RenderError(`release name ${JSON.stringify(name)}: invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53`, false);
  }
}

/** ValidateAgainstSchema over the chart tree: "<chart>:\n<errors>" per failing chart. */
export function validateChartValues(chart: Chart, values: HelmMap): string {
  let out = '';
  if (chart.schema) {
    const err = validateAgainstSchema(chart.schema.toString('utf8'), values);
    if (err) out += `${chart.name}:\n${err}`;
  }
  for (const sub of chart.dependencies) {
    const raw = values[sub.name];
    if (raw === undefined || raw === null) continue;
    if (!isHelmMap(raw)) {
      out += `${sub.name}:\ninvalid type for values: expected object (map), got ${typeof raw === 'string' ? 'string' : Array.isArray(raw) ? '[]interface {}' : typeof raw === 'bigint' ? 'int64' : typeof raw === 'number' ? 'float64' : 'bool'}\n`;
      continue;
    }
    out += validateChartValues(sub, raw);
  }
  return out;
}

export function renderRelease(chart: Chart, userValues: HelmMap, opts: RenderReleaseOptions): RenderedRelease {
  validateReleaseName(opts.release.name);
  processDependencies(chart, userValues, true, opts.log);
  let kube;
  try { kube = opts.kubeVersion ? parseKubeVersion(opts.kubeVersion) : undefined; } catch (e) {
    throw new RenderError(`invalid kube version '${opts.kubeVersion}': ${(e as Error).message}`, false);
  }
  const caps = defaultCapabilities(kube, opts.apiVersions ?? []);
  const values = coalesceValues(chart, userValues, opts.log);
  if (!opts.skipSchemaValidation) {
    const err = validateChartValues(chart, values);
    if (err) throw new RenderError(`values don't meet the specifications of the schema(s) in the following chart(s):\n${err}`, false);
  }
  const top = { Values: values, Release: releaseObject(opts.release), Capabilities: caps };

  if (chart.metadata.kubeVersion && !isCompatibleRange(chart.metadata.kubeVersion, caps.KubeVersion.Version)) {
    throw new RenderError(`chart requires kubeVersion: ${chart.metadata.kubeVersion} which is incompatible with Kubernetes ${caps.KubeVersion.Version}`, true);
  }
  let files: Map<string, string>;
  try {
    files = renderChartTemplates(chart, top, opts);
  } catch (e) {
    throw new RenderError((e as Error).message, true);
  }
  const notesParts: string[] = [];
  for (const [k, v] of [...files.entries()]) {
    if (!k.endsWith('NOTES.txt')) continue;
    if (opts.subNotes || k === `${chart.name}/templates/NOTES.txt`) notesParts.push(v);
    files.delete(k);
  }
  const notes = notesParts.join('\n');

  let sorted;
  try {
    sorted = sortManifests(files, undefined, opts.log);
  } catch (e) {
    // helm hands back every non-empty rendered file so --debug can show the invalid YAML.
    const dump = [...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .filter(([, v]) => goTrimSpace(v) !== '').map(([k, v]) => `---\n# Source: ${k}\n${v}\n`).join('');
    throw new RenderError((e as Error).message, true, dump);
  }
  let manifest = '';
  const written = new Set<string>();
  const outDir = opts.outputDir ? (opts.useReleaseName ? join(opts.outputDir, opts.release.name) : opts.outputDir) : undefined;
  if (opts.includeCrds) {
    for (const crd of chart.crdObjects()) {
      const data = crd.file.data.toString('utf8');
      if (!opts.outputDir) manifest += `---\n# Source: ${crd.filename}\n${data}\n`;
      else { writeManifestFile(opts.outputDir, crd.filename, data, written.has(crd.filename), opts.onWrite); written.add(crd.filename); }
    }
  }
  for (const m of sorted.manifests) {
    if (!outDir) manifest += `---\n# Source: ${m.name}\n${m.content}\n`;
    else { writeManifestFile(outDir, m.name, m.content, written.has(m.name), opts.onWrite); written.add(m.name); }
  }
  if (opts.postRender) {
    try {
      manifest = opts.postRender(manifest);
    } catch (e) {
      throw new RenderError(`error while running post render on files: ${(e as Error).message}`, true);
    }
  }
  return { manifest, hooks: sorted.hooks, notes, values, capabilities: caps };
}

/** writeToFile: `---\n# Source: name\n<data>\n`, appended when the file was already written. */
export function writeManifestFile(dir: string, name: string, data: string, append: boolean, onWrite?: (p: string) => void): void {
  const path = [dir, name].join('/');
  mkdirSync(dirname(path), { recursive: true });
  const text = `---\n# Source: ${name}\n${data}\n`;
  if (append) appendFileSync(path, text, { mode: 0o600 });
  else writeFileSync(path, text, { mode: 0o644 });
  onWrite?.(path);
}
