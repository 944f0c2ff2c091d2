/**
 * core/v1 Event (model CoreV1Event): involvedObject.namespace must match the event's namespace;
 * the upstream field selectors (involvedObject.*, reason, source, type, reportingComponent).
 */
import type { FieldError } from '../../../machinery/errors.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { coreResource, selectable } from './core-resource.js';
import { asObj, asString, invalid } from './validation-helpers.js';

function validate(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const involved = asObj(obj.involvedObject) ?? {};
  const ns = asString(obj.metadata?.namespace);
  const ions = asString(involved.namespace);
  if (ions && ns && ions !== ns) errs.push(invalid('involvedObject.namespace', ions, 'does not match event.namespace'));
  return errs;
}

const involved = (field: string) => (o: KubeObject): string => selectable(o, 'involvedObject', field);

export const event: KindDefinition = {
  resource: coreResource('Event', { plural: 'events', namespaced: true, shortNames: ['ev'] }),
  model: 'CoreV1Event',
  validate,
  hasStatus: false,
  hasSpec: false,
  fieldSelectors: {
    'involvedObject.kind': involved('kind'),
    'involvedObject.namespace': involved('namespace'),
    'involvedObject.name': involved('name'),
    'involvedObject.uid': involved('uid'),
    'involvedObject.apiVersion': involved('apiVersion'),
    'involvedObject.resourceVersion': involved('resourceVersion'),
    'involvedObject.fieldPath': involved('fieldPath'),
    reason: (o) => selectable(o, 'reason'),
    reportingComponent: (o) => selectable(o, 'reportingComponent'),
    source: (o) => selectable(o, 'source', 'component'),
    type: (o) => selectable(o, 'type'),
  },
};
