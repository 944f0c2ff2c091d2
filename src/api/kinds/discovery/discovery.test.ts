import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { fieldErrorMessage } from '../../../machinery/errors.js';
import type { KubeObject } from '../../types.js';
import { endpointSlice } from './index.js';

test('EndpointSlice defaults port name and protocol; a valid slice passes', () => {
  const obj: KubeObject = {
    metadata: { name: 'web-abc', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.0.0.5'], conditions: { ready: true }, nodeName: 'node-1' }],
    ports: [{ port: 80 }],
  };
  endpointSlice.defaults?.(obj);
  assert.deepEqual(obj.ports, [{ port: 80, name: '', protocol: 'TCP' }]);
  assert.deepEqual(endpointSlice.validate?.(obj), []);
});

test('EndpointSlice validation and immutable addressType', () => {
  const obj: KubeObject = {
    addressType: 'IPv6',
    endpoints: [{ addresses: [] }, { addresses: ['10.0.0.1'], hostname: 'Web' }],
    ports: [{ name: 'http', protocol: 'TCP', port: 80 }, { name: 'http', protocol: 'ICMP', port: 0 }],
  };
  const msgs = (endpointSlice.validate?.(obj) ?? []).map(fieldErrorMessage);
  assert.equal(msgs[0], 'endpoints[0].addresses: Required value: must contain at least 1 address');
  assert.equal(msgs[1], 'endpoints[1].addresses[0]: Invalid value: "10.0.0.1": must be a valid IPv6 address');
  assert.ok(msgs[2]?.startsWith('endpoints[1].hostname: Invalid value: "Web": a lowercase RFC 1123 label'), msgs[2]);
  assert.deepEqual(msgs.slice(3), [
    'ports[1].name: Duplicate value: "http"',
    'ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
    'ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive',
  ]);
  assert.deepEqual((endpointSlice.validate?.({ addressType: 'IPX' }) ?? []).map(fieldErrorMessage), ['addressType: Unsupported value: "IPX": supported values: "FQDN", "IPv4", "IPv6"']);
  assert.deepEqual((endpointSlice.validateUpdate?.({ addressType: 'IPv6' }, { addressType: 'IPv4' }) ?? []).map(fieldErrorMessage), ['addressType: Invalid value: "IPv6": field is immutable']);
});
