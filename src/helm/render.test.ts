import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFiles } from './chart/load.js';
import { processDependencies } from './chart/dependencies.js';
import { renderChartTemplates } from './render.js';
import { defaultCapabilities, releaseObject } from './render-data.js';
import { coalesceValues } from './values/coalesce.js';
import type { HelmMap } from './values/yaml.js';

function chartOf(files: Record<string, string>) {
  return loadFiles(Object.entries(files).map(([name, text]) => ({ name, data: Buffer.from(text) })));
}

function render(files: Record<string, string>, user: HelmMap = {}, opts = {}) {
  const c = chartOf(files);
  processDependencies(c, user, true, () => undefined);
  const top = { Values: coalesceValues(c, user), Release: releaseObject({ name: 'r', namespace: 'ns', revision: 1, isInstall: true, isUpgrade: false }), Capabilities: defaultCapabilities() };
  return renderChartTemplates(c, top, opts);
}

const chartYaml = 'apiVersion: v2\nname: top\nversion: 1.0.0\n';

test('templates parse deepest-first, partials are not rendered, subcharts see their own values', () => {
  const out = render({
    'Chart.yaml': chartYaml,
    'values.yaml': 'v: top\nsub:\n  v: from-parent\nglobal:\n  g: 1\n',
    'templates/_h.tpl': '{{ define "h" }}[{{ .Values.v }}]{{ end }}',
    'templates/a.yaml': '{{ include "h" . }} {{ .Chart.Name }} {{ .Template.BasePath }} {{ .Capabilities.KubeVersion }} {{ .Capabilities.APIVersions.Has "apps/v1" }}',
    'charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n',
    'charts/sub/values.yaml': 'v: sub-default\nonly: s\n',
    'charts/sub/templates/b.yaml': '{{ .Values.v }} {{ .Values.only }} {{ .Values.global.g }} {{ .Chart.IsRoot }} {{ .Template.Name }}',
  });
  assert.deepEqual([...out.keys()], ['top/charts/sub/templates/b.yaml', 'top/templates/a.yaml']);
  assert.equal(out.get('top/templates/a.yaml'), '[top] top top/templates v1.36.0 true');
  assert.equal(out.get('top/charts/sub/templates/b.yaml'), 'from-parent s 1 false top/charts/sub/templates/b.yaml');
});

test('tpl renders strings with the chart\'s defines; <no value> is removed', () => {
  const out = render({
    'Chart.yaml': chartYaml,
    'values.yaml': 'greeting: "hi {{ .Values.name }}{{ include \\"h\\" . }}"\nname: bob\n',
    'templates/_h.tpl': '{{ define "h" }}!{{ end }}',
    'templates/a.yaml': '{{ tpl .Values.greeting . }}|{{ tpl "" . }}|{{ .Values.missing }}|{{ tpl "{{ define \\"z\\" }}Z{{ end }}{{ include \\"z\\" . }}" . }}',
  });
  assert.equal(out.get('top/templates/a.yaml'), 'hi bob!|||Z');
});

test('required and fail produce helm execution errors; lint mode only logs', () => {
  const files = { 'Chart.yaml': chartYaml, 'templates/a.yaml': 'x: {{ required "a value is required!" .Values.x }}' };
  assert.throws(() => render(files), { message: 'execution error at (top/templates/a.yaml:1:6): a value is required!' });
  assert.equal(render(files, { x: 'ok' }).get('top/templates/a.yaml'), 'x: ok');
  const logs: string[] = [];
  assert.equal(render(files, {}, { lintMode: true, log: (m: string) => logs.push(m) }).get('top/templates/a.yaml'), 'x: ');
  assert.deepEqual(logs, ['[INFO] Missing required value: a value is required!']);
  const failing = { 'Chart.yaml': chartYaml, 'templates/a.yaml': '{{ fail "nope" }}' };
  assert.throws(() => render(failing), { message: 'execution error at (top/templates/a.yaml:1:3): nope' });
});

test('parse errors name the file and line', () => {
  assert.throws(() => render({ 'Chart.yaml': chartYaml, 'templates/a.yaml': 'ok\n{{ if }}' }), /^Error: parse error at \(top\/templates\/a.yaml:2\): missing value for if$|parse error at \(top\/templates\/a.yaml:2\): missing value for if/);
});

test('library charts only contribute partials', () => {
  const out = render({
    'Chart.yaml': chartYaml,
    'templates/a.yaml': '{{ include "lib.x" . }}',
    'charts/lib/Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 0.1.0\ntype: library\n',
    'charts/lib/templates/_x.tpl': '{{ define "lib.x" }}from lib{{ end }}',
    'charts/lib/templates/cm.yaml': 'never rendered',
  });
  assert.deepEqual([...out.entries()], [['top/templates/a.yaml', 'from lib']]);
});

test('.Files behaves like helm\'s named map type: methods, range, truthiness, len', () => {
  const out = render({
    'Chart.yaml': chartYaml,
    'files/a.yaml': 'a: 1\n',
    'files/b.txt': 'b\nc\n',
    'templates/f.yaml': [
      '{{ (.Files.Glob "files/*").AsConfig }}',
      '{{ (.Files.Glob "files/*.txt").AsSecrets }}',
      '{{ range $p, $b := .Files.Glob "files/**" }}{{ $p }}={{ len $b }};{{ end }}',
      '{{ if .Files.Glob "none/*" }}yes{{ else }}no{{ end }} {{ len (.Files.Glob "files/*") }}',
      '{{ .Files.Get "files/b.txt" | trim }} {{ .Files.Lines "files/b.txt" }} {{ .Files.Get "missing" | quote }}',
    ].join('\n'),
  });
  assert.equal(out.get('top/templates/f.yaml'), [
    'a.yaml: |\n  a: 1\nb.txt: |\n  b\n  c',
    'b.txt: YgpjCg==',
    'files/a.yaml=5;files/b.txt=4;',
    'no 2',
    'b\nc [b c] ""',
  ].join('\n'));
});
