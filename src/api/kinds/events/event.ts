/**
 * events.k8s.io/v1 Event: the structured event API (new-style recorders). Same storage as the core
 * `events` resource upstream (see convert.ts). Validation follows upstream ValidateEventCreate for
 * events.k8s.io/v1: eventTime, reportingController, reportingInstance, action and reason required,
 * type Normal or Warning, length limits, deprecated fields unset; error paths use the core field
 * names (message, count, source, involvedObject) exactly as upstream reports them. Field selectors use this
 * version's names (regarding.*, reportingController) as upstream's events/v1 label conversion does.
 */
import type { FieldError } from '../../../machinery/errors.js';
import { path } from '../../../machinery/errors.js';
import { isQualifiedName } from '../../../machinery/names.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { resourceInfo } from '../common/resource.js';
import { immutable, invalidEach, invalidValue, required } from '../common/validation.js';
import { eventsV1ToCore } from './convert.js';

const MAX_REPORTING_INSTANCE = 128;
const MAX_ACTION = 128;
const MAX_REASON = 128;
const MAX_NOTE = 1024;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** upstream legacyValidateEvent for an event with eventTime set (field names are the core ones, as upstream reports them). */
function validateLegacy(core: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const ns = str(core.metadata?.namespace);
  const involvedNs = str(((core.involvedObject ?? {}) as Record<string, unknown>).namespace);
  const mismatch = core.eventTime ? !involvedNs && ns !== 'default' && ns !== 'kube-system' : involvedNs ? ns !== involvedNs : ns !== '' && ns !== 'default';
  if (mismatch) errs.push(invalidValue(path('involvedObject.namespace'), involvedNs, 'does not match event.namespace'));
  if (!core.eventTime) return errs;
  const controller = str(core.reportingComponent);
  if (!controller) errs.push(required(path('reportingController')));
  errs.push(...invalidEach(path('reportingController'), controller, controller ? isQualifiedName(controller) : []));
  const limited: Array<[string, string, number]> = [
    ['reportingInstance', str(core.reportingInstance), MAX_REPORTING_INSTANCE],
    ['action', str(core.action), MAX_ACTION],
    ['reason', str(core.reason), MAX_REASON],
  ];
  for (const [field, value, max] of limited) {
    if (!value) errs.push(required(path(field)));
    if (value.length > max) errs.push(invalidValue(path(field), '', `can have at most ${max} characters`));
  }
  if (str(core.message).length > MAX_NOTE) errs.push(invalidValue(path('message'), '', `can have at most ${MAX_NOTE} characters`));
  return errs;
}

/** upstream validateV1EventSeries. */
function validateSeries(core: KubeObject): FieldError[] {
  const series = core.series as Record<string, unknown> | undefined;
  if (!series) return [];
  const errs: FieldError[] = [];
  if (typeof series.count !== 'number' || series.count < 2) errs.push(invalidValue(path('series.count'), '', 'should be at least 2'));
  if (!series.lastObservedTime) errs.push(required(path('series.lastObservedTime')));
  return errs;
}

/** upstream ValidateEventCreate for events.k8s.io/v1 requests. */
function validate(obj: KubeObject): FieldError[] {
  const core = eventsV1ToCore(obj);
  const errs = [...validateLegacy(core), ...validateSeries(core)];
  if (!core.eventTime) errs.push(required(path('eventTime')));
  const type = str(core.type);
  if (type !== 'Normal' && type !== 'Warning') errs.push(invalidValue(path('type'), '', `has invalid value: ${type}`));
  if (core.firstTimestamp) errs.push(invalidValue(path('firstTimestamp'), '', 'needs to be unset'));
  if (core.lastTimestamp) errs.push(invalidValue(path('lastTimestamp'), '', 'needs to be unset'));
  if (typeof core.count === 'number' && core.count !== 0) errs.push(invalidValue(path('count'), '', 'needs to be unset'));
  const src = (core.source ?? {}) as Record<string, unknown>;
  if (str(src.component) || str(src.host)) errs.push(invalidValue(path('source'), '', 'needs to be unset'));
  return errs;
}

/** upstream ValidateEventUpdate for events.k8s.io/v1: what happened, to what and by whom is fixed. */
function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const now = eventsV1ToCore(obj);
  const before = eventsV1ToCore(old);
  const fields = ['involvedObject', 'reason', 'message', 'source', 'firstTimestamp', 'lastTimestamp', 'count', 'type', 'eventTime', 'action', 'related', 'reportingComponent', 'reportingInstance'];
  const errs: FieldError[] = [];
  for (const f of fields) {
    const label = f === 'reportingComponent' ? 'reportingController' : f;
    errs.push(...immutable(now[f], before[f], path(label)));
  }
  return errs;
}

const regarding = (field: string) => (o: KubeObject): string => str(((o.regarding ?? {}) as Record<string, unknown>)[field]);

export const event: KindDefinition = {
  resource: resourceInfo('events.k8s.io', 'v1', 'Event', { plural: 'events', namespaced: true, shortNames: ['ev'] }),
  model: 'EventsV1Event',
  validate,
  validateUpdate,
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
