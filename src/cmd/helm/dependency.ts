/**
 * `helm dependency list|update|build CHART` (pkg/action/dependency.go, pkg/downloader/manager.go).
 * list: the status table. update/build: fetch dependencies into charts/ — `file://` repositories
 * are packaged from the local directory, http(s) repositories are resolved through their
 * index.yaml (newest version matching the constraint) and downloaded. Named repositories
 * (`@name`, repositories.yaml) and OCI registries are not supported yet.
 * update rewrites Chart.lock (requirements.lock for v1 charts); build uses the lock file.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { loadChart } from '../../helm/chart/load.js';
import { hashRequirements, hashRequirementsV2, saveChartArchive } from '../../helm/chart/save.js';
import { isCompatibleRange, parseConstraint, parseSemver } from '../../helm/chart/semver.js';
import type { Chart, ChartDependency } from '../../helm/chart/types.js';
import { marshalYaml } from '../../helm/values/marshal.js';
import { GLOBAL_FLAGS, parseFlags, type FlagSpec, type FlagValues } from './flags.js';
import { resolveRepoAlias } from './repositories.js';
import { CommandError } from './errors.js';
import { fetchIndex, pickVersion, type IndexEntry } from '../../helm/repo-index.js';
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
  try { parseConstraint(dep.version ?? ''); } catch { return 'invalid version'; }
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

/** Resolve and fetch every dependency into charts/ (file:// packaged locally, http(s) from the
 *  repository index), then (update) write the lock file; build follows the lock file. */
export async function updateDependencies(chartPath: string, io: HelmIO, fromLock: boolean, f: FlagValues = {}): Promise<void> {
  const c = loadChart(chartPath);
  const reqs = (c.metadata.dependencies ?? []).filter((d): d is ChartDependency => d !== null);
  for (const d of reqs) if (d.repository) d.repository = resolveRepoAlias(d.repository, f);
  if (reqs.length === 0) return;
  const lockDeps = c.lock?.dependencies ?? [];
  if (fromLock && c.lock && c.lock.digest !== hashRequirements(reqs, lockDeps)) {
    if (c.metadata.apiVersion !== 'v1') {
      throw new CommandError('the lock file (Chart.lock) is out of sync with the dependencies file (Chart.yaml). Please update the dependencies');
    }
    if (c.lock.digest !== hashRequirementsV2(reqs)) {
      throw new CommandError('the lock file (requirements.lock) is out of sync with the dependencies file (requirements.yaml). Please update the dependencies');
    }
  }
  const useLock = fromLock && c.lock !== undefined;
  const remote = [...new Set(reqs.map((d) => d.repository ?? '').filter((r) => /^https?:\/\//.test(r)))];
  const indexes = new Map<string, Record<string, IndexEntry[]>>();
  if (remote.length > 0) {
    io.stdout.write('Getting updates for unmanaged Helm repositories...\n');
    for (const r of remote) {
      await fetchIndex(r, indexes);
      io.stdout.write(`...Successfully got an update from the ${JSON.stringify(r)} chart repository\n`);
    }
  }
  const chartsDir = join(chartPath, 'charts');
  mkdirSync(chartsDir, { recursive: true });
  const locked: ChartDependency[] = [];
  const written = new Set<string>();
  const fetched = new Set<string>();
  io.stdout.write(`Saving ${reqs.length} charts\n`);
  for (const dep of reqs) {
    const repo = dep.repository ?? '';
    const constraint = useLock ? lockDeps.find((l) => l.name === dep.name)?.version ?? dep.version ?? '' : dep.version ?? '';
    if (repo === '') {
      io.stdout.write(`Dependency ${dep.name} did not declare a repository. Assuming it exists in the charts directory\n`);
      const local = loadChart(join(chartsDir, dep.name));
      if (!isCompatibleRange(constraint || '*', local.metadata.version)) {
        throw new CommandError(`dependency ${dep.name} at version ${local.metadata.version} does not satisfy the constraint ${dep.version}`);
      }
      locked.push({ name: dep.name, version: local.metadata.version, repository: '' });
      continue;
    }
    if (repo.startsWith('file://')) {
      const src = resolve(chartPath, repo.slice('file://'.length));
      let sub: Chart;
      try { sub = loadChart(src); } catch { throw new CommandError(`directory ${src} not found`); }
      if (!isCompatibleRange(constraint || '*', sub.metadata.version)) {
        throw new CommandError(`can't get a valid version for dependency ${dep.name}`);
      }
      written.add(basename(saveChartArchive(sub, chartsDir)));
      locked.push({ name: dep.name, version: sub.metadata.version, repository: repo });
      continue;
    }
    if (!/^https?:\/\//.test(repo)) {
      throw new CommandError(`no repository definition for ${repo}. Please add the missing repos via 'helm repo add'`);
    }
    const entry = pickVersion((await fetchIndex(repo, indexes))[dep.name] ?? [], constraint);
    if (!entry || entry.urls.length === 0) {
      throw new CommandError(`could not find : chart ${dep.name} not found in ${repo}`);
    }
    const url = new URL(entry.urls[0], repo.replace(/\/*$/, '/')).toString();
    if (fetched.has(url)) { io.stdout.write(`Already downloaded ${dep.name} from repo ${repo}\n`); continue; }
    fetched.add(url);
    io.stdout.write(`Downloading ${dep.name} from repo ${repo}\n`);
    const res = await fetch(url);
    if (!res.ok) throw new CommandError(`failed to fetch ${url} : ${res.status} ${res.statusText}`);
    const file = `${dep.name}-${entry.version}.tgz`;
    writeFileSync(join(chartsDir, file), Buffer.from(await res.arrayBuffer()));
    written.add(file);
    locked.push({ name: dep.name, version: entry.version, repository: repo });
  }
  io.stdout.write('Deleting outdated charts\n');
  for (const name of readdirSync(chartsDir)) {
    if (!name.endsWith('.tgz') || written.has(name)) continue;
    if (reqs.some((d) => name.startsWith(`${d.name}-`) && /^[0-9]/.test(name.slice(d.name.length + 1)))) rmSync(join(chartsDir, name));
  }
  if (!fromLock || !c.lock) {
    const lockName = c.metadata.apiVersion === 'v1' ? 'requirements.lock' : 'Chart.lock';
    const lock = {
      dependencies: locked.map((l) => ({ name: l.name, repository: l.repository ?? '', version: l.version ?? '' })),
      digest: hashRequirements(reqs, locked),
      generated: new Date().toISOString(),
    };
    writeFileSync(join(chartPath, lockName), marshalYaml(lock));
  }
}

export async function runDependency(argv: string[], io: HelmIO): Promise<void> {
  const [sub, ...rest] = argv;
  const { flags: f, args } = parseFlags(rest, DEP_FLAGS);
  const chartPath = args[0] ?? '.';
  switch (sub) {
    case 'list': case 'ls': listDependencies(chartPath, io); return;
    case 'update': case 'up': await updateDependencies(chartPath, io, false, f); return;
    case 'build': await updateDependencies(chartPath, io, true, f); return;
    default: throw new CommandError(sub === undefined ? 'dependency requires a subcommand: build, list, update' : `unknown command "${sub}" for "helm dependency"`);
  }
}
