import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldErrorMessage } from '../../../machinery/errors.js';
import { checkTypes } from '../../decode.js';
import type { KubeObject } from '../../types.js';
import { pod } from './pod.js';

/** Runs the whole API path for a pod body: type check, defaults, validation. */
function admit(body: KubeObject): string[] {
  const r = checkTypes('V1Pod', body);
  assert.deepEqual(r.unknownFields, []);
  assert.deepEqual(r.errors, []);
  pod.defaults!(body);
  return pod.validate!(body).map(fieldErrorMessage);
}

test('a chart-style pod with every common feature is accepted', () => {
  const body: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'api-0', namespace: 'prod', labels: { 'app.kubernetes.io/name': 'api' }, annotations: { 'prometheus.io/scrape': 'true' } },
    spec: {
      serviceAccountName: 'api',
      securityContext: { runAsNonRoot: true, runAsUser: 1000, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } },
      initContainers: [{ name: 'migrate', image: 'registry.example.com:5000/api:1.2.3', command: ['/bin/migrate'], envFrom: [{ configMapRef: { name: 'api-env' } }] }],
      containers: [
        {
          name: 'api',
          image: 'registry.example.com:5000/api:1.2.3',
          args: ['--port=8080'],
          ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090, protocol: 'TCP' }],
          env: [
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
            { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
            { name: 'LOG_LEVEL', value: 'info' },
          ],
          resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: 1, memory: '512Mi' } },
          livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: 10 },
          readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 5, successThreshold: 2 },
          startupProbe: { exec: { command: ['cat', '/tmp/ready'] }, failureThreshold: 30 },
          lifecycle: { preStop: { sleep: { seconds: 5 } } },
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
          volumeMounts: [
            { name: 'config', mountPath: '/etc/api', readOnly: true },
            { name: 'tmp', mountPath: '/tmp' },
            { name: 'podinfo', mountPath: '/etc/podinfo' },
            { name: 'token', mountPath: '/var/run/secrets/tokens' },
            { name: 'data', mountPath: '/data', subPath: 'api' },
          ],
        },
        { name: 'sidecar', image: 'busybox', command: ['sh', '-c', 'sleep infinity'], stdin: true, tty: true },
      ],
      volumes: [
        { name: 'config', configMap: { name: 'api-config', items: [{ key: 'app.yaml', path: 'app.yaml' }] } },
        { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
        { name: 'podinfo', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
        { name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token', audience: 'vault' } }, { configMap: { name: 'kube-root-ca.crt' } }] } },
        { name: 'data', persistentVolumeClaim: { claimName: 'api-data' } },
      ],
      affinity: {
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'api' } } } }] },
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] }] } },
      },
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'api' } } }],
      tolerations: [{ operator: 'Exists' }, { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }, { key: 'dedicated', value: 'api', effect: 'NoSchedule' }],
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      dnsPolicy: 'None',
      dnsConfig: { nameservers: ['10.96.0.10'], searches: ['prod.svc.cluster.local'], options: [{ name: 'ndots', value: '2' }] },
      imagePullSecrets: [{ name: 'regcred' }],
      hostname: 'api-0',
      subdomain: 'api',
      priorityClassName: 'high',
    },
  };
  assert.deepEqual(admit(body), []);
  const spec = body.spec as any;
  assert.equal(spec.containers[0].imagePullPolicy, 'IfNotPresent');
  assert.equal(spec.containers[1].imagePullPolicy, 'Always');
  assert.deepEqual(spec.containers[0].resources, { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } });
  assert.equal(spec.volumes[3].projected.sources[0].serviceAccountToken.expirationSeconds, 3600);
  assert.equal(spec.volumes[2].downwardAPI.items[0].fieldRef.apiVersion, 'v1');
  // A named priority class is resolved by admission, not defaulted here.
  assert.equal(spec.priority, undefined);
});

test('a system pod with host networking and a host path is accepted', () => {
  const body: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'proxy-abcde', namespace: 'kube-system' },
    spec: {
      hostNetwork: true,
      dnsPolicy: 'ClusterFirstWithHostNet',
      priorityClassName: 'system-node-critical',
      containers: [{ name: 'proxy', image: 'registry.k8s.io/kube-proxy:v1.32.0', ports: [{ containerPort: 10249, hostPort: 10249 }], securityContext: { privileged: true },
        volumeMounts: [{ name: 'lib-modules', mountPath: '/lib/modules', readOnly: true }] }],
      volumes: [{ name: 'lib-modules', hostPath: { path: '/lib/modules', type: 'Directory' } }],
      tolerations: [{ operator: 'Exists' }],
    },
  };
  assert.deepEqual(admit(body), []);
});
