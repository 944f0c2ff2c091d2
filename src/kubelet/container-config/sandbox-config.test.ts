import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import { ContainerConfigError } from './errors.js';
import { buildSandboxConfig, podCgroupParent, podHostnameAndDomain, type SandboxOptions } from './sandbox-config.js';

const opts: SandboxOptions = { logRoot: '/var/lib/skiff/pods-logs', clusterDNS: ['10.43.0.10'], clusterDomain: 'cluster.local', nodeName: 'node-a', resolvConfPath: '' };

function pod(spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-0', namespace: 'shop', uid: '1f2e-33', labels: { app: 'web' }, annotations: { 'kubernetes.io/config.seen': 'x' }, ...meta },
    spec: { dnsPolicy: 'ClusterFirst', containers: [{ name: 'app', image: 'busybox' }], ...spec },
  };
}

describe('buildSandboxConfig', () => {
  it('fills metadata, labels, annotations, hostname, log directory and DNS', () => {
    const got = buildSandboxConfig(pod(), { ...opts, attempt: 2 });
    assert.deepEqual(got.metadata, { name: 'web-0', namespace: 'shop', uid: '1f2e-33', attempt: 2 });
    assert.deepEqual(got.labels, { app: 'web', 'io.kubernetes.pod.name': 'web-0', 'io.kubernetes.pod.namespace': 'shop', 'io.kubernetes.pod.uid': '1f2e-33' });
    assert.deepEqual(got.annotations, { 'kubernetes.io/config.seen': 'x' });
    assert.equal(got.hostname, 'web-0');
    assert.equal(got.log_directory, '/var/lib/skiff/pods-logs/shop_web-0_1f2e-33');
    assert.deepEqual(got.dns_config?.servers, ['10.43.0.10']);
    assert.deepEqual(got.dns_config?.searches, ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local']);
    assert.equal(got.port_mappings, undefined);
  });

  it('attempt defaults to 0', () => {
    assert.equal(buildSandboxConfig(pod(), opts).metadata.attempt, 0);
  });

  it('maps every container port, dropping repeated names within a container', () => {
    const got = buildSandboxConfig(
      pod({
        containers: [
          { name: 'a', ports: [{ name: 'http', containerPort: 80, hostPort: 8080 }, { name: 'http', containerPort: 81 }, { containerPort: 53, protocol: 'UDP', hostIP: '127.0.0.1', hostPort: 5353 }] },
          { name: 'b', ports: [{ name: 'http', containerPort: 9090 }] },
        ],
      }),
      opts,
    );
    assert.deepEqual(got.port_mappings, [
      { protocol: 'TCP', container_port: 80, host_port: 8080, host_ip: '' },
      { protocol: 'UDP', container_port: 53, host_port: 5353, host_ip: '127.0.0.1' },
      { protocol: 'TCP', container_port: 9090, host_port: 0, host_ip: '' },
    ]);
  });

  it('host network: no hostname, network namespace NODE, host DNS', () => {
    const got = buildSandboxConfig(pod({ hostNetwork: true, hostPID: true, hostIPC: true }), opts);
    assert.equal(got.hostname, undefined);
    assert.deepEqual(got.linux?.security_context?.namespace_options, { network: 'NODE', pid: 'NODE', ipc: 'NODE' });
    assert.deepEqual(got.dns_config?.servers, ['127.0.0.1']);
  });

  it('pod network namespaces: POD network and ipc, CONTAINER pid unless shared', () => {
    assert.deepEqual(buildSandboxConfig(pod(), opts).linux?.security_context?.namespace_options, { network: 'POD', pid: 'CONTAINER', ipc: 'POD' });
    assert.equal(buildSandboxConfig(pod({ shareProcessNamespace: true }), opts).linux?.security_context?.namespace_options?.pid, 'POD');
  });

  it('carries sysctls and the pod security context', () => {
    const got = buildSandboxConfig(
      pod({
        securityContext: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, supplementalGroups: [4000, 5000], sysctls: [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65000' }] },
        containers: [{ name: 'a', securityContext: { privileged: true } }],
      }),
      opts,
    );
    assert.deepEqual(got.linux?.sysctls, { 'net.ipv4.ip_local_port_range': '1024 65000' });
    const sc = got.linux?.security_context;
    assert.deepEqual(sc?.run_as_user, { value: 1000 });
    assert.deepEqual(sc?.run_as_group, { value: 3000 });
    assert.deepEqual(sc?.supplemental_groups, [2000, 4000, 5000]);
    assert.equal(sc?.privileged, true);
    assert.deepEqual(sc?.seccomp, { profile_type: 'RuntimeDefault' });
  });

  it('uses hostname, subdomain and setHostnameAsFQDN', () => {
    assert.equal(buildSandboxConfig(pod({ hostname: 'db', subdomain: 'cluster' }), opts).hostname, 'db');
    assert.equal(buildSandboxConfig(pod({ hostname: 'db', subdomain: 'cluster', setHostnameAsFQDN: true }), opts).hostname, 'db.cluster.shop.svc.cluster.local');
  });
});

describe('podHostnameAndDomain', () => {
  it('cuts long pod names to 63 characters without a trailing dash or dot', () => {
    const name = `${'a'.repeat(61)}-.bcd`;
    assert.deepEqual(podHostnameAndDomain(pod({}, { name }), 'cluster.local'), { hostname: 'a'.repeat(61), domain: '' });
  });
  it('builds the subdomain domain', () => {
    assert.deepEqual(podHostnameAndDomain(pod({ subdomain: 'svc1' }), 'example.org'), { hostname: 'web-0', domain: 'svc1.shop.svc.example.org' });
  });
  it('rejects invalid labels and over-long FQDNs', () => {
    assert.throws(() => podHostnameAndDomain(pod({ hostname: 'Not_Valid' }), 'cluster.local'), ContainerConfigError);
    assert.throws(
      () => buildSandboxConfig(pod({ hostname: 'h'.repeat(40), subdomain: 's'.repeat(20), setHostnameAsFQDN: true }), opts),
      (err: unknown) => err instanceof ContainerConfigError && /FQDN .* is too long \(64 characters is the max, 84 characters requested\)/.test(err.message),
    );
  });
});

describe('podCgroupParent', () => {
  const guaranteed = { limits: { cpu: '1', memory: '1Gi' } };
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['Guaranteed sits at the root', { containers: [{ name: 'a', resources: guaranteed }] }, '/kubepods/pod1f2e-33'],
    ['Burstable', { containers: [{ name: 'a', resources: { requests: { cpu: '100m' } } }] }, '/kubepods/burstable/pod1f2e-33'],
    ['BestEffort', { containers: [{ name: 'a' }] }, '/kubepods/besteffort/pod1f2e-33'],
  ];
  for (const [name, spec, want] of cases) {
    it(name, () => {
      assert.equal(podCgroupParent(pod(spec)), want);
      assert.equal(buildSandboxConfig(pod(spec), opts).linux?.cgroup_parent, want);
    });
  }
  it('honours another cgroup root', () => {
    assert.equal(podCgroupParent(pod(), '/skiff/'), '/skiff/besteffort/pod1f2e-33');
  });
});
