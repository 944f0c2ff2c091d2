import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import { quantityToString } from '../../machinery/quantity.js';
import type { Container } from './pod-spec.js';
import { podLimits, podRequests, sandboxOverhead, sandboxResources } from './pod-resources.js';
import { buildSandboxConfig } from './sandbox-config.js';

const GI = 1024 ** 3;
const pod = (containers: Container[], initContainers: Container[] = [], extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name: 'p', namespace: 'ns', uid: 'u' },
  spec: { containers, initContainers, ...extra },
});
const show = (m: Map<string, { mantissa: bigint; exponent: number; format: 'DecimalSI' | 'BinarySI' | 'DecimalExponent' }>) =>
  Object.fromEntries([...m].map(([k, q]) => [k, quantityToString(q)]));

describe('podRequests and podLimits', () => {
  it('sums regular containers, defaulting requests from limits', () => {
    const p = pod([
      { name: 'a', resources: { requests: { cpu: '100m' }, limits: { cpu: '1', memory: '1Gi' } } },
      { name: 'b', resources: { requests: { cpu: '200m', memory: '256Mi' } } },
    ]);
    assert.deepEqual(show(podRequests(p)), { cpu: '300m', memory: '1280Mi' });
    assert.deepEqual(show(podLimits(p)), { cpu: '1', memory: '1Gi' });
  });

  it('takes the largest plain init container when it exceeds the regular sum', () => {
    const p = pod([{ name: 'a', resources: { requests: { cpu: '300m' } } }], [{ name: 'init', resources: { requests: { cpu: '2' } } }]);
    assert.deepEqual(show(podRequests(p)), { cpu: '2' });
  });

  it('adds sidecars to the total and to every later init container', () => {
    const p = pod(
      [{ name: 'a', resources: { requests: { cpu: '300m' } } }],
      [
        { name: 'proxy', restartPolicy: 'Always', resources: { requests: { cpu: '500m' } } },
        { name: 'migrate', resources: { requests: { cpu: '1' } } },
      ],
    );
    assert.deepEqual(show(podRequests(p)), { cpu: '1500m' });
  });
});

describe('sandboxResources', () => {
  const cases: Array<[string, KubeObject, Record<string, number | undefined>]> = [
    [
      'summed requests and limits',
      pod([
        { name: 'a', resources: { requests: { cpu: '100m' }, limits: { cpu: '1', memory: '1Gi' } } },
        { name: 'b', resources: { requests: { cpu: '200m' }, limits: { memory: '1Gi' } } },
      ]),
      { cpu_shares: 307, cpu_period: 100000, cpu_quota: 100000, memory_limit_in_bytes: 2 * GI },
    ],
    ['nothing set', pod([{ name: 'a' }]), { cpu_shares: 2, cpu_period: 100000, cpu_quota: 0, memory_limit_in_bytes: undefined }],
    ['limit only gives shares from the limit', pod([{ name: 'a', resources: { limits: { cpu: '2.5' } } }]), { cpu_shares: 2560, cpu_quota: 250000 }],
  ];
  for (const [name, p, want] of cases) {
    it(name, () => {
      const got = sandboxResources(p);
      for (const [field, value] of Object.entries(want)) assert.equal(got[field as keyof typeof got], value, field);
      assert.deepEqual(buildSandboxConfig(p, { logRoot: '/l', clusterDNS: [], clusterDomain: 'cluster.local', nodeName: 'n', resolvConfPath: '' }).linux?.resources, got);
    });
  }

  it('turns RuntimeClass overhead into guaranteed resources', () => {
    const p = pod([{ name: 'a' }], [], { overhead: { cpu: '250m', memory: '64Mi' } });
    assert.deepEqual(sandboxOverhead(p), { cpu_shares: 256, cpu_period: 100000, cpu_quota: 25000, memory_limit_in_bytes: 64 * 1024 * 1024 });
    assert.equal(sandboxOverhead(pod([{ name: 'a' }])), undefined);
  });
});
