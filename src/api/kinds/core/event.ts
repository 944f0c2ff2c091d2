/**
 * core/v1 Event (model CoreV1Event): involvedObject.namespace must match the event's namespace;
 * the upstream field selectors (involvedObject.*, reason, source, type, reportingComponent).
 */
import type { FieldError } from '../../../machinery/errors.js';
import { fieldDoc, since } from '../../table.js';
import type { KindDefinition, KubeObject, TableColumn } from '../../types.js';
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

/** printEvent: timestamps fall back to eventTime / series, the object as `kind/name`. */
function eventCells(o: KubeObject, now: number): { last: string; first: string; count: number } {
  const first = o.firstTimestamp ? since(o.firstTimestamp, now) : since(o.eventTime, now);
  let last = o.lastTimestamp ? since(o.lastTimestamp, now) : first;
  let count = typeof o.count === 'number' ? o.count : 0;
  const series = asObj(o.series);
  if (series) {
    last = since(series.lastObservedTime, now);
    count = typeof series.count === 'number' ? series.count : 0;
  } else if (count === 0) count = 1;
  return { last, first, count };
}

function eventSource(o: KubeObject): string {
  const source = asObj(o.source) ?? {};
  const [component, instance] = asString(source.component)
    ? [asString(source.component), asString(source.host)]
    : [asString(o.reportingComponent), asString(o.reportingInstance)];
  return instance ? `${component}, ${instance}` : component;
}

function eventColumns(): TableColumn[] {
  const doc = (f: string): string => fieldDoc('CoreV1Event', f);
  const text = (name: string, description: string, cell: (o: KubeObject, now: number) => string | number, priority = 0): TableColumn => ({
    name, type: 'string', description, priority, cell,
  });
  return [
    text('Last Seen', doc('lastTimestamp'), (o, now) => eventCells(o, now).last),
    text('Type', doc('type'), (o) => asString(o.type)),
    text('Reason', doc('reason'), (o) => asString(o.reason)),
    text('Object', doc('involvedObject'), (o) => {
      const io = asObj(o.involvedObject) ?? {};
      const kind = asString(io.kind).toLowerCase();
      return asString(io.name) ? `${kind}/${asString(io.name)}` : kind;
    }),
    text('Subobject', fieldDoc('V1ObjectReference', 'fieldPath'), (o) => asString(asObj(o.involvedObject)?.fieldPath), 1),
    text('Source', doc('source'), eventSource, 1),
    text('Message', doc('message'), (o) => asString(o.message).trim()),
    text('First Seen', doc('firstTimestamp'), (o, now) => eventCells(o, now).first, 1),
    text('Count', doc('count'), (o, now) => eventCells(o, now).count, 1),
    { name: 'Name', type: 'string', format: 'name', priority: 1, description: fieldDoc('V1ObjectMeta', 'name'), cell: (o) => o.metadata?.name ?? '' },
  ];
}

const involved = (field: string) => (o: KubeObject): string => selectable(o, 'involvedObject', field);

export const event: KindDefinition = {
  resource: coreResource('Event', { plural: 'events', namespaced: true, shortNames: ['ev'] }),
  model: 'CoreV1Event',
  validate,
  hasStatus: false,
  hasSpec: false,
  columns: eventColumns(),
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
