/**
 * What the release verbs share: the cluster connection from --kubeconfig / $KUBECONFIG /
 * ~/.kube/config, --timeout as a Go duration, helm's time formats, and the status printer
 * (cmd/helm/status.go statusPrinter) used by install, upgrade, status, test and get all.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { RestClient, type ClientConfig } from '../../client/rest.js';
import { parseGoDuration } from '../../machinery/duration.js';
import { ActionConfig } from '../../helm/release/config.js';
import type { Release } from '../../helm/release/release.js';
import { coalesceValues } from '../../helm/values/coalesce.js';
import { marshalYaml } from '../../helm/values/marshal.js';
import type { HelmMap } from '../../helm/values/yaml.js';
import { goTrimSpace } from '../../helm/manifests.js';
import { bool, str, type FlagValues } from './flags.js';
import { CommandError } from './errors.js';
import type { HelmIO } from './io.js';

export function kubeconfigPath(f: FlagValues): string {
  const flag = str(f, 'kubeconfig');
  if (flag) return flag;
  const env = process.env.KUBECONFIG;
  if (env) return env.split(':').find((p) => p !== '') ?? env;
  return join(homedir(), '.kube', 'config');
}

interface Kubeconfig {
  'current-context'?: string;
  contexts?: { name: string; context?: { cluster?: string; user?: string; namespace?: string } }[];
  clusters?: { name: string; cluster?: { server?: string; 'certificate-authority-data'?: string; 'certificate-authority'?: string } }[];
  users?: { name: string; user?: { 'client-certificate-data'?: string; 'client-key-data'?: string; 'client-certificate'?: string; 'client-key'?: string; token?: string } }[];
}

interface KubeTarget { config: ClientConfig; namespace?: string }

/** The kubeconfig entry helm would use: --kube-context or current-context, files relative to the kubeconfig, --kube-* overrides. */
export function kubeTarget(f: FlagValues): KubeTarget {
  const path = kubeconfigPath(f);
  const cfg = (parseYaml(readFileSync(path, 'utf8')) ?? {}) as Kubeconfig;
  const ctxName = str(f, 'kube-context') || cfg['current-context'];
  const ctx = cfg.contexts?.find((c) => c.name === ctxName);
  if (str(f, 'kube-context') && !ctx) throw new Error(`context "${ctxName}" does not exist`);
  const cluster = cfg.clusters?.find((c) => c.name === ctx?.context?.cluster)?.cluster ?? cfg.clusters?.[0]?.cluster;
  const user = cfg.users?.find((u) => u.name === ctx?.context?.user)?.user ?? cfg.users?.[0]?.user;
  const data = (inline: string | undefined, file: string | undefined) =>
    inline ? Buffer.from(inline, 'base64').toString('utf8') : file ? readFileSync(resolve(dirname(path), file), 'utf8') : undefined;
  const server = str(f, 'kube-apiserver') || cluster?.server;
  if (!server) throw new Error(`kubeconfig ${path} has no cluster`);
  return {
    config: {
      server,
      caPem: (str(f, 'kube-ca-file') ? readFileSync(str(f, 'kube-ca-file'), 'utf8') : data(cluster?.['certificate-authority-data'], cluster?.['certificate-authority'])) ?? '',
      certPem: data(user?.['client-certificate-data'], user?.['client-certificate']),
      keyPem: data(user?.['client-key-data'], user?.['client-key']),
      token: str(f, 'kube-token') || user?.token,
    },
    namespace: ctx?.context?.namespace,
  };
}

/** The release namespace: -n, then $HELM_NAMESPACE, then the kubeconfig context's namespace, then "default". */
export function releaseNamespace(f: FlagValues): string {
  const explicit = str(f, 'namespace') || process.env.HELM_NAMESPACE;
  if (explicit) return explicit;
  try { return kubeTarget(f).namespace || 'default'; } catch { return 'default'; }
}

/** Runs `fn` with an ActionConfig for `namespace`, closing the connection afterwards. */
export async function withCluster<T>(f: FlagValues, io: HelmIO, namespace: string, fn: (cfg: ActionConfig) => Promise<T>): Promise<T> {
  let rest: RestClient;
  try {
    rest = new RestClient(kubeTarget(f).config);
  } catch (e) {
    throw new CommandError(`Kubernetes cluster unreachable: ${(e as Error).message}`);
  }
  const debug = bool(f, 'debug');
  try {
    return await fn(new ActionConfig(rest, namespace, (m) => { if (debug) io.stderr.write(`${m}\n`); }));
  } finally {
    rest.close();
  }
}

export function timeoutMs(f: FlagValues): number {
  const t = str(f, 'timeout') || '5m0s';
  try { return parseGoDuration(t); } catch (e) {
    throw new CommandError(`invalid argument "${t}" for "--timeout" flag: ${(e as Error).message}`);
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** time.ANSIC in local time: "Mon Jan  2 15:04:05 2006". */
export function ansic(d: Date): string {
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${d.getFullYear()}`;
}

function zone(d: Date): { offset: string; name: string } {
  const min = -d.getTimezoneOffset();
  const sign = min < 0 ? '-' : '+';
  const offset = `${sign}${pad(Math.floor(Math.abs(min) / 60))}${pad(Math.abs(min) % 60)}`;
  const tz = process.env.TZ;
  const name = min === 0 && (!tz || tz === 'UTC' || tz === 'Etc/UTC') ? 'UTC' : offset;
  return { offset, name };
}

/** Go's Time.String(): "2006-01-02 15:04:05.999999999 -0700 MST" (fraction from the stored RFC3339 text). */
export function goTimeString(rfc3339: string): string {
  const d = new Date(rfc3339);
  if (!rfc3339 || Number.isNaN(d.getTime())) return '-';
  const frac = /\.(\d+)/.exec(rfc3339)?.[1]?.replace(/0+$/, '') ?? '';
  const z = zone(d);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${frac ? `.${frac}` : ''} ${z.offset} ${z.name}`;
}

export function ansicOf(rfc3339: string): string {
  const d = new Date(rfc3339);
  return rfc3339 && !Number.isNaN(d.getTime()) ? ansic(d) : '';
}

/** output.EncodeYAML of a values map (nil maps print `null`). */
export function valuesYaml(v: HelmMap): string {
  return Object.keys(v).length === 0 ? 'null\n' : marshalYaml(v);
}

export function computedValues(r: Release): HelmMap {
  return coalesceValues({ name: String(r.chart.metadata.name ?? ''), values: r.chart.values ?? {}, dependencies: [] }, r.config);
}

export interface StatusOptions { debug?: boolean; showDescription?: boolean; showMetadata?: boolean; hideNotes?: boolean }

/** statusPrinter.WriteTable. */
export function statusText(r: Release, o: StatusOptions = {}): string {
  let out = `NAME: ${r.name}\n`;
  if (r.info.last_deployed) out += `LAST DEPLOYED: ${ansicOf(r.info.last_deployed)}\n`;
  out += `NAMESPACE: ${r.namespace}\nSTATUS: ${r.info.status}\nREVISION: ${r.version}\n`;
  if (o.showMetadata) out += `CHART: ${String(r.chart.metadata.name ?? '')}\nVERSION: ${String(r.chart.metadata.version ?? '')}\nAPP_VERSION: ${String(r.chart.metadata.appVersion ?? '')}\n`;
  if (o.showDescription) out += `DESCRIPTION: ${r.info.description}\n`;
  const tests = r.hooks.filter((h) => h.events.includes('test'));
  if (tests.length === 0) out += 'TEST SUITE: None\n';
  for (const h of tests) {
    if (!h.last_run.started_at) continue;
    out += `TEST SUITE:     ${h.name}\nLast Started:   ${ansicOf(h.last_run.started_at)}\nLast Completed: ${ansicOf(h.last_run.completed_at)}\nPhase:          ${h.last_run.phase}\n`;
  }
  if (o.debug) {
    out += `USER-SUPPLIED VALUES:\n${valuesYaml(r.config)}\n`;
    out += `COMPUTED VALUES:\n${valuesYaml(computedValues(r))}\n`;
  }
  if (o.debug || r.info.description.toLowerCase() === 'dry run complete') {
    out += 'HOOKS:\n';
    for (const h of r.hooks) out += `---\n# Source: ${h.path}\n${h.manifest}\n`;
    out += `MANIFEST:\n${r.manifest}\n`;
  }
  if (r.info.notes.length > 0 && !o.hideNotes) out += `NOTES:\n${goTrimSpace(r.info.notes)}\n`;
  return out;
}

/** uitable with helm's settings: cells padded to the column width, tab-separated. */
export function table(rows: string[][], maxColWidth = 0): string {
  const cut = (s: string) => (maxColWidth > 0 && s.length > maxColWidth ? `${s.slice(0, maxColWidth - 3)}...` : s);
  const cells = rows.map((r) => r.map(cut));
  const widths: number[] = [];
  for (const r of cells) r.forEach((c, i) => { widths[i] = Math.max(widths[i] ?? 0, c.length); });
  return `${cells.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('\t')).join('\n')}\n`;
}
