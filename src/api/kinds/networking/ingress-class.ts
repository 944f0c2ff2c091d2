/**
 * networking.k8s.io/v1 IngressClass (cluster-scoped): upstream default parameters.scope Cluster,
 * ValidateIngressClass (domain-prefixed controller, parameters reference) and the immutable controller.
 */
import type { V1IngressClass, V1IngressClassParametersReference } from '@kubernetes/client-node';
import type { FieldError, FieldPath } from '../../../machinery/errors.js';
import { path } from '../../../machinery/errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isValidPathSegmentName } from '../../../machinery/names.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { resourceInfo } from '../common/resource.js';
import { forbidden, immutable, invalidEach, invalidValue, notSupported, required } from '../common/validation.js';

const MAX_CONTROLLER_LENGTH = 250;
const PATH_CHARS = /^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/;

const asClass = (obj: KubeObject): V1IngressClass => obj as unknown as V1IngressClass;

/** upstream IsDomainPrefixedPath. */
function domainPrefixedPath(value: string, fld: FieldPath): FieldError[] {
  if (!value) return [required(fld)];
  const slash = value.indexOf('/');
  if (slash < 0) return [invalidValue(fld, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const host = value.slice(0, slash);
  const rest = value.slice(slash + 1);
  const errs = invalidEach(fld, host, isDNS1123Subdomain(host));
  if (!PATH_CHARS.test(rest)) errs.push(invalidValue(fld, rest, 'Invalid path'));
  return errs;
}

function validateParameters(p: V1IngressClassParametersReference | undefined, fld: FieldPath): FieldError[] {
  if (!p) return [];
  const errs: FieldError[] = [];
  if (p.apiGroup) errs.push(...invalidEach(fld.child('apiGroup'), p.apiGroup, isDNS1123Subdomain(p.apiGroup)));
  if (!p.kind) errs.push(required(fld.child('kind')));
  else errs.push(...invalidEach(fld.child('kind'), p.kind, isValidPathSegmentName(p.kind)));
  if (!p.name) errs.push(required(fld.child('name')));
  else errs.push(...invalidEach(fld.child('name'), p.name, isValidPathSegmentName(p.name)));
  const scope = p.scope;
  if (scope == null) errs.push(required(fld.child('scope')));
  else if (scope !== 'Cluster' && scope !== 'Namespace') errs.push(notSupported(fld.child('scope'), scope, ['Cluster', 'Namespace']));
  else if (scope === 'Namespace') {
    if (p.namespace == null) errs.push(required(fld.child('namespace'), "`parameters.scope` is set to 'Namespace'"));
    else errs.push(...invalidEach(fld.child('namespace'), p.namespace, isDNS1123Label(p.namespace)));
  } else if (p.namespace != null) errs.push(forbidden(fld.child('namespace'), "`parameters.scope` is set to 'Cluster'"));
  return errs;
}

function validate(obj: KubeObject): FieldError[] {
  const spec = asClass(obj).spec ?? {};
  const fld = path('spec');
  const controller = spec.controller ?? '';
  const errs: FieldError[] = [];
  if (controller.length > MAX_CONTROLLER_LENGTH) {
    errs.push({ type: 'TooLong', field: fld.child('controller').text, value: controller, detail: `may not be more than ${MAX_CONTROLLER_LENGTH} bytes` });
  }
  errs.push(...domainPrefixedPath(controller, fld.child('controller')));
  errs.push(...validateParameters(spec.parameters, fld.child('parameters')));
  return errs;
}

export const ingressClass: KindDefinition = {
  resource: resourceInfo('networking.k8s.io', 'v1', 'IngressClass', { plural: 'ingressclasses', namespaced: false }),
  model: 'V1IngressClass',
  defaults: (obj) => {
    const params = asClass(obj).spec?.parameters;
    if (params && params.scope == null) params.scope = 'Cluster';
  },
  validate,
  validateUpdate: (obj, old) => immutable(asClass(obj).spec?.controller, asClass(old).spec?.controller, path('spec.controller')),
  hasStatus: false,
  hasSpec: true,
};
