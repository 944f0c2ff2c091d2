import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import { defaultResolvConfPath, parseResolvConf, podDNSConfig, type DNSOptions } from './dns.js';

const dir = mkdtempSync(join(tmpdir(), 'skiff-dns-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const hostResolv = join(dir, 'resolv.conf');
writeFileSync(hostResolv, '# host\nnameserver 192.168.1.1\nnameserver 192.168.1.2\nsearch corp.example. lab.example\noptions ndots:2 timeout:1\n');

const podWith = (spec: Record<string, unknown>): KubeObject => ({ metadata: { name: 'p', namespace: 'shop', uid: 'u' }, spec: { containers: [{ name: 'a' }], ...spec } });
const base: DNSOptions = { clusterDNS: ['10.43.0.10'], clusterDomain: 'cluster.local', resolvConfPath: hostResolv };

describe('parseResolvConf', () => {
  it('accumulates nameservers, keeps the last search and options lines, trims trailing dots', () => {
    const got = parseResolvConf('nameserver 1.1.1.1\nsearch a.example\n  # comment\nsearch b.example. . c.example\nnameserver 8.8.8.8 extra\noptions rotate\noptions ndots:3 attempts:2\nnameserver\n');
    assert.deepEqual(got, { nameservers: ['1.1.1.1', '8.8.8.8'], searches: ['b.example', 'c.example'], options: ['ndots:3', 'attempts:2'] });
  });
});

describe('podDNSConfig', () => {
  const cases: Array<[string, Record<string, unknown>, Partial<DNSOptions>, { servers: string[]; searches: string[]; options: string[] }]> = [
    [
      'ClusterFirst: cluster DNS, cluster searches then the host ones, ndots:5',
      { dnsPolicy: 'ClusterFirst' },
      {},
      { servers: ['10.43.0.10'], searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'lab.example'], options: ['ndots:5'] },
    ],
    [
      'ClusterFirst on the host network means Default',
      { dnsPolicy: 'ClusterFirst', hostNetwork: true },
      {},
      { servers: ['192.168.1.1', '192.168.1.2'], searches: ['corp.example', 'lab.example'], options: ['ndots:2', 'timeout:1'] },
    ],
    [
      'ClusterFirstWithHostNet keeps cluster DNS on the host network',
      { dnsPolicy: 'ClusterFirstWithHostNet', hostNetwork: true },
      {},
      { servers: ['10.43.0.10'], searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'lab.example'], options: ['ndots:5'] },
    ],
    [
      'Default: the host resolver',
      { dnsPolicy: 'Default' },
      {},
      { servers: ['192.168.1.1', '192.168.1.2'], searches: ['corp.example', 'lab.example'], options: ['ndots:2', 'timeout:1'] },
    ],
    [
      'ClusterFirst without cluster DNS falls back to Default',
      { dnsPolicy: 'ClusterFirst' },
      { clusterDNS: [] },
      { servers: ['192.168.1.1', '192.168.1.2'], searches: ['corp.example', 'lab.example'], options: ['ndots:2', 'timeout:1'] },
    ],
    [
      'ClusterFirst without a cluster domain keeps the host searches',
      { dnsPolicy: 'ClusterFirst' },
      { clusterDomain: '' },
      { servers: ['10.43.0.10'], searches: ['corp.example', 'lab.example'], options: ['ndots:5'] },
    ],
    [
      'Default without a resolver file: localhost and search "."',
      { dnsPolicy: 'Default' },
      { resolvConfPath: '', nodeIPs: ['192.168.1.5', 'fd00::5'] },
      { servers: ['127.0.0.1', '::1'], searches: ['.'], options: [] },
    ],
    [
      'None: only the pod dnsConfig',
      { dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: ['a.example'], options: [{ name: 'ndots', value: '1' }, { name: 'edns0' }] } },
      {},
      { servers: ['1.1.1.1'], searches: ['a.example'], options: ['ndots:1', 'edns0'] },
    ],
    [
      'dnsConfig merges into ClusterFirst: duplicates dropped, options overridden by name',
      {
        dnsPolicy: 'ClusterFirst',
        dnsConfig: { nameservers: ['10.43.0.10', '9.9.9.9'], searches: ['cluster.local', 'extra.example'], options: [{ name: 'ndots', value: '2' }, { name: 'single-request-reopen' }] },
      },
      {},
      {
        servers: ['10.43.0.10', '9.9.9.9'],
        searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'lab.example', 'extra.example'],
        options: ['ndots:2', 'single-request-reopen'],
      },
    ],
    [
      'nameservers are cut to three',
      { dnsPolicy: 'Default', dnsConfig: { nameservers: ['1.1.1.1', '8.8.8.8'] } },
      {},
      { servers: ['192.168.1.1', '192.168.1.2', '1.1.1.1'], searches: ['corp.example', 'lab.example'], options: ['ndots:2', 'timeout:1'] },
    ],
  ];
  for (const [name, spec, opts, want] of cases) {
    it(name, () => assert.deepEqual(podDNSConfig(podWith(spec), { ...base, ...opts }), want));
  }

  it('cuts the search list to 32 domains and 2048 characters', () => {
    const many = Array.from({ length: 40 }, (_, i) => `d${i}.example`);
    const got = podDNSConfig(podWith({ dnsPolicy: 'None', dnsConfig: { searches: many } }), base);
    assert.deepEqual(got.searches, many.slice(0, 32));
    const long = Array.from({ length: 10 }, (_, i) => `${String(i).repeat(250)}`);
    const cut = podDNSConfig(podWith({ dnsPolicy: 'None', dnsConfig: { searches: long } }), base).searches ?? [];
    assert.equal(cut.length, 8);
    assert.ok(cut.join(' ').length <= 2048);
  });
});

describe('defaultResolvConfPath', () => {
  const stub = join(dir, 'stub-resolv.conf');
  const real = join(dir, 'resolved.conf');
  it('uses systemd-resolved upstream servers when the stub only names loopback', () => {
    writeFileSync(stub, 'nameserver 127.0.0.53\noptions edns0\n');
    writeFileSync(real, 'nameserver 192.168.1.1\n');
    assert.equal(defaultResolvConfPath(stub, real), real);
    assert.equal(defaultResolvConfPath(stub, join(dir, 'absent')), stub);
  });
  it('keeps a resolv.conf with a real nameserver', () => {
    assert.equal(defaultResolvConfPath(hostResolv, real), hostResolv);
  });
});
