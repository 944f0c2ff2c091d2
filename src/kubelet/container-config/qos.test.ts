import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import type { Container, ResourceRequirements } from './pod-spec.js';
import { computePodQOS, oomScoreAdjust, podQOSClass } from './qos.js';

const c = (name: string, resources?: ResourceRequirements, extra: Partial<Container> = {}): Container => ({ name, ...(resources ? { resources } : {}), ...extra });
const podOf = (containers: Container[], initContainers: Container[] = [], extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name: 'p', namespace: 'default', uid: 'u1' },
  spec: { containers, initContainers, ...extra },
});
const full = { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '500m', memory: '256Mi' } };

describe('podQOSClass', () => {
  const cases: Array<[string, KubeObject, string]> = [
    ['no resources anywhere', podOf([c('a'), c('b')]), 'BestEffort'],
    ['only non-QoS resources', podOf([c('a', { requests: { 'ephemeral-storage': '1Gi' }, limits: { 'nvidia.com/gpu': '1' } })]), 'BestEffort'],
    ['zero requests and limits count as unset', podOf([c('a', { requests: { cpu: '0' }, limits: { memory: '0' } })]), 'BestEffort'],
    ['equal cpu and memory requests and limits', podOf([c('a', full), c('b', full)]), 'Guaranteed'],
    ['limits only (requests default to them)', podOf([c('a', { limits: { cpu: '1', memory: '1Gi' } })]), 'Guaranteed'],
    ['equal quantities written differently', podOf([c('a', { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1000m', memory: '1024Mi' } })]), 'Guaranteed'],
    ['a request below its limit', podOf([c('a', { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '256Mi' } })]), 'Burstable'],
    ['memory limit missing', podOf([c('a', { requests: { cpu: '1' }, limits: { cpu: '1' } })]), 'Burstable'],
    ['one container without resources', podOf([c('a', full), c('b')]), 'Burstable'],
    ['requests only', podOf([c('a', { requests: { memory: '64Mi' } })]), 'Burstable'],
    ['init container without limits', podOf([c('a', full)], [c('init')]), 'Burstable'],
    ['init container with its own guaranteed resources', podOf([c('a', full)], [c('init', { limits: { cpu: '2', memory: '1Gi' } })]), 'Guaranteed'],
    ['only an init container requests', podOf([c('a')], [c('init', { requests: { cpu: '100m' } })]), 'Burstable'],
  ];
  for (const [name, pod, want] of cases) {
    it(name, () => assert.equal(podQOSClass(pod), want));
  }

  it('trusts status.qosClass when the API server recorded it', () => {
    const pod = { ...podOf([c('a')]), status: { qosClass: 'Guaranteed' } };
    assert.equal(podQOSClass(pod), 'Guaranteed');
    assert.equal(computePodQOS(pod), 'BestEffort');
  });
});

describe('oomScoreAdjust', () => {
  const GI = 1024 ** 3;
  const capacity = 10 * GI;
  const burstable = (memory: string): Container => c('a', { requests: { memory, cpu: '100m' } });
  const cases: Array<[string, KubeObject, Container, number]> = [
    ['Guaranteed', podOf([c('a', full)]), c('a', full), -997],
    ['BestEffort', podOf([c('a')]), c('a'), 1000],
    ['Burstable requesting 10% of memory', podOf([burstable('1Gi')]), burstable('1Gi'), 900],
    ['Burstable requesting no memory stays below BestEffort', podOf([burstable('0')]), burstable('0'), 999],
    ['Burstable requesting all memory stays above Guaranteed', podOf([burstable('12Gi')]), burstable('12Gi'), 3],
    ['Burstable 2.5Gi truncates like Go integer division', podOf([burstable('2560Mi')]), burstable('2560Mi'), 750],
    [
      'node-critical static pod is treated as Guaranteed',
      { ...podOf([c('a')], [], { priorityClassName: 'system-node-critical', priority: 2000001000 }), metadata: { name: 'p', annotations: {} } },
      c('a'),
      -997,
    ],
  ];
  for (const [name, pod, container, want] of cases) {
    it(name, () => assert.equal(oomScoreAdjust(pod, container, capacity), want));
  }

  it('gives a sidecar no higher score than the smallest regular container', () => {
    const sidecar = c('proxy', { requests: { memory: '1Gi' } }, { restartPolicy: 'Always' });
    const pod = podOf([c('a', { requests: { memory: '2Gi' } }), c('b', { requests: { memory: '3Gi' } })], [sidecar]);
    assert.equal(oomScoreAdjust(pod, sidecar, capacity), 800);
    const plainInit = c('proxy', { requests: { memory: '1Gi' } });
    assert.equal(oomScoreAdjust(podOf([c('a', { requests: { memory: '2Gi' } })], [plainInit]), plainInit, capacity), 900);
  });
});
