/**
 * `skiff helm`: the helm v3 CLI's offline verbs, with helm's flags, output and errors.
 *
 *   runHelm(argv, io) -> exit code. argv is everything after `skiff helm`.
 *
 * Verbs: template, install, upgrade, rollback, uninstall, list, history, status, get, test, lint,
 * show chart|values|readme|crds|all, create, package, pull, dependency list|build|update,
 * repo add|list|remove|update|index, version. Charts are directories, archives, `repo/chart`
 * (repositories.yaml) or `--repo URL` names. Release verbs talk to the cluster named by
 * --kubeconfig / $KUBECONFIG / ~/.kube/config and store releases as helm does (src/helm/release/).
 * Failures print `Error: <message>` on stderr and return 1, like helm (cobra).
 */
import { FlagError } from './flags.js';
import { CommandError } from './errors.js';
import { runInstall, runTemplate } from './install.js';
import type { HelmIO } from './io.js';
import { runShow } from './show.js';
import { runCreate } from './create.js';
import { runPackage } from './package.js';
import { runDependency } from './dependency.js';
import { runRepo } from './repo.js';
import { runPull } from './pull.js';
import { runLint } from './lint.js';
import { runUpgrade } from './upgrade.js';
import { runRollback, runTest, runUninstall } from './release-ops.js';
import { runGet, runHistory, runList, runStatus } from './release-info.js';
import { ExitCode, runDiff } from './diff.js';
import { HELM_VERSION } from '../../helm/render-data.js';
import './funcs.js';

export type { HelmIO } from './io.js';

const USAGE = `The Kubernetes package manager (skiff)

Usage:
  helm [command]

Available Commands:
  create      create a new chart with the given name
  dependency  manage a chart's dependencies
  diff        show what an upgrade would change on the cluster (diff upgrade RELEASE CHART)
  get         download extended information of a named release
  history     fetch release history
  install     install a chart
  lint        examine a chart for possible issues
  list        list releases
  package     package a chart directory into a chart archive
  pull        download a chart from a repository and (optionally) unpack it in local directory
  repo        add, list, remove, update, and index chart repositories
  rollback    roll back a release to a previous revision
  show        show information of a chart
  status      display the status of the named release
  template    locally render templates
  test        run tests for a release
  uninstall   uninstall a release
  upgrade     upgrade a release
  version     print the client version information
`;

type Verb = (argv: string[], io: HelmIO) => Promise<void>;

const VERBS: Record<string, Verb> = {
  template: runTemplate,
  install: runInstall,
  show: runShow,
  inspect: runShow,
  create: runCreate,
  package: runPackage,
  dependency: runDependency,
  dep: runDependency,
  dependencies: runDependency,
  repo: runRepo,
  pull: runPull,
  fetch: runPull,
  lint: runLint,
  upgrade: runUpgrade,
  rollback: runRollback,
  uninstall: runUninstall,
  delete: runUninstall,
  un: runUninstall,
  del: runUninstall,
  test: runTest,
  list: runList,
  ls: runList,
  history: runHistory,
  hist: runHistory,
  status: runStatus,
  get: runGet,
  diff: runDiff,
  version: async (argv, io) => {
    if (argv.includes('--short')) { io.stdout.write(`${HELM_VERSION}\n`); return; }
    io.stdout.write(`version.BuildInfo{Version:"${HELM_VERSION}", GitCommit:"", GitTreeState:"clean", GoVersion:"go1.25.0"}\n`);
  },
};

export async function runHelm(argv: string[], io: HelmIO): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === 'help' || verb === '--help' || verb === '-h') {
    io.stdout.write(USAGE);
    return verb === undefined ? 1 : 0;
  }
  const run: Verb | undefined = Object.hasOwn(VERBS, verb) ? VERBS[verb] : undefined;
  if (run && rest.some((a) => a === '-h' || a === '--help')) {
    io.stdout.write(`Usage:\n  helm ${verb} [flags]\n\nSee https://helm.sh/docs/helm/helm_${verb}/ for the flags, which skiff helm accepts as helm does.\n`);
    return 0;
  }
  if (!run) {
    io.stderr.write(`Error: unknown command "${verb}" for "helm"\nRun 'helm --help' for usage.\n`);
    return 1;
  }
  try {
    await run(rest, io);
    return 0;
  } catch (e) {
    if (e instanceof ExitCode) return e.code;
    const msg = e instanceof CommandError || e instanceof FlagError || e instanceof Error ? e.message : String(e);
    io.stderr.write(`Error: ${msg}\n`);
    return 1;
  }
}
