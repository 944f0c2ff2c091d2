import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import { serviceEnvMap, serviceEnvVars } from './service-env.js';

const svc = (namespace: string, name: string, clusterIP: string, ports: Array<{ name?: string; port: number; protocol?: string }>): KubeObject => ({
  kind: 'Service',
  metadata: { name, namespace },
  spec: { clusterIP, ports },
});

describe('serviceEnvVars', () => {
  it('names host, ports and Docker-style link variables', () => {
    const got = serviceEnvVars(svc('shop', 'redis-primary', '10.43.0.20', [{ port: 6379 }, { name: 'metrics', port: 9121, protocol: 'TCP' }]));
    assert.deepEqual(Object.fromEntries(got.map((e) => [e.key, e.value])), {
      REDIS_PRIMARY_SERVICE_HOST: '10.43.0.20',
      REDIS_PRIMARY_SERVICE_PORT: '6379',
      REDIS_PRIMARY_SERVICE_PORT_METRICS: '9121',
      REDIS_PRIMARY_PORT: 'tcp://10.43.0.20:6379',
      REDIS_PRIMARY_PORT_6379_TCP: 'tcp://10.43.0.20:6379',
      REDIS_PRIMARY_PORT_6379_TCP_PROTO: 'tcp',
      REDIS_PRIMARY_PORT_6379_TCP_PORT: '6379',
      REDIS_PRIMARY_PORT_6379_TCP_ADDR: '10.43.0.20',
      REDIS_PRIMARY_PORT_9121_TCP: 'tcp://10.43.0.20:9121',
      REDIS_PRIMARY_PORT_9121_TCP_PROTO: 'tcp',
      REDIS_PRIMARY_PORT_9121_TCP_PORT: '9121',
      REDIS_PRIMARY_PORT_9121_TCP_ADDR: '10.43.0.20',
    });
  });

  it('brackets IPv6 addresses and lower-cases UDP', () => {
    const got = Object.fromEntries(serviceEnvVars(svc('a', 'dns', 'fd00::a', [{ name: 'dns', port: 53, protocol: 'UDP' }])).map((e) => [e.key, e.value]));
    assert.equal(got.DNS_PORT, 'udp://[fd00::a]:53');
    assert.equal(got.DNS_PORT_53_UDP_PROTO, 'udp');
  });

  it('skips headless services', () => {
    assert.deepEqual(serviceEnvVars(svc('a', 'h', 'None', [{ port: 80 }])), []);
  });
});

describe('serviceEnvMap', () => {
  const services = [
    svc('default', 'kubernetes', '10.43.0.1', [{ name: 'https', port: 443 }]),
    svc('shop', 'web', '10.43.0.30', [{ port: 80 }]),
    svc('other', 'db', '10.43.0.40', [{ port: 5432 }]),
    svc('shop', 'headless', 'None', [{ port: 80 }]),
  ];

  it('gives the kubernetes service always and the namespace services with links enabled', () => {
    const on = serviceEnvMap(services, 'shop', true);
    assert.equal(on.KUBERNETES_SERVICE_HOST, '10.43.0.1');
    assert.equal(on.KUBERNETES_SERVICE_PORT_HTTPS, '443');
    assert.equal(on.WEB_SERVICE_HOST, '10.43.0.30');
    assert.equal(on.DB_SERVICE_HOST, undefined);
    assert.equal(on.HEADLESS_SERVICE_HOST, undefined);
    const off = serviceEnvMap(services, 'shop', false);
    assert.equal(off.KUBERNETES_SERVICE_HOST, '10.43.0.1');
    assert.equal(off.WEB_SERVICE_HOST, undefined);
  });

  it("lets a namespace's own kubernetes service win", () => {
    const got = serviceEnvMap([...services, svc('shop', 'kubernetes', '10.43.0.99', [{ port: 8443 }])], 'shop', true);
    assert.equal(got.KUBERNETES_SERVICE_HOST, '10.43.0.99');
  });
});
