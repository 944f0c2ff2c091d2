import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSimConfig } from './config.js';

test('node groups file: groups, capacity, labels, taints and timings', () => {
  const cfg = parseSimConfig(`
timings:
  startDelay: 250ms
  jobDuration: 2s
nodeGroups:
- name: worker
  count: 3
  capacity: {cpu: 16, memory: 64Gi, pods: 110}
  labels: {pool: general}
- namePrefix: gpu-node-
  count: 1
  taints: [{key: nvidia.com/gpu, value: "true", effect: NoSchedule}]
`);
  assert.deepEqual(cfg.timings, { startDelayMs: 250, jobDurationMs: 2000 });
  assert.deepEqual(cfg.nodeGroups, [
    { namePrefix: 'worker-', count: 3, capacity: { cpu: '16', memory: '64Gi', pods: '110' }, labels: { pool: 'general' } },
    { namePrefix: 'gpu-node-', count: 1, taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }] },
  ]);
});

test('every problem is reported with its field path', () => {
  assert.throws(
    () => parseSimConfig(`
timings: {startDelay: soon, warpSpeed: 1s}
nodeGroups:
- name: Bad_Name
  count: -1
  labels: {a: {b: c}}
  taints: [{key: k, effect: Sometimes}]
- count: 2
`),
    (err: Error) => {
      for (const part of ['nodeGroups[0].name', 'nodeGroups[0].count', 'nodeGroups[0].labels.a', 'nodeGroups[0].taints[0].effect', 'nodeGroups[1].name', 'timings.startDelay', 'timings.warpSpeed']) {
        assert.ok(err.message.includes(part), `missing ${part} in: ${err.message}`);
      }
      return true;
    },
  );
  assert.throws(() => parseSimConfig('nodes: 3'), /nodeGroups/);
});
