import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runHelm } from './index.js';
import { loadChart } from '../../helm/chart/load.js';

class Out { text = ''; write(s: string) { this.text += s; return true; } }

async function helm(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Out();
  const stderr = new Out();
  const code = await runHelm(argv, { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

function makeChart(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'helmcli-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, 'c', name, '..'), { recursive: true });
    writeFileSync(join(dir, 'c', name), text);
  }
  return join(dir, 'c');
}

const basic = {
  'Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 0.2.0\nappVersion: "1.0"\n',
  'values.yaml': 'replicas: 2\nname: web\nbig: 1000000\n',
  'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-{{ .Values.name }}\n  namespace: {{ .Release.Namespace }}\ndata:\n  replicas: "{{ .Values.replicas }}"\n  big: "{{ .Values.big }}"\n  chart: {{ .Chart.Name }}-{{ .Chart.Version }}\n  file: {{ .Files.Get "files/x.txt" }}\n  tpl: {{ .Template.Name }}\n',
  'templates/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: first\n',
  'templates/_helpers.tpl': '{{ define "demo.x" }}x{{ end }}',
  'templates/NOTES.txt': 'notes for {{ .Release.Name }}',
  'files/x.txt': 'hello',
};

test('template renders with release data, .Files, kind order, float64 printing and --set ints', async () => {
  const dir = makeChart(basic);
  const r = await helm('template', 'rel', dir, '--namespace', 'ns1', '--set', 'big=1000000');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, [
    '---', '# Source: demo/templates/ns.yaml', 'apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: first',
    '---', '# Source: demo/templates/cm.yaml', 'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: rel-web', '  namespace: ns1',
    'data:', '  replicas: "2"', '  big: "1000000"', '  chart: demo-0.2.0', '  file: hello', '  tpl: demo/templates/cm.yaml', '',
  ].join('\n'));
  const floats = await helm('template', dir);
  assert.match(floats.stdout, /big: "1e\+06"/, 'YAML numbers are float64 and print like Go');
});

test('--show-only filters, unknown templates fail, --output-dir writes files', async () => {
  const dir = makeChart(basic);
  const only = await helm('template', dir, '-s', 'templates/ns.yaml');
  assert.equal(only.stdout, '---\n# Source: demo/templates/ns.yaml\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: first\n');
  const missing = await helm('template', dir, '-s', 'templates/nope.yaml');
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'Error: could not find template templates/nope.yaml in chart\n');
  const out = mkdtempSync(join(tmpdir(), 'helmout-'));
  const w = await helm('template', dir, '--output-dir', out);
  assert.equal(w.code, 0, w.stderr);
  assert.match(w.stdout, /wrote .*demo\/templates\/cm.yaml/);
  assert.match(readFileSync(join(out, 'demo/templates/cm.yaml'), 'utf8'), /^---\n# Source: demo\/templates\/cm.yaml\n/);
});

test('errors: bad --set, missing chart, kubeVersion constraint, invalid release name', async () => {
  const dir = makeChart(basic);
  assert.equal((await helm('template', dir, '--set', 'a,b=c')).stderr, 'Error: failed parsing --set data: key "a" has no value (cannot end with ,)\n');
  assert.equal((await helm('template', './nope')).stderr, 'Error: path "./nope" not found\n');
  assert.equal((await helm('template', dir, '-f', '/nonexistent/v.yaml')).stderr, 'Error: open /nonexistent/v.yaml: no such file or directory\n');
  const listFile = join(dir, 'list.yaml');
  writeFileSync(listFile, '- a\n');
  assert.equal((await helm('template', dir, '-f', listFile)).stderr, `Error: failed to parse ${listFile}: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}\n`);
  const badYaml = join(dir, 'bad.yaml');
  writeFileSync(badYaml, 'a: b: c\n');
  assert.equal((await helm('template', dir, '-f', badYaml)).stderr, `Error: failed to parse ${badYaml}: error converting YAML to JSON: yaml: line 1: mapping values are not allowed in this context\n`);
  assert.match((await helm('template', 'Bad_Name', dir)).stderr, /^Error: release name "Bad_Name": invalid release name/);
  const kv = makeChart({ ...basic, 'Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 0.2.0\nkubeVersion: ">=1.25.0-0"\n' });
  assert.equal((await helm('template', kv)).code, 0, 'release builds default to Kubernetes v1.36.0');
  assert.equal((await helm('template', kv, '--kube-version', '1.24')).stderr, 'Error: chart requires kubeVersion: >=1.25.0-0 which is incompatible with Kubernetes v1.24.0\n\nUse --debug flag to render out invalid YAML\n');
  assert.equal((await helm('template', kv, '--kube-version', '1.30')).code, 0);
});

test('package then template the archive; show chart and values', async () => {
  const dir = makeChart(basic);
  const dest = mkdtempSync(join(tmpdir(), 'helmpkg-'));
  const p = await helm('package', dir, '-d', dest);
  assert.equal(p.stdout, `Successfully packaged chart and saved it to: ${join(dest, 'demo-0.2.0.tgz')}\n`);
  const c = loadChart(join(dest, 'demo-0.2.0.tgz'));
  assert.equal(c.name, 'demo');
  assert.deepEqual(c.templates.map((t) => t.name).sort(), ['templates/NOTES.txt', 'templates/_helpers.tpl', 'templates/cm.yaml', 'templates/ns.yaml']);
  assert.equal((await helm('show', 'values', dir)).stdout, `${basic['values.yaml']}\n`);
  assert.equal((await helm('show', 'chart', dir)).stdout, 'apiVersion: v2\nappVersion: "1.0"\nname: demo\nversion: 0.2.0\n\n');
});

test('dependency update packages file:// dependencies and writes Chart.lock; list shows status', async () => {
  const root = mkdtempSync(join(tmpdir(), 'helmdep-'));
  mkdirSync(join(root, 'lib', 'templates'), { recursive: true });
  writeFileSync(join(root, 'lib', 'Chart.yaml'), 'apiVersion: v2\nname: lib\nversion: 1.2.3\n');
  mkdirSync(join(root, 'app'));
  writeFileSync(join(root, 'app', 'Chart.yaml'), 'apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n- name: lib\n  version: ^1.0.0\n  repository: file://../lib\n');
  const u = await helm('dependency', 'update', join(root, 'app'));
  assert.equal(u.code, 0, u.stderr);
  assert.ok(existsSync(join(root, 'app', 'charts', 'lib-1.2.3.tgz')));
  assert.match(readFileSync(join(root, 'app', 'Chart.lock'), 'utf8'), /digest: sha256:[0-9a-f]{64}/);
  const l = await helm('dependency', 'list', join(root, 'app'));
  assert.equal(l.stdout, 'NAME\tVERSION\tREPOSITORY   \tSTATUS\nlib \t^1.0.0 \tfile://../lib\tok    \n\n');
  const b = await helm('dependency', 'build', join(root, 'app'));
  assert.equal(b.code, 0, b.stderr);
});

test('create writes a chart that loads; lint reports', async () => {
  const root = mkdtempSync(join(tmpdir(), 'helmcreate-'));
  const r = await helm('create', join(root, 'newchart'));
  assert.equal(r.code, 0, r.stderr);
  const c = loadChart(join(root, 'newchart'));
  assert.equal(c.name, 'newchart');
  assert.equal(c.metadata.apiVersion, 'v2');
  const t = await helm('template', 'demo', join(root, 'newchart'), '--set', 'ingress.enabled=true');
  assert.equal(t.code, 0, t.stderr);
  assert.deepEqual([...t.stdout.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]), ['ServiceAccount', 'Service', 'Deployment', 'Ingress', 'Pod']);
  assert.match(t.stdout, /name: demo-newchart\n/);
  const cleanLint = await helm('lint', join(root, 'newchart'));
  assert.equal(cleanLint.code, 0, cleanLint.stdout);
  assert.equal(cleanLint.stdout, `==> Linting ${join(root, 'newchart')}\n[INFO] Chart.yaml: icon is recommended\n\n1 chart(s) linted, 0 chart(s) failed\n`);
  const bad = makeChart({ 'Chart.yaml': 'apiVersion: v3\nname: x\nversion: 1.0.0\n' });
  const lint = await helm('lint', bad);
  assert.equal(lint.code, 1);
  assert.match(lint.stdout, /\[ERROR\] Chart.yaml: apiVersion 'v3' is not valid/);
  assert.equal(lint.stderr, 'Error: 1 chart(s) linted, 1 chart(s) failed\n');
});

test('dependency update resolves http repositories through index.yaml and repo index builds one', async () => {
  const { createServer } = await import('node:http');
  const repoDir = mkdtempSync(join(tmpdir(), 'helmrepo-'));
  for (const v of ['1.0.0', '1.4.0', '2.0.0']) {
    const src = makeChart({ 'Chart.yaml': `apiVersion: v2\nname: redis\nversion: ${v}\n`, 'templates/x.yaml': 'a: 1\n' });
    assert.equal((await helm('package', src, '-d', repoDir)).code, 0);
  }
  assert.equal((await helm('repo', 'index', repoDir)).code, 0);
  const index = readFileSync(join(repoDir, 'index.yaml'), 'utf8');
  assert.match(index, /  redis:\n  - apiVersion: v2\n[\s\S]*?version: 2\.0\.0\n  - apiVersion/);
  const server = createServer((req, res) => {
    try { res.end(readFileSync(join(repoDir, (req.url ?? '/').slice(1)))); } catch { res.statusCode = 404; res.end(); }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  try {
    const app = makeChart({ 'Chart.yaml': `apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n- name: redis\n  version: ~1.0.0 || ^1.2.0\n  repository: http://127.0.0.1:${port}\n` });
    const u = await helm('dependency', 'update', app);
    assert.equal(u.code, 0, u.stderr);
    assert.ok(u.stdout.includes(`Downloading redis from repo http://127.0.0.1:${port}`));
    assert.ok(existsSync(join(app, 'charts', 'redis-1.4.0.tgz')));
    assert.match(readFileSync(join(app, 'Chart.lock'), 'utf8'), /version: 1\.4\.0/);
    const t = await helm('template', app);
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /# Source: app\/charts\/redis\/templates\/x.yaml/);
    const viaRepo = await helm('show', 'chart', 'redis', '--repo', `http://127.0.0.1:${port}`, '--version', '~1.0');
    assert.equal(viaRepo.stdout, 'apiVersion: v2\nname: redis\nversion: 1.0.0\n\n');
    const latest = await helm('template', 'redis', '--repo', `http://127.0.0.1:${port}`);
    assert.match(latest.stdout, /^---\n# Source: redis\/templates\/x.yaml\na: 1\n$/);

    // Named repositories in helm's repositories.yaml (kept in a temp dir for the test).
    const home = mkdtempSync(join(tmpdir(), 'helmhome-'));
    const cfg = ['--repository-config', join(home, 'repositories.yaml'), '--repository-cache', join(home, 'cache')];
    assert.equal((await helm('repo', 'list', ...cfg)).stderr, 'Error: no repositories to show\n');
    assert.equal((await helm('repo', 'add', 'local', `http://127.0.0.1:${port}`, ...cfg)).stdout, '"local" has been added to your repositories\n');
    assert.equal((await helm('repo', 'add', 'local', `http://127.0.0.1:${port}`, ...cfg)).stdout, '"local" already exists with the same configuration, skipping\n');
    assert.ok(existsSync(join(home, 'cache', 'local-index.yaml')));
    const url = `http://127.0.0.1:${port}`;
    assert.equal((await helm('repo', 'list', ...cfg)).stdout, `NAME \t${'URL'.padEnd(url.length)}\nlocal\t${url}\n`);
    assert.match((await helm('repo', 'update', ...cfg)).stdout, /Successfully got an update from the "local" chart repository/);
    const named = await helm('template', 'local/redis', '--version', '1.4.0', ...cfg);
    assert.equal(named.code, 0, named.stderr);
    const aliased = makeChart({ 'Chart.yaml': 'apiVersion: v2\nname: app2\nversion: 0.1.0\ndependencies:\n- name: redis\n  version: 2.0.0\n  repository: "@local"\n' });
    const du = await helm('dependency', 'update', aliased, ...cfg);
    assert.equal(du.code, 0, du.stderr);
    assert.ok(existsSync(join(aliased, 'charts', 'redis-2.0.0.tgz')));
    const pulled = mkdtempSync(join(tmpdir(), 'helmpull-'));
    assert.equal((await helm('pull', 'local/redis', '--version', '^1.0.0', '-d', pulled, ...cfg)).code, 0);
    assert.ok(existsSync(join(pulled, 'redis-1.4.0.tgz')));
    assert.equal((await helm('pull', 'local/redis', '--untar', '-d', pulled, ...cfg)).code, 0);
    assert.equal(loadChart(join(pulled, 'redis')).metadata.version, '2.0.0');
    assert.equal((await helm('repo', 'remove', 'local', ...cfg)).stdout, '"local" has been removed from your repositories\n');
    assert.equal((await helm('repo', 'remove', 'local', ...cfg)).stderr, 'Error: no repo named "local" found\n');
  } finally {
    server.close();
  }
});

test('--post-renderer pipes manifests through a program', async () => {
  const dir = makeChart(basic);
  const r = await helm('template', dir, '-s', 'templates/ns.yaml', '--post-renderer', 'sed', '--post-renderer-args', 's/name: first/name: renamed/');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /name: renamed/);
  const bad = await helm('template', dir, '--post-renderer', './no-such-binary');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^Error: unable to find binary at \.\/no-such-binary/);
});

test('template --dependency-update fetches missing file:// dependencies first', async () => {
  const root = mkdtempSync(join(tmpdir(), 'helmdu-'));
  mkdirSync(join(root, 'lib', 'templates'), { recursive: true });
  writeFileSync(join(root, 'lib', 'Chart.yaml'), 'apiVersion: v2\nname: lib\nversion: 1.0.0\n');
  writeFileSync(join(root, 'lib', 'templates', 'cm.yaml'), 'kind: ConfigMap\nmetadata:\n  name: {{ .Chart.Name }}\n');
  mkdirSync(join(root, 'app'));
  writeFileSync(join(root, 'app', 'Chart.yaml'), 'apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n- name: lib\n  version: 1.0.0\n  repository: file://../lib\n');
  const missing = await helm('template', join(root, 'app'));
  assert.match(missing.stderr, /found in Chart.yaml, but missing in charts\/ directory: lib/);
  const r = await helm('template', join(root, 'app'), '--dependency-update');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /# Source: app\/charts\/lib\/templates\/cm.yaml\nkind: ConfigMap\nmetadata:\n  name: lib/);
});
