import assert from 'node:assert/strict';
import { test } from 'node:test';
import { containerLogSettings, parseLogMaxSize } from './kubelet-config.js';

test('defaults are upstream\'s: 10Mi, 5 files, 1 worker, 10s', () => {
  assert.deepEqual(containerLogSettings(), { maxSize: 10 * 1024 * 1024, maxFiles: 5, maxWorkers: 1, intervalMs: 10_000 });
});

test('sizes are quantities in whole bytes; negative disables rotation', () => {
  assert.equal(parseLogMaxSize('256Ki'), 262_144);
  assert.equal(parseLogMaxSize('1M'), 1_000_000);
  assert.equal(parseLogMaxSize('1.5Ki'), 1536);
  assert.equal(parseLogMaxSize('-1'), -1);
  assert.throws(() => parseLogMaxSize('1.5'), /invalid max log size/);
  assert.throws(() => parseLogMaxSize('100m'), /invalid max log size/);
  assert.throws(() => parseLogMaxSize('ten'), /quantities must match|unable to parse/);
  assert.deepEqual(containerLogSettings({ containerLogMaxSize: '50Mi', containerLogMaxFiles: 3, containerLogMaxWorkers: 2, containerLogMonitorInterval: '1m' }), {
    maxSize: 50 * 1024 * 1024, maxFiles: 3, maxWorkers: 2, intervalMs: 60_000,
  });
});

test('every invalid field is reported with upstream\'s text', () => {
  assert.throws(
    () => containerLogSettings({ containerLogMaxSize: 'x', containerLogMaxFiles: 1, containerLogMaxWorkers: 0, containerLogMonitorInterval: '2s' }),
    (err: Error) => {
      assert.match(err.message, /failed to parse container log max size "x"/);
      assert.match(err.message, /invalid MaxFiles 1, must be > 1/);
      assert.match(err.message, /containerLogMaxWorkers must be greater than or equal to 1/);
      assert.match(err.message, /containerLogMonitorInterval must be a positive time duration greater than or equal to 3s/);
      return true;
    },
  );
  assert.throws(() => containerLogSettings({ containerLogMonitorInterval: '10' }), /missing unit in duration "10"/);
});
