/**
 * `helm repo index DIR [--url URL] [--merge FILE]` (pkg/repo/index.go): an index.yaml listing
 * every chart archive in DIR (and one level below), newest version first, with sha256 digests.
 * Other repo verbs need the network or a repositories.yaml and are not offered yet.
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

export async function runRepo(argv: string[], io: HelmIO): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'index') throw new CommandError(sub === undefined ? 'repo requires a subcommand' : `helm repo ${sub} is not supported offline`);
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
