/**
 * A pflag-style argument parser for `skiff helm`: `--name value`, `--name=value`, `-n value`,
 * `-nvalue`, booleans (`--flag`, `--flag=false`), repeatable string arrays, comma-split string
 * slices, flags interspersed with positionals, and `--` to stop. Errors read like cobra's
 * (`unknown flag: --foo`, `flag needs an argument: --set`).
 */

export type FlagKind = 'bool' | 'string' | 'array' | 'slice';
/** `noOptDefault`: value used when a string flag is given without `=value` (pflag NoOptDefVal). */
export interface FlagSpec { name: string; short?: string; kind: FlagKind; default?: string | boolean; noOptDefault?: string }
export type FlagValues = Record<string, string | boolean | string[]>;

export class FlagError extends Error {}

export interface Parsed { flags: FlagValues; args: string[]; seen: Set<string> }

export function parseFlags(argv: string[], specs: FlagSpec[]): Parsed {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short as string, s]));
  const flags: FlagValues = {};
  const seen = new Set<string>();
  for (const s of specs) {
    if (s.kind === 'array' || s.kind === 'slice') flags[s.name] = [];
    else if (s.default !== undefined) flags[s.name] = s.default;
    else flags[s.name] = s.kind === 'bool' ? false : '';
  }
  const args: string[] = [];
  const set = (spec: FlagSpec, value: string | undefined, next: () => string | undefined, display: string) => {
    seen.add(spec.name);
    if (spec.kind === 'bool') {
      if (value === undefined) { flags[spec.name] = true; return; }
      if (!/^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(value)) {
        throw new FlagError(`invalid argument "${value}" for "${display}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`);
      }
      flags[spec.name] = /^(1|t|T|TRUE|true|True)$/.test(value);
      return;
    }
    const v = value ?? (spec.noOptDefault !== undefined ? spec.noOptDefault : next());
    if (v === undefined) throw new FlagError(`flag needs an argument: ${display}`);
    if (spec.kind === 'string') flags[spec.name] = v;
    else if (spec.kind === 'array') (flags[spec.name] as string[]).push(v);
    else (flags[spec.name] as string[]).push(...(v === '' ? [] : v.split(',')));
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => (i + 1 < argv.length ? argv[++i] : undefined);
    if (a === '--') { args.push(...argv.slice(i + 1)); break; }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const spec = byName.get(name);
      if (!spec) throw new FlagError(`unknown flag: --${name}`);
      set(spec, eq >= 0 ? a.slice(eq + 1) : undefined, next, `--${name}`);
    } else if (a.startsWith('-') && a.length > 1) {
      let j = 1;
      while (j < a.length) {
        const c = a[j];
        const spec = byShort.get(c);
        if (!spec) throw new FlagError(`unknown shorthand flag: '${c}' in ${a}`);
        if (spec.kind === 'bool') {
          if (a[j + 1] === '=') { set(spec, a.slice(j + 2), next, `-${c}, --${spec.name}`); break; }
          set(spec, undefined, next, `-${c}, --${spec.name}`);
          j++;
          continue;
        }
        const rest = a.slice(j + 1);
        set(spec, rest === '' ? undefined : rest.replace(/^=/, ''), next, `-${c}, --${spec.name}`);
        break;
      }
    } else {
      args.push(a);
    }
  }
  return { flags, args, seen };
}

export const str = (f: FlagValues, n: string): string => (typeof f[n] === 'string' ? (f[n] as string) : '');
export const bool = (f: FlagValues, n: string): boolean => f[n] === true;
export const list = (f: FlagValues, n: string): string[] => (Array.isArray(f[n]) ? (f[n] as string[]) : []);

/** Flags every helm command accepts (cmd/helm/root.go + pkg/cli). */
export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'namespace', short: 'n', kind: 'string' },
  { name: 'debug', kind: 'bool' },
  { name: 'kube-context', kind: 'string' },
  { name: 'kubeconfig', kind: 'string' },
  { name: 'kube-apiserver', kind: 'string' },
  { name: 'kube-as-user', kind: 'string' },
  { name: 'kube-as-group', kind: 'array' },
  { name: 'kube-token', kind: 'string' },
  { name: 'kube-ca-file', kind: 'string' },
  { name: 'kube-insecure-skip-tls-verify', kind: 'bool' },
  { name: 'kube-tls-server-name', kind: 'string' },
  { name: 'registry-config', kind: 'string' },
  { name: 'repository-cache', kind: 'string' },
  { name: 'repository-config', kind: 'string' },
  { name: 'burst-limit', kind: 'string' },
  { name: 'qps', kind: 'string' },
  { name: 'help', short: 'h', kind: 'bool' },
];

/** The values flags shared by template/install/upgrade/lint (pkg/cli/values). */
export const VALUES_FLAGS: FlagSpec[] = [
  { name: 'values', short: 'f', kind: 'slice' },
  { name: 'set', kind: 'array' },
  { name: 'set-string', kind: 'array' },
  { name: 'set-file', kind: 'array' },
  { name: 'set-json', kind: 'array' },
  { name: 'set-literal', kind: 'array' },
];
