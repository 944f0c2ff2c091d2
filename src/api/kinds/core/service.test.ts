import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldErrorMessage } from '../../../machinery/errors.js';
import type { KubeObject } from '../../types.js';
import { service } from './service.js';

function svc(spec: Record<string, unknown>, name = 'web'): KubeObject {
  const obj: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec };
  service.defaults!(obj);
  return obj;
}
const problems = (obj: KubeObject): string[] => service.validate!(obj).map(fieldErrorMessage);

test('a minimal service gets upstream defaults', () => {
  const obj = svc({ selector: { app: 'web' }, ports: [{ port: 80 }] });
  assert.deepEqual(obj.spec, {
    selector: { app: 'web' },
    ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    sessionAffinity: 'None',
    type: 'ClusterIP',
    internalTrafficPolicy: 'Cluster',
    ipFamilyPolicy: 'SingleStack',
    ipFamilies: ['IPv4'],
  });
  assert.deepEqual(obj.status, { loadBalancer: {} });
  assert.deepEqual(problems(obj), []);
});

test('externally reachable types default their traffic policies', () => {
  const lb = svc({ type: 'LoadBalancer', ports: [{ port: 443, targetPort: 'https' }], sessionAffinity: 'ClientIP' });
  const spec = lb.spec as Record<string, unknown>;
  assert.equal(spec.externalTrafficPolicy, 'Cluster');
  assert.equal(spec.allocateLoadBalancerNodePorts, true);
  assert.deepEqual(spec.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
  assert.deepEqual((spec.ports as unknown[])[0], { port: 443, targetPort: 'https', protocol: 'TCP' });
  assert.deepEqual(problems(lb), []);
});

test('service validation messages', () => {
  assert.deepEqual(problems(svc({ ports: [] })), ['spec.ports: Required value']);
  assert.deepEqual(problems(svc({ clusterIP: 'None' })), []);
  assert.deepEqual(problems(svc({ type: 'Magic', ports: [{ port: 80 }] })), [
    'spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
  ]);
  assert.deepEqual(problems(svc({ ports: [{ port: 80 }, { port: 81, name: 'b' }] })), ['spec.ports[0].name: Required value']);
  assert.deepEqual(problems(svc({ ports: [{ port: 0 }] })), [
    'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    // targetPort defaulted from port, checked too (as upstream).
    'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
  ]);
  assert.deepEqual(problems(svc({ ports: [{ port: 80, name: 'a' }, { port: 80, name: 'b' }] })), ['spec.ports[1]: Duplicate value: {"protocol":"TCP","port":80}']);
  assert.deepEqual(problems(svc({ ports: [{ port: 80, nodePort: 30080 }] })), ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]);
  assert.deepEqual(problems(svc({ type: 'ExternalName' })), ['spec.externalName: Required value']);
  assert.deepEqual(problems(svc({ ports: [{ port: 80, targetPort: 'Not_A_Name' }] })), [
    'spec.ports[0].targetPort: Invalid value: "Not_A_Name": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
  ]);
  assert.deepEqual(problems(svc({ ports: [{ port: 80 }], clusterIP: '10.0.0.999' })), [
    'spec.clusterIPs[0]: Invalid value: "10.0.0.999": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
  ]);
  assert.match(problems(svc({ ports: [{ port: 80 }] }, '1web'))[0], /^metadata\.name: Invalid value: "1web": a DNS-1035 label/);
});

test('clusterIP may not change once set', () => {
  const old = svc({ ports: [{ port: 80 }], clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] });
  const same = svc({ ports: [{ port: 81 }], clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] });
  assert.deepEqual(service.validateUpdate!(same, old), []);
  const moved = svc({ ports: [{ port: 80 }], clusterIP: '10.96.0.11', clusterIPs: ['10.96.0.11'] });
  assert.deepEqual(service.validateUpdate!(moved, old).map(fieldErrorMessage), ['spec.clusterIPs[0]: Invalid value: ["10.96.0.11"]: may not change once set']);
});
