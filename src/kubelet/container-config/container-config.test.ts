import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import type { Mount } from '../cri/types.js';
import { buildContainerConfig, containerHash } from './container-config.js';
import type { Container } from './pod-spec.js';

const GI = 1024 ** 3;
const mounts: Mount[] = [{ container_path: '/data', host_path: '/var/lib/skiff/pods/u/volumes/data', readonly: false, selinux_relabel: false, propagation: 'PROPAGATION_PRIVATE' }];

function podWith(container: Container, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject {
  return {
    metadata: { name: 'web-0', namespace: 'shop', uid: 'u-1', labels: { app: 'web' }, ...meta },
    spec: { terminationGracePeriodSeconds: 45, containers: [container], ...spec },
  };
}

const app: Container = {
  name: 'app',
  image: 'busybox:1.36',
  command: ['/bin/sh', '-c', 'echo $(GREETING) > $(OUT)'],
  args: ['$(MISSING)', '$$(GREETING)'],
  workingDir: '/work',
  ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
  lifecycle: { preStop: { exec: { command: ['sleep', '1'] } } },
  resources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } },
  stdin: true,
  tty: true,
};
const env = [
  { key: 'GREETING', value: 'hi' },
  { key: 'OUT', value: '/tmp/out' },
];

describe('buildContainerConfig', () => {
  const config = buildContainerConfig(podWith(app), app, { attempt: 3, env, mounts, imageRef: 'sha256:abc', memoryCapacity: 8 * GI });

  it('fills metadata, image, expanded command and args, working dir, envs and mounts', () => {
    assert.deepEqual(config.metadata, { name: 'app', attempt: 3 });
    assert.deepEqual(config.image, { image: 'sha256:abc', user_specified_image: 'busybox:1.36' });
    assert.deepEqual(config.command, ['/bin/sh', '-c', 'echo hi > /tmp/out']);
    assert.deepEqual(config.args, ['$(MISSING)', '$(GREETING)']);
    assert.equal(config.working_dir, '/work');
    assert.deepEqual(config.envs, env);
    assert.deepEqual(config.mounts, mounts);
    assert.equal(config.log_path, 'app/3.log');
    assert.equal(config.stdin, true);
    assert.equal(config.stdin_once, false);
    assert.equal(config.tty, true);
  });

  it('labels the container with the pod and its name only', () => {
    assert.deepEqual(config.labels, {
      'io.kubernetes.pod.name': 'web-0',
      'io.kubernetes.pod.namespace': 'shop',
      'io.kubernetes.pod.uid': 'u-1',
      'io.kubernetes.container.name': 'app',
    });
  });

  it('annotates hash, restart count, termination settings, preStop and ports', () => {
    assert.deepEqual(config.annotations, {
      'io.kubernetes.container.hash': containerHash(app),
      'io.kubernetes.container.restartCount': '3',
      'io.kubernetes.container.terminationMessagePath': '/dev/termination-log',
      'io.kubernetes.container.terminationMessagePolicy': 'File',
      'io.kubernetes.pod.terminationGracePeriod': '45',
      'io.kubernetes.container.preStopHandler': '{"exec":{"command":["sleep","1"]}}',
      'io.kubernetes.container.ports': '[{"name":"http","containerPort":8080,"protocol":"TCP"}]',
    });
  });

  it('adds the deletion grace period of a terminating pod', () => {
    const c = buildContainerConfig(podWith(app, {}, { deletionGracePeriodSeconds: 10 }), app, { attempt: 0, env, mounts: [], imageRef: 'x' });
    assert.equal(c.annotations?.['io.kubernetes.pod.deletionGracePeriod'], '10');
  });

  it('sets Linux resources from requests and limits', () => {
    assert.deepEqual(config.linux?.resources, {
      cpu_shares: 256,
      cpu_period: 100000,
      cpu_quota: 100000,
      memory_limit_in_bytes: 2 * GI,
      oom_score_adj: 875,
    });
  });

  it('leaves command and args unset when the container has none (the image decides)', () => {
    const bare: Container = { name: 'bare', image: 'busybox' };
    const c = buildContainerConfig(podWith(bare), bare, { attempt: 0, env: [], mounts: [], imageRef: 'busybox' });
    assert.equal(c.command, undefined);
    assert.equal(c.args, undefined);
    assert.equal(c.working_dir, '');
    assert.equal(c.linux?.resources?.oom_score_adj, 1000);
  });
});

describe('buildContainerConfig: namespaces', () => {
  const debug: Container = { name: 'debugger', image: 'busybox' };
  it('joins the target container pid namespace for an ephemeral container', () => {
    const c = buildContainerConfig(podWith(app), debug, { attempt: 0, env: [], mounts: [], imageRef: 'busybox', pidTargetId: 'abc123' });
    assert.deepEqual(c.linux?.security_context?.namespace_options, { network: 'POD', pid: 'TARGET', ipc: 'POD', target_id: 'abc123' });
  });
  it('keeps the shared pod pid namespace when the pod shares one', () => {
    const c = buildContainerConfig(podWith(app, { shareProcessNamespace: true }), debug, { attempt: 0, env: [], mounts: [], imageRef: 'busybox', pidTargetId: 'abc123' });
    assert.deepEqual(c.linux?.security_context?.namespace_options, { network: 'POD', pid: 'POD', ipc: 'POD' });
  });
  it('refuses runAsNonRoot with an image running as root', () => {
    const strict: Container = { name: 'strict', securityContext: { runAsNonRoot: true } };
    assert.throws(() => buildContainerConfig(podWith(strict), strict, { attempt: 0, env: [], mounts: [], imageRef: 'x', imageUser: { uid: 0 } }), /image will run as root/);
  });
});

describe('containerHash', () => {
  it('is stable for equal specs regardless of key order', () => {
    const reordered = Object.fromEntries(Object.entries(app).reverse()) as Container;
    assert.equal(containerHash(reordered), containerHash(app));
    assert.match(containerHash(app), /^[0-9a-f]{1,8}$/);
  });

  const changes: Array<[string, Partial<Container>]> = [
    ['image', { image: 'busybox:1.37' }],
    ['command', { command: ['/bin/true'] }],
    ['env', { env: [{ name: 'X', value: '1' }] }],
    ['name', { name: 'app2' }],
  ];
  for (const [field, change] of changes) {
    it(`changes when ${field} changes`, () => assert.notEqual(containerHash({ ...app, ...change }), containerHash(app)));
  }

  it('ignores resources and resizePolicy, which are resized in place', () => {
    assert.equal(containerHash({ ...app, resources: { limits: { cpu: '2' } } }), containerHash(app));
    assert.equal(containerHash({ ...app, resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }] }), containerHash(app));
  });
});
