import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeK8sProtobuf } from './decode.js';
import { modelForKind } from './models.js';
import { bytesField, encodeK8sProtobuf, envelope, varintField } from './test-encoder.js';
import { StatusError } from '../errors.js';

const cat = (...parts: Buffer[]): Buffer => Buffer.concat(parts);
const decode = (buf: Buffer): unknown => decodeK8sProtobuf(buf, modelForKind);
const entry = (field: number, k: string, v: string | Buffer): Buffer => bytesField(field, cat(bytesField(1, k), bytesField(2, v)));

function badRequest(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof StatusError && e.status.code === 400 && pattern.test(e.status.message ?? ''));
}

test('a ConfigMap built by hand from the field numbers (maps, zero values, pointer bool)', () => {
  const meta = cat(bytesField(1, 'x'), bytesField(2, ''), bytesField(3, 'ns'), varintField(7, 0), bytesField(8, Buffer.alloc(0)), entry(11, 'app', 'web'));
  const raw = cat(bytesField(1, meta), entry(2, 'a', 'b'), entry(2, 'c', 'd'), entry(3, 'bin', Buffer.from([0, 1, 255])), varintField(4, false));
  assert.deepEqual(decode(envelope('v1', 'ConfigMap', raw)), {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'x', namespace: 'ns', labels: { app: 'web' } },
    data: { a: 'b', c: 'd' },
    binaryData: { bin: 'AAH/' },
    immutable: false,
  });
});

test('Secret data bytes become base64; an entry without a value is empty', () => {
  const raw = cat(bytesField(1, bytesField(1, 's')), entry(2, 'pw', 'hunter2'), bytesField(2, bytesField(1, 'empty')), bytesField(3, 'Opaque'));
  assert.deepEqual(decode(envelope('v1', 'Secret', raw)), {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's' },
    data: { pw: Buffer.from('hunter2').toString('base64'), empty: '' },
    type: 'Opaque',
  });
});

test('Deployment: pointer zero kept, omitempty zero dropped, negative int32, IntOrString, empty messages kept', () => {
  const intOrStr = (s: string): Buffer => cat(varintField(1, 1), varintField(2, 0), bytesField(3, s));
  const intOrInt = (n: number): Buffer => cat(varintField(1, 0), varintField(2, n), bytesField(3, ''));
  const port = cat(bytesField(1, ''), varintField(2, 0), varintField(3, 80), bytesField(4, 'TCP'));
  const container = cat(bytesField(1, 'nginx'), bytesField(2, 'nginx'), bytesField(6, port), bytesField(8, Buffer.alloc(0)), varintField(16, false));
  const podSpec = cat(bytesField(2, container), bytesField(3, ''));
  const template = cat(bytesField(1, entry(11, 'app', 'web')), bytesField(2, podSpec));
  const strategy = cat(bytesField(1, 'RollingUpdate'), bytesField(2, cat(bytesField(1, intOrInt(0)), bytesField(2, intOrStr('25%')))));
  const spec = cat(varintField(1, 0), bytesField(2, entry(1, 'app', 'web')), bytesField(3, template), bytesField(4, strategy), varintField(5, -5), varintField(7, false));
  const raw = cat(bytesField(1, bytesField(1, 'web')), bytesField(2, spec), bytesField(3, Buffer.alloc(0)));
  assert.deepEqual(decode(envelope('apps/v1', 'Deployment', raw)), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: {} }] },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
      minReadySeconds: -5,
    },
    status: {},
  });
});

test('times: Time to RFC 3339, MicroTime with microseconds, empty Time absent', () => {
  const ts = Date.UTC(2024, 0, 2, 3, 4, 5) / 1000;
  const meta = cat(bytesField(1, 'e'), bytesField(8, cat(varintField(1, ts), varintField(2, 0))));
  const raw = cat(bytesField(1, meta), bytesField(2, cat(varintField(1, ts), varintField(2, 123456789))), bytesField(4, 'ctl'), bytesField(13, Buffer.alloc(0)));
  assert.deepEqual(decode(envelope('events.k8s.io/v1', 'Event', raw)), {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: 'e', creationTimestamp: '2024-01-02T03:04:05Z' },
    eventTime: '2024-01-02T03:04:05.123456Z',
    reportingController: 'ctl',
  });
});

test('inlined structs (VolumeSource, LocalObjectReference) land in the parent object; quantities and raw JSON', () => {
  const cmSource = cat(bytesField(1, bytesField(1, 'cm')), varintField(3, 420));
  const volume = cat(bytesField(1, 'v'), bytesField(2, bytesField(19, cmSource)));
  const resources = entry(1, 'cpu', bytesField(1, '500m'));
  const container = cat(bytesField(1, 'c'), bytesField(8, resources));
  const raw = cat(bytesField(1, bytesField(1, 'p')), bytesField(2, cat(bytesField(1, volume), bytesField(2, container))));
  assert.deepEqual(decode(envelope('v1', 'Pod', raw)), {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { volumes: [{ name: 'v', configMap: { name: 'cm', defaultMode: 420 } }], containers: [{ name: 'c', resources: { limits: { cpu: '500m' } } }] },
  });
  const rev = cat(bytesField(1, bytesField(1, 'r')), bytesField(2, bytesField(1, '{"spec":{"a":[1,2]}}')), varintField(3, 7));
  assert.deepEqual(decode(envelope('apps/v1', 'ControllerRevision', rev)), { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'r' }, data: { spec: { a: [1, 2] } }, revision: 7 });
});

test('subresource bodies: Eviction with DeleteOptions, DeleteOptions in any group version', () => {
  const opts = cat(varintField(1, 0), bytesField(2, bytesField(1, 'uid-1')));
  const raw = cat(bytesField(1, cat(bytesField(1, 'p'), bytesField(3, 'ns'))), bytesField(2, opts));
  assert.deepEqual(decode(envelope('policy/v1', 'Eviction', raw)), {
    apiVersion: 'policy/v1',
    kind: 'Eviction',
    metadata: { name: 'p', namespace: 'ns' },
    deleteOptions: { gracePeriodSeconds: 0, preconditions: { uid: 'uid-1' } },
  });
  const deleteOptions = cat(varintField(1, 30), bytesField(4, 'Foreground'));
  assert.deepEqual(decode(envelope('v1', 'DeleteOptions', deleteOptions)), { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 30, propagationPolicy: 'Foreground' });
});

test('round trip through the test encoder: a full pod tree', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'd', labels: { a: 'b' }, annotations: { x: 'y' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u', controller: true, blockOwnerDeletion: true }], finalizers: ['f'] },
    spec: {
      initContainers: [{ name: 'init', image: 'busybox', command: ['sh', '-c', 'true'] }],
      containers: [{
        name: 'app',
        image: 'nginx:1',
        args: ['--x'],
        env: [{ name: 'A', value: '1' }, { name: 'B', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'C', valueFrom: { secretKeyRef: { name: 's', key: 'k', optional: true } } }],
        envFrom: [{ configMapRef: { name: 'cm' }, prefix: 'P_' }],
        ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
        resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '100m' } },
        livenessProbe: { httpGet: { path: '/', port: 'http', scheme: 'HTTP' }, initialDelaySeconds: 3, periodSeconds: 10 },
        readinessProbe: { tcpSocket: { port: 8080 } },
        volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true }],
        securityContext: { runAsUser: 1000, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
      }],
      volumes: [{ name: 'data', emptyDir: { sizeLimit: '1Gi' } }, { name: 'sec', secret: { secretName: 's', items: [{ key: 'k', path: 'p', mode: 256 }] } }, { name: 'pvc', persistentVolumeClaim: { claimName: 'c' } }],
      nodeSelector: { disk: 'ssd' },
      tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 30 }],
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }] } } },
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      hostNetwork: true,
      dnsConfig: { nameservers: ['1.1.1.1'], options: [{ name: 'ndots', value: '2' }] },
    },
  };
  assert.deepEqual(decode(encodeK8sProtobuf(pod, 'V1Pod')), pod);
});

test('round trip: kinds kubectl create emits (Service, CronJob, PDB, Role, Ingress, Quota, PriorityClass, HPA v2)', () => {
  const objects: [Record<string, unknown>, string][] = [
    [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'ClusterIP', ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }], selector: { app: 's' }, clusterIP: 'None' } }, 'V1Service'],
    [{ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '*/5 * * * *', jobTemplate: { metadata: { name: 'c' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'OnFailure' } } } } } }, 'V1CronJob'],
    [{ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { minAvailable: 1, selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['x'] }] } } }, 'V1PodDisruptionBudget'],
    [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] }] }, 'V1Role'],
    [{ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' }, spec: { ingressClassName: 'nginx', rules: [{ host: 'a.com', http: { paths: [{ path: '/', pathType: 'Exact', backend: { service: { name: 's', port: { number: 80 } } } }] } }], tls: [{ hosts: ['a.com'], secretName: 't' }] } }, 'V1Ingress'],
    [{ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec: { hard: { cpu: '1', pods: '2' }, scopes: ['BestEffort'] } }, 'V1ResourceQuota'],
    [{ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'pc' }, value: 1000, globalDefault: true, description: 'd', preemptionPolicy: 'Never' }, 'V1PriorityClass'],
    [{ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' }, minReplicas: 1, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] } }, 'V2HorizontalPodAutoscaler'],
  ];
  for (const [obj, model] of objects) assert.deepEqual(decode(encodeK8sProtobuf(obj, model)), obj, model);
});

test('an unknown field number or kind is a clear 400', () => {
  const container = cat(bytesField(1, 'c'), varintField(99, 1));
  const raw = bytesField(2, bytesField(2, container));
  badRequest(() => decode(envelope('v1', 'Pod', raw)), /unknown protobuf field 99 in V1Container/);
  badRequest(() => decode(envelope('v1', 'Widget', Buffer.alloc(0))), /no kind "Widget" is registered for version "v1"/);
  badRequest(() => decode(envelope('v1', 'ConfigMap', varintField(1, 5))), /protobuf field 1 \(metadata\) in V1ConfigMap has wire type 0, expected 2/);
});

test('TokenRequest (kubectl create token) and Binding bodies', () => {
  const spec = cat(bytesField(1, 'https://kubernetes.default.svc'), varintField(4, 3600), bytesField(3, cat(bytesField(1, 'Pod'), bytesField(2, 'v1'), bytesField(3, 'p'))));
  const raw = cat(bytesField(1, bytesField(1, 'sa')), bytesField(2, spec), bytesField(3, Buffer.alloc(0)));
  assert.deepEqual(decode(envelope('authentication.k8s.io/v1', 'TokenRequest', raw)), {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    metadata: { name: 'sa' },
    spec: { audiences: ['https://kubernetes.default.svc'], expirationSeconds: 3600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p' } },
    status: {},
  });
  const binding = cat(bytesField(1, bytesField(1, 'p')), bytesField(2, cat(bytesField(1, 'Node'), bytesField(3, 'n1'))));
  assert.deepEqual(decode(envelope('v1', 'Binding', binding)), { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { kind: 'Node', name: 'n1' } });
});
