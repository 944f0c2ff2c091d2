/**
 * `helm package CHART_PATH... [-d DIR] [--version V] [--app-version V] [-u]` (pkg/action/package.go):
 * load the chart directory, check its dependencies are present, optionally override version and
 * appVersion, write `<name>-<version>.tgz` and print where.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadChart } from '../../helm/chart/load.js';
import { saveChartArchive } from '../../helm/chart/save.js';
import { parseSemver } from '../../helm/chart/semver.js';
import { bool, GLOBAL_FLAGS, parseFlags, str, type FlagSpec } from './flags.js';
import { CommandError } from './errors.js';
import type { HelmIO } from './io.js';
import { updateDependencies } from './dependency.js';

const PACKAGE_FLAGS: FlagSpec[] = [
  ...GLOBAL_FLAGS,
  { name: 'destination', short: 'd', kind: 'string', default: '.' },
  { name: 'version', kind: 'string' },
  { name: 'app-version', kind: 'string' },
  { name: 'dependency-update', short: 'u', kind: 'bool' },
  { name: 'sign', kind: 'bool' },
  { name: 'key', kind: 'string' },
  { name: 'keyring', kind: 'string' },
  { name: 'passphrase-file', kind: 'string' },
];

export async function runPackage(argv: string[], io: HelmIO): Promise<void> {
  const { flags: f, args } = parseFlags(argv, PACKAGE_FLAGS);
  if (args.length === 0) throw new CommandError('need at least one argument, the path to the chart');
  if (bool(f, 'sign')) throw new CommandError('signing charts is not supported');
  for (const path of args) {
    let st;
    try { st = statSync(path); } catch { throw new CommandError(`stat ${path}: no such file or directory`); }
    if (!st.isDirectory()) throw new CommandError(`${path} is not a directory`);
    if (bool(f, 'dependency-update')) await updateDependencies(path, io, false, f);
    const chart = loadChart(path);
    if (str(f, 'version')) {
      if (!parseSemver(str(f, 'version'))) throw new CommandError(`Invalid Semantic Version`);
      chart.metadata.version = str(f, 'version');
    }
    if (str(f, 'app-version')) chart.metadata.appVersion = str(f, 'app-version');
    const reqs = chart.metadata.dependencies ?? [];
    const missing = reqs.filter((r) => r !== null && !chart.dependencies.some((d) => d.name === r.name)).map((r) => r?.name);
    if (missing.length > 0) throw new CommandError(`found in Chart.yaml, but missing in charts/ directory: ${missing.join(', ')}`);
    const dest = str(f, 'destination') === '.' ? process.cwd() : str(f, 'destination');
    try { if (!statSync(dest).isDirectory()) throw new Error(); } catch { throw new CommandError(`failed to save: could not create ${dest}: stat ${dest}: no such file or directory`); }
    const out = saveChartArchive(chart, str(f, 'destination') === '.' ? process.cwd() : dest);
    io.stdout.write(`Successfully packaged chart and saved it to: ${str(f, 'destination') === '.' ? resolve(out) : out}\n`);
  }
}
