/**
 * `helm show chart|values|readme|crds|all CHART` (pkg/action/show.go): Chart.yaml as helm
 * re-marshals it (keys sorted, empty fields dropped), values.yaml verbatim, the README, CRDs.
 */
import { loadChart } from '../../helm/chart/load.js';
import type { Chart, ChartMetadata } from '../../helm/chart/types.js';
import { marshalYaml, omitEmpty } from '../../helm/values/marshal.js';
import { GLOBAL_FLAGS, parseFlags, type FlagSpec } from './flags.js';
import { CommandError, locateChart } from './install.js';
import type { HelmIO } from './io.js';

const SHOW_FLAGS: FlagSpec[] = [
  ...GLOBAL_FLAGS,
  { name: 'version', kind: 'string' }, { name: 'devel', kind: 'bool' }, { name: 'repo', kind: 'string' },
  { name: 'jsonpath', kind: 'string' }, { name: 'verify', kind: 'bool' }, { name: 'keyring', kind: 'string' },
  { name: 'username', kind: 'string' }, { name: 'password', kind: 'string' }, { name: 'insecure-skip-tls-verify', kind: 'bool' },
  { name: 'plain-http', kind: 'bool' }, { name: 'ca-file', kind: 'string' }, { name: 'cert-file', kind: 'string' }, { name: 'key-file', kind: 'string' },
];

const README_NAMES = ['readme.md', 'readme.txt', 'readme'];

/** chart.Metadata as JSON (Go json tags, omitempty) for YAML marshaling. */
export function metadataDocument(md: ChartMetadata): Record<string, unknown> {
  return omitEmpty({
    name: md.name, home: md.home, sources: md.sources, version: md.version, description: md.description,
    keywords: md.keywords,
    maintainers: md.maintainers?.filter((m) => m !== null).map((m) => omitEmpty({ name: m?.name, email: m?.email, url: m?.url })),
    icon: md.icon, apiVersion: md.apiVersion, condition: md.condition, tags: md.tags, appVersion: md.appVersion,
    deprecated: md.deprecated, annotations: md.annotations, kubeVersion: md.kubeVersion,
    dependencies: md.dependencies?.filter((d) => d !== null).map((d) => omitEmpty({
      name: d?.name, version: d?.version, repository: d?.repository, condition: d?.condition, tags: d?.tags,
      enabled: d?.enabled, 'import-values': d?.['import-values'], alias: d?.alias,
    }, ['name', 'repository'])),
    type: md.type,
  });
}

export function showChart(chart: Chart, what: string): string {
  let out = '';
  if (what === 'chart' || what === 'all') out += `${marshalYaml(metadataDocument(chart.metadata))}\n`;
  if (what === 'values' || what === 'all') {
    if (what === 'all') out += '---\n';
    for (const f of chart.raw) if (f.name === 'values.yaml') out += `${f.data.toString('utf8')}\n`;
  }
  if (what === 'readme' || what === 'all') {
    const readme = chart.files.find((f) => README_NAMES.includes(f.name.toLowerCase()));
    if (readme) {
      if (what === 'all') out += '---\n';
      out += `${readme.data.toString('utf8')}\n`;
    }
  }
  if (what === 'crds' || what === 'all') {
    const crds = chart.crdObjects();
    if (crds.length > 0) {
      if (what === 'all' && !crds[0].file.data.toString('utf8').startsWith('---')) out += '---\n';
      for (const c of crds) out += `${c.file.data.toString('utf8')}\n`;
    }
  }
  return out;
}

export async function runShow(argv: string[], io: HelmIO): Promise<void> {
  const [what, ...rest] = argv;
  if (!['chart', 'values', 'readme', 'crds', 'all'].includes(what ?? '')) {
    throw new CommandError(what === undefined ? 'show requires a subcommand: all, chart, crds, readme, values' : `unknown command "${what}" for "helm show"`);
  }
  const { args } = parseFlags(rest, SHOW_FLAGS);
  if (args.length !== 1) throw new CommandError(`"helm show ${what}" requires 1 argument\n\nUsage:  helm show ${what} [CHART] [flags]`);
  io.stdout.write(showChart(loadChart(locateChart(args[0])), what as string));
}
