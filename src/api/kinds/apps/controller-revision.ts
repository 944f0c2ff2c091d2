/**
 * apps/v1 ControllerRevision: an immutable snapshot of a StatefulSet's or DaemonSet's template
 * (upstream ValidateControllerRevision / ValidateControllerRevisionUpdate: data required and immutable,
 * revision non-negative). No spec, no status.
 */
import type { V1ControllerRevision } from '@kubernetes/client-node';
import type { FieldError } from '../../../machinery/errors.js';
import { path } from '../../../machinery/errors.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { resourceInfo } from '../common/resource.js';
import { immutable, nonNegative, required } from '../common/validation.js';

const asRevision = (obj: KubeObject): V1ControllerRevision => obj as unknown as V1ControllerRevision;

function validate(obj: KubeObject): FieldError[] {
  const rev = asRevision(obj);
  const errs: FieldError[] = [];
  if (rev.data === undefined || rev.data === null) errs.push(required(path('data'), 'data is mandatory'));
  errs.push(...nonNegative(rev.revision, path('revision')));
  return errs;
}

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return immutable(asRevision(obj).data, asRevision(old).data, path('data'));
}

export const controllerRevision: KindDefinition = {
  resource: resourceInfo('apps', 'v1', 'ControllerRevision', { plural: 'controllerrevisions', namespaced: true }),
  model: 'V1ControllerRevision',
  validate,
  validateUpdate,
  hasStatus: false,
  hasSpec: false,
};
