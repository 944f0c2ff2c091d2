/**
 * events.k8s.io/v1 Event: the structured event API (new-style recorders). Same storage as the core
 * `events` resource upstream (see convert.ts). Validation follows upstream ValidateEventCreate for
 * events.k8s.io/v1: eventTime, reportingController, reportingInstance, action and reason required,
 * type Normal or Warning, length limits, deprecated fields unset. Field selectors use this
 * version's names (regarding.*, reportingController) as upstream's events/v1 label conversion does.
 */
import type { FieldError } from '../../../machinery/errors.js';
import { path } from '../../../machinery/errors.js';
import { isQualifiedName } from '../../../machinery/names.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { resourceInfo } from '../common/resource.js';
import { invalidEach, invalidValue, required } from '../common/validation.js';

const MAX_REPORTING_INSTANCE = 128;
const MAX_ACTION = 128;
const MAX_REASON = 128;
const MAX_NOTE = 1024;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function validate(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (!obj.eventTime) errs.push(required(path('eventTime')));
  const type = str(obj.type);
  if (type !== 'Normal' && type !== 'Warning') errs.push(invalidValue(path('type'), '', `has invalid value: ${type}`));
  for (const [field, label] of [
    ['deprecatedFirstTimestamp', 'firstTimestamp'],
    ['deprecatedLastTimestamp', 'lastTimestamp'],
  ] as const) {
    if (obj[field]) errs.push(invalidValue(path(label), '', 'needs to be unset'));
  }
  if (typeof obj.deprecatedCount === 'number' && obj.deprecatedCount !== 0) errs.push(invalidValue(path('count'), '', 'needs to be unset'));
  const src = (obj.deprecatedSource ?? {}) as Record<string, unknown>;
  if (str(src.component) || str(src.host)) errs.push(invalidValue(path('source'), '', 'needs to be unset'));
  const controller = str(obj.reportingController);
  if (!controller) errs.push(required(path('reportingController')));
  else errs.push(...invalidEach(path('reportingController'), controller, isQualifiedName(controller)));
  const instance = str(obj.reportingInstance);
  if (!instance) errs.push(required(path('reportingInstance')));
  else if (instance.length > MAX_REPORTING_INSTANCE) errs.push(invalidValue(path('reportingInstance'), '', `can have at most ${MAX_REPORTING_INSTANCE} characters`));
  const action = str(obj.action);
  if (!action) errs.push(required(path('action')));
  else if (action.length > MAX_ACTION) errs.push(invalidValue(path('action'), '', `can have at most ${MAX_ACTION} characters`));
  const reason = str(obj.reason);
  if (!reason) errs.push(required(path('reason')));
  else if (reason.length > MAX_REASON) errs.push(invalidValue(path('reason'), '', `can have at most ${MAX_REASON} characters`));
  if (str(obj.note).length > MAX_NOTE) errs.push(invalidValue(path('note'), '', `can have at most ${MAX_NOTE} characters`));
  const series = obj.series as Record<string, unknown> | undefined;
  if (series) {
    if (typeof series.count !== 'number' || series.count < 2) errs.push(invalidValue(path('series.count'), '', 'should be at least 2'));
    if (!series.lastObservedTime) errs.push(required(path('series.lastObservedTime')));
  }
  const regarding = (obj.regarding ?? {}) as Record<string, unknown>;
  const ns = str(obj.metadata?.namespace);
  if (str(regarding.namespace) && ns && str(regarding.namespace) !== ns) {
    errs.push(invalidValue(path('regarding.namespace'), str(regarding.namespace), 'does not match event.namespace'));
  }
  return errs;
}

const regarding = (field: string) => (o: KubeObject): string => str(((o.regarding ?? {}) as Record<string, unknown>)[field]);

export const event: KindDefinition = {
  resource: resourceInfo('events.k8s.io', 'v1', 'Event', { plural: 'events', namespaced: true, shortNames: ['ev'] }),
  model: 'EventsV1Event',
  validate,
  hasStatus: false,
  hasSpec: false,
  fieldSelectors: {
    'regarding.kind': regarding('kind'),
    'regarding.namespace': regarding('namespace'),
    'regarding.name': regarding('name'),
    'regarding.uid': regarding('uid'),
    'regarding.apiVersion': regarding('apiVersion'),
    'regarding.resourceVersion': regarding('resourceVersion'),
    'regarding.fieldPath': regarding('fieldPath'),
    reason: (o) => str(o.reason),
    reportingController: (o) => str(o.reportingController),
    type: (o) => str(o.type),
  },
};
