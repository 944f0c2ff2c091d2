/**
 * apiextensions.k8s.io/v1 CustomResourceDefinition: cluster-scoped, status subresource, short names
 * crd/crds, category api-extensions; upstream's defaults and validation (validate-crd.ts). The
 * objects it defines are served by the registry's CRD controller (src/registry/kinds/crd.ts).
 */
import type { FieldError } from '../../machinery/errors.js';
import { resourceInfo } from '../kinds/common/resource.js';
import type { KindDefinition, KubeObject } from '../types.js';
import { CRD_GROUP } from './types.js';
import { defaultCRD, validateCRD, validateCRDUpdate, validateNames } from './validate-crd.js';
import { asCRD } from './types.js';
import { path } from '../../machinery/errors.js';

export const customResourceDefinition: KindDefinition = {
  resource: resourceInfo(CRD_GROUP, 'v1', 'CustomResourceDefinition', {
    plural: 'customresourcedefinitions',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    subresources: ['status'],
  }),
  model: 'V1CustomResourceDefinition',
  hasStatus: true,
  hasSpec: true,
  // apiextensions validates metadata with apimachinery's ValidateObjectMeta: no core finalizer-name rule.
  customResource: true,
  defaults: defaultCRD,
  validate: validateCRD,
  validateUpdate: validateCRDUpdate,
  validateStatus(obj: KubeObject): FieldError[] {
    const names = asCRD(obj).status?.acceptedNames;
    return names ? validateNames(names, path('status').child('acceptedNames')) : [];
  },
};
