import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadArchive, loadChart } from './load.js';
import { processDependencies } from './dependencies.js';
import { writeTgz } from './tar.js';
import { coalesceValues } from '../values/coalesce.js';

function writeTree(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
}

test('directory charts: templates, files, values, subcharts, .helmignore and dotfiles in templates/', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chart-'));
  writeTree(dir, {
    'Chart.yaml': 'apiVersion: v2\nname: top\nversion: 1.0.0\ndependencies:\n- name: sub\n  version: ~0.1.0\n  condition: sub.enabled\n  alias: child\n',
    'values.yaml': 'sub:\n  enabled: true\n',
    '.helmignore': '*.bak\nsecret/\n',
    'templates/cm.yaml': 'kind: ConfigMap\n',
    'templates/.hidden.yaml': 'x',
    'notes.bak': 'ignored',
    'secret/key': 'ignored',
    'files/a.txt': 'A',
    'charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.2\n',
    'charts/sub/templates/svc.yaml': 'kind: Service\n',
  });
  const c = loadChart(dir);
  assert.equal(c.name, 'top');
  assert.deepEqual(c.templates.map((t) => t.name), ['templates/cm.yaml']);
  assert.deepEqual(c.files.map((f) => f.name).sort(), ['.helmignore', 'files/a.txt']);
  assert.equal(c.dependencies[0].name, 'sub');
  processDependencies(c, {}, true, () => undefined);
  assert.deepEqual(c.dependencies.map((d) => d.name), ['child']);
  assert.equal(c.dependencies[0].fullPath(), 'top/charts/child');
});

test('conditions and tags disable subcharts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chart-'));
  writeTree(dir, {
    'Chart.yaml': 'apiVersion: v2\nname: top\nversion: 1.0.0\ndependencies:\n- name: a\n  condition: a.enabled\n- name: b\n  tags: [back]\n',
    'charts/a/Chart.yaml': 'apiVersion: v2\nname: a\nversion: 1.0.0\n',
    'charts/a/values.yaml': 'enabled: false\n',
    'charts/b/Chart.yaml': 'apiVersion: v2\nname: b\nversion: 1.0.0\n',
  });
  const c = loadChart(dir);
  processDependencies(c, { tags: { back: false } }, true, () => undefined);
  assert.deepEqual(c.dependencies.map((d) => d.name), []);
  const c2 = loadChart(dir);
  processDependencies(c2, { a: { enabled: true } }, true, () => undefined);
  assert.deepEqual(c2.dependencies.map((d) => d.name).sort(), ['a', 'b']);
});

test('import-values copy child tables into the parent, parent values win', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chart-'));
  writeTree(dir, {
    'Chart.yaml': 'apiVersion: v2\nname: top\nversion: 1.0.0\ndependencies:\n- name: a\n  import-values:\n  - child: data\n    parent: imported\n  - shared\n',
    'values.yaml': 'imported:\n  mine: 1\n  x: top\n',
    'charts/a/Chart.yaml': 'apiVersion: v2\nname: a\nversion: 1.0.0\n',
    'charts/a/values.yaml': 'data:\n  x: child\n  z: 2\nexports:\n  shared:\n    s: 1\n',
  });
  const c = loadChart(dir);
  processDependencies(c, {}, true, () => undefined);
  const v = coalesceValues(c, {});
  assert.deepEqual(v.imported, { mine: 1, x: 'top', z: 2 });
  assert.equal(v.s, 1);
});

test('archives load (prefix dir stripped) and bad Chart.yaml fields fail with helm messages', () => {
  const tgz = writeTgz([
    { name: 'mychart/Chart.yaml', data: Buffer.from('apiVersion: v2\nname: mychart\nversion: 0.1.0\n') },
    { name: 'mychart/templates/a.yaml', data: Buffer.from('a: 1\n') },
  ]);
  const c = loadArchive(tgz);
  assert.equal(c.name, 'mychart');
  assert.deepEqual(c.templates.map((t) => t.name), ['templates/a.yaml']);
  const bad = writeTgz([{ name: 'x/Chart.yaml', data: Buffer.from('apiVersion: v2\nname: x\nversion: 1.0.0\ntype: Library\n') }]);
  assert.throws(() => loadArchive(bad), { message: 'validation: chart.metadata.type must be application or library' });
  const noVersion = writeTgz([{ name: 'x/Chart.yaml', data: Buffer.from('apiVersion: v2\nname: x\n') }]);
  assert.throws(() => loadArchive(noVersion), { message: 'validation: chart.metadata.version is required' });
  const badVersion = writeTgz([{ name: 'x/Chart.yaml', data: Buffer.from('apiVersion: v2\nname: x\nversion: one\n') }]);
  assert.throws(() => loadArchive(badVersion), { message: 'validation: chart.metadata.version "one" is invalid' });
});

test('lock digests match helm (HashReq and Helm 2 HashV2Req)', async () => {
  const { hashRequirements, hashRequirementsV2 } = await import('./save.js');
  const req = [{ name: 'alpine', version: '0.1.0', repository: 'file://../alpine' }];
  // requirements.lock written by Helm 2 for this requirements.yaml (helm testdata issue-7233).
  assert.equal(hashRequirementsV2(req), 'sha256:7b380b1a826e7be1eecb089f66209d6d3df54be4bf879d4a8e6f8a9e871710e5');
  assert.match(hashRequirements([{ name: 'x', version: '>=1.0.0', repository: '' }], []), /^sha256:[0-9a-f]{64}$/);
});
