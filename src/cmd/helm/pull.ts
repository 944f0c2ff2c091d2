/**
 * `helm pull repo/chart | CHART --repo URL [--version V] [-d DIR] [--untar [--untardir DIR]]`
 * (cmd/helm/pull.go): download a chart archive from a repository into DIR, optionally unpacked
 * into DIR/UNTARDIR/<chart>.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readTgz } from '../../helm/chart/tar.js';
import { downloadFromRepo } from '../../helm/repo-index.js';
import { CommandError } from './errors.js';
import { bool, GLOBAL_FLAGS, parseFlags, str, type FlagSpec } from './flags.js';
import type { HelmIO } from './io.js';
import { readRepositories } from './repositories.js';

const PULL_FLAGS: FlagSpec[] = [
  ...GLOBAL_FLAGS,
  { name: 'version', kind: 'string' }, { name: 'repo', kind: 'string' }, { name: 'devel', kind: 'bool' },
  { name: 'destination', short: 'd', kind: 'string', default: '.' }, { name: 'untar', kind: 'bool' },
  { name: 'untardir', kind: 'string', default: '.' }, { name: 'prov', kind: 'bool' }, { name: 'verify', kind: 'bool' },
  { name: 'keyring', kind: 'string' }, { name: 'username', kind: 'string' }, { name: 'password', kind: 'string' },
  { name: 'pass-credentials', kind: 'bool' }, { name: 'insecure-skip-tls-verify', kind: 'bool' }, { name: 'plain-http', kind: 'bool' },
  { name: 'ca-file', kind: 'string' }, { name: 'cert-file', kind: 'string' }, { name: 'key-file', kind: 'string' },
];

export async function runPull(argv: string[], io: HelmIO): Promise<void> {
  const { flags: f, args } = parseFlags(argv, PULL_FLAGS);
  if (args.length < 1) throw new CommandError('"helm pull" requires at least 1 argument\n\nUsage:  helm pull [chart URL | repo/chartname] [...] [flags]');
  for (const ref of args) {
    let repo = str(f, 'repo');
    let chart = ref;
    if (!repo) {
      const slash = ref.indexOf('/');
      if (slash < 0) throw new CommandError(`non-absolute URLs should be in form of repo_name/path_to_chart, got: ${ref}`);
      const entry = readRepositories(f).find((r) => r.name === ref.slice(0, slash));
      if (!entry) throw new CommandError(`repo ${ref.slice(0, slash)} not found`);
      repo = entry.url;
      chart = ref.slice(slash + 1);
    }
    const constraint = str(f, 'version') || (bool(f, 'devel') ? '>0.0.0-0' : '');
    const { version, data } = await downloadFromRepo(repo, chart, constraint);
    const dest = str(f, 'destination');
    mkdirSync(dest, { recursive: true });
    if (!bool(f, 'untar')) {
      writeFileSync(join(dest, `${chart}-${version}.tgz`), data);
      continue;
    }
    const base = join(dest, str(f, 'untardir'));
    for (const e of readTgz(data)) {
      if (e.type !== '0' || e.name.split('/').includes('..') || e.name.startsWith('/')) continue;
      const out = join(base, e.name);
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, e.data);
    }
  }
  void io;
}
