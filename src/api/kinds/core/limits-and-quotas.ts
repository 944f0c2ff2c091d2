/**
 * core/v1 LimitRange and ResourceQuota: SetDefaults_LimitRangeItem (container default and
 * defaultRequest from max/default/min), valid limit types and quantities with min <= default <= max;
 * quota hard/used quantities non-negative and scopes known.
 */
import type { FieldError } from '../../../machinery/errors.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { coreResource } from './core-resource.js';
import { asArray, asObj, checkEnum, invalid, quantityValue, QUANTITY_PATTERN_MESSAGE, type Obj } from './validation-helpers.js';

function limitRangeDefaults(obj: KubeObject): void {
  for (const raw of asArray(asObj(obj.spec)?.limits)) {
    const item = asObj(raw);
    if (!item || item.type !== 'Container') continue;
    const def = asObj(item.default) ?? {};
    const defReq = asObj(item.defaultRequest) ?? {};
    for (const [k, v] of Object.entries(asObj(item.max) ?? {})) if (!(k in def)) def[k] = v;
    for (const [k, v] of Object.entries(def)) if (!(k in defReq)) defReq[k] = v;
    for (const [k, v] of Object.entries(asObj(item.min) ?? {})) if (!(k in defReq)) defReq[k] = v;
    if (Object.keys(def).length > 0) item.default = def;
    if (Object.keys(defReq).length > 0) item.defaultRequest = defReq;
  }
}

/** Each quantity parses and is not negative. */
function checkQuantities(list: Obj | undefined, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, q] of Object.entries(list ?? {})) {
    const v = quantityValue(q);
    if (v === undefined) errs.push(invalid(`${fld}[${k}]`, q, QUANTITY_PATTERN_MESSAGE));
    else if (v < 0) errs.push(invalid(`${fld}[${k}]`, q, 'must be greater than or equal to 0'));
  }
  return errs;
}

function limitRangeValidate(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  asArray(asObj(obj.spec)?.limits).forEach((raw, i) => {
    const item = asObj(raw) ?? {};
    const f = `spec.limits[${i}]`;
    errs.push(...checkEnum(`${f}.type`, item.type, ['Container', 'PersistentVolumeClaim', 'Pod']));
    const min = asObj(item.min) ?? {};
    const max = asObj(item.max) ?? {};
    const def = asObj(item.default) ?? {};
    for (const k of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const) errs.push(...checkQuantities(asObj(item[k]), `${f}.${k}`));
    for (const [r, q] of Object.entries(min)) {
      const mx = max[r];
      if (mx !== undefined && (quantityValue(q) ?? 0) > (quantityValue(mx) ?? 0)) {
        errs.push(invalid(`${f}.min[${r}]`, q, `min value ${String(q)} is greater than max value ${String(mx)}`));
      }
    }
    for (const [r, q] of Object.entries(def)) {
      if (max[r] !== undefined && (quantityValue(q) ?? 0) > (quantityValue(max[r]) ?? 0)) {
        errs.push(invalid(`${f}.default[${r}]`, q, `default value ${String(q)} is greater than max value ${String(max[r])}`));
      }
      if (min[r] !== undefined && (quantityValue(q) ?? 0) < (quantityValue(min[r]) ?? 0)) {
        errs.push(invalid(`${f}.default[${r}]`, q, `min value ${String(min[r])} is greater than default value ${String(q)}`));
      }
    }
  });
  return errs;
}

export const limitRange: KindDefinition = {
  resource: coreResource('LimitRange', { plural: 'limitranges', namespaced: true, shortNames: ['limits'] }),
  model: 'V1LimitRange',
  defaults: limitRangeDefaults,
  validate: limitRangeValidate,
  hasStatus: false,
  hasSpec: false,
};

const QUOTA_SCOPES = ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass', 'Terminating', 'VolumeAttributesClass'];

function quotaValidate(obj: KubeObject): FieldError[] {
  const spec = asObj(obj.spec) ?? {};
  const errs = checkQuantities(asObj(spec.hard), 'spec.hard');
  asArray(spec.scopes).forEach((s, i) => errs.push(...checkEnum(`spec.scopes[${i}]`, s, QUOTA_SCOPES)));
  return errs;
}

function quotaValidateStatus(obj: KubeObject): FieldError[] {
  const status = asObj(obj.status) ?? {};
  return [...checkQuantities(asObj(status.hard), 'status.hard'), ...checkQuantities(asObj(status.used), 'status.used')];
}

export const resourceQuota: KindDefinition = {
  resource: coreResource('ResourceQuota', { plural: 'resourcequotas', namespaced: true, shortNames: ['quota'], subresources: ['status'] }),
  model: 'V1ResourceQuota',
  validate: quotaValidate,
  validateStatus: quotaValidateStatus,
  hasStatus: true,
  hasSpec: false,
};
