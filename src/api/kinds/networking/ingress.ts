/**
 * networking.k8s.io/v1 Ingress: upstream ValidateIngressSpec (rules or a default backend, hosts,
 * paths and their pathType, service or resource backends, TLS, ingressClassName). No defaults.
 */
import type { V1HTTPIngressPath, V1Ingress, V1IngressBackend, V1IngressSpec } from '@kubernetes/client-node';
import { isIP } from 'node:net';
import type { FieldError, FieldPath } from '../../../machinery/errors.js';
import { path } from '../../../machinery/errors.js';
import { isDNS1035Label, isDNS1123Subdomain, isValidPathSegmentName, isValidPortName, isValidPortNum } from '../../../machinery/names.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { resourceInfo } from '../common/resource.js';
import { invalidEach, invalidValue, notSupported, required } from '../common/validation.js';

const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];
const WILDCARD_DNS1123_SUBDOMAIN = /^\*\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** upstream IsWildcardDNS1123Subdomain. */
function wildcardSubdomainErrors(host: string): string[] {
  const errs: string[] = [];
  if (host.length > 253) errs.push('must be no more than 253 characters');
  if (!WILDCARD_DNS1123_SUBDOMAIN.test(host)) {
    errs.push(
      "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  }
  return errs;
}

function hostErrors(host: string): string[] {
  return host.includes('*') ? wildcardSubdomainErrors(host) : isDNS1123Subdomain(host);
}

function validateBackend(b: V1IngressBackend | undefined, fld: FieldPath): FieldError[] {
  if (b?.resource && b.service) return [invalidValue(fld, '', 'cannot set both resource and service backends')];
  if (b?.resource) {
    const r = b.resource;
    const errs: FieldError[] = [];
    if (!r.kind) errs.push(required(fld.child('resource').child('kind')));
    else errs.push(...invalidEach(fld.child('resource').child('kind'), r.kind, isValidPathSegmentName(r.kind)));
    if (!r.name) errs.push(required(fld.child('resource').child('name')));
    else errs.push(...invalidEach(fld.child('resource').child('name'), r.name, isValidPathSegmentName(r.name)));
    if (r.apiGroup) errs.push(...invalidEach(fld.child('resource').child('apiGroup'), r.apiGroup, isDNS1123Subdomain(r.apiGroup)));
    return errs;
  }
  if (b?.service) {
    const s = b.service;
    const errs: FieldError[] = [];
    const svc = fld.child('service');
    if (!s.name) errs.push(required(svc.child('name')));
    else errs.push(...invalidEach(svc.child('name'), s.name, isDNS1035Label(s.name)));
    const portName = s.port?.name ?? '';
    const portNumber = s.port?.number ?? 0;
    if (portName && portNumber) errs.push(invalidValue(fld, '', 'cannot set both port name & port number'));
    else if (portName) errs.push(...invalidEach(svc.child('port').child('name'), portName, isValidPortName(portName)));
    else if (portNumber) errs.push(...invalidEach(svc.child('port').child('number'), portNumber, isValidPortNum(portNumber)));
    else errs.push(required(fld, 'port name or number is required'));
    return errs;
  }
  return [invalidValue(fld, '', 'resource or service backend is required')];
}

function validatePath(p: V1HTTPIngressPath, fld: FieldPath): FieldError[] {
  if (!p.pathType) return [required(fld.child('pathType'), 'pathType must be specified')];
  const errs: FieldError[] = [];
  const text = p.path ?? '';
  const pf = fld.child('path');
  switch (p.pathType) {
    case 'Exact':
    case 'Prefix':
      if (!text.startsWith('/')) errs.push(invalidValue(pf, text, 'must be an absolute path'));
      if (text.length > 0) {
        for (const seq of INVALID_PATH_SEQUENCES) if (text.includes(seq)) errs.push(invalidValue(pf, text, `must not contain '${seq}'`));
        for (const suffix of INVALID_PATH_SUFFIXES) if (text.endsWith(suffix)) errs.push(invalidValue(pf, text, `cannot end with '${suffix}'`));
      }
      break;
    case 'ImplementationSpecific':
      if (text.length > 0 && !text.startsWith('/')) errs.push(invalidValue(pf, text, 'must be an absolute path'));
      break;
    default:
      errs.push(notSupported(fld.child('pathType'), p.pathType, ['Exact', 'ImplementationSpecific', 'Prefix']));
  }
  errs.push(...validateBackend(p.backend, fld.child('backend')));
  return errs;
}

/** upstream ValidateIngressSpec. */
export function validateIngressSpec(spec: V1IngressSpec | undefined): FieldError[] {
  const fld = path('spec');
  const rules = spec?.rules ?? [];
  const errs: FieldError[] = [];
  if (rules.length === 0 && !spec?.defaultBackend) errs.push(invalidValue(fld, spec?.rules ?? null, 'either `defaultBackend` or `rules` must be specified'));
  if (spec?.defaultBackend) errs.push(...validateBackend(spec.defaultBackend, fld.child('defaultBackend')));
  rules.forEach((rule, i) => {
    const rf = fld.child('rules').index(i);
    const host = rule.host ?? '';
    if (host) {
      if (isIP(host)) errs.push(invalidValue(rf.child('host'), host, 'must be a DNS name, not an IP address'));
      errs.push(...invalidEach(rf.child('host'), host, hostErrors(host)));
    }
    if (rule.http) {
      const paths = rule.http.paths ?? [];
      const pathsField = rf.child('http').child('paths');
      if (paths.length === 0) errs.push(required(pathsField));
      paths.forEach((p, j) => errs.push(...validatePath(p, pathsField.index(j))));
    }
  });
  (spec?.tls ?? []).forEach((tls, i) => {
    const tf = fld.child('tls').index(i);
    (tls.hosts ?? []).forEach((h, j) => errs.push(...invalidEach(tf.child('hosts').index(j), h, hostErrors(h))));
    if (tls.secretName) errs.push(...invalidEach(tf.child('secretName'), tls.secretName, isDNS1123Subdomain(tls.secretName)));
  });
  if (spec?.ingressClassName != null) {
    errs.push(...invalidEach(fld.child('ingressClassName'), spec.ingressClassName, isDNS1123Subdomain(spec.ingressClassName)));
  }
  return errs;
}

/** upstream ValidateIngressCreate: the spec, and the legacy class annotation agreeing with ingressClassName. */
function validate(obj: KubeObject): FieldError[] {
  const ing = obj as unknown as V1Ingress;
  const errs = validateIngressSpec(ing.spec);
  const annotation = ing.metadata?.annotations?.['kubernetes.io/ingress.class'];
  if (annotation !== undefined && ing.spec?.ingressClassName != null && annotation !== ing.spec.ingressClassName) {
    errs.push(invalidValue(path('annotations').child('kubernetes.io/ingress.class'), annotation, 'must match `ingressClassName` when both are specified'));
  }
  return errs;
}

export const ingress: KindDefinition = {
  resource: resourceInfo('networking.k8s.io', 'v1', 'Ingress', { plural: 'ingresses', namespaced: true, shortNames: ['ing'], subresources: ['status'] }),
  model: 'V1Ingress',
  validate,
  hasStatus: true,
  hasSpec: true,
};
