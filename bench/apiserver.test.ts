/**
 * Smoke test of the API server benchmark: every part runs end to end against the real server with
 * tiny settings and reports its figures (not their values: performance is measured, not asserted).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { etcdAvailable } from '../src/storage/etcd/test-etcd.js';
import { BenchArgs } from './args.js';
import { run } from './apiserver.js';

test('bench apiserver: every part reports its figures', { timeout: 240_000 }, async () => {
  const parts = etcdAvailable() ? 'get,creates,list,watch,etcd' : 'get,creates,list,watch';
  const r = await run(
    new BenchArgs(['--seconds', '0.6', '--rounds', '1', '--clients', '4', '--pods', '40', '--list-runs', '2', '--watchers', '4', '--watch-rate', '40', '--drain-seconds', '20', '--only', parts]),
  );
  for (const key of Object.keys(r)) assert.ok(!key.endsWith('_error'), `${key}: ${String(r[key])}`);
  for (const key of ['get_ratio_to_bare_http', 'creates_per_second', 'creates_ratio_to_raw_sqlite', 'list_40_pods_median_ms', 'watch_p99_delivery_ms']) {
    assert.equal(typeof r[key], 'number', key);
    assert.ok((r[key] as number) > 0, `${key} = ${String(r[key])}`);
  }
  assert.equal(r.watch_events_lost, 0);
  assert.equal(r.watch_events_reordered, 0);
  const watch = r.watch as { writes: number; deliveries: number };
  assert.ok(watch.writes > 0);
  assert.equal(watch.deliveries, watch.writes * 4);
  if (etcdAvailable()) assert.ok((r.etcd_creates_ratio_to_raw as number) > 0);
});
