/** core/v1 PodTemplate: the template gets the PodSpec defaults and ValidatePodTemplateSpec. */
import type { KindDefinition } from '../../types.js';
import { coreResource } from './core-resource.js';
import { defaultPodSpec } from './pod-defaults.js';
import { validatePodTemplateSpec } from './pod-validation.js';
import { asObj } from './validation-helpers.js';

export const podTemplate: KindDefinition = {
  resource: coreResource('PodTemplate', { plural: 'podtemplates', namespaced: true }),
  model: 'V1PodTemplate',
  defaults: (obj) => {
    const spec = asObj(asObj(obj.template)?.spec);
    if (spec) defaultPodSpec(spec);
  },
  validate: (obj) => validatePodTemplateSpec(obj.template, 'template'),
  hasStatus: false,
  hasSpec: false,
};
