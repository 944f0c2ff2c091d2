import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, matchPodFailurePolicy } from './failure-policy.js';
import { formatIndexes, indexesToCreate, parseIndexes } from './indexed.js';
import { jobPod } from './manage-pods.js';
import { pastBackoffLimitOnFailure } from './sync.js';
import type { Job, Pod } from './types.js';

const failedPod = (exitCode: number, conditions: Array<{ type: string; status: 'True' | 'False' }> = []): Pod => ({
  metadata: { name: 'p' },
  status: { phase: 'Failed', conditions, containerStatuses: [{ name: 'main', state: { terminated: { exitCode } } }] },
});

describe('Job helpers', () => {
  it('formats and parses completed indexes as intervals', () => {
    assert.equal(formatIndexes([5, 0, 2, 1, 7, 6]), '0-2,5-7');
    assert.equal(formatIndexes([]), '');
    assert.deepEqual([...parseIndexes('0-2,5', 10)].sort(), [0, 1, 2, 5]);
    assert.deepEqual([...parseIndexes('3-6', 5)].sort(), [3, 4]);
    assert.deepEqual(indexesToCreate(5, new Set([0, 2]), new Set([1]), 2), [3, 4]);
  });
  it('backs off 10s doubling, capped at 6 minutes', () => {
    assert.deepEqual([0, 1, 2, 3, 6, 20].map((n) => backoffDelay(n)), [0, 10_000, 20_000, 40_000, 320_000, 360_000]);
  });
  it('matches pod failure policy rules in order', () => {
    const rules = [
      { action: 'Ignore' as const, onPodConditions: [{ type: 'DisruptionTarget' }] },
      { action: 'FailJob' as const, onExitCodes: { operator: 'In' as const, values: [42] } },
      { action: 'Count' as const, onExitCodes: { operator: 'NotIn' as const, values: [1] } },
    ];
    assert.deepEqual(matchPodFailurePolicy(rules, failedPod(42)), { action: 'FailJob', rule: 1 });
    assert.deepEqual(matchPodFailurePolicy(rules, failedPod(42, [{ type: 'DisruptionTarget', status: 'True' }])), { action: 'Ignore', rule: 0 });
    assert.deepEqual(matchPodFailurePolicy(rules, failedPod(3)), { action: 'Count', rule: 2 });
    assert.equal(matchPodFailurePolicy(rules, failedPod(1)), undefined);
  });
  it('builds indexed pods with index annotation, label, hostname and env', () => {
    const job: Job = {
      metadata: { name: 'work', namespace: 'ns', uid: 'u1' },
      spec: { completionMode: 'Indexed', template: { metadata: { labels: { 'batch.kubernetes.io/job-name': 'work' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    };
    const pod = jobPod(job, 3);
    assert.equal(pod.metadata.generateName, 'work-3-');
    assert.equal(pod.metadata.annotations?.['batch.kubernetes.io/job-completion-index'], '3');
    assert.equal(pod.metadata.labels?.['batch.kubernetes.io/job-completion-index'], '3');
    assert.equal(pod.metadata.labels?.['batch.kubernetes.io/job-name'], 'work');
    assert.deepEqual(pod.metadata.finalizers, ['batch.kubernetes.io/job-tracking']);
    assert.equal((pod.spec as { hostname?: string }).hostname, 'work-3');
    assert.equal(pod.metadata.ownerReferences?.[0]?.uid, 'u1');
    assert.equal((job.spec.template.spec as { containers: Array<{ env?: unknown }> }).containers[0]?.env, undefined, 'template untouched');
  });
  it('counts container restarts against backoffLimit with restartPolicy OnFailure', () => {
    const job = (restartPolicy: string, backoffLimit: number): Job => ({ metadata: { name: 'j' }, spec: { backoffLimit, template: { spec: { restartPolicy } } } });
    const pod = (restartCount: number): Pod => ({ metadata: { name: 'p' }, status: { phase: 'Running', containerStatuses: [{ name: 'c', restartCount }] } });
    assert.equal(pastBackoffLimitOnFailure(job('OnFailure', 3), [pod(1), pod(1)]), false);
    assert.equal(pastBackoffLimitOnFailure(job('OnFailure', 3), [pod(2), pod(1)]), true);
    assert.equal(pastBackoffLimitOnFailure(job('OnFailure', 0), [pod(1)]), true);
    assert.equal(pastBackoffLimitOnFailure(job('Never', 0), [pod(5)]), false);
  });
});
