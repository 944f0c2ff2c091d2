import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sortManifests, splitManifests } from './manifests.js';

test('splitManifests splits on --- lines and trims', () => {
  assert.deepEqual(splitManifests('\n---\na: 1\n---   \nb: 2\n\n---\n'), ['a: 1', 'b: 2']);
  assert.deepEqual(splitManifests('a: 1  \n\n---\nb: 2'), ['a: 1', 'b: 2']);
  assert.deepEqual(splitManifests('a: 1\n  ---\nb: 2'), ['a: 1\n  ---\nb: 2'], 'indented --- is not a separator');
});

test('manifests sort by install order (stable), unknown kinds last alphabetically, hooks aside', () => {
  const files = new Map([
    ['c/templates/b.yaml', 'kind: Deployment\nmetadata:\n  name: d\n---\nkind: Zeta\n---\nkind: Alpha\n'],
    ['c/templates/a.yaml', 'kind: Service\nmetadata:\n  name: s\n---\nkind: Namespace\n---\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: pre-install,Post-Install\n    helm.sh/hook-weight: "-5"\n'],
    ['c/templates/_helpers.tpl', 'kind: Pod\n'],
    ['c/templates/empty.yaml', '  \n'],
  ]);
  const { hooks, manifests } = sortManifests(files);
  assert.deepEqual(manifests.map((m) => m.head.kind), ['Namespace', 'Service', 'Deployment', 'Alpha', 'Zeta']);
  assert.equal(hooks.length, 1);
  assert.deepEqual(hooks[0].events, ['pre-install', 'post-install']);
  assert.equal(hooks[0].weight, -5);
});

test('invalid YAML is reported with the file name', () => {
  assert.throws(() => sortManifests(new Map([['c/templates/x.yaml', 'a: 1\nb']])), {
    message: "YAML parse error on c/templates/x.yaml: error converting YAML to JSON: yaml: line 3: could not find expected ':'",
  });
});
