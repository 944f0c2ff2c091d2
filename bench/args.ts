/**
 * Command-line flags of a benchmark: `--name value`, `--name=value` or a bare `--flag` (true).
 * Typed getters with defaults, so each benchmark declares its knobs where it reads them.
 */
export class BenchArgs {
  private readonly flags = new Map<string, string | true>();
  readonly positional: string[] = [];

  constructor(argv: string[]) {
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i] as string;
      if (!arg.startsWith('--')) {
        this.positional.push(arg);
        continue;
      }
      const eq = arg.indexOf('=');
      if (eq !== -1) {
        this.flags.set(arg.slice(2, eq), arg.slice(eq + 1));
      } else if (i + 1 < argv.length && !(argv[i + 1] as string).startsWith('--')) {
        this.flags.set(arg.slice(2), argv[++i] as string);
      } else {
        this.flags.set(arg.slice(2), true);
      }
    }
  }

  number(name: string, fallback: number): number {
    const v = this.flags.get(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (v === true || !Number.isFinite(n)) throw new Error(`--${name} needs a number, got ${String(v)}`);
    return n;
  }

  string(name: string, fallback: string): string {
    const v = this.flags.get(name);
    if (v === undefined) return fallback;
    if (v === true) throw new Error(`--${name} needs a value`);
    return v;
  }

  bool(name: string): boolean {
    const v = this.flags.get(name);
    return v === true || v === 'true' || v === '1';
  }

  /** Comma-separated list flag, e.g. `--only get,list`. */
  list(name: string): string[] | undefined {
    const v = this.flags.get(name);
    if (v === undefined || v === true) return undefined;
    return v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  }
}

/** Progress output: stderr only, so stdout carries just the one JSON result line. */
export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
