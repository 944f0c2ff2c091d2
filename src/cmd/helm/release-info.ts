/**
 * Read-only release verbs (cmd/helm/list.go, history.go, status.go, get_*.go): `list`, `history`,
 * `status` and `get values|manifest|notes|hooks|all`, reading the release Secrets with helm's
 * filters, table layouts and json/yaml encodings.
 */
import { bool, parseFlags, str, GLOBAL_FLAGS, type FlagSpec, type FlagValues } from './flags.js';
import { ansicOf, computedValues, goTimeString, statusText, table, valuesYaml, withCluster, releaseNamespace } from './cluster.js';
import { CommandError } from './errors.js';
import type { HelmIO } from './io.js';
import { appVersion, chartName, chartVersion, releaseJson, type Release, type ReleaseStatus } from '../../helm/release/release.js';
import type { ActionConfig } from '../../helm/release/config.js';
import { marshalYaml } from '../../helm/values/marshal.js';
import { goJson, goStruct } from '../../helm/release/go-json.js';

const OUTPUT: FlagSpec = { name: 'output', short: 'o', kind: 'string', default: 'table' };

function encode(io: HelmIO, f: FlagValues, data: unknown, tableText: () => string): void {
  const format = str(f, 'output') || 'table';
  if (format === 'json') io.stdout.write(`${goJson(data)}\n`);
  else if (format === 'yaml') io.stdout.write(marshalYaml(JSON.parse(goJson(data))));
  else if (format === 'table') io.stdout.write(tableText());
  else throw new CommandError(`invalid format type "${format}"`);
}

const chartLabel = (r: Release) => `${chartName(r)}-${chartVersion(r)}`;

const LIST_FLAGS: FlagSpec[] = [
  ...GLOBAL_FLAGS, OUTPUT,
  { name: 'all', short: 'a', kind: 'bool' }, { name: 'all-namespaces', short: 'A', kind: 'bool' },
  { name: 'date', short: 'd', kind: 'bool' }, { name: 'reverse', short: 'r', kind: 'bool' },
  { name: 'max', short: 'm', kind: 'string', default: '256' }, { name: 'offset', kind: 'string', default: '0' },
  { name: 'deployed', kind: 'bool' }, { name: 'failed', kind: 'bool' }, { name: 'pending', kind: 'bool' },
  { name: 'uninstalled', kind: 'bool' }, { name: 'superseded', kind: 'bool' }, { name: 'uninstalling', kind: 'bool' },
  { name: 'filter', short: 'f', kind: 'string' }, { name: 'short', short: 'q', kind: 'bool' },
  { name: 'no-headers', kind: 'bool' }, { name: 'time-format', kind: 'string' }, { name: 'selector', short: 'l', kind: 'string' },
];

function stateMask(f: FlagValues): Set<ReleaseStatus> | undefined {
  if (bool(f, 'all')) return undefined;
  const s = new Set<ReleaseStatus>();
  if (bool(f, 'deployed')) s.add('deployed');
  if (bool(f, 'failed')) s.add('failed');
  if (bool(f, 'pending')) { s.add('pending-install'); s.add('pending-upgrade'); s.add('pending-rollback'); }
  if (bool(f, 'uninstalled')) s.add('uninstalled');
  if (bool(f, 'superseded')) s.add('superseded');
  if (bool(f, 'uninstalling')) s.add('uninstalling');
  if (s.size === 0) { s.add('deployed'); s.add('failed'); }
  return s;
}

/** --selector: equality-based terms (`a=b`, `a==b`, `a!=b`) over the release's custom labels. */
function parseSelector(s: string): { key: string; op: '=' | '!='; value: string }[] {
  if (!s) return [];
  return s.split(',').map((term) => {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(\S*)\s*$/.exec(term);
    if (!m) throw new CommandError(`unable to parse requirement: ${JSON.stringify(term)}`);
    return { key: m[1], op: m[2] === '!=' ? '!=' : '=', value: m[3] };
  });
}

export async function runList(argv: string[], io: HelmIO): Promise<void> {
  const { flags: f, args } = parseFlags(argv, LIST_FLAGS);
  if (args.length > 0) throw new CommandError(`unknown command "${args[0]}" for "helm list"`);
  const ns = bool(f, 'all-namespaces') ? '' : releaseNamespace(f);
  let filter: RegExp | undefined;
  try { filter = str(f, 'filter') ? new RegExp(str(f, 'filter')) : undefined; } catch (e) { throw new CommandError((e as Error).message); }
  const mask = stateMask(f);
  let rels = await withCluster(f, io, ns, (cfg) => cfg.storage.query({}));
  rels = rels.filter((r) => !filter || filter.test(r.name));
  const onlySuperseded = mask && mask.size === 1 && mask.has('superseded');
  if (!onlySuperseded) {
    const latest = new Map<string, Release>();
    for (const r of rels) {
      const key = `${r.name}\u0000${r.namespace}`;
      const cur = latest.get(key);
      if (!cur || cur.version < r.version) latest.set(key, r);
    }
    rels = [...latest.values()];
  }
  if (mask) rels = rels.filter((r) => mask.has(r.info.status));
  const selector = parseSelector(str(f, 'selector'));
  rels = rels.filter((r) => selector.every(({ key, op, value }) => ((r.labels ?? {})[key] === value) === (op === '=')));
  rels.sort((a, b) => (bool(f, 'date') ? Date.parse(a.info.last_deployed) - Date.parse(b.info.last_deployed) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (bool(f, 'reverse')) rels.reverse();
  const offset = Number(str(f, 'offset') || '0');
  const max = Number(str(f, 'max') || '256');
  rels = rels.slice(offset, max > 0 ? offset + max : undefined);
  if (bool(f, 'short')) {
    const names = rels.map((r) => r.name);
    const format = str(f, 'output') || 'table';
    if (format === 'table') io.stdout.write(names.map((n) => `${n}\n`).join(''));
    else encode(io, f, names, () => '');
    return;
  }
  const updated = (r: Release) => (r.info.last_deployed ? goTimeString(r.info.last_deployed) : '-');
  const elements = rels.map((r) => goStruct({ name: r.name, namespace: r.namespace, revision: String(r.version), updated: updated(r), status: r.info.status, chart: chartLabel(r), app_version: appVersion(r) }));
  encode(io, f, elements, () => {
    const rows = elements.map((e) => [e.name, e.namespace, e.revision, e.updated, e.status, e.chart, e.app_version]);
    if (!bool(f, 'no-headers')) rows.unshift(['NAME', 'NAMESPACE', 'REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION']);
    return table(rows);
  });
}

const HISTORY_FLAGS: FlagSpec[] = [...GLOBAL_FLAGS, OUTPUT, { name: 'max', kind: 'string', default: '256' }];

export async function runHistory(argv: string[], io: HelmIO): Promise<void> {
  const { flags: f, args } = parseFlags(argv, HISTORY_FLAGS);
  if (args.length !== 1) throw new CommandError(`"helm history" requires 1 argument\n\nUsage:  helm history RELEASE_NAME [flags]`);
  let rels = await withCluster(f, io, releaseNamespace(f), (cfg) => cfg.storage.history(args[0]));
  if (rels.length === 0) throw new CommandError('release: not found');
  const max = Number(str(f, 'max') || '256');
  if (max > 0 && rels.length > max) rels = rels.slice(rels.length - max);
  const items = rels.map((r) => goStruct({ revision: r.version, updated: r.info.last_deployed, status: r.info.status, chart: chartLabel(r), app_version: appVersion(r), description: r.info.description }));
  encode(io, f, items, () => table([
    ['REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION', 'DESCRIPTION'],
    ...items.map((i) => [String(i.revision), ansicOf(i.updated), i.status, i.chart, i.app_version, i.description]),
  ], 60));
}

async function releaseAt(cfg: ActionConfig, name: string, revision: string): Promise<Release> {
  const v = Number(revision || '0');
  return v > 0 ? cfg.storage.get(name, v) : cfg.storage.last(name);
}

const STATUS_FLAGS: FlagSpec[] = [...GLOBAL_FLAGS, OUTPUT, { name: 'revision', kind: 'string' }, { name: 'show-desc', kind: 'bool' }, { name: 'show-resources', kind: 'bool' }];

export async function runStatus(argv: string[], io: HelmIO): Promise<void> {
  const { flags: f, args } = parseFlags(argv, STATUS_FLAGS);
  if (args.length !== 1) throw new CommandError(`"helm status" requires 1 argument\n\nUsage:  helm status RELEASE_NAME [flags]`);
  const rel = await withCluster(f, io, releaseNamespace(f), (cfg) => releaseAt(cfg, args[0], str(f, 'revision')));
  const format = str(f, 'output') || 'table';
  if (format === 'table') { io.stdout.write(statusText(rel, { showDescription: bool(f, 'show-desc'), debug: bool(f, 'debug') })); return; }
  // -o json|yaml print the release object as helm's json.Marshal writes it (the stored JSON).
  if (format === 'json') io.stdout.write(`${releaseJson(rel)}\n`);
  else if (format === 'yaml') io.stdout.write(marshalYaml(JSON.parse(releaseJson(rel))));
  else throw new CommandError(`invalid format type "${format}"`);
}

const GET_FLAGS: FlagSpec[] = [...GLOBAL_FLAGS, OUTPUT, { name: 'revision', kind: 'string' }, { name: 'all', short: 'a', kind: 'bool' }, { name: 'template', kind: 'string' }];

export async function runGet(argv: string[], io: HelmIO): Promise<void> {
  const [sub, ...rest] = argv;
  const { flags: f, args } = parseFlags(rest, GET_FLAGS);
  if (!['values', 'manifest', 'notes', 'hooks', 'all', 'metadata'].includes(sub ?? '')) throw new CommandError(`unknown command "${sub ?? ''}" for "helm get"`);
  if (args.length !== 1) throw new CommandError(`"helm get ${sub}" requires 1 argument\n\nUsage:  helm get ${sub} RELEASE_NAME [flags]`);
  const rel = await withCluster(f, io, releaseNamespace(f), (cfg) => releaseAt(cfg, args[0], str(f, 'revision')));
  const out = (s: string) => io.stdout.write(s);
  if (sub === 'values') {
    const all = bool(f, 'all');
    const values = all ? computedValues(rel) : rel.config;
    const format = str(f, 'output') || 'table';
    if (format === 'table') out(`${all ? 'COMPUTED VALUES' : 'USER-SUPPLIED VALUES'}:\n${valuesYaml(values)}`);
    else if (format === 'json') out(`${Object.keys(values).length === 0 ? 'null' : goJson(values)}\n`);
    else if (format === 'yaml') out(valuesYaml(values));
    else throw new CommandError(`invalid format type "${format}"`);
  } else if (sub === 'manifest') out(`${rel.manifest}\n`);
  else if (sub === 'notes') { if (rel.info.notes.length > 0) out(`NOTES:\n${rel.info.notes}\n`); }
  else if (sub === 'hooks') for (const h of rel.hooks) out(`---\n# Source: ${h.path}\n${h.manifest}\n`);
  else if (sub === 'metadata') {
    const md = goStruct({ name: rel.name, chart: chartName(rel), version: chartVersion(rel), appVersion: appVersion(rel), namespace: rel.namespace, revision: rel.version, status: rel.info.status, deployedAt: rel.info.last_deployed });
    encode(io, f, md, () => `NAME: ${md.name}\nCHART: ${md.chart}\nVERSION: ${md.version}\nAPP_VERSION: ${md.appVersion}\nNAMESPACE: ${md.namespace}\nREVISION: ${md.revision}\nSTATUS: ${md.status}\nDEPLOYED_AT: ${md.deployedAt}\n`);
  } else out(statusText(rel, { debug: true, showMetadata: true }));
}
