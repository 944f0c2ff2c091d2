/**
 * `helm dependency list|update|build CHART` (pkg/action/dependency.go, pkg/downloader/manager.go).
 * list: the status table. update/build: fetch dependencies into charts/ — `file://` repositories
 * are packaged from the local directory; remote repositories are not reachable offline.
 * update rewrites Chart.lock (requirements.lock for v1 charts); build uses the lock file.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadChart } from '../../helm/chart/load.js';
import { hashRequirements, saveChartArchive } from '../../helm/chart/save.js';
import { isCompatibleRange, parseSemver } from '../../helm/chart/semver.js';
import type { Chart, ChartDependency } from '../../helm/chart/types.js';
import { marshalYaml } from '../../helm/values/marshal.js';
import { GLOBAL_FLAGS, parseFlags, type FlagSpec } from './flags.js';
import { CommandError } from './install.js';
import type { HelmIO } from './io.js';

const DEP_FLAGS: FlagSpec[] = [
  ...GLOBAL_FLAGS,
  { name: 'verify', kind: 'bool' }, { name: 'keyring', kind: 'string' }, { name: 'skip-refresh', kind: 'bool' },
  { name: 'max-col-width', kind: 'string', default: '80' },
  { name: 'username', kind: 'string' }, { name: 'password', kind: 'string' }, { name: 'plain-http', kind: 'bool' },
  { name: 'insecure-skip-tls-verify', kind: 'bool' }, { name: 'ca-file', kind: 'string' }, { name: 'cert-file', kind: 'string' }, { name: 'key-file', kind: 'string' },
];

/** gosuri/uitable: every cell right-padded to its column's width, cells joined by a tab. */
export function uitable(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => Array.from(r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c + ' '.repeat(widths[i] - Array.from(c).length)).join('\t')).join('\n');
}

function archiveStatus(archive: string, dep: ChartDependency): string {
  let c: Chart;
  try { c = loadChart(archive); } catch { return 'corrupt'; }
  if (c.name !== dep.name) return 'misnamed';
  return versionStatus(c.metadata.version, dep) ?? 'ok';
}

function versionStatus(version: string, dep: ChartDependency): string | undefined {
  if (version === dep.version) return undefined;
  if (!parseSemver(version)) return 'invalid version';
  return isCompatibleRange(dep.version ?? '', version) ? undefined : 'wrong version';
}

function dependencyStatus(chartPath: string, dep: ChartDependency, parent: Chart): string {
  const dir = join(chartPath, 'charts');
  const archives = existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith(`${dep.name}-`) && n.endsWith('.tgz')) : [];
  if (archives.length === 1) return archiveStatus(join(dir, archives[0]), dep);
  if (archives.length > 1) {
    const found = archives.filter((a) => /^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(a.slice(dep.name.length + 1, -4)));
    if (found.length === 1) return archiveStatus(join(dir, found[0]), dep);
    if (found.length > 1) return 'too many matches';
  }
  const depChart = [...parent.dependencies].reverse().find((d) => d.name === dep.name);
  if (!depChart) return 'missing';
  return versionStatus(depChart.metadata.version, dep) ?? 'unpacked';
}

function listDependencies(chartPath: string, io: HelmIO): void {
  const c = loadChart(chartPath);
  if (!c.metadata.dependencies) {
    io.stdout.write(`WARNING: no dependencies at ${join(chartPath, 'charts')}\n`);
    return;
  }
  const rows = [['NAME', 'VERSION', 'REPOSITORY', 'STATUS']];
  for (const d of c.metadata.dependencies) {
    if (d) rows.push([d.name, d.version ?? '', d.repository ?? '', dependencyStatus(chartPath, d, c)]);
  }
  io.stdout.write(`${uitable(rows)}\n\n`);
  const dir = join(chartPath, 'charts');
  for (const name of existsSync(dir) ? readdirSync(dir).sort() : []) {
    const p = join(dir, name);
    if (!statSync(p).isDirectory() && !name.endsWith('.tgz')) continue;
    let sub: Chart;
    try { sub = loadChart(p); } catch { io.stdout.write(`WARNING: ${JSON.stringify(p)} is not a chart.\n`); continue; }
    if (!c.metadata.dependencies.some((d) => d?.name === sub.name)) io.stdout.write(`WARNING: ${JSON.stringify(p)} is not in Chart.yaml.\n`);
  }
}

/** Resolve, package and copy every dependency into charts/, then (update) write the lock. */
export async function updateDependencies(chartPath: string, io: HelmIO, fromLock: boolean): Promise<void> {
  const c = loadChart(chartPath);
  const reqs = (c.metadata.dependencies ?? []).filter((d): d is ChartDependency => d !== null);
  if (reqs.length === 0) return;
  const locked: ChartDependency[] = [];
  const lockDeps = c.lock?.dependencies ?? [];
  if (fromLock) {
    if (!c.lock) throw new CommandError('Error: the lock file (Chart.lock) is out of sync with the dependencies file (Chart.yaml). Please update the dependencies');
    if (c.lock.digest !== hashRequirements(reqs, lockDeps)) {
      throw new CommandError('the lock file (Chart.lock) is out of sync with the dependencies file (Chart.yaml). Please update the dependencies');
    }
  }
  const packaged: { dep: ChartDependency; chart: Chart; src: string }[] = [];
  for (const dep of reqs) {
    const repo = dep.repository ?? '';
    if (repo === '') { locked.push({ name: dep.name, version: dep.version, repository: '' }); continue; }
    if (!repo.startsWith('file://')) {
      throw new CommandError(`no repository definition for ${repo}. Please add the missing repos via 'helm repo add'`);
    }
    const src = resolve(chartPath, repo.slice('file://'.length));
    let sub: Chart;
    try { sub = loadChart(src); } catch (e) { throw new CommandError(`directory ${src} not found: ${(e as Error).message}`); }
    const want = fromLock ? lockDeps.find((l) => l.name === dep.name)?.version ?? dep.version : dep.version;
    if (want && !isCompatibleRange(want, sub.metadata.version)) {
      throw new CommandError(`can't get a valid version for dependency ${dep.name}`);
    }
    packaged.push({ dep, chart: sub, src });
    locked.push({ name: dep.name, version: sub.metadata.version, repository: repo });
  }
  const chartsDir = join(chartPath, 'charts');
  mkdirSync(chartsDir, { recursive: true });
  io.stdout.write(`Saving ${reqs.length} charts\n`);
  const written = new Set<string>();
  for (const p of packaged) written.add(saveChartArchive(p.chart, chartsDir).split('/').pop() as string);
  io.stdout.write('Deleting outdated charts\n');
  for (const name of readdirSync(chartsDir)) {
    if (!name.endsWith('.tgz') || written.has(name)) continue;
    if (packaged.some((p) => name.startsWith(`${p.chart.name}-`))) rmSync(join(chartsDir, name));
  }
  if (!fromLock) {
    const lockName = c.metadata.apiVersion === 'v1' ? 'requirements.lock' : 'Chart.lock';
    const lock = { dependencies: locked.map((l) => ({ name: l.name, repository: l.repository ?? '', version: l.version ?? '' })), digest: hashRequirements(reqs, locked), generated: new Date().toISOString() };
    writeFileSync(join(chartPath, lockName), marshalYaml(lock));
  }
}

export async function runDependency(argv: string[], io: HelmIO): Promise<void> {
  const [sub, ...rest] = argv;
  const { args } = parseFlags(rest, DEP_FLAGS);
  const chartPath = args[0] ?? '.';
  switch (sub) {
    case 'list': case 'ls': listDependencies(chartPath, io); return;
    case 'update': case 'up': await updateDependencies(chartPath, io, false); return;
    case 'build': await updateDependencies(chartPath, io, true); return;
    default: throw new CommandError(sub === undefined ? 'dependency requires a subcommand: build, list, update' : `unknown command "${sub}" for "helm dependency"`);
  }
}
