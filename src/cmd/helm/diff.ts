/**
 * `skiff helm diff upgrade NAME CHART [upgrade flags] [--detailed-exitcode]`: prints, per object, a
 * unified diff of the live object against what the upgrade would make of it (server dry-run),
 * `<id> has been added/removed/changed` headers like helm-diff, and errors the API server would
 * give. With --detailed-exitcode the command fails with exit code 2 when there are changes.
 */
import { bool, parseFlags, type FlagSpec } from './flags.js';
import { prepare } from './install.js';
import { withCluster, releaseNamespace } from './cluster.js';
import { UPGRADE_FLAGS, upgradeOptions } from './upgrade.js';
import { CommandError } from './errors.js';
import type { HelmIO } from './io.js';
import { diffUpgrade } from '../../helm/release/diff.js';

const DIFF_FLAGS: FlagSpec[] = [...UPGRADE_FLAGS, { name: 'detailed-exitcode', kind: 'bool' }];

/** Thrown to make runHelm exit with a specific code and no error text. */
export class ExitCode extends Error {
  constructor(readonly code: number) { super(''); }
}

export async function runDiff(argv: string[], io: HelmIO): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'upgrade') throw new CommandError(`unknown command "${sub ?? ''}" for "helm diff" (supported: upgrade)`);
  const { flags: f, args } = parseFlags(rest, DIFF_FLAGS);
  if (args.length !== 2) throw new CommandError(`"helm diff upgrade" requires 2 arguments\n\nUsage:  helm diff upgrade [RELEASE] [CHART] [flags]`);
  const namespace = releaseNamespace(f);
  const p = await prepare(args, f, io, '', { isUpgrade: true });
  const diffs = await withCluster(f, io, namespace, (cfg) => diffUpgrade(cfg, upgradeOptions(f, { name: p.name, namespace, chart: p.chart, values: p.userValues, render: p.settings }, '')));
  const verb = { added: 'has been added', removed: 'has been removed', modified: 'has changed', error: 'cannot be upgraded' } as const;
  for (const d of diffs) {
    io.stdout.write(`${d.id} ${verb[d.change]}:\n`);
    io.stdout.write(d.error ? `  ${d.error}\n` : d.diff);
  }
  if (diffs.some((d) => d.change === 'error')) throw new CommandError('the upgrade would fail for the objects above');
  if (diffs.length > 0 && bool(f, 'detailed-exitcode')) throw new ExitCode(2);
}
