import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import type { Container, PodSecurityContext } from './pod-spec.js';
import { ContainerConfigError } from './errors.js';
import { containerSecurityContext, DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS, normalizeCapability, verifyRunAsNonRoot, type ImageUser } from './security.js';

const podWith = (container: Container, securityContext?: PodSecurityContext, spec: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name: 'p', namespace: 'default', uid: 'u' },
  spec: { containers: [container], ...(securityContext ? { securityContext } : {}), ...spec },
});
const sc = (container: Container, podSc?: PodSecurityContext, spec: Record<string, unknown> = {}) => containerSecurityContext(podWith(container, podSc, spec), container);

describe('containerSecurityContext', () => {
  it('defaults: unprivileged, writable root, masked /proc paths, no no_new_privs, Unconfined seccomp', () => {
    const got = sc({ name: 'a' });
    assert.equal(got.privileged, false);
    assert.equal(got.readonly_rootfs, false);
    assert.equal(got.no_new_privs, false);
    assert.deepEqual(got.masked_paths, DEFAULT_MASKED_PATHS);
    assert.deepEqual(got.readonly_paths, DEFAULT_READONLY_PATHS);
    assert.ok(got.masked_paths?.includes('/proc/kcore'));
    assert.deepEqual(got.seccomp, { profile_type: 'Unconfined' });
    assert.equal(got.run_as_user, undefined);
    assert.equal(got.capabilities, undefined);
    assert.deepEqual(got.namespace_options, { network: 'POD', pid: 'CONTAINER', ipc: 'POD' });
  });

  it('takes the user and group from the pod unless the container overrides them', () => {
    const fromPod = sc({ name: 'a' }, { runAsUser: 1000, runAsGroup: 2000 });
    assert.deepEqual(fromPod.run_as_user, { value: 1000 });
    assert.deepEqual(fromPod.run_as_group, { value: 2000 });
    const own = sc({ name: 'a', securityContext: { runAsUser: 0 } }, { runAsUser: 1000, runAsGroup: 2000 });
    assert.deepEqual(own.run_as_user, { value: 0 });
    assert.deepEqual(own.run_as_group, { value: 2000 });
  });

  const npCases: Array<[string, boolean | undefined, boolean]> = [
    ['allowPrivilegeEscalation unset', undefined, false],
    ['allowPrivilegeEscalation true', true, false],
    ['allowPrivilegeEscalation false', false, true],
  ];
  for (const [name, allow, want] of npCases) {
    it(`no_new_privs with ${name} is ${want}`, () => {
      const container: Container = { name: 'a', ...(allow === undefined ? {} : { securityContext: { allowPrivilegeEscalation: allow } }) };
      assert.equal(sc(container).no_new_privs, want);
    });
  }

  it('passes privileged, readOnlyRootFilesystem and capabilities (with or without CAP_)', () => {
    const got = sc({ name: 'a', securityContext: { privileged: true, readOnlyRootFilesystem: true, capabilities: { add: ['NET_ADMIN', 'CAP_SYS_TIME', 'cap_chown'], drop: ['ALL'] } } });
    assert.equal(got.privileged, true);
    assert.equal(got.readonly_rootfs, true);
    assert.deepEqual(got.capabilities, { add_capabilities: ['NET_ADMIN', 'SYS_TIME', 'CHOWN'], drop_capabilities: ['ALL'] });
  });

  it('lists fsGroup before supplementalGroups', () => {
    assert.deepEqual(sc({ name: 'a' }, { fsGroup: 5, supplementalGroups: [7, 9] }).supplemental_groups, [5, 7, 9]);
  });

  it('clears masked and read-only paths for procMount Unmasked', () => {
    const got = sc({ name: 'a', securityContext: { procMount: 'Unmasked' } });
    assert.deepEqual(got.masked_paths, []);
    assert.deepEqual(got.readonly_paths, []);
  });

  it('prefers the container seccomp profile over the pod one', () => {
    assert.deepEqual(sc({ name: 'a' }, { seccompProfile: { type: 'RuntimeDefault' } }).seccomp, { profile_type: 'RuntimeDefault' });
    assert.deepEqual(sc({ name: 'a', securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } } }, { seccompProfile: { type: 'RuntimeDefault' } }).seccomp, {
      profile_type: 'Localhost',
      localhost_ref: 'p.json',
    });
  });

  it('shares the pod pid namespace and host namespaces as the pod asks', () => {
    assert.equal(sc({ name: 'a' }, undefined, { shareProcessNamespace: true }).namespace_options?.pid, 'POD');
    assert.deepEqual(sc({ name: 'a' }, undefined, { hostNetwork: true }).namespace_options, { network: 'NODE', pid: 'CONTAINER', ipc: 'POD' });
  });

  it('maps SELinux options from the pod', () => {
    assert.deepEqual(sc({ name: 'a' }, { seLinuxOptions: { level: 's0:c1,c2' } }).selinux_options, { user: '', role: '', type: '', level: 's0:c1,c2' });
  });
});

describe('normalizeCapability', () => {
  const cases: Array<[string, string]> = [
    ['NET_ADMIN', 'NET_ADMIN'],
    ['CAP_NET_ADMIN', 'NET_ADMIN'],
    ['net_raw', 'NET_RAW'],
    ['all', 'ALL'],
  ];
  for (const [input, want] of cases) it(`${input} -> ${want}`, () => assert.equal(normalizeCapability(input), want));
});

describe('image user and runAsNonRoot', () => {
  const where = '(pod: "p_default(u)", container: a)';
  const cases: Array<[string, PodSecurityContext | undefined, Container, ImageUser | undefined, string | null]> = [
    ['no runAsNonRoot: anything goes', undefined, { name: 'a' }, { uid: 0 }, null],
    ['runAsUser 0', { runAsNonRoot: true }, { name: 'a', securityContext: { runAsUser: 0 } }, undefined, `container's runAsUser breaks non-root policy ${where}`],
    ['runAsUser 1000 passes without looking at the image', { runAsNonRoot: true, runAsUser: 1000 }, { name: 'a' }, { uid: 0 }, null],
    ['image runs as uid 0', { runAsNonRoot: true }, { name: 'a' }, { uid: 0 }, `container has runAsNonRoot and image will run as root ${where}`],
    ['image without a user runs as root', undefined, { name: 'a', securityContext: { runAsNonRoot: true } }, {}, `container has runAsNonRoot and image will run as root ${where}`],
    ['image with a user name', { runAsNonRoot: true }, { name: 'a' }, { username: 'nobody' }, `container has runAsNonRoot and image has non-numeric user (nobody), cannot verify user is non-root ${where}`],
    ['image with uid 65534', { runAsNonRoot: true }, { name: 'a' }, { uid: 65534 }, null],
    ['container turns runAsNonRoot off', { runAsNonRoot: true }, { name: 'a', securityContext: { runAsNonRoot: false } }, { uid: 0 }, null],
    ['image unknown: only runAsUser is checked', { runAsNonRoot: true }, { name: 'a' }, undefined, null],
  ];
  for (const [name, podSc, container, image, want] of cases) {
    it(name, () => {
      const pod = podWith(container, podSc);
      if (want === null) assert.doesNotThrow(() => verifyRunAsNonRoot(pod, container, image));
      else assert.throws(() => verifyRunAsNonRoot(pod, container, image), (err: unknown) => err instanceof ContainerConfigError && err.message === want);
    });
  }

  it("passes the image's uid or user name when the pod sets no user", () => {
    assert.deepEqual(sc({ name: 'a' }).run_as_user, undefined);
    const byUid = containerSecurityContext(podWith({ name: 'a' }), { name: 'a' }, { uid: 1000 });
    assert.deepEqual([byUid.run_as_user, byUid.run_as_username], [{ value: 1000 }, '']);
    const byName = containerSecurityContext(podWith({ name: 'a' }), { name: 'a' }, { username: 'www' });
    assert.deepEqual([byName.run_as_user, byName.run_as_username], [undefined, 'www']);
    const none = containerSecurityContext(podWith({ name: 'a' }), { name: 'a' }, {});
    assert.deepEqual(none.run_as_user, { value: 0 });
    const own = containerSecurityContext(podWith({ name: 'a' }, { runAsUser: 7 }), { name: 'a' }, { uid: 1000 });
    assert.deepEqual([own.run_as_user, own.run_as_username], [{ value: 7 }, undefined]);
  });
});
