import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderTemplates, renderNameTemplate, sortTemplates, HelmRenderError, type Renderable } from './render.js';

const top = { Values: { name: 'web', replicas: 3, nested: { x: 'y' } }, Chart: { Name: 'mychart', Version: '0.1.0' }, Release: { Name: 'rel', Namespace: 'ns' } };
function files(map: Record<string, string>, values: Record<string, unknown> = top): Record<string, Renderable> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, { template: v, values, basePath: 'mychart/templates' }]));
}
function renderError(map: Record<string, string>): string {
  try { renderTemplates(files(map)); } catch (e) { assert.ok(e instanceof HelmRenderError, String(e)); return e.message; }
  assert.fail('expected an error');
}

test('partials are not rendered; include uses their defines; <no value> becomes empty', () => {
  const out = renderTemplates(files({
    'mychart/templates/_helpers.tpl': '{{- define "mychart.name" -}}{{ .Chart.Name }}-{{ .Release.Name }}{{- end -}}',
    'mychart/templates/cm.yaml': 'name: {{ include "mychart.name" . }}\nmissing: {{ .Values.nope }}\ntemplate: {{ .Template.Name }} {{ .Template.BasePath }}',
  }));
  assert.deepEqual(Object.keys(out), ['mychart/templates/cm.yaml']);
  assert.equal(out['mychart/templates/cm.yaml'], 'name: mychart-rel\nmissing: \ntemplate: mychart/templates/cm.yaml mychart/templates');
});

test('parent chart defines override subchart defines (parse order by path depth)', () => {
  assert.deepEqual(sortTemplates(['a/templates/x', 'a/charts/b/templates/y', 'a/templates/z']), ['a/charts/b/templates/y', 'a/templates/z', 'a/templates/x']);
  const out = renderTemplates(files({
    'mychart/charts/sub/templates/_h.tpl': '{{ define "shared" }}sub{{ end }}',
    'mychart/templates/_h.tpl': '{{ define "shared" }}parent{{ end }}',
    'mychart/templates/a.yaml': '{{ template "shared" }}',
  }));
  assert.equal(out['mychart/templates/a.yaml'], 'parent');
});

test('tpl renders strings against values and sees defines', () => {
  const values = { ...top, Values: { ...top.Values, tmpl: 'hello {{ .Values.name }}', inc: '{{ include "n" . }}' } };
  const out = renderTemplates(files({
    'mychart/templates/_h.tpl': '{{ define "n" }}N={{ .Values.replicas }}{{ end }}',
    'mychart/templates/a.yaml': '{{ tpl .Values.tmpl . }}|{{ tpl .Values.inc . }}|{{ tpl "{{ define \\"local\\" }}L{{ end }}{{ include \\"local\\" . }}" . }}',
  }, values));
  assert.equal(out['mychart/templates/a.yaml'], 'hello web|N=3|L');
});

test('tpl errors carry the template text', () => {
  const msg = renderError({ 'mychart/templates/a.yaml': '{{ tpl "{{ .Values.nested.x.y.z }}" . }}' });
  assert.match(msg, /error calling tpl: error during tpl function execution for "\{\{ \.Values\.nested\.x\.y\.z \}\}": template: gotpl:1:/);
});

test('required and fail produce helm execution errors', () => {
  assert.equal(renderError({ 'mychart/templates/a.yaml': 'x\n  v: {{ required "A value is required!" .Values.missing }}' }),
    'execution error at (mychart/templates/a.yaml:2:8): A value is required!');
  assert.equal(renderError({ 'mychart/templates/a.yaml': '{{ fail "custom failure" }}' }), 'execution error at (mychart/templates/a.yaml:1:3): custom failure');
  assert.equal(renderError({ 'mychart/templates/a.yaml': '{{ required "r" "" }}' }), 'execution error at (mychart/templates/a.yaml:1:3): r');
  assert.equal(renderError({
    'mychart/templates/_h.tpl': '{{ define "x" }}\n  {{ required "inner missing" .Values.y }}{{ end }}',
    'mychart/templates/a.yaml': 'a: {{ include "x" . }}',
  }), 'execution error at (mychart/templates/a.yaml:1:6): inner missing');
  const out = renderTemplates(files({ 'mychart/templates/a.yaml': '[{{ required "r" .Values.missing }}]' }), { lintMode: true, log: () => undefined });
  assert.equal(out['mychart/templates/a.yaml'], '[]');
});

test('parse and exec errors are reworded as helm does', () => {
  assert.equal(renderError({ 'mychart/templates/a.yaml': 'a\n{{ nope }}' }), 'parse error at (mychart/templates/a.yaml:2): function "nope" not defined');
  assert.equal(renderError({ 'mychart/templates/a.yaml': '{{ .Values.nested.x.y }}' }),
    'template: mychart/templates/a.yaml:1:10: executing "mychart/templates/a.yaml" at <.Values.nested.x.y>: can\'t evaluate field y in type interface {}');
  assert.match(renderError({ 'mychart/templates/a.yaml': '{{ include "missing" . }}' }), /error calling include: template: no template "missing" associated with template "gotpl"/);
});

test('include recursion is capped', () => {
  const msg = renderError({ 'mychart/templates/_r.tpl': '{{ define "r" }}{{ include "r" . }}{{ end }}', 'mychart/templates/a.yaml': '{{ include "r" . }}' });
  assert.match(msg, /rendering template has a nested reference name: r: unable to execute template/);
});

test('strict mode errors on missing keys; lookup defaults to an empty map', () => {
  assert.throws(() => renderTemplates(files({ 'mychart/templates/a.yaml': '{{ .Values.nope }}' }), { strict: true }), /map has no entry for key "nope"/);
  const out = renderTemplates(files({ 'mychart/templates/a.yaml': '{{ lookup "v1" "Secret" "ns" "x" }}|{{ (lookup "v1" "Pod" "" "").kind }}' }), {
    lookup: (_a, kind) => (kind === 'Pod' ? { kind: 'PodList' } : {}),
  });
  assert.equal(out['mychart/templates/a.yaml'], 'map[]|PodList');
});

test('--name-template renders with Sprig functions and nil data', () => {
  assert.equal(renderNameTemplate('foobar-{{ b64enc "abc" | lower }}-baz'), 'foobar-ywjj-baz');
  assert.equal(renderNameTemplate('{{ .x }}'), '<no value>');
  assert.equal(renderNameTemplate(''), '');
});
