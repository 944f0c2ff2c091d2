import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pod as podKind } from '../../api/kinds/core/pod.js';
import type { KubeObject } from '../../api/types.js';
import { fieldErrorMessage, type FieldError } from '../../machinery/errors.js';
import { validateEphemeralContainers, validateEphemeralContainersUpdate } from './pod-ephemeral-validation.js';
import { withProposedEphemeralContainers } from './pod-ephemeral-containers.js';

function pod(ephemeralContainers?: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}): KubeObject {
  const p: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      initContainers: [{ name: 'setup', image: 'busybox' }],
      containers: [{ name: 'app', image: 'busybox' }],
      volumes: [{ name: 'data', emptyDir: {} }],
      ...(ephemeralContainers ? { ephemeralContainers } : {}),
      ...extra,
    },
  };
  podKind.defaults!(p);
  return p;
}

const fields = (errs: FieldError[]) => errs.map((e) => `${e.type} ${e.field}`);

describe('validateEphemeralContainers', () => {
  it('accepts a plain debug container targeting a regular or an init container', () => {
    assert.deepEqual(validateEphemeralContainers(pod([{ name: 'dbg', image: 'busybox', targetContainerName: 'app', stdin: true, tty: true }]).spec), []);
    assert.deepEqual(validateEphemeralContainers(pod([{ name: 'dbg', image: 'busybox', targetContainerName: 'setup', volumeMounts: [{ name: 'data', mountPath: '/data' }] }]).spec), []);
  });

  it('forbids ports, resources, probes, lifecycle and restartPolicy with upstream text', () => {
    const errs = validateEphemeralContainers(
      pod([
        {
          name: 'dbg',
          image: 'busybox',
          ports: [{ containerPort: 80 }],
          resources: { limits: { cpu: '1' } },
          livenessProbe: { exec: { command: ['true'] } },
          readinessProbe: { tcpSocket: { port: 80 } },
          lifecycle: { preStop: { exec: { command: ['true'] } } },
          restartPolicy: 'Always',
        },
      ]).spec,
    );
    assert.deepEqual(fields(errs.filter((e) => e.type === 'Forbidden')), [
      'Forbidden spec.ephemeralContainers[0].ports',
      'Forbidden spec.ephemeralContainers[0].resources',
      'Forbidden spec.ephemeralContainers[0].restartPolicy',
      'Forbidden spec.ephemeralContainers[0].livenessProbe',
      'Forbidden spec.ephemeralContainers[0].readinessProbe',
      'Forbidden spec.ephemeralContainers[0].lifecycle',
    ]);
    assert.equal(fieldErrorMessage(errs[0]!), 'spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container');
  });

  it('treats empty resources (the defaulted `{}`) as unset', () => {
    assert.deepEqual(validateEphemeralContainers(pod([{ name: 'dbg', image: 'busybox', resources: {} }]).spec), []);
  });

  it('requires the target to be a regular or init container of the pod', () => {
    const errs = validateEphemeralContainers(pod([{ name: 'a', image: 'busybox' }, { name: 'b', image: 'busybox', targetContainerName: 'a' }, { name: 'c', image: 'busybox', targetContainerName: 'nope' }]).spec);
    assert.deepEqual(fields(errs), ['NotFound spec.ephemeralContainers[1].targetContainerName', 'NotFound spec.ephemeralContainers[2].targetContainerName']);
    assert.equal(fieldErrorMessage(errs[1]!), 'spec.ephemeralContainers[2].targetContainerName: Not found: "nope"');
  });

  it('checks what all containers share: name format, image, mounts; subPath is forbidden', () => {
    const errs = validateEphemeralContainers(
      pod([
        { name: 'Bad_Name', image: 'busybox' },
        { name: 'noimage' },
        { name: 'mounts', image: 'busybox', volumeMounts: [{ name: 'data', mountPath: '/d', subPath: 'x' }, { name: 'missing', mountPath: '/m' }] },
      ]).spec,
    );
    const got = fields(errs);
    assert.ok(got.includes('Invalid spec.ephemeralContainers[0].name'), got.join('\n'));
    assert.ok(got.includes('Required spec.ephemeralContainers[1].image'), got.join('\n'));
    assert.ok(got.includes('Forbidden spec.ephemeralContainers[2].volumeMounts[0].subPath'), got.join('\n'));
    assert.ok(got.includes('NotFound spec.ephemeralContainers[2].volumeMounts[1].name'), got.join('\n'));
  });
});

describe('validateEphemeralContainersUpdate', () => {
  const dbg = { name: 'dbg', image: 'busybox', targetContainerName: 'app' };

  it('lets a new ephemeral container be appended', () => {
    const old = pod([dbg]);
    const next = pod([dbg, { name: 'dbg2', image: 'busybox' }]);
    assert.deepEqual(validateEphemeralContainersUpdate(next, old), []);
  });

  it('refuses removing or changing an existing one, whatever the order', () => {
    const old = pod([dbg, { name: 'other', image: 'busybox' }]);
    const reordered = pod([{ name: 'other', image: 'busybox' }, dbg]);
    assert.deepEqual(validateEphemeralContainersUpdate(reordered, old), []);
    const removed = validateEphemeralContainersUpdate(pod([dbg]), old);
    assert.deepEqual(removed.map(fieldErrorMessage), ['spec.ephemeralContainers: Forbidden: existing ephemeral containers "other" may not be removed\n']);
    const changed = validateEphemeralContainersUpdate(pod([{ ...dbg, image: 'busybox:2' }, { name: 'other', image: 'busybox' }]), old);
    assert.equal(changed.length, 1);
    assert.match(fieldErrorMessage(changed[0]!), /^spec\.ephemeralContainers: Forbidden: existing ephemeral containers "dbg" may not be changed\n.*image/);
  });

  it('refuses static (mirror) pods outright', () => {
    const old = pod();
    old.metadata!.annotations = { 'kubernetes.io/config.mirror': 'abc' };
    const errs = validateEphemeralContainersUpdate(pod([dbg]), old);
    assert.deepEqual(errs.map(fieldErrorMessage), [': Forbidden: static pods do not support ephemeral containers']);
  });
});

describe('withProposedEphemeralContainers', () => {
  it('keeps everything but the ephemeral list from the stored pod', () => {
    const old = pod();
    old.status = { phase: 'Running' };
    const proposed = pod([{ name: 'dbg', image: 'busybox' }], { nodeName: 'elsewhere' });
    proposed.metadata!.labels = { changed: 'yes' };
    proposed.status = { phase: 'Failed' };
    const next = withProposedEphemeralContainers(old, proposed);
    const spec = next.spec as Record<string, unknown>;
    assert.equal(spec.nodeName, undefined);
    assert.equal((spec.ephemeralContainers as unknown[]).length, 1);
    assert.equal(next.metadata?.labels, undefined);
    assert.deepEqual(next.status, { phase: 'Running' });
    assert.equal((old.spec as Record<string, unknown>).ephemeralContainers, undefined, 'the stored pod is not modified');
  });
});
