import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import type { Container } from './pod-spec.js';
import { containerResources, milliCPUToQuota, milliCPUToShares } from './resources.js';

describe('cpu shares and quota', () => {
  // [cpu, milliCPU, shares, quota]
  const cases: Array<[string, number, number, number]> = [
    ['1m', 1, 2, 1000],
    ['100m', 100, 102, 10000],
    ['250m', 250, 256, 25000],
    ['1', 1000, 1024, 100000],
    ['2.5', 2500, 2560, 250000],
    ['300', 300000, 262144, 30000000],
  ];
  for (const [cpu, milli, shares, quota] of cases) {
    it(`${cpu} CPU -> ${shares} shares, quota ${quota}`, () => {
      assert.equal(milliCPUToShares(milli), shares);
      assert.equal(milliCPUToQuota(milli), quota);
    });
  }
  it('no cpu means minimum shares and no quota', () => {
    assert.equal(milliCPUToShares(0), 2);
    assert.equal(milliCPUToQuota(0), 0);
  });
});

describe('containerResources', () => {
  const GI = 1024 ** 3;
  const run = (container: Container, pod?: KubeObject) =>
    containerResources(pod ?? { metadata: { name: 'p', uid: 'u' }, spec: { containers: [container] } }, container, 10 * GI);

  const cases: Array<[string, Container, Record<string, number | undefined>]> = [
    [
      'request and limit',
      { name: 'a', resources: { requests: { cpu: '250m', memory: '128Mi' }, limits: { cpu: '2.5', memory: '256Mi' } } },
      { cpu_shares: 256, cpu_period: 100000, cpu_quota: 250000, memory_limit_in_bytes: 256 * 1024 * 1024, oom_score_adj: 988 },
    ],
    [
      'limit only: shares from the limit (requests not defaulted yet)',
      { name: 'a', resources: { limits: { cpu: '100m', memory: '1Gi' } } },
      { cpu_shares: 102, cpu_period: 100000, cpu_quota: 10000, memory_limit_in_bytes: GI, oom_score_adj: -997 },
    ],
    [
      'request only: no quota, no memory limit',
      { name: 'a', resources: { requests: { cpu: '1' } } },
      { cpu_shares: 1024, cpu_period: 100000, cpu_quota: 0, memory_limit_in_bytes: undefined, oom_score_adj: 999 },
    ],
    [
      'nothing: minimum shares, BestEffort score',
      { name: 'a' },
      { cpu_shares: 2, cpu_period: 100000, cpu_quota: 0, memory_limit_in_bytes: undefined, oom_score_adj: 1000 },
    ],
    [
      'an explicit zero request keeps minimum shares even with a limit',
      { name: 'a', resources: { requests: { cpu: '0' }, limits: { cpu: '1' } } },
      { cpu_shares: 2, cpu_period: 100000, cpu_quota: 100000, memory_limit_in_bytes: undefined },
    ],
  ];
  for (const [name, container, want] of cases) {
    it(name, () => {
      const got = run(container);
      for (const [field, value] of Object.entries(want)) assert.equal(got[field as keyof typeof got], value, field);
    });
  }
});
