/**
 * `helm create NAME [--starter DIR]` (cmd/helm/create.go): writes the starter chart into
 * ./NAME (or a starter directory's files with its chart name replaced).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { scaffoldFiles, validateNewChartName } from '../../helm/chart/scaffold.js';
import { GLOBAL_FLAGS, parseFlags, str, type FlagSpec } from './flags.js';
import { CommandError } from './errors.js';
import type { HelmIO } from './io.js';

const CREATE_FLAGS: FlagSpec[] = [...GLOBAL_FLAGS, { name: 'starter', short: 'p', kind: 'string' }];

function starterFiles(dir: string, name: string): [string, string][] {
  const out: [string, string][] = [];
  const walk = (abs: string, rel: string) => {
    for (const n of readdirSync(abs).sort()) {
      const a = join(abs, n);
      const r = rel ? `${rel}/${n}` : n;
      if (statSync(a).isDirectory()) walk(a, r);
      else out.push([r, readFileSync(a, 'utf8').split('<CHARTNAME>').join(name)]);
    }
  };
  walk(dir, '');
  return out;
}

export async function runCreate(argv: string[], io: HelmIO): Promise<void> {
  const { flags: f, args } = parseFlags(argv, CREATE_FLAGS);
  if (args.length !== 1) throw new CommandError(`"helm create" requires 1 argument\n\nUsage:  helm create NAME [flags]`);
  io.stdout.write(`Creating ${args[0]}\n`);
  const name = basename(args[0]);
  validateNewChartName(name);
  const parent = resolve(dirname(args[0]));
  if (!existsSync(parent) || !statSync(parent).isDirectory()) throw new CommandError(`no such directory ${parent}`);
  const cdir = join(parent, name);
  if (existsSync(cdir) && !statSync(cdir).isDirectory()) throw new CommandError(`file ${cdir} already exists and is not a directory`);
  const starter = str(f, 'starter');
  const files = starter ? starterFiles(starter.startsWith('/') ? starter : join(process.env.HELM_DATA_HOME ?? join(process.env.HOME ?? '.', '.local/share/helm'), 'starters', starter), name) : scaffoldFiles(name);
  for (const [rel, content] of files) {
    const path = join(cdir, rel);
    if (existsSync(path)) io.stdout.write(`WARNING: File ${JSON.stringify(path)} already exists. Overwriting.\n`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content, { mode: 0o644 });
  }
  mkdirSync(join(cdir, 'charts'), { recursive: true });
}
