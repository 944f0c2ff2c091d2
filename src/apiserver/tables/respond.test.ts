import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { findKind } from '../../api/index.js';
import type { KubeObject } from '../../api/types.js';
import { tableWatchEncoder } from './respond.js';

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const request = (accept?: string): IncomingMessage => ({ headers: accept ? { accept } : {} }) as IncomingMessage;

test('tableWatchEncoder: one-row Table per event line, plain watches get no encoder', () => {
  const pods = findKind('', 'v1', 'pods')!;
  assert.equal(tableWatchEncoder(request('application/json'), pods, new URLSearchParams()), undefined);
  const encode = tableWatchEncoder(request(TABLE_ACCEPT), pods, new URLSearchParams('watch=true&includeObject=Object'))!;
  const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', resourceVersion: '9', creationTimestamp: new Date().toISOString() }, spec: { containers: [{ name: 'c', image: 'i' }] }, status: { phase: 'Pending' } };
  const line = encode({ type: 'DELETED', object: pod });
  assert.ok(line.endsWith('\n'));
  const ev = JSON.parse(line) as { type: string; object: { kind: string; metadata: { resourceVersion: string }; columnDefinitions: unknown[]; rows: { cells: unknown[]; object: KubeObject }[] } };
  assert.equal(ev.type, 'DELETED');
  assert.equal(ev.object.kind, 'Table');
  assert.equal(ev.object.metadata.resourceVersion, '9');
  assert.equal(ev.object.columnDefinitions.length, 9);
  assert.deepEqual(ev.object.rows[0]!.cells.slice(0, 4), ['p', '0/1', 'Pending', '0']);
  assert.equal(ev.object.rows[0]!.object.kind, 'Pod');
  const err = JSON.parse(encode({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', metadata: {} } }));
  assert.equal(err.object.kind, 'Status');
  assert.throws(() => tableWatchEncoder(request(TABLE_ACCEPT), pods, new URLSearchParams('includeObject=x')), /Unsupported value/);
});
