/**
 * Renders the shared helm v3.21.4 conformance chart `subchart` (its own templates, with a
 * hand-built .Values/.Chart/.Release/.Capabilities) and compares each document with helm's
 * golden output. Skips when the conformance folder is absent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { renderTemplates, yamlToGo, type Renderable } from './index.js';

const ROOT = '/work/shared/conformance/helm-v3.21.4';
const have = existsSync(join(ROOT, 'testcharts/subchart'));

function walk(d: string): string[] {
  return readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
}

function golden(file: string): Map<string, string> {
  const docs = readFileSync(join(ROOT, 'output', file), 'utf8').split(/^---\n/m).filter(Boolean);
  return new Map(docs.map((d) => {
    const m = /^# Source: (.*)\n([\s\S]*)$/.exec(d)!;
    return [m[1], m[2].trim()];
  }));
}

function renderSubchart(apiVersions: string[], kube: { Major: string; Minor: string }): Record<string, string> {
  const dir = join(ROOT, 'testcharts/subchart');
  const chart = yamlToGo(readFileSync(join(dir, 'Chart.yaml'), 'utf8')) as Record<string, unknown>;
  const top = {
    Values: yamlToGo(readFileSync(join(dir, 'values.yaml'), 'utf8')),
    Chart: { Name: chart.name, Version: chart.version },
    Release: { Name: 'release-name', Namespace: 'default', Service: 'Helm', IsInstall: true, IsUpgrade: false, Revision: 1n },
    Capabilities: { KubeVersion: { ...kube, Version: `v${kube.Major}.${kube.Minor}.0` }, APIVersions: { Has: (v: string) => apiVersions.includes(v) } },
  };
  const tpls: Record<string, Renderable> = {};
  for (const f of walk(join(dir, 'templates'))) tpls[`subchart/${relative(dir, f)}`] = { template: readFileSync(f, 'utf8'), values: top, basePath: 'subchart/templates' };
  return renderTemplates(tpls);
}

test('subchart templates match helm template golden output', { skip: !have && 'conformance data absent' }, () => {
  const want = golden('template.txt');
  const got = renderSubchart([], { Major: '1', Minor: '20' });
  let compared = 0;
  for (const [name, text] of want) {
    if (!name.startsWith('subchart/templates/')) continue;
    assert.equal(got[name]?.trim(), text, name);
    compared++;
  }
  assert.ok(compared >= 5);
  assert.equal(got['subchart/templates/subdir/configmap.yaml'].trim(), '');
});

test('--api-versions and --kube-version reach .Capabilities', { skip: !have && 'conformance data absent' }, () => {
  const api = golden('template-with-api-version.txt');
  assert.equal(renderSubchart(['helm.k8s.io/test'], { Major: '1', Minor: '20' })['subchart/templates/service.yaml'].trim(), api.get('subchart/templates/service.yaml'));
  const kube = golden('template-with-kube-version.txt');
  assert.equal(renderSubchart([], { Major: '1', Minor: '16' })['subchart/templates/service.yaml'].trim(), kube.get('subchart/templates/service.yaml'));
});
