import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldErrorMessage } from '../../../machinery/errors.js';
import type { KubeObject } from '../../types.js';
import { pod } from './pod.js';
import { defaultPullPolicy } from './pod-defaults.js';
import { validatePodTemplateSpec } from './pod-validation.js';

const clone = <T>(v: T): T => structuredClone(v);

function defaulted(spec: Record<string, unknown>): KubeObject {
  const obj: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec };
  pod.defaults!(obj);
  return obj;
}

/** Messages of validating a pod built from a valid base with `mutate` applied. */
function problems(mutate: (spec: Record<string, any>) => void): string[] {
  const spec: Record<string, any> = { containers: [{ name: 'c', image: 'nginx:1.25' }] };
  mutate(spec);
  return pod.validate!(defaulted(spec)).map(fieldErrorMessage);
}

test('a minimal pod gets exactly upstream defaults', () => {
  const obj = defaulted({ containers: [{ name: 'web', image: 'nginx' }] });
  assert.deepEqual(obj.spec, {
    containers: [{
      name: 'web',
      image: 'nginx',
      imagePullPolicy: 'Always',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      resources: {},
    }],
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
    schedulerName: 'default-scheduler',
    enableServiceLinks: true,
    priority: 0,
    preemptionPolicy: 'PreemptLowerPriority',
  });
  assert.deepEqual(pod.validate!(obj), []);
});

test('nested defaults: ports, probes, env fieldRef, volumes, requests from limits', () => {
  const obj = defaulted({
    containers: [{
      name: 'c', image: 'repo:5000/app:v1',
      ports: [{ containerPort: 80 }],
      livenessProbe: { httpGet: { port: 80 } },
      env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
      resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } },
    }],
    volumes: [{ name: 'a' }, { name: 's', secret: { secretName: 'x' } }, { name: 'h', hostPath: { path: '/x' } }],
  });
  const c = (obj.spec as any).containers[0];
  assert.equal(c.imagePullPolicy, 'IfNotPresent');
  assert.deepEqual(c.ports, [{ containerPort: 80, protocol: 'TCP' }]);
  assert.deepEqual(c.livenessProbe, { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  assert.equal(c.env[0].valueFrom.fieldRef.apiVersion, 'v1');
  assert.deepEqual(c.resources.requests, { cpu: '500m', memory: '1Gi' });
  assert.deepEqual((obj.spec as any).volumes, [
    { name: 'a', emptyDir: {} },
    { name: 's', secret: { secretName: 'x', defaultMode: 420 } },
    { name: 'h', hostPath: { path: '/x', type: '' } },
  ]);
  assert.deepEqual(pod.validate!(obj), []);
});

test('image pull policy follows the tag', () => {
  assert.equal(defaultPullPolicy('nginx'), 'Always');
  assert.equal(defaultPullPolicy('nginx:latest'), 'Always');
  assert.equal(defaultPullPolicy('nginx:1.25'), 'IfNotPresent');
  assert.equal(defaultPullPolicy('localhost:5000/nginx'), 'Always');
  assert.equal(defaultPullPolicy('nginx@sha256:abcd'), 'IfNotPresent');
});

test('host network pods get host ports; templates do not get pod-only defaults', () => {
  const obj = defaulted({ hostNetwork: true, containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 53 }] }] });
  assert.equal((obj.spec as any).containers[0].ports[0].hostPort, 53);
});

test('bad containers are reported with their field paths', () => {
  assert.deepEqual(problems((s) => { s.containers = []; }), ['spec.containers: Required value']);
  assert.deepEqual(problems((s) => { s.containers[0].image = ''; }), ['spec.containers[0].image: Required value']);
  assert.deepEqual(problems((s) => { s.containers.push({ name: 'c', image: 'x' }); }), ['spec.containers[1].name: Duplicate value: "c"']);
  assert.deepEqual(problems((s) => { s.initContainers = [{ name: 'c', image: 'x' }]; }), ['spec.containers[0].name: Duplicate value: "c"']);
  const bad = problems((s) => { s.containers[0].name = 'Web_1'; });
  assert.equal(bad.length, 1);
  assert.match(bad[0], /^spec\.containers\[0\]\.name: Invalid value: "Web_1": a lowercase RFC 1123 label must consist of/);
  assert.deepEqual(problems((s) => { s.containers[0].imagePullPolicy = 'Sometimes'; }), [
    'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
  ]);
});

test('bad ports, env, mounts and resources', () => {
  assert.deepEqual(problems((s) => { s.containers[0].ports = [{ containerPort: 70000 }, { containerPort: 0 }]; }), [
    'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    'spec.containers[0].ports[1].containerPort: Required value',
  ]);
  assert.deepEqual(problems((s) => { s.containers[0].ports = [{ containerPort: 80, name: 'http' }, { containerPort: 81, name: 'http', protocol: 'tcp' }]; }), [
    'spec.containers[0].ports[1].name: Duplicate value: "http"',
    'spec.containers[0].ports[1].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"',
  ]);
  assert.deepEqual(problems((s) => { s.containers[0].env = [{ name: '' }, { name: 'A=B' }]; }), [
    'spec.containers[0].env[0].name: Required value',
    'spec.containers[0].env[1].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than \'=\'',
  ]);
  assert.deepEqual(problems((s) => { s.containers[0].env = [{ name: 'X', value: 'v', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }]; }), [
    'spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
  ]);
  assert.deepEqual(problems((s) => { s.containers[0].volumeMounts = [{ name: 'data', mountPath: '/d' }]; }), [
    'spec.containers[0].volumeMounts[0].name: Not found: "data"',
  ]);
  assert.deepEqual(problems((s) => { s.containers[0].resources = { limits: { cpu: '1' }, requests: { cpu: '2' } }; }), [
    'spec.containers[0].resources.requests[cpu]: Invalid value: "2": must be less than or equal to cpu limit of 1',
  ]);
});

test('bad volumes, probes and pod-level fields', () => {
  assert.deepEqual(problems((s) => { s.volumes = [{ name: 'v', emptyDir: {}, hostPath: { path: '/x' } }]; }), [
    'spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type',
  ]);
  assert.deepEqual(problems((s) => { s.volumes = [{ name: 'v', emptyDir: {} }, { name: 'v', emptyDir: {} }]; }), ['spec.volumes[1].name: Duplicate value: "v"']);
  assert.deepEqual(problems((s) => { s.containers[0].livenessProbe = {}; }), ['spec.containers[0].livenessProbe: Required value: must specify a handler type']);
  assert.deepEqual(problems((s) => { s.containers[0].readinessProbe = { exec: { command: ['true'] }, tcpSocket: { port: 80 } }; }), [
    'spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
  ]);
  assert.deepEqual(problems((s) => { s.containers[0].livenessProbe = { tcpSocket: { port: 80 }, successThreshold: 2 }; }), [
    'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
  ]);
  assert.deepEqual(problems((s) => { s.restartPolicy = 'Sometimes'; }), ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']);
  assert.deepEqual(problems((s) => { s.dnsPolicy = 'Nope'; }), ['spec.dnsPolicy: Unsupported value: "Nope": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"']);
  assert.deepEqual(problems((s) => { s.activeDeadlineSeconds = 0; }), ['spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive']);
  assert.deepEqual(problems((s) => { s.tolerations = [{ key: 'k', operator: 'Exists', value: 'v' }]; }), [
    "spec.tolerations[0].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'",
  ]);
  assert.equal(problems((s) => { s.nodeSelector = { 'bad key!': 'x' }; })[0].startsWith('spec.nodeSelector: Invalid value: "bad key!"'), true);
});

test('env downward API paths, affinity and topology spread constraints', () => {
  assert.deepEqual(problems((s) => { s.containers[0].env = [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }, { name: 'B', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } }]; }), []);
  assert.deepEqual(problems((s) => { s.containers[0].env = [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'spec.foo' } } }]; }), [
    'spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "spec.foo": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
  ]);
  assert.deepEqual(problems((s) => { s.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } }; }), [
    'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term',
  ]);
  assert.deepEqual(problems((s) => {
    s.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In' }, { key: 'x', operator: 'Near', values: ['a'] }] }] } } };
  }), [
    "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].operator: Invalid value: "Near": not a valid selector operator',
  ]);
  assert.deepEqual(problems((s) => { s.affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, podAffinityTerm: { topologyKey: '' } }] } }; }), [
    'spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100',
    'spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey: Required value: can not be empty',
  ]);
  assert.deepEqual(problems((s) => { s.topologySpreadConstraints = [{ maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'Maybe' }]; }), [
    'spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero',
    'spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: "Maybe": supported values: "DoNotSchedule", "ScheduleAnyway"',
  ]);
  assert.deepEqual(problems((s) => { s.securityContext = { runAsUser: -1 }; }), ['spec.securityContext.runAsUser: Invalid value: -1: must be greater than or equal to 0']);
});

test('pod updates may only change images, activeDeadlineSeconds and add tolerations', () => {
  const old = defaulted({ containers: [{ name: 'c', image: 'nginx:1' }] });
  const images = clone(old);
  (images.spec as any).containers[0].image = 'nginx:2';
  (images.spec as any).tolerations = [{ key: 'k', operator: 'Exists' }];
  (images.spec as any).activeDeadlineSeconds = 30;
  assert.deepEqual(pod.validateUpdate!(images, old), []);
  const ports = clone(old);
  (ports.spec as any).containers[0].ports = [{ containerPort: 80, protocol: 'TCP' }];
  const msgs = pod.validateUpdate!(ports, old).map(fieldErrorMessage);
  assert.equal(msgs.length, 1);
  assert.match(msgs[0], /^spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`/);
});

test('status updates and field selectors', () => {
  const obj = defaulted({ containers: [{ name: 'c', image: 'i' }] });
  obj.status = { phase: 'Dancing' };
  assert.deepEqual(pod.validateStatus!(obj, obj).map(fieldErrorMessage), [
    'status.phase: Unsupported value: "Dancing": supported values: "Pending", "Running", "Succeeded", "Failed", "Unknown"',
  ]);
  obj.status = { phase: 'Running', podIPs: [{ ip: '10.0.0.5' }], podIP: '10.0.0.5' };
  const f = pod.fieldSelectors!;
  assert.equal(f['spec.nodeName'](obj), '');
  assert.equal(f['spec.hostNetwork'](obj), 'false');
  assert.equal(f['status.phase'](obj), 'Running');
  assert.equal(f['status.podIP'](obj), '10.0.0.5');
  assert.equal(f['spec.schedulerName'](obj), 'default-scheduler');
});

test('validatePodTemplateSpec prefixes paths and checks template labels', () => {
  const tpl = { metadata: { labels: { app: 'bad value!' } }, spec: { containers: [{ name: 'c', image: '' }] } };
  const msgs = validatePodTemplateSpec(tpl, 'spec.template').map(fieldErrorMessage);
  assert.ok(msgs.some((m) => m.startsWith('spec.template.metadata.labels: Invalid value: "bad value!"')));
  assert.ok(msgs.includes('spec.template.spec.containers[0].image: Required value'));
});
