import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { fieldErrorMessage, type FieldError } from '../../../machinery/errors.js';
import type { KubeObject } from '../../types.js';
import { ingress, ingressClass, networkPolicy } from './index.js';

const messages = (errs: FieldError[]): string[] => errs.map(fieldErrorMessage);

function ingressWith(spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'default' }, spec };
}
const svc = (name: string, port: Record<string, unknown>) => ({ service: { name, port } });

test('a valid Ingress passes; no defaults are added', () => {
  const obj = ingressWith({
    ingressClassName: 'nginx',
    tls: [{ hosts: ['*.example.com'], secretName: 'tls' }],
    rules: [{ host: 'app.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('web', { number: 80 }) }] } }],
  });
  const before = structuredClone(obj);
  ingress.defaults?.(obj);
  assert.deepEqual(obj, before);
  assert.deepEqual(ingress.validate?.(obj), []);
});

test('Ingress validation: rules or backend, hosts, paths, pathType, backends', () => {
  assert.deepEqual(messages(ingress.validate?.(ingressWith({})) ?? []), ['spec: Invalid value: null: either `defaultBackend` or `rules` must be specified']);
  const obj = ingressWith({
    defaultBackend: { service: { name: 'web', port: {} } },
    rules: [
      { host: '10.0.0.1', http: { paths: [{ path: 'api', pathType: 'Prefix', backend: svc('web', { name: 'http', number: 80 }) }] } },
      { host: 'Bad_Host', http: { paths: [{ path: '/a//b/..', pathType: 'Exact', backend: {} }, { path: '/', backend: svc('web', { number: 80 }) }] } },
      { http: { paths: [{ path: '/', pathType: 'Regex', backend: svc('w'.repeat(64), { number: 70000 }) }] } },
      { host: 'x.example.com', http: { paths: [] } },
    ],
  });
  assert.deepEqual(messages(ingress.validate?.(obj) ?? []), [
    'spec.defaultBackend: Required value: port name or number is required',
    'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
    'spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path',
    'spec.rules[0].http.paths[0].backend: Invalid value: "": cannot set both port name & port number',
    "spec.rules[1].host: Invalid value: \"Bad_Host\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    "spec.rules[1].http.paths[0].path: Invalid value: \"/a//b/..\": must not contain '//'",
    "spec.rules[1].http.paths[0].path: Invalid value: \"/a//b/..\": cannot end with '/..'",
    'spec.rules[1].http.paths[0].backend: Invalid value: "": resource or service backend is required',
    'spec.rules[1].http.paths[1].pathType: Required value: pathType must be specified',
    'spec.rules[2].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
    `spec.rules[2].http.paths[0].backend.service.name: Invalid value: "${'w'.repeat(64)}": must be no more than 63 characters`,
    'spec.rules[2].http.paths[0].backend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive',
    'spec.rules[3].http.paths: Required value',
  ]);
});

test('Ingress: class annotation must agree with ingressClassName', () => {
  const obj = ingressWith({ ingressClassName: 'nginx', defaultBackend: svc('web', { number: 80 }) });
  obj.metadata = { name: 'web', annotations: { 'kubernetes.io/ingress.class': 'traefik' } };
  assert.deepEqual(messages(ingress.validate?.(obj) ?? []), ['annotations.kubernetes.io/ingress.class: Invalid value: "traefik": must match `ingressClassName` when both are specified']);
});

test('IngressClass: scope default, controller rules, controller immutable', () => {
  const obj: KubeObject = { metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'Params', name: 'p' } } };
  ingressClass.defaults?.(obj);
  assert.equal((obj.spec as any).parameters.scope, 'Cluster');
  assert.deepEqual(ingressClass.validate?.(obj), []);
  const bad: KubeObject = { metadata: { name: 'x' }, spec: { controller: 'nginx', parameters: { kind: 'P', name: 'p', scope: 'Namespace' } } };
  assert.deepEqual(messages(ingressClass.validate?.(bad) ?? []), [
    'spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")',
    "spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'",
  ]);
  assert.deepEqual(messages(ingressClass.validate?.({ spec: {} }) ?? []), ['spec.controller: Required value']);
  const changed = structuredClone(obj);
  (changed.spec as any).controller = 'example.com/other';
  assert.deepEqual(messages(ingressClass.validateUpdate?.(changed, obj) ?? []), ['spec.controller: Invalid value: "example.com/other": field is immutable']);
  assert.equal(ingressClass.resource.namespaced, false);
});

test('NetworkPolicy defaults: policyTypes from rules, TCP ports', () => {
  const a: KubeObject = { spec: { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] } };
  networkPolicy.defaults?.(a);
  assert.deepEqual(a.spec, { podSelector: {}, ingress: [{ ports: [{ port: 80, protocol: 'TCP' }] }], policyTypes: ['Ingress'] });
  const b: KubeObject = { spec: { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] } };
  networkPolicy.defaults?.(b);
  assert.deepEqual((b.spec as any).policyTypes, ['Ingress', 'Egress']);
  const c: KubeObject = { spec: { podSelector: {}, policyTypes: ['Egress'] } };
  networkPolicy.defaults?.(c);
  assert.deepEqual((c.spec as any).policyTypes, ['Egress']);
  assert.deepEqual(networkPolicy.resource.shortNames, ['netpol']);
});

test('NetworkPolicy validation: ports, peers, ipBlocks, policyTypes', () => {
  const obj: KubeObject = {
    spec: {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [
        {
          ports: [{ protocol: 'ICMP', port: 80, endPort: 70 }, { port: 'http', endPort: 90 }, { endPort: 5 }],
          from: [{}, { ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24', '10.0.1.0/24', 'nope'] }, podSelector: {} }],
        },
      ],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0' } }] }],
      policyTypes: ['Ingress', 'Sideways'],
    },
  };
  assert.deepEqual(messages(networkPolicy.validate?.(obj) ?? []), [
    'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"',
    'spec.ingress[0].ports[0].endPort: Invalid value: 80: must be greater than or equal to `port`',
    'spec.ingress[0].ports[1].endPort: Invalid value: 90: may not be specified when `port` is non-numeric',
    'spec.ingress[0].ports[2].endPort: Invalid value: 5: may not be specified when `port` is not specified',
    'spec.ingress[0].from[0]: Required value: must specify a peer',
    'spec.ingress[0].from[1].ipBlock.except[0]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`',
    'spec.ingress[0].from[1].ipBlock.except[2]: Invalid value: "nope": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    'spec.ingress[0].from[1]: Forbidden: may not specify both ipBlock and another peer',
    'spec.egress[0].to[0].ipBlock.cidr: Invalid value: "10.0.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    'spec.policyTypes[1]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"',
  ]);
  const v6: KubeObject = { spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:1::/48', '2001:db9::/48'] } }] }] } };
  assert.deepEqual(messages(networkPolicy.validate?.(v6) ?? []), ['spec.ingress[0].from[0].ipBlock.except[1]: Invalid value: "2001:db9::/48": must be a strict subset of `cidr`']);
});
