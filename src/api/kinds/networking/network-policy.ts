/**
 * networking.k8s.io/v1 NetworkPolicy: upstream defaults (policyTypes from the rules, port protocol
 * TCP) and ValidateNetworkPolicySpec (pod selector, ports, peers, ipBlocks, policyTypes).
 */
import type { V1IPBlock, V1NetworkPolicy, V1NetworkPolicyPeer, V1NetworkPolicyPort, V1NetworkPolicySpec } from '@kubernetes/client-node';
import type { FieldError, FieldPath } from '../../../machinery/errors.js';
import { path } from '../../../machinery/errors.js';
import { isValidPortName, isValidPortNum } from '../../../machinery/names.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { CIDR_ERROR, isStrictSubset, parseCidr } from '../common/cidr.js';
import { validateLabelSelector } from '../common/label-selector.js';
import { ensureObject, resourceInfo } from '../common/resource.js';
import { forbidden, invalidEach, invalidValue, notSupported, required } from '../common/validation.js';

function defaults(obj: KubeObject): void {
  const spec = ensureObject<V1NetworkPolicySpec>(obj, 'spec');
  for (const rule of [...(spec.ingress ?? []), ...(spec.egress ?? [])]) {
    for (const port of rule.ports ?? []) port.protocol ??= 'TCP';
  }
  if (!spec.policyTypes || spec.policyTypes.length === 0) {
    spec.policyTypes = ['Ingress'];
    if ((spec.egress ?? []).length > 0) spec.policyTypes.push('Egress');
  }
}

function validatePort(port: V1NetworkPolicyPort, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (port.protocol != null && !['TCP', 'UDP', 'SCTP'].includes(port.protocol)) errs.push(notSupported(fld.child('protocol'), port.protocol, ['TCP', 'UDP', 'SCTP']));
  const p = port.port;
  if (typeof p === 'number') {
    errs.push(...invalidEach(fld.child('port'), p, isValidPortNum(p)));
    if (port.endPort != null) {
      if (port.endPort < p) errs.push(invalidValue(fld.child('endPort'), p, 'must be greater than or equal to `port`'));
      errs.push(...invalidEach(fld.child('endPort'), port.endPort, isValidPortNum(port.endPort)));
    }
  } else if (typeof p === 'string') {
    if (port.endPort != null) errs.push(invalidValue(fld.child('endPort'), port.endPort, 'may not be specified when `port` is non-numeric'));
    errs.push(...invalidEach(fld.child('port'), p, isValidPortName(p)));
  } else if (port.endPort != null) {
    errs.push(invalidValue(fld.child('endPort'), port.endPort, 'may not be specified when `port` is not specified'));
  }
  return errs;
}

function validateIPBlock(block: V1IPBlock, fld: FieldPath): FieldError[] {
  if (!block.cidr) return [required(fld.child('cidr'))];
  const cidr = parseCidr(block.cidr);
  if (!cidr) return [invalidValue(fld.child('cidr'), block.cidr, CIDR_ERROR)];
  const errs: FieldError[] = [];
  (block.except ?? []).forEach((text, i) => {
    const ef = fld.child('except').index(i);
    const except = parseCidr(text);
    if (!except) errs.push(invalidValue(ef, text, CIDR_ERROR));
    else if (!isStrictSubset(except, cidr)) errs.push(invalidValue(ef, text, 'must be a strict subset of `cidr`'));
  });
  return errs;
}

function validatePeer(peer: V1NetworkPolicyPeer, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let peers = 0;
  if (peer.podSelector) {
    peers++;
    errs.push(...validateLabelSelector(peer.podSelector, fld.child('podSelector')));
  }
  if (peer.namespaceSelector) {
    peers++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, fld.child('namespaceSelector')));
  }
  if (peer.ipBlock) {
    peers++;
    errs.push(...validateIPBlock(peer.ipBlock, fld.child('ipBlock')));
  }
  if (peers === 0) errs.push(required(fld, 'must specify a peer'));
  else if (peers > 1 && peer.ipBlock) errs.push(forbidden(fld, 'may not specify both ipBlock and another peer'));
  return errs;
}

/** upstream ValidateNetworkPolicySpec. */
function validate(obj: KubeObject): FieldError[] {
  const spec = (obj as unknown as V1NetworkPolicy).spec ?? ({} as V1NetworkPolicySpec);
  const fld = path('spec');
  const errs = validateLabelSelector(spec.podSelector, fld.child('podSelector'));
  (spec.ingress ?? []).forEach((rule, i) => {
    const rf = fld.child('ingress').index(i);
    (rule.ports ?? []).forEach((p, j) => errs.push(...validatePort(p, rf.child('ports').index(j))));
    (rule._from ?? (rule as { from?: V1NetworkPolicyPeer[] }).from ?? []).forEach((p, j) => errs.push(...validatePeer(p, rf.child('from').index(j))));
  });
  (spec.egress ?? []).forEach((rule, i) => {
    const rf = fld.child('egress').index(i);
    (rule.ports ?? []).forEach((p, j) => errs.push(...validatePort(p, rf.child('ports').index(j))));
    (rule.to ?? []).forEach((p, j) => errs.push(...validatePeer(p, rf.child('to').index(j))));
  });
  const types = spec.policyTypes ?? [];
  if (types.length > 2) {
    errs.push(invalidValue(fld.child('policyTypes'), types, 'may not specify more than two policyTypes'));
    return errs;
  }
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') errs.push(notSupported(fld.child('policyTypes').index(i), t, ['Ingress', 'Egress']));
  });
  return errs;
}

export const networkPolicy: KindDefinition = {
  resource: resourceInfo('networking.k8s.io', 'v1', 'NetworkPolicy', { plural: 'networkpolicies', namespaced: true, shortNames: ['netpol'] }),
  model: 'V1NetworkPolicy',
  defaults,
  validate,
  hasStatus: false,
  hasSpec: true,
};
