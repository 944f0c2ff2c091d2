/**
 * `helm repo index DIR [--url URL] [--merge FILE]` (pkg/repo/index.go): an index.yaml listing
 * every chart archive in DIR (and one level below), newest version first, with sha256 digests.
 * add/list/remove/update manage helm's repositories.yaml (see repositories.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadArchive } from '../../helm/chart/load.js';
import { metadataDocument } from '../../helm/chart/save.js';
import { compareSemver, parseSemver } from '../../helm/chart/semver.js';
import { marshalYaml } from '../../helm/values/marshal.js';
import { isHelmMap, parseYaml } from '../../helm/values/yaml.js';
import { GLOBAL_FLAGS, parseFlags, str, type FlagSpec } from './flags.js';
import { CommandError } from './errors.js';
import { uitable } from './dependency.js';
import { repoAdd, repoList, repoRemove, repoUpdate } from './repositories.js';
import type { HelmIO } from './io.js';

const INDEX_FLAGS: FlagSpec[] = [...GLOBAL_FLAGS, { name: 'url', kind: 'string' }, { name: 'merge', kind: 'string' }, { name: 'json', kind: 'bool' }];

type Entry = Record<string, unknown> & { version: string; urls: string[]; created: string; digest: string };

function archivesIn(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (name.endsWith('.tgz') && statSync(p).isFile()) out.push(p);
    else if (statSync(p).isDirectory()) for (const n of readdirSync(p).sort()) if (n.endsWith('.tgz')) out.push(join(p, n));
  }
  return out;
}

export function buildIndex(dir: string, baseUrl: string, now = new Date()): { apiVersion: string; entries: Record<string, Entry[]>; generated: string } {
  const entries: Record<string, Entry[]> = {};
  for (const file of archivesIn(dir)) {
    const data = readFileSync(file);
    let chart;
    try { chart = loadArchive(data); } catch { continue; }
    const rel = relative(dir, file).split('\\').join('/');
    const url = baseUrl ? `${baseUrl.replace(/\/+$/, '')}/${rel}` : rel;
    const entry: Entry = { ...metadataDocument(chart.metadata), urls: [url], created: now.toISOString(), digest: createHash('sha256').update(data).digest('hex'), version: chart.metadata.version };
    (entries[chart.name] ??= []).push(entry);
  }
  for (const list of Object.values(entries)) {
    list.sort((a, b) => {
      const va = parseSemver(a.version);
      const vb = parseSemver(b.version);
      return va && vb ? compareSemver(vb, va) : 0;
    });
  }
  return { apiVersion: 'v1', entries, generated: now.toISOString() };
}

const REPO_FLAGS: FlagSpec[] = [
  ...GLOBAL_FLAGS,
  { name: 'username', kind: 'string' }, { name: 'password', kind: 'string' }, { name: 'password-stdin', kind: 'bool' },
  { name: 'force-update', kind: 'bool' }, { name: 'no-update', kind: 'bool' }, { name: 'pass-credentials', kind: 'bool' },
  { name: 'insecure-skip-tls-verify', kind: 'bool' }, { name: 'ca-file', kind: 'string' }, { name: 'cert-file', kind: 'string' },
  { name: 'key-file', kind: 'string' }, { name: 'allow-deprecated-repos', kind: 'bool' }, { name: 'fail-on-repo-update-fail', kind: 'bool' },
  { name: 'timeout', kind: 'string' }, { name: 'output', short: 'o', kind: 'string', default: 'table' },
];

export async function runRepo(argv: string[], io: HelmIO): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'index') {
    const { flags, args } = parseFlags(rest, REPO_FLAGS);
    switch (sub) {
      case 'add': return repoAdd(args, flags, io);
      case 'list': case 'ls': return repoList(flags, io, uitable);
      case 'remove': case 'rm': return repoRemove(args, flags, io);
      case 'update': case 'up': return repoUpdate(args, flags, io);
      default: throw new CommandError(sub === undefined ? 'repo requires a subcommand: add, index, list, remove, update' : `unknown command "${sub}" for "helm repo"`);
    }
  }
  const { flags: f, args } = parseFlags(rest, INDEX_FLAGS);
  if (args.length !== 1) throw new CommandError('"helm repo index" requires 1 argument\n\nUsage:  helm repo index [DIR] [flags]');
  const dir = args[0];
  if (!existsSync(dir)) throw new CommandError(`stat ${dir}: no such file or directory`);
  const index = buildIndex(dir, str(f, 'url'));
  if (str(f, 'merge') && existsSync(str(f, 'merge'))) {
    const old = parseYaml(readFileSync(str(f, 'merge'), 'utf8'));
    if (isHelmMap(old) && isHelmMap(old.entries)) {
      for (const [name, list] of Object.entries(old.entries)) {
        if (!Array.isArray(list)) continue;
        const cur = (index.entries[name] ??= []);
        for (const e of list) if (isHelmMap(e) && !cur.some((c) => c.version === e.version)) cur.push(e as unknown as Entry);
      }
    }
  }
  writeFileSync(join(dir, 'index.yaml'), marshalYaml(index));
  void io;
}
