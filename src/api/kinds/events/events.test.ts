import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { fieldErrorMessage, type FieldError } from '../../../machinery/errors.js';
import type { KubeObject } from '../../types.js';
import { coreToEventsV1, event, eventsV1ToCore } from './index.js';

const messages = (errs: FieldError[]): string[] => errs.map(fieldErrorMessage);

function newEvent(): KubeObject {
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: 'web.1', namespace: 'default' },
    eventTime: '2026-01-01T00:00:00.000000Z',
    reportingController: 'skiff.dev/scheduler',
    reportingInstance: 'scheduler-1',
    action: 'Binding',
    reason: 'Scheduled',
    type: 'Normal',
    note: 'assigned default/web to node-1',
    regarding: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1', apiVersion: 'v1' },
  };
}

test('events.k8s.io/v1 <-> core/v1 conversion renames fields and round-trips', () => {
  const v1 = newEvent();
  const core = eventsV1ToCore(v1);
  assert.equal(core.apiVersion, 'v1');
  assert.deepEqual(core.involvedObject, v1.regarding);
  assert.equal(core.message, v1.note);
  assert.equal(core.reportingComponent, 'skiff.dev/scheduler');
  assert.equal(core.regarding, undefined);
  assert.deepEqual(coreToEventsV1(core), v1);
  const legacy = coreToEventsV1({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'x' }, count: 3, source: { component: 'kubelet' }, firstTimestamp: 't' });
  assert.deepEqual(legacy, { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'x' }, deprecatedCount: 3, deprecatedSource: { component: 'kubelet' }, deprecatedFirstTimestamp: 't' });
});

test('events.k8s.io/v1 validation as upstream (core field names in paths)', () => {
  assert.deepEqual(event.validate?.(newEvent()), []);
  const bad: KubeObject = { metadata: { name: 'x', namespace: 'dev' }, type: 'Info', deprecatedCount: 2, deprecatedSource: { host: 'n1' }, regarding: { kind: 'Pod', namespace: 'other' } };
  assert.deepEqual(messages(event.validate?.(bad) ?? []), [
    'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
    'eventTime: Required value',
    'type: Invalid value: "": has invalid value: Info',
    'count: Invalid value: "": needs to be unset',
    'source: Invalid value: "": needs to be unset',
  ]);
  const noReporter = newEvent();
  delete noReporter.reportingController;
  noReporter.action = 'x'.repeat(129);
  noReporter.series = { count: 1 };
  assert.deepEqual(messages(event.validate?.(noReporter) ?? []), [
    'reportingController: Required value',
    'action: Invalid value: "": can have at most 128 characters',
    'series.count: Invalid value: "": should be at least 2',
    'series.lastObservedTime: Required value',
  ]);
});

test('events.k8s.io/v1 update: series may change, the rest is fixed; field selectors use v1 names', () => {
  const old = newEvent();
  const now: KubeObject = { ...structuredClone(old), series: { count: 2, lastObservedTime: '2026-01-01T00:01:00.000000Z' } };
  assert.deepEqual(event.validateUpdate?.(now, old), []);
  now.note = 'changed';
  now.reportingController = 'other';
  assert.deepEqual(
    (event.validateUpdate?.(now, old) ?? []).map((e) => `${e.field}: ${e.detail}`),
    ['message: field is immutable', 'reportingController: field is immutable'],
  );
  assert.equal(event.fieldSelectors?.['regarding.name']?.(old), 'web');
  assert.equal(event.fieldSelectors?.reportingController?.(old), 'skiff.dev/scheduler');
  assert.deepEqual(event.resource.shortNames, ['ev']);
});
