/**
 * core/v1 Secret: stringData merged into data as base64 (upstream does it in the v1 conversion),
 * type Opaque by default, per-type required keys, valid keys, 1 MiB total, type immutable, data
 * frozen once `immutable: true`; selectable by `type`.
 */
import type { FieldError } from '../../../machinery/errors.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { checkDataKeys, checkImmutableData, decodedLength, MAX_DATA_SIZE } from './config-data.js';
import { coreResource, immutableField, selectable } from './core-resource.js';
import { asObj, asString, invalid, required, type Obj } from './validation-helpers.js';

function defaults(obj: KubeObject): void {
  const stringData = asObj(obj.stringData);
  if (stringData) {
    const data = asObj(obj.data) ?? (obj.data = {} as Obj);
    for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(asString(v), 'utf8').toString('base64');
    delete obj.stringData;
  }
  if (!obj.type) obj.type = 'Opaque';
}

/** Keys each well-known secret type must carry. */
const REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

function validate(obj: KubeObject): FieldError[] {
  const data = asObj(obj.data) ?? {};
  const errs = checkDataKeys(data, 'data');
  let size = 0;
  for (const v of Object.values(data)) size += decodedLength(asString(v));
  if (size > MAX_DATA_SIZE) errs.push({ type: 'TooLong', field: 'data', detail: `must have at most ${MAX_DATA_SIZE} bytes` });
  const type = asString(obj.type);
  for (const key of REQUIRED_KEYS[type] ?? []) if (!(key in data)) errs.push(required(`data[${key}]`));
  if (type === 'kubernetes.io/service-account-token' && !obj.metadata?.annotations?.['kubernetes.io/service-account.name']) {
    errs.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
  }
  if (type === 'kubernetes.io/basic-auth' && !('username' in data) && !('password' in data)) {
    errs.push(required('data[username]'), required('data[password]'));
  }
  if (type === 'kubernetes.io/dockerconfigjson' && '.dockerconfigjson' in data) {
    try {
      JSON.parse(Buffer.from(asString(data['.dockerconfigjson']), 'base64').toString('utf8'));
    } catch (e) {
      errs.push(invalid('data[.dockerconfigjson]', '<secret contents redacted>', (e as Error).message));
    }
  }
  return errs;
}

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return [...immutableField(obj.type, old.type, 'type'), ...checkImmutableData(obj, old, ['data'])];
}

export const secret: KindDefinition = {
  resource: coreResource('Secret', { plural: 'secrets', namespaced: true }),
  model: 'V1Secret',
  defaults,
  validate,
  validateUpdate,
  hasStatus: false,
  hasSpec: false,
  fieldSelectors: { type: (o) => selectable(o, 'type') },
};
