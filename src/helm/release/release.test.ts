import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { decodeRelease, encodeRelease, releaseJson, rfc3339Nano, type Release } from './release.js';
import { threeWayJsonMergePatch, builtinModel } from './patch.js';
import { unifiedDiff } from './unified-diff.js';
import { hookOrder } from './hooks.js';
import type { HookRecord } from './release.js';

function sample(): Release {
  return {
    name: 'web', namespace: 'prod', version: 3,
    info: { first_deployed: '2026-01-02T03:04:05.5Z', last_deployed: '2026-01-02T03:04:06Z', deleted: '', description: 'Upgrade complete', status: 'deployed', notes: 'a<b & c>d' },
    chart: {
      metadata: { name: 'web', version: '1.0.0', apiVersion: 'v2', appVersion: '2' }, lock: null,
      templates: [{ name: 'templates/a.yaml', data: Buffer.from('x: 1').toString('base64') }],
      values: { zeta: 1, alpha: { b: true, a: null } }, schema: null, files: [],
    },
    config: { replicas: 2n, image: { tag: 'v1' } },
    manifest: '---\n# Source: web/templates/a.yaml\nx: 1\n',
    hooks: [{
      name: 'h', kind: 'Job', path: 'web/templates/h.yaml', manifest: 'kind: Job', events: ['pre-install'],
      last_run: { started_at: '', completed_at: '', phase: '' }, weight: 0, delete_policies: [], output_log_policies: [],
    }],
  };
}

test('releaseJson writes Go json.Marshal output: struct order, sorted map keys, omitempty, HTML escapes, int64', () => {
  assert.equal(releaseJson(sample()),
    '{"name":"web","info":{"first_deployed":"2026-01-02T03:04:05.5Z","last_deployed":"2026-01-02T03:04:06Z","deleted":"",' +
    '"description":"Upgrade complete","status":"deployed","notes":"a\\u003cb \\u0026 c\\u003ed"},' +
    '"chart":{"metadata":{"name":"web","version":"1.0.0","apiVersion":"v2","appVersion":"2"},"lock":null,' +
    '"templates":[{"name":"templates/a.yaml","data":"eDogMQ=="}],"values":{"alpha":{"a":null,"b":true},"zeta":1},"schema":null,"files":[]},' +
    '"config":{"image":{"tag":"v1"},"replicas":2},"manifest":"---\\n# Source: web/templates/a.yaml\\nx: 1\\n",' +
    '"hooks":[{"name":"h","kind":"Job","path":"web/templates/h.yaml","manifest":"kind: Job","events":["pre-install"],' +
    '"last_run":{"started_at":"","completed_at":"","phase":""}}],"version":3,"namespace":"prod"}');
});

test('encodeRelease is base64(gzip(json)) and decodeRelease reverses it', () => {
  const text = encodeRelease(sample());
  const raw = Buffer.from(text, 'base64');
  assert.deepEqual([...raw.subarray(0, 3)], [0x1f, 0x8b, 0x08]);
  assert.equal(gunzipSync(raw).toString('utf8'), releaseJson(sample()));
  const back = decodeRelease(text);
  assert.equal(back.name, 'web');
  assert.equal(back.info.status, 'deployed');
  assert.deepEqual(back.config, { image: { tag: 'v1' }, replicas: 2 });
  assert.equal(back.hooks[0].events[0], 'pre-install');
  // Plain (not gzipped) JSON, as very old releases hold, decodes too.
  assert.equal(decodeRelease(Buffer.from('{"name":"x","version":1}').toString('base64')).name, 'x');
});

test('rfc3339Nano trims trailing zeros like Go', () => {
  assert.equal(rfc3339Nano(new Date('2026-01-02T03:04:05.000Z')), '2026-01-02T03:04:05Z');
  assert.equal(rfc3339Nano(new Date('2026-01-02T03:04:05.120Z')), '2026-01-02T03:04:05.12Z');
});

test('three-way JSON merge patch: changes from live, deletions from the old manifest only', () => {
  const original = { spec: { a: 1, gone: 2 } };
  const modified = { spec: { a: 3 } };
  const current = { spec: { a: 1, gone: 2, byOthers: 5 }, status: { x: 1 } };
  assert.deepEqual(threeWayJsonMergePatch(original, modified, current), { spec: { a: 3, gone: null } });
  assert.equal(builtinModel('apps/v1', 'Deployment'), 'V1Deployment');
  assert.equal(builtinModel('example.com/v1', 'Deployment'), undefined);
});

test('unified diff hunks', () => {
  assert.equal(unifiedDiff('a\nb\nc\n', 'a\nB\nc\n', 'old', 'new'), '--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n');
  assert.equal(unifiedDiff('', 'x\n', 'old', 'new'), '--- old\n+++ new\n@@ -0,0 +1,1 @@\n+x\n');
  assert.equal(unifiedDiff('same\n', 'same\n', 'o', 'n'), '');
});

test('hooks run by weight, then name', () => {
  const h = (name: string, weight: number) => ({ name, weight } as HookRecord);
  assert.deepEqual(hookOrder([h('c', 5), h('b', 5), h('a', 10), h('z', -1)]).map((x) => x.name), ['z', 'b', 'c', 'a']);
});
