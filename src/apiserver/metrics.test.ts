import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApiMetrics, storageTypeOfKey } from './metrics.js';
import { StorageError, type KeyValue, type Storage } from '../storage/interface.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A strict parser of the Prometheus text exposition format: throws on any malformed line. */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.eE+-]+|NaN|\+Inf|-Inf)( -?\d+)?$/;
  const labelPair = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"$/;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) {
      if (line.startsWith('# TYPE ')) assert.match(line, /^# TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped)$/);
      continue;
    }
    const m = sampleLine.exec(line);
    assert.ok(m, `malformed sample line: ${line}`);
    const labels: Record<string, string> = {};
    if (m[3]) {
      for (const pair of m[3].split(/,(?=[a-zA-Z_][a-zA-Z0-9_]*=")/)) {
        const lp = labelPair.exec(pair);
        assert.ok(lp, `malformed label ${pair} in ${line}`);
        labels[lp[1] as string] = lp[2] as string;
      }
    }
    samples.push({ name: m[1] as string, labels, value: Number(m[4]) });
  }
  return samples;
}

function find(samples: Sample[], name: string, labels: Record<string, string>): number | undefined {
  const hit = samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return hit?.value;
}

test('observeRequest counts requests and latencies under upstream names and labels', async () => {
  const m = createApiMetrics();
  m.observeRequest({ verb: 'GET', version: 'v1', resource: 'configmaps', scope: 'resource', code: 200, seconds: 0.003 });
  m.observeRequest({ verb: 'GET', version: 'v1', resource: 'configmaps', scope: 'resource', code: 200, seconds: 0.03 });
  m.observeRequest({ verb: 'CREATE', group: 'apps', version: 'v1', resource: 'deployments', scope: 'namespace', code: 409, seconds: 0.01 });
  const { contentType, body } = await m.render();
  assert.match(contentType, /^text\/plain; version=0\.0\.4/);
  const samples = parseExposition(body);

  const getLabels = { verb: 'GET', dry_run: '', group: '', version: 'v1', resource: 'configmaps', subresource: '', scope: 'resource', component: 'apiserver' };
  assert.equal(find(samples, 'apiserver_request_total', { ...getLabels, code: '200' }), 2);
  assert.equal(find(samples, 'apiserver_request_total', { verb: 'CREATE', group: 'apps', resource: 'deployments', code: '409' }), 1);
  assert.equal(find(samples, 'apiserver_request_duration_seconds_count', getLabels), 2);
  assert.equal(find(samples, 'apiserver_request_duration_seconds_bucket', { ...getLabels, le: '0.005' }), 1);
  assert.equal(find(samples, 'apiserver_request_duration_seconds_bucket', { ...getLabels, le: '0.05' }), 2);
  assert.ok(Math.abs((find(samples, 'apiserver_request_duration_seconds_sum', getLabels) ?? 0) - 0.033) < 1e-9);
});

test('watchOpened/watchClosed move the long-running gauge', async () => {
  const m = createApiMetrics();
  m.watchOpened('pods', { version: 'v1', scope: 'cluster' });
  m.watchOpened('pods', { version: 'v1', scope: 'cluster' });
  m.watchOpened('pods', { version: 'v1', scope: 'cluster' });
  m.watchClosed('pods', { version: 'v1', scope: 'cluster' });
  const samples = parseExposition((await m.render()).body);
  assert.equal(find(samples, 'apiserver_longrunning_requests', { verb: 'WATCH', resource: 'pods', version: 'v1', scope: 'cluster', component: 'apiserver' }), 2);
});

test('two ApiMetrics do not share state', async () => {
  const a = createApiMetrics();
  const b = createApiMetrics();
  a.observeRequest({ verb: 'LIST', version: 'v1', resource: 'pods', scope: 'cluster', code: 200, seconds: 0.1 });
  assert.equal(find(parseExposition((await b.render()).body), 'apiserver_request_total', { verb: 'LIST' }), undefined);
  assert.equal(find(parseExposition((await a.render()).body), 'apiserver_request_total', { verb: 'LIST' }), 1);
});

test('storageTypeOfKey', () => {
  assert.equal(storageTypeOfKey('/registry/core/pods/default/web'), 'pods');
  assert.equal(storageTypeOfKey('/registry/core/configmaps/'), 'configmaps');
  assert.equal(storageTypeOfKey('/registry/apps/deployments/ns/web'), 'deployments.apps');
  assert.equal(storageTypeOfKey('/registry/apiextensions.k8s.io/customresourcedefinitions/x'), 'customresourcedefinitions.apiextensions.k8s.io');
  assert.equal(storageTypeOfKey('/durable/w1/2'), 'durable');
  assert.equal(storageTypeOfKey(''), '');
});

/** A fake backend: enough behaviour to see the wrapper pass calls and results through. */
function fakeStorage(calls: string[]): Storage {
  const kv = (key: string, value: string): KeyValue => ({ key, value, createRevision: 1, modRevision: 1 });
  return {
    currentRevision: async () => (calls.push('currentRevision'), 7),
    get: async (key) => (calls.push(`get ${key}`), key.endsWith('missing') ? undefined : kv(key, 'v')),
    list: async (prefix) => (calls.push(`list ${prefix}`), { items: [kv(`${prefix}a`, 'x')], revision: 7, more: false }),
    count: async (prefix) => (calls.push(`count ${prefix}`), 1),
    create: async (key, value) => {
      calls.push(`create ${key}`);
      if (key.endsWith('dup')) throw new StorageError('KeyExists', key);
      return kv(key, value);
    },
    update: async (key, value) => (calls.push(`update ${key}`), kv(key, value)),
    delete: async (key) => (calls.push(`delete ${key}`), kv(key, 'old')),
    watch: (prefix) => (calls.push(`watch ${prefix}`), { stop: () => calls.push('stop') }),
    compact: async (rev) => void calls.push(`compact ${rev}`),
    compactedRevision: async () => (calls.push('compactedRevision'), 0),
    close: async () => void calls.push('close'),
  };
}

test('instrumentStorage passes every call through and times it into etcd_request_duration_seconds', async () => {
  const m = createApiMetrics();
  const calls: string[] = [];
  const store = m.instrumentStorage(fakeStorage(calls));

  assert.equal(await store.currentRevision(), 7);
  assert.equal((await store.get('/registry/core/pods/ns/a'))?.value, 'v');
  assert.equal(await store.get('/registry/core/pods/ns/missing'), undefined);
  assert.equal((await store.list('/registry/core/pods/')).items.length, 1);
  assert.equal(await store.count('/registry/core/pods/'), 1);
  assert.equal((await store.create('/registry/core/configmaps/ns/c', 'data')).value, 'data');
  await assert.rejects(store.create('/registry/core/configmaps/ns/dup', 'data'), (e: unknown) => e instanceof StorageError && e.code === 'KeyExists');
  assert.equal((await store.update('/registry/core/configmaps/ns/c', 'new', { modRevision: 1 })).value, 'new');
  assert.equal((await store.delete('/registry/core/configmaps/ns/c')).value, 'old');
  const w = store.watch('/registry/core/pods/', { fromRevision: 0 }, () => {}, () => {});
  w.stop();
  await store.compact(3);
  assert.equal(await store.compactedRevision(), 0);
  await store.close();
  assert.deepEqual(calls, [
    'currentRevision', 'get /registry/core/pods/ns/a', 'get /registry/core/pods/ns/missing', 'list /registry/core/pods/', 'count /registry/core/pods/',
    'create /registry/core/configmaps/ns/c', 'create /registry/core/configmaps/ns/dup', 'update /registry/core/configmaps/ns/c', 'delete /registry/core/configmaps/ns/c',
    'watch /registry/core/pods/', 'stop', 'compact 3', 'compactedRevision', 'close',
  ]);

  const samples = parseExposition((await m.render()).body);
  assert.equal(find(samples, 'etcd_request_duration_seconds_count', { operation: 'get', type: 'pods' }), 2);
  assert.equal(find(samples, 'etcd_request_duration_seconds_count', { operation: 'list', type: 'pods' }), 1);
  assert.equal(find(samples, 'etcd_request_duration_seconds_count', { operation: 'create', type: 'configmaps' }), 2);
  assert.equal(find(samples, 'etcd_request_errors_total', { operation: 'create', type: 'configmaps' }), 1);
  assert.equal(find(samples, 'etcd_requests_total', { operation: 'update', type: 'configmaps' }), 1);
  assert.equal(find(samples, 'etcd_requests_total', { operation: 'watch', type: 'pods' }), 1);
  assert.equal(find(samples, 'etcd_request_duration_seconds_count', { operation: 'compact', type: '' }), 1);
});
