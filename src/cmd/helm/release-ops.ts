/**
 * `helm rollback NAME [REVISION]`, `helm uninstall NAME...` and `helm test NAME` against the
 * cluster (cmd/helm/rollback.go, uninstall.go, release_testing.go), with helm's flags and output.
 */
import { bool, parseFlags, str, GLOBAL_FLAGS, type FlagSpec } from './flags.js';
import { statusText, timeoutMs, withCluster, releaseNamespace } from './cluster.js';
import { CommandError } from './errors.js';
import type { HelmIO } from './io.js';
import { rollback } from '../../helm/release/rollback.js';
import { uninstall } from '../../helm/release/uninstall.js';
import { runReleaseTests } from '../../helm/release/testing.js';

const ROLLBACK_FLAGS: FlagSpec[] = [
  ...GLOBAL_FLAGS,
  { name: 'dry-run', kind: 'bool' }, { name: 'recreate-pods', kind: 'bool' }, { name: 'force', kind: 'bool' },
  { name: 'no-hooks', kind: 'bool' }, { name: 'timeout', kind: 'string' }, { name: 'wait', kind: 'bool' },
  { name: 'wait-for-jobs', kind: 'bool' }, { name: 'cleanup-on-fail', kind: 'bool' }, { name: 'history-max', kind: 'string', default: '10' },
];

export async function runRollback(argv: string[], io: HelmIO): Promise<void> {
  const { flags: f, args } = parseFlags(argv, ROLLBACK_FLAGS);
  if (args.length < 1 || args.length > 2) throw new CommandError(`"helm rollback" requires at least 1 and at most 2 arguments\n\nUsage:  helm rollback <RELEASE> [REVISION] [flags]`);
  let version = 0;
  if (args.length === 2) {
    version = Number(args[1]);
    if (!/^[0-9]+$/.test(args[1])) throw new CommandError(`could not convert revision to a number: strconv.Atoi: parsing ${JSON.stringify(args[1])}: invalid syntax`);
  }
  await withCluster(f, io, releaseNamespace(f), (cfg) => rollback(cfg, args[0], {
    version, wait: bool(f, 'wait'), waitForJobs: bool(f, 'wait-for-jobs'), timeoutMs: timeoutMs(f), force: bool(f, 'force'),
    disableHooks: bool(f, 'no-hooks'), cleanupOnFail: bool(f, 'cleanup-on-fail'), historyMax: Number(str(f, 'history-max') || '10'), dryRun: bool(f, 'dry-run'),
  }));
  io.stdout.write('Rollback was a success! Happy Helming!\n');
}

const UNINSTALL_FLAGS: FlagSpec[] = [
  ...GLOBAL_FLAGS,
  { name: 'dry-run', kind: 'bool' }, { name: 'no-hooks', kind: 'bool' }, { name: 'keep-history', kind: 'bool' },
  { name: 'ignore-not-found', kind: 'bool' }, { name: 'wait', kind: 'bool' }, { name: 'timeout', kind: 'string' },
  { name: 'description', kind: 'string' }, { name: 'cascade', kind: 'string', default: 'background' },
];

function cascade(v: string): 'Background' | 'Foreground' | 'Orphan' {
  if (v === '' || v === 'background') return 'Background';
  if (v === 'foreground') return 'Foreground';
  if (v === 'orphan') return 'Orphan';
  throw new CommandError('invalid cascade value (' + v + '). Must be "background", "foreground", or "orphan"');
}

export async function runUninstall(argv: string[], io: HelmIO): Promise<void> {
  const { flags: f, args } = parseFlags(argv, UNINSTALL_FLAGS);
  if (args.length < 1) throw new CommandError(`"helm uninstall" requires at least 1 argument\n\nUsage:  helm uninstall RELEASE_NAME [...] [flags]`);
  await withCluster(f, io, releaseNamespace(f), async (cfg) => {
    for (const name of args) {
      try {
        const res = await uninstall(cfg, name, {
          keepHistory: bool(f, 'keep-history'), disableHooks: bool(f, 'no-hooks'), timeoutMs: timeoutMs(f),
          wait: bool(f, 'wait'), description: str(f, 'description'), dryRun: bool(f, 'dry-run'), cascade: cascade(str(f, 'cascade')),
        });
        if (res.info) io.stdout.write(`${res.info}\n`);
        io.stdout.write(`release "${name}" uninstalled\n`);
      } catch (e) {
        if (bool(f, 'ignore-not-found') && /release: not found/.test((e as Error).message)) continue;
        throw e;
      }
    }
  });
}

const TEST_FLAGS: FlagSpec[] = [
  ...GLOBAL_FLAGS,
  { name: 'timeout', kind: 'string' }, { name: 'logs', kind: 'bool' }, { name: 'filter', kind: 'slice' }, { name: 'hide-notes', kind: 'bool' },
];

export async function runTest(argv: string[], io: HelmIO): Promise<void> {
  const { flags: f, args } = parseFlags(argv, TEST_FLAGS);
  if (args.length !== 1) throw new CommandError(`"helm test" requires 1 argument\n\nUsage:  helm test [RELEASE] [flags]`);
  const filters = (f.filter as string[]) ?? [];
  await withCluster(f, io, releaseNamespace(f), async (cfg) => {
    const { release, error } = await runReleaseTests(cfg, args[0], timeoutMs(f), filters);
    io.stdout.write(statusText(release, { hideNotes: bool(f, 'hide-notes') }));
    if (error) throw error;
  });
}
