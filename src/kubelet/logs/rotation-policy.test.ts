import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_LOG_ROTATE_POLICY, isLogInUse, partitionRotatedLogs, rotatedLogName, rotationTimestamp, selectExcessLogs, validateLogRotatePolicy,
} from './rotation-policy.js';

test('rotated names use the Go layout 20060102-150405 in local time, zero padded', () => {
  assert.equal(rotationTimestamp(new Date(2024, 0, 2, 3, 4, 5)), '20240102-030405');
  assert.equal(rotationTimestamp(new Date(1999, 11, 31, 23, 59, 58, 999)), '19991231-235958');
  assert.equal(rotatedLogName('/var/log/pods/ns_p_u/app/0.log', new Date(2025, 6, 14, 12, 0, 9)), '/var/log/pods/ns_p_u/app/0.log.20250714-120009');
});

test('temporaries and files already compressed are unused; gz and lone rotated files are in use', () => {
  const log = '/l/0.log';
  const files = [`${log}.20240101-000000.gz`, `${log}.20240101-000001`, `${log}.20240101-000001.gz`, `${log}.20240101-000002.tmp`, `${log}.20240101-000003`];
  assert.equal(isLogInUse(`${log}.20240101-000002.tmp`, files), false);
  assert.equal(isLogInUse(`${log}.20240101-000001`, files), false, 'its .gz exists');
  assert.equal(isLogInUse(`${log}.20240101-000001.gz`, files), true);
  const { inUse, unused } = partitionRotatedLogs(files);
  assert.deepEqual(inUse, [`${log}.20240101-000000.gz`, `${log}.20240101-000001.gz`, `${log}.20240101-000003`]);
  assert.deepEqual(unused, [`${log}.20240101-000001`, `${log}.20240101-000002.tmp`]);
});

test('excess logs: keep the newest maxFiles-2 rotated files, remove older ones first', () => {
  const names = ['a.20240103-000000', 'a.20240101-000000.gz', 'a.20240104-000000', 'a.20240102-000000.gz'];
  assert.deepEqual(selectExcessLogs(names, 5), { remove: ['a.20240101-000000.gz'], keep: ['a.20240102-000000.gz', 'a.20240103-000000', 'a.20240104-000000'] });
  assert.deepEqual(selectExcessLogs(names, 6), { remove: [], keep: [...names].sort() });
  assert.deepEqual(selectExcessLogs(names, 4), { remove: ['a.20240101-000000.gz', 'a.20240102-000000.gz'], keep: ['a.20240103-000000', 'a.20240104-000000'] });
  assert.deepEqual(selectExcessLogs(names, 2), { remove: [...names].sort(), keep: [] });
  assert.deepEqual(selectExcessLogs([], 5), { remove: [], keep: [] });
  assert.deepEqual(selectExcessLogs(['a.20240101-000000'], 3), { remove: [], keep: ['a.20240101-000000'] });
});

test('policy validation follows upstream: maxFiles must be > 1', () => {
  assert.doesNotThrow(() => validateLogRotatePolicy(DEFAULT_LOG_ROTATE_POLICY));
  assert.equal(DEFAULT_LOG_ROTATE_POLICY.maxSize, 10 * 1024 * 1024);
  assert.equal(DEFAULT_LOG_ROTATE_POLICY.maxFiles, 5);
  assert.throws(() => validateLogRotatePolicy({ maxSize: 1024, maxFiles: 1 }), /MaxFiles 1, must be > 1/);
  assert.throws(() => validateLogRotatePolicy({ maxSize: 1.5, maxFiles: 3 }), /max log size/);
  assert.doesNotThrow(() => validateLogRotatePolicy({ maxSize: -1, maxFiles: 2 }));
});
