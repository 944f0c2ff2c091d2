/**
 * core/v1 PersistentVolume and PersistentVolumeClaim: upstream defaults (reclaim policy Retain,
 * volumeMode Filesystem, phase Pending), required capacity / access modes / one volume source,
 * and the claim's immutable spec (only resources.requests may grow; volumeName set once).
 */
import type { FieldError } from '../../../machinery/errors.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { schemaFor } from '../../schema.js';
import { at, coreResource } from './core-resource.js';
import { deepEqual } from './pod-validation.js';
import {
  asArray, asObj, asString, checkDNSSubdomain, checkEnum, forbidden, invalid, quantityValue, required, type Obj,
} from './validation-helpers.js';

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const VOLUME_MODES = ['Block', 'Filesystem'];
const PV_NON_SOURCE_FIELDS = new Set([
  'accessModes', 'capacity', 'claimRef', 'mountOptions', 'nodeAffinity', 'persistentVolumeReclaimPolicy',
  'storageClassName', 'volumeAttributesClassName', 'volumeMode',
]);

let pvSources: string[] | undefined;
const pvSourceNames = (): string[] =>
  (pvSources ??= Object.keys(schemaFor('V1PersistentVolumeSpec').properties).filter((k) => !PV_NON_SOURCE_FIELDS.has(k)));

function ensure(obj: KubeObject, key: string): Obj {
  return asObj(obj[key]) ?? (obj[key] = {} as Obj);
}

function validateAccessModes(modes: unknown, fld: string): FieldError[] {
  const list = asArray(modes);
  if (list.length === 0) return [required(fld, 'at least 1 access mode is required')];
  const errs = list.flatMap((m) => checkEnum(fld, m, ACCESS_MODES));
  if (list.includes('ReadWriteOncePod') && list.length > 1) errs.push(forbidden(fld, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

function pvDefaults(obj: KubeObject): void {
  const spec = ensure(obj, 'spec');
  if (!spec.persistentVolumeReclaimPolicy) spec.persistentVolumeReclaimPolicy = 'Retain';
  if (!spec.volumeMode) spec.volumeMode = 'Filesystem';
  const hostPath = asObj(spec.hostPath);
  if (hostPath && hostPath.type === undefined) hostPath.type = '';
  const status = ensure(obj, 'status');
  if (!status.phase) status.phase = 'Pending';
}

function pvValidate(obj: KubeObject): FieldError[] {
  const spec = asObj(obj.spec) ?? {};
  const errs = validateAccessModes(spec.accessModes, 'spec.accessModes');
  const capacity = asObj(spec.capacity);
  if (!capacity || Object.keys(capacity).length === 0) errs.push(required('spec.capacity'));
  else if (capacity.storage === undefined) errs.push({ type: 'NotSupported', field: 'spec.capacity', value: Object.keys(capacity)[0], detail: 'supported values: "storage"' });
  const sources = pvSourceNames().filter((k) => spec[k] !== undefined);
  if (sources.length === 0) errs.push(required('spec', 'must specify a volume type'));
  for (const extra of sources.slice(1)) errs.push(forbidden(`spec.${extra}`, 'may not specify more than 1 volume type'));
  if (spec.persistentVolumeReclaimPolicy !== undefined) {
    errs.push(...checkEnum('spec.persistentVolumeReclaimPolicy', spec.persistentVolumeReclaimPolicy, ['Delete', 'Recycle', 'Retain']));
  }
  if (spec.volumeMode !== undefined) errs.push(...checkEnum('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  if (asString(spec.storageClassName)) errs.push(...checkDNSSubdomain('spec.storageClassName', asString(spec.storageClassName)));
  const hostPath = asObj(spec.hostPath);
  if (hostPath && !asString(hostPath.path)) errs.push(required('spec.hostPath.path'));
  return errs;
}

export const persistentVolume: KindDefinition = {
  resource: coreResource('PersistentVolume', { plural: 'persistentvolumes', namespaced: false, shortNames: ['pv'], subresources: ['status'] }),
  model: 'V1PersistentVolume',
  defaults: pvDefaults,
  validate: pvValidate,
  validateUpdate: (obj, old) => (deepEqual(at(obj, 'spec', 'volumeMode'), at(old, 'spec', 'volumeMode')) ? [] : [invalid('spec.volumeMode', at(obj, 'spec', 'volumeMode'), 'field is immutable')]),
  hasStatus: true,
  hasSpec: false,
};

function pvcDefaults(obj: KubeObject): void {
  const spec = ensure(obj, 'spec');
  if (!spec.volumeMode) spec.volumeMode = 'Filesystem';
  const status = ensure(obj, 'status');
  if (!status.phase) status.phase = 'Pending';
}

function pvcValidate(obj: KubeObject): FieldError[] {
  const spec = asObj(obj.spec) ?? {};
  const errs = validateAccessModes(spec.accessModes, 'spec.accessModes');
  const storage = asObj(asObj(spec.resources)?.requests)?.storage;
  if (storage === undefined) errs.push(required('spec.resources[storage]'));
  else if ((quantityValue(storage) ?? 0) <= 0) errs.push(invalid('spec.resources[storage]', storage, 'must be greater than zero'));
  if (spec.volumeMode !== undefined) errs.push(...checkEnum('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  if (asString(spec.storageClassName)) errs.push(...checkDNSSubdomain('spec.storageClassName', asString(spec.storageClassName)));
  return errs;
}

function pvcValidateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const spec = asObj(obj.spec) ?? {};
  const oldSpec = asObj(old.spec) ?? {};
  // Compare with what may change copied from the old spec.
  const comparable: Obj = { ...spec, resources: oldSpec.resources, volumeAttributesClassName: oldSpec.volumeAttributesClassName };
  if (!oldSpec.volumeName) comparable.volumeName = oldSpec.volumeName;
  // A claim without a class may be given one (the default class, retroactively, as upstream 1.28+).
  if (oldSpec.storageClassName == null) comparable.storageClassName = oldSpec.storageClassName;
  const errs: FieldError[] = [];
  if (!deepEqual(comparable, oldSpec)) {
    errs.push(forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
  }
  const newStorage = quantityValue(asObj(asObj(spec.resources)?.requests)?.storage);
  const oldStorage = quantityValue(asObj(asObj(oldSpec.resources)?.requests)?.storage);
  if (newStorage !== undefined && oldStorage !== undefined && newStorage < oldStorage) {
    errs.push(forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
  }
  return errs;
}

export const persistentVolumeClaim: KindDefinition = {
  resource: coreResource('PersistentVolumeClaim', { plural: 'persistentvolumeclaims', namespaced: true, shortNames: ['pvc'], subresources: ['status'] }),
  model: 'V1PersistentVolumeClaim',
  defaults: pvcDefaults,
  validate: pvcValidate,
  validateUpdate: pvcValidateUpdate,
  hasStatus: true,
  hasSpec: false,
};
