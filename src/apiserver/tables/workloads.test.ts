import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { controllerRevisionPrinter, cronJobPrinter, daemonSetPrinter, deploymentPrinter, hpaPrinter, jobPrinter, replicaSetPrinter, replicationControllerPrinter, statefulSetPrinter } from './workloads.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const ago = (seconds: number): string => new Date(NOW - seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
const meta = (name: string, seconds = 3 * 86400) => ({ name, namespace: 'default', creationTimestamp: ago(seconds) });
const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'log', image: 'fluent-bit:3' }] } };

test('deployment: READY ready/desired, UP-TO-DATE, AVAILABLE, wide containers/images/selector', () => {
  const d: KubeObject = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('web', 5 * 86400 + 3 * 3600),
    spec: { replicas: 3, selector: { matchLabels: { app: 'web', tier: 'fe' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'canary'] }] }, template },
    status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
  };
  assert.deepEqual(deploymentPrinter.cells(d, NOW), ['web', '2/3', 3, 2, '5d3h', 'nginx,log', 'nginx:1.27,fluent-bit:3', 'app=web,env in (canary,prod),tier=fe']);
  assert.deepEqual(deploymentPrinter.columns.map((c) => [c.name, c.priority ?? 0]), [['Name', 0], ['Ready', 0], ['Up-to-date', 0], ['Available', 0], ['Age', 0], ['Containers', 1], ['Images', 1], ['Selector', 1]]);
  const fresh = { ...d, status: {} };
  assert.deepEqual(deploymentPrinter.cells(fresh, NOW).slice(1, 4), ['0/3', 0, 0]);
});

test('replicaset, replicationcontroller, statefulset, daemonset', () => {
  const rs: KubeObject = { metadata: meta('web-5d8f', 90), spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template }, status: { replicas: 2, readyReplicas: 1 } };
  assert.deepEqual(replicaSetPrinter.cells(rs, NOW), ['web-5d8f', 2, 2, 1, '90s', 'nginx,log', 'nginx:1.27,fluent-bit:3', 'app=web']);
  const rc: KubeObject = { metadata: meta('old', 600), spec: { replicas: 1, selector: { app: 'old' }, template }, status: { replicas: 1 } };
  assert.deepEqual(replicationControllerPrinter.cells(rc, NOW), ['old', 1, 1, 0, '10m', 'nginx,log', 'nginx:1.27,fluent-bit:3', 'app=old']);
  const sts: KubeObject = { metadata: meta('db', 7200), spec: { replicas: 3, template }, status: { readyReplicas: 3 } };
  assert.deepEqual(statefulSetPrinter.cells(sts, NOW), ['db', '3/3', '120m', 'nginx,log', 'nginx:1.27,fluent-bit:3']);
  const ds: KubeObject = {
    metadata: meta('agent', 4 * 3600 + 30 * 60),
    spec: { selector: { matchLabels: { app: 'agent' } }, template: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'a', image: 'agent:1' }] } } },
    status: { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 1, updatedNumberScheduled: 2, numberAvailable: 1 },
  };
  assert.deepEqual(daemonSetPrinter.cells(ds, NOW), ['agent', 2, 2, 1, 2, 1, 'kubernetes.io/os=linux', '4h30m', 'a', 'agent:1', 'app=agent']);
  const dsNoSelector = { ...ds, spec: { template: { spec: { containers: [] } } } };
  assert.deepEqual(daemonSetPrinter.cells(dsNoSelector, NOW).slice(6), ['<none>', '4h30m', '', '', '<none>']);
});

test('controllerrevision: CONTROLLER as lower-case kind.group/name', () => {
  const cr: KubeObject = { metadata: { ...meta('agent-7c9f', 60), ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'u', controller: true }] }, revision: 2 };
  assert.deepEqual(controllerRevisionPrinter.cells(cr, NOW), ['agent-7c9f', 'daemonset.apps/agent', 2, '60s']);
  assert.deepEqual(controllerRevisionPrinter.cells({ metadata: meta('x', 60), revision: 1 }, NOW), ['x', '<none>', 1, '60s']);
});

test('job: STATUS, COMPLETIONS, DURATION as upstream 1.32', () => {
  const base = { metadata: meta('pi', 300), spec: { completions: 3, parallelism: 1, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'abc' } }, template } };
  const running: KubeObject = { ...base, status: { startTime: ago(200), succeeded: 1, active: 1 } };
  assert.deepEqual(jobPrinter.cells(running, NOW), ['pi', 'Running', '1/3', '3m20s', '5m', 'nginx,log', 'nginx:1.27,fluent-bit:3', 'batch.kubernetes.io/controller-uid=abc']);
  const complete: KubeObject = { ...base, status: { startTime: ago(200), completionTime: ago(158), succeeded: 3, conditions: [{ type: 'Complete', status: 'True' }] } };
  assert.deepEqual(jobPrinter.cells(complete, NOW).slice(1, 4), ['Complete', '3/3', '42s']);
  const failed: KubeObject = { ...base, status: { conditions: [{ type: 'FailureTarget', status: 'True' }, { type: 'Failed', status: 'True' }] } };
  assert.deepEqual(jobPrinter.cells(failed, NOW).slice(1, 4), ['Failed', '0/3', '']);
  const suspended: KubeObject = { ...base, spec: { ...base.spec, completions: undefined, parallelism: 4 }, status: { conditions: [{ type: 'Suspended', status: 'True' }] } };
  assert.deepEqual(jobPrinter.cells(suspended, NOW).slice(1, 3), ['Suspended', '0/1 of 4']);
  const deleting: KubeObject = { ...base, metadata: { ...base.metadata, deletionTimestamp: ago(1) }, spec: { ...base.spec, completions: undefined } };
  assert.deepEqual(jobPrinter.cells(deleting, NOW).slice(1, 3), ['Terminating', '0/1']);
});

test('cronjob: SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE', () => {
  const cj: KubeObject = {
    metadata: meta('backup', 86400 * 10),
    spec: { schedule: '*/5 * * * *', suspend: false, jobTemplate: { spec: { template } } },
    status: { active: [{ name: 'backup-1' }], lastScheduleTime: ago(65) },
  };
  assert.deepEqual(cronJobPrinter.cells(cj, NOW), ['backup', '*/5 * * * *', '<none>', 'False', 1, '65s', '10d', 'nginx,log', 'nginx:1.27,fluent-bit:3', '<none>']);
  const tz = { ...cj, spec: { ...(cj.spec as object), timeZone: 'Etc/UTC', suspend: true }, status: {} };
  assert.deepEqual(cronJobPrinter.cells(tz, NOW).slice(2, 6), ['Etc/UTC', 'True', 0, '<none>']);
});

test('hpa: v2 metrics, v1 CPU target, REFERENCE and MINPODS', () => {
  const v2: KubeObject = {
    apiVersion: 'autoscaling/v2', metadata: meta('web', 3600),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
        { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '1k' } } },
      ],
    },
    status: { currentReplicas: 3, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 45, averageValue: '120m' } } }] },
  };
  assert.deepEqual(hpaPrinter.cells(v2, NOW), ['web', 'Deployment/web', 'cpu: 45%/80%, memory: <unknown>/500Mi + 1 more...', '2', 10, 3, '60m']);
  const v1: KubeObject = { apiVersion: 'autoscaling/v1', metadata: meta('api', 3600), spec: { scaleTargetRef: { kind: 'Deployment', name: 'api' }, maxReplicas: 5, targetCPUUtilizationPercentage: 50 }, status: { currentReplicas: 1 } };
  assert.deepEqual(hpaPrinter.cells(v1, NOW).slice(1, 5), ['Deployment/api', 'cpu: <unknown>/50%', '<unset>', 5]);
  const none = { ...v2, spec: { ...(v2.spec as object), metrics: [] } };
  assert.equal(hpaPrinter.cells(none, NOW)[2], '<none>');
});
