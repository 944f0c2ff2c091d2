// Bad input: thousands of generated malformed and hostile requests. None may get a 5xx, the server must
// keep answering, and nothing already stored may change.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestServer } from '../src/apiserver/test-server.js';

/** Small seeded PRNG (mulberry32) so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env.SKIFF_FUZZ_SEED ?? 20261127);
const COUNT = Number(process.env.SKIFF_FUZZ_COUNT ?? 2400);

test(`${COUNT} hostile requests: no 5xx, server keeps serving, stored data unchanged (seed ${SEED})`, async () => {
  const t = await startTestServer();
  const r = rng(SEED);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  try {
    // Sentinels: objects that hostile requests aim at but must never change.
    await t.client.post('/api/v1/namespaces', { metadata: { name: 'fuzz' } });
    await t.client.post('/api/v1/namespaces/default/configmaps', { metadata: { name: 'sentinel', labels: { keep: 'me' } }, data: { v: '1' } });
    await t.client.post('/apis/apps/v1/namespaces/default/deployments', {
      metadata: { name: 'sentinel' },
      spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    const snapshot = async () => {
      const a = await t.client.get('/api/v1/namespaces/default/configmaps/sentinel');
      const b = await t.client.get('/apis/apps/v1/namespaces/default/deployments/sentinel');
      return JSON.stringify([a.body, b.body]);
    };
    const namespaces = async () => (await t.client.get<{ items: Array<{ metadata: { name: string } }> }>('/api/v1/namespaces')).body.items.map((n) => n.metadata.name);
    const before = await snapshot();
    const namespacesBefore = await namespaces();

    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const deepObj = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    const validPod = JSON.stringify({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    const bodies: Array<() => string> = [
      () => validPod.slice(0, Math.floor(r() * validPod.length)),
      () => deep(1000 + Math.floor(r() * 20000)),
      () => deepObj(1000 + Math.floor(r() * 5000)),
      () => JSON.stringify({ metadata: { name: pick(['', 'A', '-x', 'x'.repeat(300), 'a/b', '..', 'ünï', 'a b', '%2F']) }, data: { k: 'v' } }),
      () => JSON.stringify({ metadata: [], spec: 'nope' }),
      () => JSON.stringify({ metadata: { name: 'wt', labels: { 'bad key!': 'v', k: ['x'] }, annotations: 5 }, spec: { replicas: 'three', selector: 7, template: { spec: { containers: {} } } } }),
      () => JSON.stringify({ metadata: { name: 'wt2', finalizers: [1, 2], ownerReferences: [{}] }, data: { 'bad key': 1 } }),
      () => JSON.stringify({ metadata: { name: 'big' }, data: { a: 'x'.repeat(Math.floor(r() * 4 * 1024 * 1024)) } }),
      () => JSON.stringify({ metadata: { name: 'many' }, data: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, 'v'])) }),
      () => JSON.stringify([{ op: pick(['add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus']), path: pick(['/metadata/name', '/spec/replicas', '/x/y/z', '', '/~2', '/metadata/labels/-']), value: pick([1, 'x', null, {}]) }]),
      () => 'null',
      () => '"string"',
      () => '12345',
      () => Buffer.from(Array.from({ length: 64 }, () => Math.floor(r() * 256))).toString('latin1'),
      () => 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [unclosed\n',
      () => 'a: &a [*a, *a]\nb: *a\n',
      () => JSON.stringify({ metadata: { name: 'x', resourceVersion: 'abc' }, data: {} }),
      () => '{"metadata":{"name":"dup","name":"dup2"},"data":{}}',
      () => JSON.stringify({ apiVersion: 'v2', kind: 'Pod', metadata: { name: 'wrongkind' } }),
    ];
    // Bodies that can never be a valid write: the only ones aimed at the sentinels.
    const broken: Array<() => string> = [
      () => validPod.slice(0, Math.floor(r() * (validPod.length - 1))),
      () => deep(1000 + Math.floor(r() * 20000)),
      // Deeper than the decoder accepts (a shallower object with unknown fields would be a valid Scale).
      () => deepObj(10001 + Math.floor(r() * 5000)),
      () => JSON.stringify({ metadata: [], spec: 'nope' }),
      () => JSON.stringify({ metadata: { name: 'sentinel' }, data: { k: 5 }, spec: { replicas: 'three', selector: 7 } }),
      () => 'null',
      () => '"string"',
      () => '{"' + Buffer.from(Array.from({ length: 64 }, () => 35 + Math.floor(r() * 88))).toString('latin1'),
      () => 'a: &a [*a, *a]\nb: *a\n',
      () => JSON.stringify([{ op: 'test', path: '/metadata/name', value: 'not-the-name' }, { op: 'replace', path: '/spec/replicas', value: 0 }]),
      () => JSON.stringify({ metadata: { name: 'sentinel', resourceVersion: '1' }, data: { v: '2' }, spec: { replicas: 5 } }),
    ];
    const paths = [
      '/api/v1/namespaces/fuzz/configmaps',
      '/api/v1/namespaces/default/configmaps/sentinel',
      '/apis/apps/v1/namespaces/default/deployments/sentinel',
      '/apis/apps/v1/namespaces/default/deployments/sentinel/status',
      '/apis/apps/v1/namespaces/default/deployments/sentinel/scale',
      '/api/v1/namespaces/fuzz/pods',
      '/api/v1/namespaces/../../etc/passwd',
      '/api/v1/namespaces/%2e%2e/configmaps',
      '/api/v1/namespaces/default/configmaps/%00',
      '/api/v1/namespaces/default/configmaps/%E0%A4%A',
      '/api//v1///namespaces',
      '/apis/nope.example.com/v1/things',
      '/api/v1/namespaces/fuzz/configmaps/' + 'a'.repeat(5000),
      '/apis/apps/v1/namespaces/default/deployments/sentinel/bogus',
      '/api/v1/nodes/x/status',
      '/api/v1/namespaces/fuzz/pods/p/binding',
      '/api/v1/namespaces/fuzz/pods/p/eviction',
      '/api/v1/namespaces/default/finalize',
      '/openapi/v2',
      '/version/../api',
    ];
    const queries = [
      '',
      '?labelSelector=' + encodeURIComponent(pick(['a in (', '!!x', 'x=y=z', 'a notin ()', '==', 'a,b,,c', 'x in (a b)', 'k=' + 'v'.repeat(100)])),
      '?fieldSelector=' + encodeURIComponent(pick(['x', 'metadata.name==a==b', 'spec.nodeName=x', 'a\\', '=='])),
      '?limit=' + pick(['-1', 'abc', '99999999999999999999', '0']),
      '?continue=' + pick(['garbage', 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6LTEsInN0YXJ0IjoiLi4vIn0', '%ZZ']),
      '?resourceVersion=' + pick(['abc', '-5', '99999999999999999999', '1e5']),
      '?resourceVersionMatch=' + pick(['Sometimes', 'Exact', 'NotOlderThan']),
      '?watch=' + pick(['maybe', 'true&timeoutSeconds=abc', 'true&resourceVersion=-1']),
      '?dryRun=' + pick(['Some', 'All&dryRun=x']),
      '?fieldValidation=' + pick(['Lax', 'Strict']),
      '?gracePeriodSeconds=' + pick(['x', '-10', '1e9']),
      '?propagationPolicy=' + pick(['Sideways', 'Orphan']),
    ];
    // (Methods node's HTTP parser does not know are answered 400 before routing; these all reach the router.)
    const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'HEAD'];
    const contentTypes = ['application/json', 'application/yaml', 'application/merge-patch+json', 'application/json-patch+json', 'text/plain', 'application/xml', 'application/json; charset=utf-16', ''];

    const codes = new Map<number, number>();
    let sent = 0;
    const worker = async () => {
      while (sent < COUNT) {
        sent++;
        let method = pick(methods);
        let path = pick(paths) + pick(queries);
        // Writes only ever succeed in the fuzz namespace; elsewhere the body is always broken.
        const targetsSentinel = path.includes('sentinel');
        if (method === 'DELETE' && targetsSentinel) method = 'GET';
        const body = targetsSentinel ? broken[Math.floor(r() * broken.length)]!() : bodies[Math.floor(r() * bodies.length)]!();
        if (method === 'DELETE' && !path.includes('/fuzz/')) method = 'GET';
        if (method === 'POST' && path.includes('/namespaces/default/finalize')) method = 'GET';
        const headers: Record<string, string> = {};
        const ct = pick(contentTypes);
        if (ct) headers['Content-Type'] = ct;
        let res;
        try {
          res = await t.client.request(method, path, method === 'GET' ? undefined : body, headers);
        } catch (err) {
          assert.fail(`${method} ${path.slice(0, 120)}: request failed: ${String(err)}`);
        }
        codes.set(res.status, (codes.get(res.status) ?? 0) + 1);
        if (targetsSentinel && method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS' && method !== 'TRACE') {
          assert.ok(res.status >= 400, `a broken write was accepted: ${method} ${path} [${ct}] ${body.slice(0, 200)} -> ${res.status}`);
        }
        assert.ok(res.status < 500, `${method} ${path.slice(0, 200)} [${ct}] body ${body.slice(0, 120)} -> ${res.status} ${res.text.slice(0, 300)}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    assert.ok(sent >= 2000);
    assert.equal((await t.client.get('/readyz')).text, 'ok');
    assert.equal(await snapshot(), before, 'stored sentinels are unchanged');
    const namespacesAfter = await namespaces();
    for (const n of namespacesBefore) assert.ok(namespacesAfter.includes(n), `namespace ${n} survived`);
    const good = await t.client.post('/api/v1/namespaces/fuzz/configmaps', { metadata: { name: 'after-fuzz' }, data: {} });
    assert.equal(good.status, 201, 'the server still accepts good writes');
  } finally {
    await t.stop();
  }
});
