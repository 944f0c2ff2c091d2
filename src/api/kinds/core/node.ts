/**
 * core/v1 Node: allocatable defaults to capacity, taints validated, kubelets create nodes with
 * their status; selectable by spec.unschedulable.
 */
import type { FieldError } from '../../../machinery/errors.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { at, coreResource } from './core-resource.js';
import { asArray, asObj, asString, checkEnum, checkQualifiedName, invalid, required } from './validation-helpers.js';

function defaults(obj: KubeObject): void {
  const status = asObj(obj.status);
  if (status && status.allocatable === undefined && asObj(status.capacity)) status.allocatable = { ...asObj(status.capacity) };
}

/** validateNodeTaints: keys qualified names, effects known, no duplicate key+effect. */
export function validateTaints(list: unknown, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  asArray(list).forEach((raw, i) => {
    const t = asObj(raw) ?? {};
    const f = `${fld}[${i}]`;
    errs.push(...checkQualifiedName(`${f}.key`, asString(t.key)));
    if (!t.effect) errs.push(required(`${f}.effect`));
    else errs.push(...checkEnum(`${f}.effect`, t.effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']));
    const key = `${asString(t.key)}:${asString(t.effect)}`;
    if (seen.has(key)) errs.push({ type: 'Duplicate', field: f, value: t });
    seen.add(key);
  });
  return errs;
}

function validate(obj: KubeObject): FieldError[] {
  const spec = asObj(obj.spec) ?? {};
  const errs = validateTaints(spec.taints, 'spec.taints');
  const cidr = asString(spec.podCIDR);
  if (cidr && !/^[0-9a-fA-F.:]+\/\d{1,3}$/.test(cidr)) errs.push(invalid('spec.podCIDR', cidr, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
  return errs;
}

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const oldCIDR = asString(at(old, 'spec', 'podCIDR'));
  const newCIDR = asString(at(obj, 'spec', 'podCIDR'));
  if (oldCIDR && newCIDR !== oldCIDR) return [{ type: 'Forbidden', field: 'spec.podCIDRs', detail: 'node updates may not change podCIDR except from "" to valid' }];
  return [];
}

export const node: KindDefinition = {
  resource: coreResource('Node', { plural: 'nodes', namespaced: false, shortNames: ['no'], subresources: ['status', 'proxy'] }),
  model: 'V1Node',
  defaults,
  validate,
  validateUpdate,
  validateStatus: (obj) => validate(obj),
  hasStatus: true,
  hasSpec: false,
  keepStatusOnCreate: true,
  fieldSelectors: { 'spec.unschedulable': (o) => String(at(o, 'spec', 'unschedulable') === true) },
};
