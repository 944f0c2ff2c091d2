/**
 * `helm template` and the offline part of `helm install` (cmd/helm/template.go, install.go):
 * resolve NAME and CHART (positional, --name-template, --generate-name), merge user values,
 * load and check the chart, render the release client-side, then print it: `template` prints
 * manifests and hooks (filtered by --show-only, or written to --output-dir); `install --dry-run`
 * prints helm's release summary; `install` without --dry-run (or with --dry-run=server) runs the
 * install action against the cluster (src/helm/release/install.ts) and prints the status.
 */
import { accessSync, constants, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { delimiter, isAbsolute, join, resolve as resolvePath } from 'node:path';
import { loadChart } from '../../helm/chart/load.js';
import type { Chart } from '../../helm/chart/types.js';
import { goMatch } from '../../helm/chart/gomatch.js';
import { TemplateSet } from '../../helm/engine/index.js';
import { goTrimSpace, splitManifests } from '../../helm/manifests.js';
import { RenderError, renderRelease, writeManifestFile, type RenderedRelease } from '../../helm/release-render.js';
import { mergeUserValues, type ValueOptions } from '../../helm/values/options.js';
import { bool, list, parseFlags, str, VALUES_FLAGS, GLOBAL_FLAGS, type FlagSpec, type FlagValues } from './flags.js';
import { nameTemplateFuncs } from './funcs.js';
import { updateDependencies } from './dependency.js';
import { downloadFromRepo } from '../../helm/repo-index.js';
import { readRepositories } from './repositories.js';
import { CommandError } from './errors.js';
import type { HelmIO } from './io.js';
import type { HelmMap } from '../../helm/values/yaml.js';
import type { RenderSettings } from '../../helm/release/render-for-cluster.js';
import { install } from '../../helm/release/install.js';
import { parseLabels, releaseJson, type Release } from '../../helm/release/release.js';
import { marshalYaml } from '../../helm/values/marshal.js';
import { releaseNamespace, statusText, timeoutMs, withCluster, type StatusOptions } from './cluster.js';

export const INSTALL_FLAGS: FlagSpec[] = [
  ...GLOBAL_FLAGS, ...VALUES_FLAGS,
  { name: 'create-namespace', kind: 'bool' },
  { name: 'dry-run', kind: 'string', noOptDefault: 'client' },
  { name: 'force', kind: 'bool' },
  { name: 'disable-hooks', kind: 'bool' },
  { name: 'replace', kind: 'bool' },
  { name: 'timeout', kind: 'string' },
  { name: 'wait', kind: 'bool' },
  { name: 'wait-for-jobs', kind: 'bool' },
  { name: 'generate-name', short: 'g', kind: 'bool' },
  { name: 'name-template', kind: 'string' },
  { name: 'description', kind: 'string' },
  { name: 'devel', kind: 'bool' },
  { name: 'dependency-update', kind: 'bool' },
  { name: 'disable-openapi-validation', kind: 'bool' },
  { name: 'atomic', kind: 'bool' },
  { name: 'skip-crds', kind: 'bool' },
  { name: 'render-subchart-notes', kind: 'bool' },
  { name: 'skip-schema-validation', kind: 'bool' },
  { name: 'enable-dns', kind: 'bool' },
  { name: 'hide-secret', kind: 'bool' },
  { name: 'hide-notes', kind: 'bool' },
  { name: 'take-ownership', kind: 'bool' },
  { name: 'labels', short: 'l', kind: 'slice' },
  { name: 'post-renderer', kind: 'string' },
  { name: 'post-renderer-args', kind: 'array' },
  { name: 'version', kind: 'string' },
  { name: 'repo', kind: 'string' },
  { name: 'username', kind: 'string' },
  { name: 'password', kind: 'string' },
  { name: 'cert-file', kind: 'string' },
  { name: 'key-file', kind: 'string' },
  { name: 'ca-file', kind: 'string' },
  { name: 'insecure-skip-tls-verify', kind: 'bool' },
  { name: 'plain-http', kind: 'bool' },
  { name: 'keyring', kind: 'string' },
  { name: 'verify', kind: 'bool' },
  { name: 'pass-credentials', kind: 'bool' },
  { name: 'output', short: 'o', kind: 'string', default: 'table' },
];

export const TEMPLATE_FLAGS: FlagSpec[] = [
  ...INSTALL_FLAGS.filter((f) => f.name !== 'output'),
  { name: 'show-only', short: 's', kind: 'array' },
  { name: 'output-dir', kind: 'string' },
  { name: 'validate', kind: 'bool' },
  { name: 'include-crds', kind: 'bool' },
  { name: 'skip-tests', kind: 'bool' },
  { name: 'is-upgrade', kind: 'bool' },
  { name: 'kube-version', kind: 'string' },
  { name: 'api-versions', short: 'a', kind: 'slice' },
  { name: 'release-name', kind: 'bool' },
];

export function valueOptions(f: FlagValues): ValueOptions {
  return {
    valueFiles: list(f, 'values'), jsonValues: list(f, 'set-json'), values: list(f, 'set'),
    stringValues: list(f, 'set-string'), fileValues: list(f, 'set-file'), literalValues: list(f, 'set-literal'),
  };
}

export function namespaceOf(f: FlagValues): string {
  return str(f, 'namespace') || process.env.HELM_NAMESPACE || 'default';
}

async function templateName(nameTemplate: string): Promise<string> {
  const set = new TemplateSet({ name: 'name-template', funcs: nameTemplateFuncs(), missingKey: 'default' });
  set.parse('name-template', nameTemplate);
  return set.execute('name-template', null);
}

/** Install.NameAndChart. `defaultName` is helm template's "release-name". */
async function nameAndChart(args: string[], f: FlagValues, defaultName: string): Promise<[string, string]> {
  if (args.length > 2) throw new CommandError(`expected at most two arguments, unexpected arguments: ${args.slice(2).join(', ')}`);
  if (args.length === 2) {
    if (bool(f, 'generate-name')) throw new CommandError('cannot set --generate-name and also specify a name');
    if (str(f, 'name-template')) throw new CommandError('cannot set --name-template and also specify a name');
    return [args[0], args[1]];
  }
  if (str(f, 'name-template')) return [await templateName(str(f, 'name-template')), args[0]];
  if (defaultName) return [defaultName, args[0]];
  if (!bool(f, 'generate-name')) throw new CommandError('must either provide a name or specify --generate-name');
  let base = args[0].replace(/\/+$/, '').split('/').pop() ?? '';
  if (base === '.' || base === '') base = 'chart';
  const dot = base.indexOf('.');
  if (dot >= 0) base = base.slice(0, dot);
  return [`${base}-${Math.floor(Date.now() / 1000)}`, args[0]];
}

/** ChartPathOptions.LocateChart for local paths (repositories are not consulted offline). */
export function locateChart(name: string): string {
  const n = name.trim();
  try { statSync(n); return n; } catch { /* not local */ }
  if (n.startsWith('/') || n.startsWith('.')) throw new CommandError(`path ${JSON.stringify(n)} not found`);
  if (n.startsWith('oci://')) throw new CommandError(`unable to lookup chart ${JSON.stringify(n)}: OCI registries are not supported offline`);
  const slash = n.indexOf('/');
  if (slash < 0) throw new CommandError(`non-absolute URLs should be in form of repo_name/path_to_chart, got: ${n}`);
  throw new CommandError(`repo ${n.slice(0, slash)} not found`);
}

/** LocateChart with --repo: a local path wins; otherwise download from the repository. */
export async function locateChartWithRepo(name: string, f: FlagValues): Promise<string> {
  let repo = str(f, 'repo');
  let chart = name.trim();
  try { statSync(chart); return chart; } catch { /* not local */ }
  if (!repo) {
    // `repo/chart` names a chart in a repository added with `helm repo add`.
    const slash = chart.indexOf('/');
    const entry = slash > 0 && !chart.startsWith('.') && !chart.startsWith('/') ? readRepositories(f).find((r) => r.name === chart.slice(0, slash)) : undefined;
    if (!entry) return locateChart(name);
    repo = entry.url;
    chart = chart.slice(slash + 1);
  }
  const constraint = str(f, 'version') || (bool(f, 'devel') ? '>0.0.0-0' : '');
  const { version, data } = await downloadFromRepo(repo, chart, constraint);
  name = chart;
  const dir = mkdtempSync(join(tmpdir(), 'skiff-helm-'));
  const file = join(dir, `${name.trim()}-${version}.tgz`);
  writeFileSync(file, data);
  return file;
}

function checkDependencies(chart: Chart): void {
  const reqs = chart.metadata.dependencies;
  if (!reqs) return;
  const missing = reqs.filter((r) => r !== null && !chart.dependencies.some((d) => d.name === r.name)).map((r) => r?.name);
  if (missing.length > 0) {
    throw new CommandError(`An error occurred while checking for chart dependencies. You may need to run \`helm dependency build\` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: ${missing.join(', ')}`);
  }
}

export interface Prepared { name: string; chart: Chart; userValues: HelmMap; settings: RenderSettings; render: () => RenderedRelease }

export async function prepare(args: string[], f: FlagValues, io: HelmIO, defaultName: string, extra: { kubeVersion?: string; apiVersions?: string[]; includeCrds?: boolean; outputDir?: string; useReleaseName?: boolean; isUpgrade?: boolean }): Promise<Prepared> {
  if (args.length < 1) throw new CommandError(`"helm ${defaultName ? 'template' : 'install'}" requires at least 1 argument`);
  const [name, chartRef] = await nameAndChart(args, f, defaultName);
  const path = await locateChartWithRepo(chartRef, f);
  const userValues = mergeUserValues(valueOptions(f));
  let chart = loadChart(path);
  const type = chart.metadata.type ?? '';
  if (type !== '' && type !== 'application') throw new CommandError(`${type} charts are not installable`);
  if (chart.metadata.deprecated) io.stderr.write('WARNING: This chart is deprecated\n');
  try {
    checkDependencies(chart);
  } catch (e) {
    if (!bool(f, 'dependency-update')) throw e;
    await updateDependencies(path, io, false, f);
    chart = loadChart(path);
  }
  const postRender = str(f, 'post-renderer') ? postRenderer(str(f, 'post-renderer'), list(f, 'post-renderer-args')) : undefined;
  const settings: RenderSettings = {
    postRender, includeCrds: extra.includeCrds,
    skipSchemaValidation: bool(f, 'skip-schema-validation'), subNotes: bool(f, 'render-subchart-notes'),
    outputDir: extra.outputDir, useReleaseName: extra.useReleaseName,
    log: (m) => { if (bool(f, 'debug')) io.stderr.write(`${m}\n`); },
    onWrite: (p) => io.stdout.write(`wrote ${p}\n`),
  };
  const render = () => renderRelease(chart, userValues, {
    ...settings,
    release: { name, namespace: namespaceOf(f), revision: 1, isInstall: !extra.isUpgrade, isUpgrade: !!extra.isUpgrade },
    kubeVersion: extra.kubeVersion, apiVersions: extra.apiVersions,
  });
  return { name, chart, userValues, settings, render };
}

/** postrender.NewExec: find the binary (PATH lookup when the name has no separator). */
function postRenderer(binary: string, args: string[]): (input: string) => string {
  let full: string | undefined;
  const candidates = binary.includes('/') ? [binary] : (process.env.PATH ?? '').split(delimiter).map((d) => join(d, binary));
  for (const c of candidates) {
    try { accessSync(c, constants.X_OK); if (statSync(c).isFile()) { full = isAbsolute(c) ? c : resolvePath(c); break; } } catch { /* next */ }
  }
  if (!full) {
    throw new CommandError(`unable to find binary at ${binary}: exec: "${binary}": ${binary.includes('/') ? 'stat ' + binary + ': no such file or directory' : 'executable file not found in $PATH'}`);
  }
  const path = full;
  return (input) => {
    const r = spawnSync(path, args, { input, encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.error) throw new Error(`error while running command ${path}. error output:\n${r.stderr ?? ''}: ${r.error.message}`);
    if (r.status !== 0) throw new Error(`error while running command ${path}. error output:\n${r.stderr}: exit status ${r.status ?? 1}`);
    return r.stdout;
  };
}

function isTestHook(events: string[]): boolean { return events.includes('test'); }

export async function runTemplate(argv: string[], io: HelmIO): Promise<void> {
  const { flags: f, args } = parseFlags(argv, TEMPLATE_FLAGS);
  const outputDir = str(f, 'output-dir');
  const p = await prepare(args, f, io, 'release-name', {
    kubeVersion: str(f, 'kube-version') || process.env.SKIFF_HELM_DEFAULT_KUBE_VERSION || undefined, apiVersions: list(f, 'api-versions'),
    includeCrds: bool(f, 'include-crds'), outputDir: outputDir || undefined, useReleaseName: bool(f, 'release-name'),
    isUpgrade: bool(f, 'is-upgrade'),
  });
  let rel: RenderedRelease;
  try {
    rel = p.render();
  } catch (e) {
    if (e instanceof RenderError && e.partial) {
      if (!bool(f, 'debug')) throw new CommandError(`${e.message}\n\nUse --debug flag to render out invalid YAML`);
      io.stdout.write(`${goTrimSpace(e.manifest)}\n`);
    }
    throw e;
  }
  let manifests = `${goTrimSpace(rel.manifest)}\n`;
  if (!bool(f, 'disable-hooks')) {
    const written = new Set<string>();
    for (const h of rel.hooks) {
      if (bool(f, 'skip-tests') && isTestHook(h.events)) continue;
      if (!outputDir) manifests += `---\n# Source: ${h.path}\n${h.manifest}\n`;
      else {
        const dir = bool(f, 'release-name') ? `${outputDir}/${p.name}` : outputDir;
        let exists = written.has(h.path);
        try { statSync(`${dir}/${h.path}`); exists = true; } catch { /* new file */ }
        writeManifestFile(dir, h.path, h.manifest, exists, (path) => io.stdout.write(`wrote ${path}\n`));
        written.add(h.path);
      }
    }
  }
  const showOnly = list(f, 'show-only');
  if (showOnly.length === 0) { io.stdout.write(manifests); return; }
  const docs = splitManifests(manifests);
  const out: string[] = [];
  for (const raw of showOnly) {
    const pattern = raw.replace(/\\/g, '/');
    let missing = true;
    for (const doc of docs) {
      const m = /# Source: [^/\n]+\/(.+)/.exec(doc);
      if (!m) continue;
      let matched = false;
      try { matched = goMatch(pattern, m[1]); } catch { matched = false; }
      if (!matched) continue;
      out.push(doc);
      missing = false;
    }
    if (missing) throw new CommandError(`could not find template ${pattern} in chart`);
  }
  for (const doc of out) io.stdout.write(`---\n${doc}\n`);
}

export async function runInstall(argv: string[], io: HelmIO): Promise<void> {
  const { flags: f, args } = parseFlags(argv, INSTALL_FLAGS);
  const dryRun = str(f, 'dry-run');
  if (dryRun && !['false', 'true', 'none', 'client', 'server'].includes(dryRun)) {
    throw new CommandError('Invalid dry-run flag. Flag must one of the following: false, true, none, client, server');
  }
  try {
    const p = await prepare(args, f, io, '', { kubeVersion: process.env.SKIFF_HELM_DEFAULT_KUBE_VERSION || undefined });
    if (!dryRun || dryRun === 'false' || dryRun === 'none' || dryRun === 'server') {
      const rel = await installToCluster(p, f, io, dryRun === 'server' ? 'server' : '');
      writeRelease(io, f, rel, { hideNotes: bool(f, 'hide-notes'), debug: bool(f, 'debug') });
      return;
    }
    const rel = p.render();
    io.stdout.write(releaseSummary(p.name, namespaceOf(f), rel, bool(f, 'hide-notes')));
  } catch (e) {
    throw new CommandError(`INSTALLATION FAILED: ${(e as Error).message}`);
  }
}

/** The install action against the cluster for a prepared chart (`dryRun` 'server' renders only). */
export async function installToCluster(p: Prepared, f: FlagValues, io: HelmIO, dryRun: '' | 'server', replace = bool(f, 'replace')): Promise<Release> {
  const namespace = releaseNamespace(f);
  return withCluster(f, io, namespace, (cfg) => install(cfg, {
    name: p.name, namespace, chart: p.chart, values: p.userValues, render: p.settings,
    createNamespace: bool(f, 'create-namespace'), wait: bool(f, 'wait'), waitForJobs: bool(f, 'wait-for-jobs'),
    timeoutMs: timeoutMs(f), atomic: bool(f, 'atomic'), dryRun, description: str(f, 'description'),
    skipCrds: bool(f, 'skip-crds'), disableHooks: bool(f, 'disable-hooks'), takeOwnership: bool(f, 'take-ownership'),
    replace, labels: parseLabels(list(f, 'labels')),
  }));
}

/** Prints a release as install/upgrade do: -o table (status), json or yaml (the release object). */
export function writeRelease(io: HelmIO, f: FlagValues, rel: Release, o: StatusOptions): void {
  const format = str(f, 'output') || 'table';
  if (format === 'json') { io.stdout.write(`${releaseJson(rel)}\n`); return; }
  if (format === 'yaml') { io.stdout.write(marshalYaml(JSON.parse(releaseJson(rel)))); return; }
  if (format !== 'table') throw new CommandError(`invalid format type "${format}"`);
  io.stdout.write(statusText(rel, o));
}

/** statusPrinter.WriteTable for a dry-run release (cmd/helm/status.go). */
function releaseSummary(name: string, namespace: string, rel: RenderedRelease, hideNotes: boolean): string {
  let out = `NAME: ${name}\nLAST DEPLOYED: ${goANSIC(new Date())}\nNAMESPACE: ${namespace}\nSTATUS: pending-install\nREVISION: 1\n`;
  // Test hooks that never ran print nothing; without tests helm prints "None".
  if (!rel.hooks.some((h) => isTestHook(h.events))) out += 'TEST SUITE: None\n';
  out += 'HOOKS:\n';
  for (const h of rel.hooks) out += `---\n# Source: ${h.path}\n${h.manifest}\n`;
  out += `MANIFEST:\n${rel.manifest}\n`;
  if (!hideNotes && rel.notes.length > 0) out += `NOTES:\n${goTrimSpace(rel.notes)}\n`;
  return out;
}

function goANSIC(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getDay()]} ${months[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${d.getFullYear()}`;
}
