import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { fieldErrorMessage, type FieldError } from '../../../machinery/errors.js';
import type { KubeObject } from '../../types.js';
import { cronJob, cronScheduleError, job, kinds, parseCronSchedule, prepareJobForCreate } from './index.js';

const messages = (errs: FieldError[]): string[] => errs.map(fieldErrorMessage);
const UID = '6f1c2c1e-1111-2222-3333-444455556666';

function minimalJob(): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34' }] } } },
  };
}

/** What the registry does on create: assign the uid, default (which generates the selector), validate. */
function createJob(obj: KubeObject): FieldError[] {
  (obj.metadata as Record<string, unknown>).uid = UID;
  job.defaults?.(obj);
  return job.validate?.(obj) ?? [];
}

test('prepareJobForCreate on its own generates the same selector and labels, idempotently', () => {
  const viaDefaults = minimalJob();
  createJob(viaDefaults);
  const manual = minimalJob();
  job.defaults?.(manual);
  assert.equal((manual.spec as Record<string, any>).selector, undefined, 'no uid yet: nothing generated');
  (manual.metadata as Record<string, unknown>).uid = UID;
  prepareJobForCreate(manual, UID);
  prepareJobForCreate(manual, UID);
  assert.deepEqual(manual.spec, viaDefaults.spec);
  job.defaults?.(manual); // defaulting the stored object again, as upstream does on read
  assert.deepEqual(manual, viaDefaults);
});

test('a minimal Job becomes upstream\'s defaulted object with a generated selector', () => {
  const obj = minimalJob();
  assert.deepEqual(createJob(obj), []);
  const generated = { 'batch.kubernetes.io/controller-uid': UID, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': UID, 'job-name': 'pi' };
  // as served upstream (defaulting runs again on the stored object): the Job carries its template's labels
  assert.deepEqual(obj.metadata?.labels, generated);
  assert.deepEqual(obj.spec, {
    backoffLimit: 6,
    completionMode: 'NonIndexed',
    completions: 1,
    manualSelector: false,
    parallelism: 1,
    podReplacementPolicy: 'TerminatingOrFailed',
    selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': UID } },
    suspend: false,
    template: {
      metadata: { labels: generated },
      spec: {
        containers: [{ image: 'perl:5.34', imagePullPolicy: 'IfNotPresent', name: 'pi', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
        dnsPolicy: 'ClusterFirst',
        restartPolicy: 'Never',
        schedulerName: 'default-scheduler',
        securityContext: {},
        terminationGracePeriodSeconds: 30,
      },
    },
  });
});

test('Job labels default from template labels and share the generated ones', () => {
  const obj = minimalJob();
  ((obj.spec as Record<string, any>).template as Record<string, unknown>).metadata = { labels: { app: 'pi' } };
  assert.deepEqual(createJob(obj), []);
  assert.deepEqual(obj.metadata?.labels, { app: 'pi', 'job-name': 'pi', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': UID, 'batch.kubernetes.io/controller-uid': UID });
});

test('Job: podFailurePolicy switches podReplacementPolicy default to Failed; backoffLimitPerIndex to MaxInt32', () => {
  const obj = minimalJob();
  Object.assign(obj.spec as object, { podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] }, backoffLimitPerIndex: 1 });
  job.defaults?.(obj);
  const spec = obj.spec as Record<string, any>;
  assert.equal(spec.podReplacementPolicy, 'Failed');
  assert.equal(spec.backoffLimit, 2147483647);
  assert.equal(spec.podFailurePolicy.rules[0].onPodConditions[0].status, 'True');
});

test('Job validation: restartPolicy, counters, completion mode, selector not auto-generated', () => {
  const obj = minimalJob();
  const spec = obj.spec as Record<string, any>;
  spec.template.spec.restartPolicy = 'Always';
  spec.parallelism = -1;
  spec.completionMode = 'Indexed';
  spec.selector = { matchLabels: { app: 'x' } };
  spec.template.metadata = { labels: { app: 'x' } };
  const msgs = messages(createJob(obj));
  for (const want of [
    'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    'spec.parallelism: Invalid value: -1: must be greater than or equal to 0',
    'spec.selector: Invalid value: {"matchLabels":{"app":"x","batch.kubernetes.io/controller-uid":"' + UID + '"}}: `selector` not auto-generated',
  ]) {
    assert.ok(msgs.includes(want), `missing ${want} in\n${msgs.join('\n')}`);
  }
  // completions was defaulted to... nothing: parallelism was set, so only parallelism stays.
  assert.ok(msgs.includes('spec.completions: Required value: when completion mode is Indexed'), msgs.join('\n'));
});

test('Job with manualSelector: selector required and must match template labels; wrong uid label rejected', () => {
  const obj = minimalJob();
  const spec = obj.spec as Record<string, any>;
  spec.manualSelector = true;
  spec.template.spec.restartPolicy = 'Sometimes';
  assert.deepEqual(messages(createJob(obj)), [
    // the first from the pod template validation (as upstream), the second from the Job's own rule
    'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "OnFailure", "Never"',
    'spec.selector: Required value',
  ]);
  const bad = minimalJob();
  (bad.spec as Record<string, any>).template.metadata = { labels: { 'controller-uid': 'someone-else' } };
  const msgs = messages(createJob(bad));
  assert.ok(msgs.includes(`spec.template.metadata.labels[controller-uid]: Invalid value: "someone-else": must be '${UID}'`), msgs.join('\n'));
});

test('Job update: completions, selector, template, completionMode immutable; status counters', () => {
  const old = minimalJob();
  createJob(old);
  const now = structuredClone(old);
  (now.spec as Record<string, any>).suspend = true;
  (now.spec as Record<string, any>).parallelism = 3;
  assert.deepEqual(job.validateUpdate?.(now, old), []);
  (now.spec as Record<string, any>).completions = 4;
  (now.spec as Record<string, any>).template.spec.containers[0].image = 'perl:6';
  assert.deepEqual(
    (job.validateUpdate?.(now, old) ?? []).map((e) => `${e.field}: ${e.detail}`),
    ['spec.completions: field is immutable', 'spec.template: field is immutable'],
  );
  now.status = { active: -1, succeeded: 2 };
  assert.deepEqual(messages(job.validateStatus?.(now, old) ?? []), ['status.active: Invalid value: -1: must be greater than or equal to 0']);
  assert.equal(job.fieldSelectors?.['status.successful']?.(now), '2');
});

function minimalCronJob(): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'hello', namespace: 'default' },
    spec: {
      schedule: '*/5 * * * *',
      jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'hello', image: 'busybox:1.36' }] } } } },
    },
  };
}

test('a minimal CronJob is defaulted as upstream (job template gets pod defaults, no Job defaults)', () => {
  const obj = minimalCronJob();
  cronJob.defaults?.(obj);
  const spec = obj.spec as Record<string, any>;
  assert.equal(spec.concurrencyPolicy, 'Allow');
  assert.equal(spec.suspend, false);
  assert.equal(spec.successfulJobsHistoryLimit, 3);
  assert.equal(spec.failedJobsHistoryLimit, 1);
  assert.equal(spec.jobTemplate.spec.backoffLimit, undefined);
  assert.equal(spec.jobTemplate.spec.template.spec.dnsPolicy, 'ClusterFirst');
  assert.deepEqual(cronJob.validate?.(obj), []);
});

test('CronJob validation: schedule, timeZone, concurrencyPolicy, generated selector, name length', () => {
  const obj = minimalCronJob();
  cronJob.defaults?.(obj);
  const spec = obj.spec as Record<string, any>;
  spec.schedule = '61 * * * *';
  spec.timeZone = 'Mars/Olympus';
  spec.concurrencyPolicy = 'Sometimes';
  spec.jobTemplate.spec.selector = { matchLabels: { a: 'b' } };
  (obj.metadata as Record<string, unknown>).name = 'x'.repeat(53);
  assert.deepEqual(messages(cronJob.validate?.(obj) ?? []), [
    'spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61',
    'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus',
    'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
    'spec.jobTemplate.spec.selector: Invalid value: {"matchLabels":{"a":"b"}}: `selector` will be auto-generated',
    `metadata.name: Invalid value: "${'x'.repeat(53)}": must be no more than 52 characters`,
  ]);
  spec.schedule = '';
  spec.timeZone = 'Local';
  const msgs = messages(cronJob.validate?.(obj) ?? []);
  assert.ok(msgs.includes('spec.schedule: Required value'));
  assert.ok(msgs.includes('spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  spec.schedule = 'TZ=UTC 0 * * * *';
  spec.timeZone = 'Europe/Berlin';
  assert.deepEqual(messages(cronJob.validate?.(obj) ?? []).slice(0, 1), ['spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead']);
  spec.schedule = '0 * * * *';
  spec.timeZone = '../etc/passwd';
  assert.ok(messages(cronJob.validate?.(obj) ?? []).includes('spec.timeZone: Invalid value: "../etc/passwd": unknown time zone ../etc/passwd'));
});

test('cron schedule parser: fields, ranges, steps, names, descriptors, errors', () => {
  for (const ok of ['* * * * *', '0 0 * * 0', '*/15 9-17 * * mon-fri', '0 0 1 jan,jul *', '@hourly', '@daily', '@every 1h30m', 'CRON_TZ=Asia/Tokyo 0 9 * * *', '5/10 * * * *']) {
    assert.equal(cronScheduleError(ok), undefined, ok);
  }
  assert.equal(cronScheduleError('* * * *'), 'expected exactly 4 fields, found 4: [* * * *]'.replace('exactly 4', 'exactly 5'));
  assert.equal(cronScheduleError('@sometimes'), 'unrecognized descriptor: @sometimes');
  assert.equal(cronScheduleError('x * * * *'), 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax');
  assert.equal(cronScheduleError('5-1 * * * *'), 'beginning of range (5) beyond end of range (1): 5-1');
  const s = parseCronSchedule('*/20 9-10 * * mon-fri');
  assert.deepEqual([...s.minute], [0, 20, 40]);
  assert.deepEqual([...s.hour], [9, 10]);
  assert.deepEqual([...s.dow], [1, 2, 3, 4, 5]);
  assert.equal(s.domStar, true);
  assert.equal(s.dowStar, false);
  assert.deepEqual([...parseCronSchedule('5/10 * * * *').minute], [5, 15, 25, 35, 45, 55]);
  assert.equal(parseCronSchedule('@every 90s').everyMs, 90000);
});

test('batch resource info', () => {
  const byPlural = Object.fromEntries(kinds.map((k) => [k.resource.plural, k.resource]));
  assert.deepEqual(byPlural.jobs?.shortNames, []);
  assert.deepEqual(byPlural.jobs?.categories, ['all']);
  assert.deepEqual(byPlural.cronjobs?.shortNames, ['cj']);
  assert.deepEqual(byPlural.cronjobs?.subresources, ['status']);
});

test('Job update: elastic Indexed completions; scheduling directives mutable only while suspended and never started', () => {
  const old = minimalJob();
  Object.assign(old.spec as object, { completionMode: 'Indexed', completions: 3, parallelism: 3, suspend: true });
  createJob(old);
  const grow = structuredClone(old);
  Object.assign(grow.spec as object, { completions: 5, parallelism: 5 });
  assert.deepEqual(job.validateUpdate?.(grow, old), []);
  (grow.spec as Record<string, any>).parallelism = 4;
  assert.deepEqual(messages(job.validateUpdate?.(grow, old) ?? []), ['spec.completions: Invalid value: 5: can only be modified in tandem with spec.parallelism']);

  const sched = structuredClone(old);
  const tpl = (sched.spec as Record<string, any>).template;
  tpl.spec.nodeSelector = { disk: 'ssd' };
  tpl.spec.tolerations = [{ key: 'k', operator: 'Exists' }];
  tpl.metadata.annotations = { a: 'b' };
  assert.deepEqual(job.validateUpdate?.(sched, old), []);
  const started = structuredClone(old);
  started.status = { startTime: '2026-01-01T00:00:00Z' };
  assert.deepEqual(
    (job.validateUpdate?.(sched, started) ?? []).map((e) => `${e.field}: ${e.detail}`),
    ['spec.template: field is immutable'],
  );
  tpl.spec.containers[0].image = 'perl:6';
  assert.deepEqual(
    (job.validateUpdate?.(sched, old) ?? []).map((e) => `${e.field}: ${e.detail}`),
    ['spec.template: field is immutable'],
  );
});
