// Unit tests for admission's pure parts: resource arithmetic, LimitRanger defaults and messages,
// quota evaluators, scopes and the "must specify" constraint text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import { aggregateMessage, applyLimitRangeDefaults, podLimitViolations, pvcLimitViolations } from './limit-ranger.js';
import { matchesQuotaScopes, podConstraintError, quotaUsage, totalUsage } from '../../api/quota/evaluate.js';
import { fromResourceList, podTotal, prettyPrint, toResourceList } from '../../api/quota/resources.js';

const range = (...limits: unknown[]): KubeObject => ({ metadata: { name: 'lr' }, spec: { limits } }) as KubeObject;
const pod = (containers: unknown[], extra: Record<string, unknown> = {}): KubeObject => ({ metadata: { name: 'p' }, spec: { containers, ...extra } }) as KubeObject;
const c = (name: string, requests?: Record<string, string>, limits?: Record<string, string>): unknown => ({ name, resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) } });

describe('resource lists', () => {
  it('sums containers, takes the larger init container, prints canonically', () => {
    const spec = { containers: [c('a', { cpu: '250m', memory: '512Mi' }), c('b', { cpu: '0.75', memory: '512Mi' })], initContainers: [c('i', { cpu: '2' })] } as never;
    assert.deepEqual(fromResourceList(podTotal(spec, 'requests')), { cpu: '2', memory: '1Gi' });
    // Sidecars (restartable init containers) run alongside: they add to the sum and to later init phases.
    const sidecar = {
      containers: [c('a', { cpu: '1' })],
      initContainers: [{ ...(c('s', { cpu: '500m' }) as object), restartPolicy: 'Always' }, c('i', { cpu: '1200m' })],
      overhead: { cpu: '100m' },
    } as never;
    assert.equal(fromResourceList(podTotal(sidecar, 'requests')).cpu, '1800m');
    assert.equal(fromResourceList(podTotal(sidecar, 'requests', { overhead: false })).cpu, '1700m');
    assert.equal(prettyPrint(toResourceList({ pods: '1', 'requests.cpu': '1500m' })), 'pods=1,requests.cpu=1500m');
  });
});

describe('LimitRanger', () => {
  it('applies default limits and requests only where unset, with the annotation', () => {
    const p = pod([c('a', { cpu: '50m' }), c('b', undefined, { memory: '1Gi' })]);
    applyLimitRangeDefaults(p, [range({ type: 'Container', default: { cpu: '1', memory: '512Mi' }, defaultRequest: { cpu: '100m', memory: '256Mi' } })]);
    const [a, b] = (p.spec as { containers: Array<{ resources: unknown }> }).containers;
    assert.deepEqual(a!.resources, { requests: { cpu: '50m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } });
    assert.deepEqual(b!.resources, { limits: { memory: '1Gi', cpu: '1' }, requests: { cpu: '100m', memory: '256Mi' } });
    assert.equal(
      p.metadata!.annotations!['kubernetes.io/limit-ranger'],
      'LimitRanger plugin set: memory request for container a; cpu, memory limit for container a; cpu, memory request for container b; cpu limit for container b',
    );
  });

  it('reports min, max, missing limit and ratio breaches with upstream text', () => {
    const lr = range({ type: 'Container', min: { cpu: '100m' }, max: { memory: '1Gi' }, maxLimitRequestRatio: { cpu: '2' } });
    const errs = podLimitViolations(pod([c('a', { cpu: '50m' }, { cpu: '400m' })]), [lr]);
    assert.deepEqual(errs, [
      'minimum cpu usage per Container is 100m, but request is 50m',
      'maximum memory usage per Container is 1Gi.  No limit is specified',
      'cpu max limit to request ratio per Container is 2, but provided ratio is 8.000000',
    ]);
    assert.deepEqual(podLimitViolations(pod([c('a', { cpu: '200m', memory: '1Gi' }, { cpu: '400m', memory: '1Gi' })]), [lr]), []);
  });

  it('checks Pod items against the pod totals', () => {
    const lr = range({ type: 'Pod', max: { cpu: '1' } });
    const p = pod([c('a', { cpu: '600m' }, { cpu: '600m' }), c('b', { cpu: '600m' }, { cpu: '600m' })]);
    assert.deepEqual(podLimitViolations(p, [lr]), ['maximum cpu usage per Pod is 1, but limit is 1200m']);
  });

  it('bounds PVC storage requests', () => {
    const lr = range({ type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '2Gi' } });
    const pvc = (s: string): KubeObject => ({ metadata: { name: 'd' }, spec: { resources: { requests: { storage: s } } } }) as KubeObject;
    assert.deepEqual(pvcLimitViolations(pvc('500Mi'), [lr]), ['minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi']);
    assert.deepEqual(pvcLimitViolations(pvc('1Gi'), [lr]), []);
  });

  it('aggregates like utilerrors', () => {
    assert.equal(aggregateMessage(['x']), 'x');
    assert.equal(aggregateMessage(['x', 'y', 'x']), '[x, y]');
  });
});

describe('quota evaluators', () => {
  it('charges pods for counts and compute, not once terminal', () => {
    const p = pod([c('a', { cpu: '100m', memory: '1Gi' }, { cpu: '200m' })]);
    assert.deepEqual(fromResourceList(quotaUsage('', 'pods', p)), {
      'count/pods': '1', pods: '1', cpu: '100m', memory: '1Gi', 'requests.cpu': '100m', 'requests.memory': '1Gi', 'limits.cpu': '200m',
    });
    assert.deepEqual(quotaUsage('', 'pods', { ...p, status: { phase: 'Succeeded' } } as KubeObject), {});
    assert.deepEqual(fromResourceList(totalUsage('', 'pods', [p, p])), {
      'count/pods': '2', pods: '2', cpu: '200m', memory: '2Gi', 'requests.cpu': '200m', 'requests.memory': '2Gi', 'limits.cpu': '400m',
    });
  });

  it('charges services for node ports and load balancers, PVCs for storage by class, others by count', () => {
    const svc = { metadata: { name: 's' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }, { port: 443 }] } } as KubeObject;
    assert.deepEqual(fromResourceList(quotaUsage('', 'services', svc)), { 'count/services': '1', services: '1', 'services.nodeports': '2', 'services.loadbalancers': '1' });
    const pvc = { metadata: { name: 'd' }, spec: { storageClassName: 'fast', resources: { requests: { storage: '1Gi' } } } } as KubeObject;
    assert.deepEqual(fromResourceList(quotaUsage('', 'persistentvolumeclaims', pvc)), {
      'count/persistentvolumeclaims': '1', persistentvolumeclaims: '1', 'requests.storage': '1Gi',
      'fast.storageclass.storage.k8s.io/persistentvolumeclaims': '1', 'fast.storageclass.storage.k8s.io/requests.storage': '1Gi',
    });
    assert.deepEqual(fromResourceList(quotaUsage('apps', 'deployments', { metadata: {} } as KubeObject)), { 'count/deployments.apps': '1' });
  });

  it('names the containers missing limited cpu/memory', () => {
    const p = pod([c('b', { cpu: '1' }), c('a')]);
    assert.equal(podConstraintError(['pods', 'requests.cpu', 'limits.memory'], p), 'must specify limits.memory for: a,b; requests.cpu for: a');
    assert.equal(podConstraintError(['pods'], p), undefined);
  });

  it('matches BestEffort and Terminating scopes', () => {
    const quota = (scopes: string[]): KubeObject => ({ metadata: {}, spec: { scopes } }) as KubeObject;
    const be = pod([c('a')]);
    const burst = pod([c('a', { cpu: '1' })], { activeDeadlineSeconds: 30 });
    assert.equal(matchesQuotaScopes(quota(['BestEffort']), be, 'pods'), true);
    assert.equal(matchesQuotaScopes(quota(['BestEffort']), burst, 'pods'), false);
    assert.equal(matchesQuotaScopes(quota(['NotBestEffort', 'Terminating']), burst, 'pods'), true);
    assert.equal(matchesQuotaScopes(quota(['BestEffort']), be, 'services'), false);
  });
});
