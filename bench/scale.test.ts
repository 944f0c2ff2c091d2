import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BenchArgs } from './args.js';
import { run } from './scale.js';

test('scale bench, tiny: every pod scheduled and Running through the API, scheduler and sim on worker threads', { timeout: 120_000 }, async () => {
  const r = await run(new BenchArgs(['--nodes', '5', '--pods', '60', '--batch', '25', '--create-concurrency', '8']));
  assert.equal(r.completed, true);
  assert.equal(r.pods_created, 60);
  assert.equal(r.pods_running, 60);
  const p50 = r.startup_p50_s as number;
  const p99 = r.startup_p99_s as number;
  assert.ok(p50 > 0 && p50 <= p99, `p50 ${p50} p99 ${p99}`);
  // Each pod: one create, one binding and at least one status patch from the sim.
  assert.ok(((r.writes_by_type as Record<string, number>).pods ?? 0) >= 180, JSON.stringify(r.writes_by_type));
  assert.ok((r.peak_rss_mib as number) > 50);
});
