/** core/v1 ServiceAccount: secrets and imagePullSecrets reference names; the token subresource. */
import type { FieldError } from '../../../machinery/errors.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { coreResource } from './core-resource.js';
import { asArray, asObj, asString, required } from './validation-helpers.js';

function validate(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  asArray(obj.imagePullSecrets).forEach((s, i) => {
    if (!asString(asObj(s)?.name)) errs.push(required(`imagePullSecrets[${i}].name`));
  });
  return errs;
}

export const serviceAccount: KindDefinition = {
  resource: coreResource('ServiceAccount', { plural: 'serviceaccounts', namespaced: true, shortNames: ['sa'], subresources: ['token'] }),
  model: 'V1ServiceAccount',
  validate,
  hasStatus: false,
  hasSpec: false,
};
