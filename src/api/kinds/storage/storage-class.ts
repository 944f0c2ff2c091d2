/**
 * storage.k8s.io/v1 StorageClass (cluster-scoped, no spec): upstream defaults (reclaimPolicy Delete,
 * volumeBindingMode Immediate), ValidateStorageClass and the update rules (parameters, provisioner,
 * reclaimPolicy and volumeBindingMode fixed at creation).
 */
import type { V1StorageClass } from '@kubernetes/client-node';
import type { FieldError } from '../../../machinery/errors.js';
import { path } from '../../../machinery/errors.js';
import { isQualifiedName } from '../../../machinery/names.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { resourceInfo } from '../common/resource.js';
import { deepEqual, forbidden, immutable, invalidEach, invalidValue, notSupported, required } from '../common/validation.js';

const MAX_PARAMETERS = 512;
const MAX_PARAMETERS_SIZE = 256 * 1024;

const asClass = (obj: KubeObject): V1StorageClass => obj as unknown as V1StorageClass;

function defaults(obj: KubeObject): void {
  const sc = asClass(obj);
  sc.reclaimPolicy ||= 'Delete';
  sc.volumeBindingMode ||= 'Immediate';
}

function validate(obj: KubeObject): FieldError[] {
  const sc = asClass(obj);
  const errs: FieldError[] = [];
  const provisioner = sc.provisioner ?? '';
  if (!provisioner) errs.push(required(path('provisioner'), provisioner));
  else errs.push(...invalidEach(path('provisioner'), provisioner.toLowerCase(), isQualifiedName(provisioner.toLowerCase())));
  const params = sc.parameters ?? {};
  const keys = Object.keys(params);
  if (keys.length > MAX_PARAMETERS) errs.push({ type: 'TooLong', field: 'parameters', value: params, detail: `may not be more than ${MAX_PARAMETERS} bytes` });
  let size = 0;
  for (const k of keys) {
    if (k.length < 1) errs.push(invalidValue(path('parameters'), k, 'field can not be empty.'));
    size += k.length + (params[k] ?? '').length;
  }
  if (size > MAX_PARAMETERS_SIZE) errs.push({ type: 'TooLong', field: 'parameters', value: '', detail: `may not be more than ${MAX_PARAMETERS_SIZE} bytes` });
  if (sc.reclaimPolicy != null && sc.reclaimPolicy !== 'Delete' && sc.reclaimPolicy !== 'Retain') errs.push(notSupported(path('reclaimPolicy'), sc.reclaimPolicy, ['Delete', 'Retain']));
  const mode = sc.volumeBindingMode;
  if (mode == null) errs.push(required(path('volumeBindingMode')));
  else if (mode !== 'Immediate' && mode !== 'WaitForFirstConsumer') errs.push(notSupported(path('volumeBindingMode'), mode, ['Immediate', 'WaitForFirstConsumer']));
  return errs;
}

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const now = asClass(obj);
  const before = asClass(old);
  const errs: FieldError[] = [];
  if (!deepEqual(now.parameters ?? {}, before.parameters ?? {})) errs.push(forbidden(path('parameters'), 'updates to parameters are forbidden.'));
  if (now.provisioner !== before.provisioner) errs.push(forbidden(path('provisioner'), 'updates to provisioner are forbidden.'));
  if (now.reclaimPolicy !== before.reclaimPolicy) errs.push(forbidden(path('reclaimPolicy'), 'updates to reclaimPolicy are forbidden.'));
  errs.push(...immutable(now.volumeBindingMode, before.volumeBindingMode, path('volumeBindingMode')));
  return errs;
}

export const storageClass: KindDefinition = {
  resource: resourceInfo('storage.k8s.io', 'v1', 'StorageClass', { plural: 'storageclasses', namespaced: false, shortNames: ['sc'] }),
  model: 'V1StorageClass',
  defaults,
  validate,
  validateUpdate,
  hasStatus: false,
  hasSpec: false,
};
