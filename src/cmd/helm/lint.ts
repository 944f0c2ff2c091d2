/**
 * `helm lint PATH...` (cmd/helm/lint.go, pkg/lint): the Chart.yaml rules, values.yaml parse and
 * schema check, and a lint-mode render of the templates (missing `required` values only logged)
 * with every rendered manifest parsed as YAML. Messages print as `[SEVERITY] path: message`;
 * any ERROR fails the chart and the command (`Error: N chart(s) linted, M chart(s) failed`).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadChart } from '../../helm/chart/load.js';
import { validateAgainstSchema } from '../../helm/chart/jsonschema.js';
import { parseSemver } from '../../helm/chart/semver.js';
import type { ChartMetadata } from '../../helm/chart/types.js';
import { applyMetadata } from '../../helm/chart/metadata.js';
import { parseHead, splitManifests } from '../../helm/manifests.js';
import { renderRelease } from '../../helm/release-render.js';
import { coalesceTables } from '../../helm/values/coalesce.js';
import { mergeUserValues } from '../../helm/values/options.js';
import { isHelmMap, parseYaml, parseYamlMap, type HelmMap } from '../../helm/values/yaml.js';
import { bool, GLOBAL_FLAGS, parseFlags, str, VALUES_FLAGS, type FlagSpec } from './flags.js';
import { CommandError } from './errors.js';
import { namespaceOf, valueOptions } from './install.js';
import type { HelmIO } from './io.js';

const LINT_FLAGS: FlagSpec[] = [
  ...GLOBAL_FLAGS, ...VALUES_FLAGS,
  { name: 'strict', kind: 'bool' }, { name: 'with-subcharts', kind: 'bool' }, { name: 'quiet', kind: 'bool' },
  { name: 'skip-schema-validation', kind: 'bool' }, { name: 'kube-version', kind: 'string' },
];

type Severity = 'INFO' | 'WARNING' | 'ERROR';
interface Message { sev: Severity; path: string; text: string }

function chartfileRules(dir: string, out: Message[]): ChartMetadata | undefined {
  const add = (sev: Severity, text: string) => out.push({ sev, path: 'Chart.yaml', text });
  const file = join(dir, 'Chart.yaml');
  if (existsSync(file) && statSync(file).isDirectory()) { add('ERROR', 'should be a file, not a directory'); return undefined; }
  let md: Partial<ChartMetadata> = {};
  try {
    applyMetadata(md, parseYaml(readFileSync(file, 'utf8')));
  } catch (e) {
    add('ERROR', `unable to parse YAML\n\t${(e as Error).message}`);
    return undefined;
  }
  md = md as ChartMetadata;
  if (!md.name) add('ERROR', 'name is required');
  else if (md.name.includes('/') || md.name === '.' || md.name === '..') add('ERROR', `chart name ${JSON.stringify(md.name)} is invalid`);
  if (!md.apiVersion) add('ERROR', 'apiVersion is required. The value must be either "v1" or "v2"');
  else if (md.apiVersion !== 'v1' && md.apiVersion !== 'v2') add('ERROR', `apiVersion '${md.apiVersion}' is not valid. The value must be either "v1" or "v2"`);
  if (!md.version) add('ERROR', 'version is required');
  else if (!parseSemver(md.version)) add('ERROR', `version '${md.version}' is not a valid SemVer`);
  for (const m of md.maintainers ?? []) {
    if (m === null) { add('ERROR', 'a maintainer entry is empty'); break; }
    if (!m.name) { add('ERROR', 'each maintainer requires a name'); break; }
    if (m.email && !/^[^@\s]+@[^@\s]+$/.test(m.email)) { add('ERROR', `invalid email '${m.email}' for maintainer '${m.name}'`); break; }
  }
  if (!md.icon) add('INFO', 'icon is recommended');
  if (md.apiVersion === 'v1' && md.dependencies) add('ERROR', `dependencies are not valid in the Chart file with apiVersion 'v1'. They are valid in apiVersion 'v2'`);
  if (md.apiVersion === 'v1' && md.type) add('ERROR', `chart type is not valid in apiVersion 'v1'. It is valid in apiVersion 'v2'`);
  return md as ChartMetadata;
}

function valuesRules(dir: string, overrides: HelmMap, skipSchema: boolean, out: Message[]): void {
  const file = join(dir, 'values.yaml');
  if (!existsSync(file)) { out.push({ sev: 'INFO', path: 'values.yaml', text: 'file does not exist' }); return; }
  let values: HelmMap;
  try { values = parseYamlMap(readFileSync(file, 'utf8')); } catch (e) {
    out.push({ sev: 'ERROR', path: 'values.yaml', text: `unable to parse YAML: ${(e as Error).message}` });
    return;
  }
  const schemaFile = join(dir, 'values.schema.json');
  if (skipSchema || !existsSync(schemaFile)) return;
  const merged = coalesceTables(coalesceTables({}, structuredClone(overrides)), values);
  const err = validateAgainstSchema(readFileSync(schemaFile, 'utf8'), merged);
  if (err) out.push({ sev: 'ERROR', path: 'values.yaml', text: err });
}

async function lintOne(dir: string, overrides: HelmMap, f: ReturnType<typeof parseFlags>['flags']): Promise<Message[]> {
  const out: Message[] = [];
  const md = chartfileRules(dir, out);
  valuesRules(dir, overrides, bool(f, 'skip-schema-validation'), out);
  if (!md || !existsSync(join(dir, 'templates'))) {
    if (md) out.push({ sev: 'WARNING', path: 'templates/', text: 'directory does not exist' });
    return out;
  }
  let chart;
  try { chart = loadChart(dir); } catch (e) { out.push({ sev: 'ERROR', path: 'templates/', text: (e as Error).message }); return out; }
  try {
    const rel = renderRelease(chart, overrides, {
      release: { name: 'test-release', namespace: namespaceOf(f), revision: 1, isInstall: false, isUpgrade: false },
      kubeVersion: str(f, 'kube-version') || process.env.SKIFF_HELM_DEFAULT_KUBE_VERSION || undefined, skipSchemaValidation: bool(f, 'skip-schema-validation'),
      lintMode: true, strict: bool(f, 'strict'), subNotes: true,
    });
    for (const doc of splitManifests(rel.manifest)) {
      const m = /^# Source: [^/]+\/(.+)$/m.exec(doc);
      try { parseHead(m ? m[1] : 'templates/', doc); } catch (e) {
        out.push({ sev: 'ERROR', path: m ? m[1] : 'templates/', text: `unable to parse YAML: ${(e as Error).message}` });
      }
    }
  } catch (e) {
    out.push({ sev: 'ERROR', path: 'templates/', text: (e as Error).message });
  }
  for (const t of chart.templates) {
    if (!/\.(yaml|yml|tpl|txt)$/.test(t.name)) out.push({ sev: 'ERROR', path: t.name, text: 'file extension \'' + (t.name.match(/\.[^./]*$/)?.[0] ?? '') + '\' not valid. Valid extensions are .yaml, .yml, .tpl, or .txt' });
  }
  return out;
}

export async function runLint(argv: string[], io: HelmIO): Promise<void> {
  const { flags: f, args } = parseFlags(argv, LINT_FLAGS);
  const paths = args.length > 0 ? args : ['.'];
  const overrides = mergeUserValues(valueOptions(f));
  let failed = 0;
  let message = '';
  for (const path of paths) {
    const msgs = await lintOne(path, isHelmMap(overrides) ? overrides : {}, f);
    const hasProblems = msgs.some((m) => m.sev !== 'INFO');
    if (bool(f, 'quiet') && !hasProblems) continue;
    message += `==> Linting ${path}\n`;
    for (const m of msgs) if (!bool(f, 'quiet') || m.sev !== 'INFO') message += `[${m.sev}] ${m.path}: ${m.text}\n`;
    if (msgs.some((m) => m.sev === 'ERROR' || (bool(f, 'strict') && m.sev === 'WARNING'))) failed++;
    message += '\n';
  }
  io.stdout.write(message);
  const summary = `${paths.length} chart(s) linted, ${failed} chart(s) failed`;
  if (failed > 0) throw new CommandError(summary);
  io.stdout.write(`${summary}\n`);
}
