/**
 * `skiff helm`: the helm v3 CLI's offline verbs, with helm's flags, output and errors.
 *
 *   runHelm(argv, io) -> exit code. argv is everything after `skiff helm`.
 *
 * Verbs: template, install (--dry-run only), lint, show chart|values|readme|crds|all, create,
 * package, pull, dependency list|build|update, repo add|list|remove|update|index, version. Charts are
 * directories, archives, `repo/chart` (repositories.yaml) or `--repo URL` names. Failures print
 * `Error: <message>` on stderr and return 1, like helm (cobra). Release verbs that need a
 * cluster (install without --dry-run, upgrade, uninstall, ...) come later.
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
import { HELM_VERSION } from '../../helm/render-data.js';
import './funcs.js';

export type { HelmIO } from './io.js';

const USAGE = `The Kubernetes package manager (skiff)

Usage:
  helm [command]

Available Commands:
  create      create a new chart with the given name
  dependency  manage a chart's dependencies
  install     install a chart (--dry-run only)
  lint        examine a chart for possible issues
  package     package a chart directory into a chart archive
  pull        download a chart from a repository and (optionally) unpack it in local directory
  repo        add, list, remove, update, and index chart repositories
  show        show information of a chart
  template    locally render templates
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
    const msg = e instanceof CommandError || e instanceof FlagError || e instanceof Error ? e.message : String(e);
    io.stderr.write(`Error: ${msg}\n`);
    return 1;
  }
}
