import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { KeyValue } from '../storage/interface.js';
import { decode, decodeMutable, encodeForStorage } from './codec.js';

const stored = (value: object, modRevision = 7): KeyValue => ({ key: '/pods/default/a', value: JSON.stringify(value), createRevision: 3, modRevision });
const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'default', labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };

it('decodeMutable gives the same object as decode, with the resourceVersion of the key', () => {
  const kv = stored(pod, 42);
  const mutable = decodeMutable(kv);
  assert.deepEqual(mutable, decode(stored(pod, 42)));
  assert.equal(mutable.metadata?.resourceVersion, '42');
  assert.equal(encodeForStorage(mutable), kv.value);
});

it('decodeMutable copies are private: edits reach neither the memoised decode nor later copies', () => {
  const kv = stored(pod);
  const first = decodeMutable(kv);
  (first.metadata!.labels as Record<string, string>).app = 'changed';
  (first.spec as { nodeName?: string }).nodeName = 'node-1';
  const memo = decode(kv); // memoised from here on
  assert.equal(memo.metadata?.labels?.app, 'x');
  const second = decodeMutable(kv); // a copy of the memo now
  assert.notEqual(second, memo);
  (second.metadata!.labels as Record<string, string>).app = 'again';
  assert.equal(decode(kv).metadata?.labels?.app, 'x');
  assert.equal((decode(kv).spec as { nodeName?: string }).nodeName, undefined);
});
