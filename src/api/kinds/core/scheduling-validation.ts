/**
 * Validation of a pod's scheduling constraints (upstream validateAffinity and
 * validateTopologySpreadConstraints): node selector terms and requirements, pod (anti-)affinity
 * terms, weights, topology spread skew and policies. Input: the pod spec; output: FieldErrors.
 */
import type { FieldError } from '../../../machinery/errors.js';
import { asArray, asObj, asString, checkEnum, checkQualifiedName, forbidden, invalid, required, type Obj } from './validation-helpers.js';

const NODE_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];

function validateNodeSelectorRequirements(list: unknown, fld: string, checkKey: boolean): FieldError[] {
  const errs: FieldError[] = [];
  asArray(list).forEach((raw, i) => {
    const r = asObj(raw) ?? {};
    const f = `${fld}[${i}]`;
    const op = asString(r.operator);
    const values = asArray(r.values);
    if (op === 'In' || op === 'NotIn') {
      if (values.length === 0) errs.push(required(`${f}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length > 0) errs.push(forbidden(`${f}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else if (op === 'Gt' || op === 'Lt') {
      if (values.length !== 1) errs.push(required(`${f}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
    } else {
      errs.push(invalid(`${f}.operator`, op, 'not a valid selector operator'));
    }
    if (checkKey) errs.push(...checkQualifiedName(`${f}.key`, asString(r.key)));
  });
  return errs;
}

function validateNodeSelectorTerm(term: Obj, fld: string): FieldError[] {
  return [
    ...validateNodeSelectorRequirements(term.matchExpressions, `${fld}.matchExpressions`, true),
    ...validateNodeSelectorRequirements(term.matchFields, `${fld}.matchFields`, false),
  ];
}

function validateWeight(fld: string, weight: unknown): FieldError[] {
  return typeof weight === 'number' && weight >= 1 && weight <= 100 ? [] : [invalid(fld, weight ?? 0, 'must be in the range 1-100')];
}

function validatePodAffinityTerm(term: Obj, fld: string): FieldError[] {
  return asString(term.topologyKey) ? checkQualifiedName(`${fld}.topologyKey`, asString(term.topologyKey)) : [required(`${fld}.topologyKey`, 'can not be empty')];
}

function validatePodAffinity(a: Obj | undefined, fld: string): FieldError[] {
  if (!a) return [];
  const errs: FieldError[] = [];
  const req = `${fld}.requiredDuringSchedulingIgnoredDuringExecution`;
  asArray(a.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => errs.push(...validatePodAffinityTerm(asObj(t) ?? {}, `${req}[${i}]`)));
  const pref = `${fld}.preferredDuringSchedulingIgnoredDuringExecution`;
  asArray(a.preferredDuringSchedulingIgnoredDuringExecution).forEach((raw, i) => {
    const w = asObj(raw) ?? {};
    errs.push(...validateWeight(`${pref}[${i}].weight`, w.weight));
    errs.push(...validatePodAffinityTerm(asObj(w.podAffinityTerm) ?? {}, `${pref}[${i}].podAffinityTerm`));
  });
  return errs;
}

export function validateAffinity(affinity: unknown, fld: string): FieldError[] {
  const a = asObj(affinity);
  if (!a) return [];
  const errs: FieldError[] = [];
  const node = asObj(a.nodeAffinity);
  if (node) {
    const reqFld = `${fld}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`;
    const req = asObj(node.requiredDuringSchedulingIgnoredDuringExecution);
    if (req) {
      const terms = asArray(req.nodeSelectorTerms);
      if (terms.length === 0) errs.push(required(`${reqFld}.nodeSelectorTerms`, 'must have at least one node selector term'));
      terms.forEach((t, i) => errs.push(...validateNodeSelectorTerm(asObj(t) ?? {}, `${reqFld}.nodeSelectorTerms[${i}]`)));
    }
    const prefFld = `${fld}.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution`;
    asArray(node.preferredDuringSchedulingIgnoredDuringExecution).forEach((raw, i) => {
      const p = asObj(raw) ?? {};
      errs.push(...validateWeight(`${prefFld}[${i}].weight`, p.weight));
      errs.push(...validateNodeSelectorTerm(asObj(p.preference) ?? {}, `${prefFld}[${i}].preference`));
    });
  }
  errs.push(...validatePodAffinity(asObj(a.podAffinity), `${fld}.podAffinity`));
  errs.push(...validatePodAffinity(asObj(a.podAntiAffinity), `${fld}.podAntiAffinity`));
  return errs;
}

export function validateTopologySpreadConstraints(list: unknown, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  asArray(list).forEach((raw, i) => {
    const c = asObj(raw) ?? {};
    const f = `${fld}[${i}]`;
    if (typeof c.maxSkew !== 'number' || c.maxSkew <= 0) errs.push(invalid(`${f}.maxSkew`, c.maxSkew ?? 0, 'must be greater than zero'));
    const key = asString(c.topologyKey);
    if (!key) errs.push(required(`${f}.topologyKey`, 'can not be empty'));
    else errs.push(...checkQualifiedName(`${f}.topologyKey`, key));
    errs.push(...checkEnum(`${f}.whenUnsatisfiable`, c.whenUnsatisfiable, ['DoNotSchedule', 'ScheduleAnyway']));
    if (typeof c.minDomains === 'number' && c.minDomains <= 0) errs.push(invalid(`${f}.minDomains`, c.minDomains, 'must be greater than 0'));
    const pair = `${key}/${asString(c.whenUnsatisfiable)}`;
    if (seen.has(pair)) errs.push({ type: 'Duplicate', field: `${f}.{topologyKey, whenUnsatisfiable}`, value: pair });
    seen.add(pair);
  });
  return errs;
}
