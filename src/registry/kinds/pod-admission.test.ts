import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addServiceAccountTokenVolume, admitPod, SERVICE_ACCOUNT_MOUNT_PATH } from './pod-admission.js';

const noClasses = { get: async () => undefined, globalDefault: async () => undefined };

test('the projected token volume is mounted in every container, init containers included', () => {
  const spec: Record<string, unknown> = { initContainers: [{ name: 'i' }], containers: [{ name: 'a' }, { name: 'b', volumeMounts: [{ name: 'x', mountPath: '/x' }] }] };
  addServiceAccountTokenVolume(spec, true);
  const volumes = spec.volumes as Array<{ name: string; projected: { sources: Array<Record<string, unknown>> } }>;
  assert.equal(volumes.length, 1);
  assert.match(volumes[0]!.name, /^kube-api-access-[b-z2-9]{5}$/);
  assert.deepEqual(volumes[0]!.projected.sources.map((s) => Object.keys(s)[0]), ['serviceAccountToken', 'configMap', 'downwardAPI']);
  for (const c of [...(spec.initContainers as Array<{ volumeMounts: unknown[] }>), ...(spec.containers as Array<{ volumeMounts: unknown[] }>)]) {
    assert.deepEqual(c.volumeMounts.at(-1), { name: volumes[0]!.name, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH });
  }
});

test('no token volume when automount is off, or when the pod mounts its own at the path', () => {
  const off: Record<string, unknown> = { containers: [{ name: 'a' }] };
  addServiceAccountTokenVolume(off, false);
  assert.equal(off.volumes, undefined);
  const own: Record<string, unknown> = { containers: [{ name: 'a', volumeMounts: [{ name: 'mine', mountPath: SERVICE_ACCOUNT_MOUNT_PATH }] }], volumes: [{ name: 'mine', secret: { secretName: 's' } }] };
  addServiceAccountTokenVolume(own, true);
  assert.equal((own.volumes as unknown[]).length, 1);
});

test('admission reads automountServiceAccountToken from the pod first, then from its ServiceAccount', async () => {
  const accounts = { get: async (_ns: string, name: string) => (name === 'quiet' ? { metadata: { name }, automountServiceAccountToken: false } : undefined) };
  const quiet = { metadata: { name: 'p', namespace: 'default' }, spec: { serviceAccountName: 'quiet', containers: [{ name: 'a' }] } };
  await admitPod(quiet, noClasses, accounts);
  assert.equal((quiet.spec as { volumes?: unknown[] }).volumes, undefined);
  const forced = { metadata: { name: 'p', namespace: 'default' }, spec: { serviceAccountName: 'quiet', automountServiceAccountToken: true, containers: [{ name: 'a' }] } };
  await admitPod(forced, noClasses, accounts);
  assert.equal((forced.spec as { volumes?: unknown[] }).volumes?.length, 1);
  const plain = { metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'a' }] } };
  await admitPod(plain, noClasses, accounts);
  assert.equal((plain.spec as { volumes?: unknown[] }).volumes?.length, 1);
});
