/**
 * `helm show chart|values|readme|crds|all CHART` (pkg/action/show.go): Chart.yaml as helm
 * re-marshals it (keys sorted, empty fields dropped), values.yaml verbatim, the README, CRDs.
 */
import { loadChart } from '../../helm/chart/load.js';
import type { Chart } from '../../helm/chart/types.js';
import { metadataDocument } from '../../helm/chart/save.js';
import { marshalYaml } from '../../helm/values/marshal.js';
import { GLOBAL_FLAGS, parseFlags, type FlagSpec } from './flags.js';
import { CommandError } from './errors.js';
import { locateChartWithRepo } from './install.js';
import type { HelmIO } from './io.js';

const SHOW_FLAGS: FlagSpec[] = [
  ...GLOBAL_FLAGS,
  { name: 'version', kind: 'string' }, { name: 'devel', kind: 'bool' }, { name: 'repo', kind: 'string' },
  { name: 'jsonpath', kind: 'string' }, { name: 'verify', kind: 'bool' }, { name: 'keyring', kind: 'string' },
  { name: 'username', kind: 'string' }, { name: 'password', kind: 'string' }, { name: 'insecure-skip-tls-verify', kind: 'bool' },
  { name: 'plain-http', kind: 'bool' }, { name: 'ca-file', kind: 'string' }, { name: 'cert-file', kind: 'string' }, { name: 'key-file', kind: 'string' },
];

const README_NAMES = ['readme.md', 'readme.txt', 'readme'];

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
  const { flags: f, args } = parseFlags(rest, SHOW_FLAGS);
  if (args.length !== 1) throw new CommandError(`"helm show ${what}" requires 1 argument\n\nUsage:  helm show ${what} [CHART] [flags]`);
  io.stdout.write(showChart(loadChart(await locateChartWithRepo(args[0], f)), what as string));
}
