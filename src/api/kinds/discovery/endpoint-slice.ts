/**
 * discovery.k8s.io/v1 EndpointSlice (no spec, no status): upstream defaults (port name "" and
 * protocol TCP) and ValidateEndpointSlice (address type, addresses per type, node and host names,
 * ports: unique DNS-label names, protocol, appProtocol); addressType is immutable.
 */
import type { V1EndpointSlice } from '@kubernetes/client-node';
import { isIPv4, isIPv6 } from 'node:net';
import type { FieldError } from '../../../machinery/errors.js';
import { path } from '../../../machinery/errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from '../../../machinery/names.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { resourceInfo } from '../common/resource.js';
import { immutable, invalidEach, invalidValue, notSupported, required } from '../common/validation.js';

const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20000;

const asSlice = (obj: KubeObject): V1EndpointSlice => obj as unknown as V1EndpointSlice;

function defaults(obj: KubeObject): void {
  for (const port of asSlice(obj).ports ?? []) {
    port.name ??= '';
    port.protocol ??= 'TCP';
  }
}

function addressErrors(type: string, address: string): string[] {
  if (type === 'IPv4') return isIPv4(address) ? [] : ['must be a valid IPv4 address'];
  if (type === 'IPv6') return isIPv6(address) ? [] : ['must be a valid IPv6 address'];
  if (type === 'FQDN') {
    const name = address.endsWith('.') ? address.slice(0, -1) : address;
    if (!name.includes('.')) return ['should be a domain with at least two segments separated by dots'];
    return isDNS1123Subdomain(name.toLowerCase());
  }
  return [];
}

function validate(obj: KubeObject): FieldError[] {
  const slice = asSlice(obj);
  const errs: FieldError[] = [];
  const type = slice.addressType ?? '';
  if (!type) errs.push(required(path('addressType')));
  else if (!['IPv4', 'IPv6', 'FQDN'].includes(type)) errs.push(notSupported(path('addressType'), type, ['FQDN', 'IPv4', 'IPv6']));
  const endpoints = slice.endpoints ?? [];
  if (endpoints.length > MAX_ENDPOINTS) errs.push({ type: 'TooMany', field: 'endpoints', detail: `must have at most ${MAX_ENDPOINTS} items` });
  endpoints.forEach((ep, i) => {
    const ef = path('endpoints').index(i);
    const addresses = ep.addresses ?? [];
    if (addresses.length === 0) errs.push(required(ef.child('addresses'), 'must contain at least 1 address'));
    else if (addresses.length > MAX_ADDRESSES) errs.push({ type: 'TooMany', field: ef.child('addresses').text, detail: `must have at most ${MAX_ADDRESSES} items` });
    addresses.forEach((a, j) => errs.push(...invalidEach(ef.child('addresses').index(j), a, addressErrors(type, a))));
    if (ep.nodeName) errs.push(...invalidEach(ef.child('nodeName'), ep.nodeName, isDNS1123Subdomain(ep.nodeName)));
    if (ep.hostname) errs.push(...invalidEach(ef.child('hostname'), ep.hostname, isDNS1123Label(ep.hostname)));
  });
  const ports = slice.ports ?? [];
  if (ports.length > MAX_PORTS) errs.push({ type: 'TooMany', field: 'ports', detail: `must have at most ${MAX_PORTS} items` });
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const pf = path('ports').index(i);
    const name = p.name ?? '';
    if (name) errs.push(...invalidEach(pf.child('name'), name, isDNS1123Label(name)));
    if (names.has(name)) errs.push({ type: 'Duplicate', field: pf.child('name').text, value: name });
    names.add(name);
    if (p.protocol == null) errs.push(required(pf.child('protocol')));
    else if (!['SCTP', 'TCP', 'UDP'].includes(p.protocol)) errs.push(notSupported(pf.child('protocol'), p.protocol, ['SCTP', 'TCP', 'UDP']));
    if (p.appProtocol) errs.push(...invalidEach(pf.child('appProtocol'), p.appProtocol, isQualifiedName(p.appProtocol)));
    if (p.port != null && !(p.port >= 1 && p.port <= 65535)) errs.push(invalidValue(pf.child('port'), p.port, 'must be between 1 and 65535, inclusive'));
  });
  return errs;
}

export const endpointSlice: KindDefinition = {
  resource: resourceInfo('discovery.k8s.io', 'v1', 'EndpointSlice', { plural: 'endpointslices', namespaced: true }),
  model: 'V1EndpointSlice',
  defaults,
  validate,
  validateUpdate: (obj, old) => immutable(asSlice(obj).addressType, asSlice(old).addressType, path('addressType')),
  hasStatus: false,
  hasSpec: false,
};
