/**
 * core/v1 ConfigMap: keys of data and binaryData valid and distinct, total size at most 1 MiB,
 * data frozen once `immutable: true`.
 */
import type { FieldError } from '../../../machinery/errors.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { checkDataKeys, checkImmutableData, decodedLength, MAX_DATA_SIZE } from './config-data.js';
import { coreResource } from './core-resource.js';
import { asObj, asString, invalid } from './validation-helpers.js';

function validate(obj: KubeObject): FieldError[] {
  const data = asObj(obj.data) ?? {};
  const binary = asObj(obj.binaryData) ?? {};
  const errs = [...checkDataKeys(data, 'data'), ...checkDataKeys(binary, 'binaryData')];
  let size = 0;
  for (const [k, v] of Object.entries(data)) {
    size += Buffer.byteLength(asString(v));
    if (k in binary) errs.push(invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
  }
  for (const v of Object.values(binary)) size += decodedLength(asString(v));
  if (size > MAX_DATA_SIZE) errs.push({ type: 'TooLong', field: '[]', detail: `must have at most ${MAX_DATA_SIZE} bytes` });
  return errs;
}

export const configMap: KindDefinition = {
  resource: coreResource('ConfigMap', { plural: 'configmaps', namespaced: true, shortNames: ['cm'] }),
  model: 'V1ConfigMap',
  validate,
  validateUpdate: (obj, old) => checkImmutableData(obj, old, ['data', 'binaryData']),
  hasStatus: false,
  hasSpec: false,
};
