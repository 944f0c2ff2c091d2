/**
 * core/v1 Namespace: the name is a DNS label; defaults add the `kubernetes.io/metadata.name` label,
 * status.phase Active and (when absent) spec.finalizers ["kubernetes"] as upstream's create does;
 * finalizer names are validated; selectable by status.phase.
 */
import type { FieldError } from '../../../machinery/errors.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { coreResource, selectable } from './core-resource.js';
import { asArray, asObj, asString, checkEnum, checkQualifiedName, invalid, type Obj } from './validation-helpers.js';

const STANDARD_FINALIZERS = ['kubernetes', 'orphan', 'foregroundDeletion'];

function defaults(obj: KubeObject): void {
  const meta = obj.metadata ?? (obj.metadata = {});
  if (meta.name) meta.labels = { ...(meta.labels ?? {}), 'kubernetes.io/metadata.name': meta.name };
  const spec = asObj(obj.spec) ?? (obj.spec = {} as Obj);
  if (spec.finalizers === undefined) spec.finalizers = ['kubernetes'];
  const status = asObj(obj.status) ?? (obj.status = {} as Obj);
  if (!status.phase) status.phase = 'Active';
}

/** validateFinalizerName: qualified names; unqualified ones must be standard. */
export function validateFinalizerNames(list: unknown, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of asArray(list)) {
    const name = asString(f);
    const qn = checkQualifiedName(fld, name);
    errs.push(...qn);
    if (qn.length === 0 && !name.includes('/') && !STANDARD_FINALIZERS.includes(name)) {
      errs.push(invalid(fld, name, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  }
  return errs;
}

function validate(obj: KubeObject): FieldError[] {
  return validateFinalizerNames(asObj(obj.spec)?.finalizers, 'spec.finalizers');
}

function validateStatus(obj: KubeObject): FieldError[] {
  const phase = asObj(obj.status)?.phase;
  return phase === undefined ? [] : checkEnum('status.phase', phase, ['Active', 'Terminating']);
}

export const namespace: KindDefinition = {
  resource: coreResource('Namespace', {
    plural: 'namespaces',
    namespaced: false,
    shortNames: ['ns'],
    subresources: ['status', 'finalize'],
    // Upstream serves no deletecollection for namespaces.
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  }),
  model: 'V1Namespace',
  nameRule: 'label',
  defaults,
  validate,
  validateStatus,
  hasStatus: true,
  hasSpec: false,
  keepStatusOnCreate: true,
  fieldSelectors: { 'status.phase': (o) => selectable(o, 'status', 'phase') },
};
