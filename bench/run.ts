/**
 * Benchmark runner: `npm run bench -- <name> [--flags]` (node dist/bench/run.js).
 *
 * Loads bench/<name>.ts, which exports `run(args: BenchArgs): Promise<Record<string, unknown>>`,
 * runs it, and prints ONE JSON line to stdout: `{"bench": name, "machine": {...}, ...results}`.
 * Progress goes to stderr. Exit code 1 when the benchmark throws (the line then carries `error`).
 */
import { cpus, totalmem } from 'node:os';
import { BenchArgs, progress } from './args.js';

export type BenchResult = Record<string, unknown>;
export interface BenchModule {
  run(args: BenchArgs): Promise<BenchResult>;
}

function machine(): Record<string, unknown> {
  const c = cpus();
  return { cpus: c.length, cpuModel: c[0]?.model ?? 'unknown', memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform };
}

async function main(): Promise<number> {
  const [name, ...rest] = process.argv.slice(2);
  if (!name || !/^[a-z0-9-]+$/.test(name)) {
    process.stderr.write('usage: npm run bench -- <name> [--flags]   (name of a module in bench/, e.g. apiserver, bare)\n');
    return 2;
  }
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  let mod: Partial<BenchModule>;
  try {
    mod = (await import(new URL(`./${name}${ext}`, import.meta.url).href)) as Partial<BenchModule>;
  } catch (err) {
    process.stderr.write(`no benchmark named ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  if (typeof mod.run !== 'function') {
    process.stderr.write(`bench/${name} does not export run(args)\n`);
    return 2;
  }
  const started = new Date().toISOString();
  progress(`${name} starting`);
  try {
    const result = await mod.run(new BenchArgs(rest));
    process.stdout.write(`${JSON.stringify({ bench: name, started, machine: machine(), ...result })}\n`);
    return 0;
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    process.stdout.write(`${JSON.stringify({ bench: name, started, machine: machine(), error })}\n`);
    if (err instanceof Error && err.stack) progress(err.stack);
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  },
);
