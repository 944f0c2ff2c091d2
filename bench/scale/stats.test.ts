import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RssSampler, StartupTracker, percentile, storageWrites } from './stats.js';

test('percentile: nearest rank over an unsorted sample', () => {
  const v = [50, 10, 40, 20, 30, 60, 70, 80, 90, 100];
  assert.equal(percentile(v, 50), 50);
  assert.equal(percentile(v, 99), 100);
  assert.equal(percentile(v, 10), 10);
  assert.ok(Number.isNaN(percentile([], 50)));
  assert.deepEqual(v.slice(0, 2), [50, 10], 'input not sorted in place');
});

test('storageWrites sums mutating operations per type and ignores reads', () => {
  const text = [
    '# HELP etcd_requests_total x',
    'etcd_requests_total{operation="create",type="pods"} 10',
    'etcd_requests_total{operation="guaranteedUpdate",type="pods"} 25',
    'etcd_requests_total{operation="get",type="pods"} 99',
    'etcd_requests_total{operation="list",type="leases"} 7',
    'etcd_requests_total{operation="guaranteedUpdate",type="leases"} 3',
  ].join('\n');
  assert.deepEqual(storageWrites(text), { total: 38, byType: { pods: 35, leases: 3 } });
});

test('StartupTracker: latency from create to the first Running event only', () => {
  let t = 0;
  const tr = new StartupTracker(() => t);
  tr.created('a');
  tr.created('b');
  t = 5;
  tr.observed('a', 'Pending');
  tr.observed('unknown', 'Running');
  t = 12;
  tr.observed('a', 'Running');
  t = 30;
  tr.observed('a', 'Running');
  tr.observed('b', 'Running');
  assert.deepEqual(tr.samples(), [12, 30]);
  assert.equal(tr.runningCount(), 2);
});

test('RssSampler reports a positive peak of at least the current RSS', () => {
  const s = new RssSampler(10_000);
  const now = process.memoryUsage.rss();
  assert.ok(s.peakBytes() >= now * 0.9);
  s.stop();
});
