/**
 * `helm upgrade NAME CHART` (cmd/helm/upgrade.go) against the cluster: --install installs when the
 * release has no history; otherwise the upgrade action (src/helm/release/upgrade.ts). Prints
 * `Release "x" has been upgraded. Happy Helming!` and the status, like helm. Also `--upgrade-crds`
 * (beyond helm) to update CRDs from the chart's crds/.
 */
import { bool, list, parseFlags, str, type FlagSpec, type FlagValues } from './flags.js';
import { INSTALL_FLAGS, installToCluster, prepare, writeRelease } from './install.js';
import { timeoutMs, withCluster, releaseNamespace } from './cluster.js';
import { CommandError } from './errors.js';
import type { HelmIO } from './io.js';
import { upgrade, type UpgradeOptions } from '../../helm/release/upgrade.js';
import { parseLabels } from '../../helm/release/release.js';

export const UPGRADE_FLAGS: FlagSpec[] = [
  ...INSTALL_FLAGS.filter((s) => s.name !== 'generate-name' && s.name !== 'name-template'),
  { name: 'install', short: 'i', kind: 'bool' },
  { name: 'reuse-values', kind: 'bool' },
  { name: 'reset-values', kind: 'bool' },
  { name: 'reset-then-reuse-values', kind: 'bool' },
  { name: 'history-max', kind: 'string', default: '10' },
  { name: 'cleanup-on-fail', kind: 'bool' },
  { name: 'upgrade-crds', kind: 'bool' },
];

export function upgradeOptions(f: FlagValues, base: Pick<UpgradeOptions, 'name' | 'namespace' | 'chart' | 'values' | 'render'>, dryRun: '' | 'client' | 'server'): UpgradeOptions {
  const historyMax = Number(str(f, 'history-max') || '10');
  if (!Number.isInteger(historyMax)) throw new CommandError(`invalid argument "${str(f, 'history-max')}" for "--history-max" flag: strconv.ParseInt: parsing "${str(f, 'history-max')}": invalid syntax`);
  return {
    ...base, reuseValues: bool(f, 'reuse-values'), resetValues: bool(f, 'reset-values'), resetThenReuseValues: bool(f, 'reset-then-reuse-values'),
    historyMax, cleanupOnFail: bool(f, 'cleanup-on-fail'), force: bool(f, 'force'), atomic: bool(f, 'atomic'),
    wait: bool(f, 'wait'), waitForJobs: bool(f, 'wait-for-jobs'), timeoutMs: timeoutMs(f), dryRun,
    description: str(f, 'description'), disableHooks: bool(f, 'disable-hooks'), takeOwnership: bool(f, 'take-ownership'),
    upgradeCrds: bool(f, 'upgrade-crds'), labels: parseLabels(list(f, 'labels')),
  };
}

export function dryRunMode(f: FlagValues): '' | 'client' | 'server' {
  const d = str(f, 'dry-run');
  if (!d || d === 'false' || d === 'none') return '';
  if (d === 'server') return 'server';
  if (d === 'client' || d === 'true') return 'client';
  throw new CommandError('Invalid dry-run flag. Flag must one of the following: false, true, none, client, server');
}

export async function runUpgrade(argv: string[], io: HelmIO): Promise<void> {
  const { flags: f, args } = parseFlags(argv, UPGRADE_FLAGS);
  if (args.length !== 2) throw new CommandError(`"helm upgrade" requires 2 arguments\n\nUsage:  helm upgrade [RELEASE] [CHART] [flags]`);
  const namespace = releaseNamespace(f);
  const dryRun = dryRunMode(f);
  const p = await prepare(args, f, io, '', { isUpgrade: true });
  if (bool(f, 'install')) {
    const history = await withCluster(f, io, namespace, (cfg) => cfg.storage.history(p.name));
    const uninstalled = history.length > 0 && history[history.length - 1].info.status === 'uninstalled';
    if (history.length === 0 || uninstalled) {
      if (dryRun === '') io.stdout.write(`Release "${p.name}" does not exist. Installing it now.\n`);
      try {
        const rel = await installToCluster(p, f, io, dryRun === 'client' ? 'server' : dryRun, uninstalled);
        writeRelease(io, f, rel, { hideNotes: bool(f, 'hide-notes'), debug: bool(f, 'debug') });
        return;
      } catch (e) {
        throw new CommandError(`INSTALLATION FAILED: ${(e as Error).message}`);
      }
    }
  }
  try {
    const rel = await withCluster(f, io, namespace, (cfg) => upgrade(cfg, upgradeOptions(f, { name: p.name, namespace, chart: p.chart, values: p.userValues, render: p.settings }, dryRun)));
    if (dryRun === '') io.stdout.write(`Release "${p.name}" has been upgraded. Happy Helming!\n`);
    writeRelease(io, f, rel, { hideNotes: bool(f, 'hide-notes'), debug: bool(f, 'debug') });
  } catch (e) {
    const msg = (e as Error).message;
    throw new CommandError(`UPGRADE FAILED: ${msg}`);
  }
}
