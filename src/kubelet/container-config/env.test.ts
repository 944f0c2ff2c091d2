import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import { StatusError } from '../../machinery/errors.js';
import { resolveEnv, isValidEnvVarName, type EnvContext } from './env.js';
import { ContainerConfigError } from './errors.js';
import type { ObjectGetter } from './getter.js';
import type { Container } from './pod-spec.js';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

/** An in-memory ObjectGetter that also counts calls. */
function getterWith(objects: Record<string, KubeObject>): ObjectGetter & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async get(resource, namespace, name) {
      calls.push(`${resource}/${namespace}/${name}`);
      return objects[`${resource}/${namespace}/${name}`] ?? null;
    },
  };
}

const objects: Record<string, KubeObject> = {
  'configmaps/ns1/settings': { kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'ns1' }, data: { MODE: 'fast', LEVEL: '3', '1bad': 'x' } },
  'secrets/ns1/creds': { kind: 'Secret', metadata: { name: 'creds', namespace: 'ns1' }, data: { USER: b64('admin'), PASSWORD: b64('s3cr3t') } },
};

function pod(container: Container, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'ns1', uid: 'uid-123', labels: { app: 'web', tier: 'front' }, annotations: { note: 'say "hi"' } },
    spec: { nodeName: 'node-a', serviceAccountName: 'robot', containers: [container], ...extra },
  };
}

const ctx: EnvContext = { podIP: '10.42.0.7', podIPs: ['10.42.0.7', 'fd00::7'], hostIP: '192.168.1.5', nodeName: 'node-a' };

async function env(container: Container, extraCtx: Partial<EnvContext> = {}, p?: KubeObject): Promise<Record<string, string>> {
  const list = await resolveEnv(p ?? pod(container), container, getterWith(objects), { ...ctx, ...extraCtx });
  return Object.fromEntries(list.map((e) => [e.key, e.value]));
}

async function failure(container: Container): Promise<string> {
  try {
    await resolveEnv(pod(container), container, getterWith(objects), ctx);
  } catch (err) {
    assert.ok(err instanceof ContainerConfigError, `expected ContainerConfigError, got ${String(err)}`);
    return err.message;
  }
  assert.fail('expected resolveEnv to throw');
}

describe('resolveEnv: values and expansion', () => {
  it('expands references to earlier variables only, keeping unknown ones', async () => {
    const got = await env({
      name: 'c',
      env: [
        { name: 'A', value: 'a' },
        { name: 'B', value: '$(A)-$(C)' },
        { name: 'C', value: 'c' },
        { name: 'D', value: '$$(A) $(A)$(C)' },
      ],
    });
    assert.deepEqual(got, { A: 'a', B: 'a-$(C)', C: 'c', D: '$(A) ac' });
  });

  it('lets env override envFrom and expands against envFrom variables', async () => {
    const got = await env({ name: 'c', envFrom: [{ configMapRef: { name: 'settings' } }], env: [{ name: 'MODE', value: 'slow-$(LEVEL)' }] });
    assert.equal(got.MODE, 'slow-3');
    assert.equal(got.LEVEL, '3');
  });

  it('expands against service variables and appends those the container did not define', async () => {
    const got = await env({ name: 'c', env: [{ name: 'URL', value: 'http://$(DB_SERVICE_HOST)' }, { name: 'DB_PORT', value: 'mine' }] }, {
      serviceEnv: { DB_SERVICE_HOST: '10.96.0.9', DB_PORT: 'tcp://10.96.0.9:5432' },
    });
    assert.deepEqual(got, { URL: 'http://10.96.0.9', DB_PORT: 'mine', DB_SERVICE_HOST: '10.96.0.9' });
  });

  it('gives an empty value to an entry with neither value nor valueFrom', async () => {
    assert.deepEqual(await env({ name: 'c', env: [{ name: 'EMPTY' }] }), { EMPTY: '' });
  });
});

describe('resolveEnv: envFrom', () => {
  it('prefixes keys, decodes secrets and fetches each source once', async () => {
    const getter = getterWith(objects);
    const c: Container = {
      name: 'c',
      envFrom: [{ secretRef: { name: 'creds' }, prefix: 'DB_' }],
      env: [{ name: 'PW', valueFrom: { secretKeyRef: { name: 'creds', key: 'PASSWORD' } } }],
    };
    const list = await resolveEnv(pod(c), c, getter, ctx);
    assert.deepEqual(list, [
      { key: 'DB_USER', value: 'admin' },
      { key: 'DB_PASSWORD', value: 's3cr3t' },
      { key: 'PW', value: 's3cr3t' },
    ]);
    assert.deepEqual(getter.calls, ['secrets/ns1/creds']);
  });

  it('skips a missing optional source and fails on a missing required one', async () => {
    assert.deepEqual(await env({ name: 'c', envFrom: [{ configMapRef: { name: 'nope', optional: true } }] }), {});
    assert.equal(await failure({ name: 'c', envFrom: [{ configMapRef: { name: 'nope' } }] }), 'configmap "nope" not found');
    assert.equal(await failure({ name: 'c', envFrom: [{ secretRef: { name: 'hidden' } }] }), 'secret "hidden" not found');
  });

  it('skips keys that are not variable names under the strict rule and reports them', async () => {
    const reports: string[] = [];
    const got = await env({ name: 'c', envFrom: [{ configMapRef: { name: 'settings' } }] }, { relaxedEnvVarNames: false, onInvalidKeys: (m) => reports.push(m) });
    assert.deepEqual(got, { MODE: 'fast', LEVEL: '3' });
    assert.deepEqual(reports, ['Keys [1bad] from the EnvFrom configMap ns1/settings were skipped since they are considered invalid environment variable names.']);
  });

  it('keeps such keys under the relaxed rule (the 1.32 default)', async () => {
    const got = await env({ name: 'c', envFrom: [{ configMapRef: { name: 'settings' } }] });
    assert.equal(got['1bad'], 'x');
  });

  const names: Array<[string, boolean, boolean]> = [
    ['MY_VAR', true, true],
    ['my.env-name', true, true],
    ['1bad', false, true],
    ['..x', false, true],
    ['.', false, true],
    ['a=b', false, false],
    ['', false, false],
    ['tab\there', false, false],
    ['ünï', false, false],
  ];
  for (const [name, strict, relaxed] of names) {
    it(`name ${JSON.stringify(name)}: strict ${strict}, relaxed ${relaxed}`, () => {
      assert.equal(isValidEnvVarName(name, false), strict);
      assert.equal(isValidEnvVarName(name, true), relaxed);
    });
  }
});

describe('resolveEnv: getter failures', () => {
  const c: Container = { name: 'c', env: [{ name: 'M', valueFrom: { configMapKeyRef: { name: 'settings', key: 'MODE', optional: true } } }] };
  it('treats a thrown NotFound as absent', async () => {
    const getter: ObjectGetter = {
      async get() {
        throw new StatusError('NotFound', 'configmaps "settings" not found');
      },
    };
    assert.deepEqual(await resolveEnv(pod(c), c, getter, ctx), []);
  });
  it('turns other failures into ContainerConfigError', async () => {
    const getter: ObjectGetter = {
      async get() {
        throw new Error('connection refused');
      },
    };
    await assert.rejects(resolveEnv(pod(c), c, getter, ctx), (err: unknown) => err instanceof ContainerConfigError && err.message === 'connection refused');
  });
});

describe('resolveEnv: key refs', () => {
  const cases: Array<[string, Container, Record<string, string> | string]> = [
    ['configMapKeyRef', { name: 'c', env: [{ name: 'M', valueFrom: { configMapKeyRef: { name: 'settings', key: 'MODE' } } }] }, { M: 'fast' }],
    ['missing optional configmap', { name: 'c', env: [{ name: 'M', valueFrom: { configMapKeyRef: { name: 'nope', key: 'MODE', optional: true } } }] }, {}],
    ['missing optional key', { name: 'c', env: [{ name: 'M', valueFrom: { configMapKeyRef: { name: 'settings', key: 'NOPE', optional: true } } }] }, {}],
    ['missing configmap', { name: 'c', env: [{ name: 'M', valueFrom: { configMapKeyRef: { name: 'nope', key: 'MODE' } } }] }, 'configmap "nope" not found'],
    ['missing configmap key', { name: 'c', env: [{ name: 'M', valueFrom: { configMapKeyRef: { name: 'settings', key: 'k' } } }] }, "couldn't find key k in ConfigMap ns1/settings"],
    ['secretKeyRef', { name: 'c', env: [{ name: 'U', valueFrom: { secretKeyRef: { name: 'creds', key: 'USER' } } }] }, { U: 'admin' }],
    ['missing secret', { name: 'c', env: [{ name: 'U', valueFrom: { secretKeyRef: { name: 'x', key: 'USER' } } }] }, 'secret "x" not found'],
    ['missing secret key', { name: 'c', env: [{ name: 'U', valueFrom: { secretKeyRef: { name: 'creds', key: 'TOKEN' } } }] }, "couldn't find key TOKEN in Secret ns1/creds"],
  ];
  for (const [name, container, want] of cases) {
    it(name, async () => {
      if (typeof want === 'string') assert.equal(await failure(container), want);
      else assert.deepEqual(await env(container), want);
    });
  }
});

describe('resolveEnv: fieldRef', () => {
  const cases: Array<[string, string]> = [
    ['metadata.name', 'web-1'],
    ['metadata.namespace', 'ns1'],
    ['metadata.uid', 'uid-123'],
    ["metadata.labels['app']", 'web'],
    ["metadata.labels['missing']", ''],
    ["metadata.annotations['note']", 'say "hi"'],
    ['metadata.labels', 'app="web"\ntier="front"'],
    ['metadata.annotations', 'note="say \\"hi\\""'],
    ['spec.nodeName', 'node-a'],
    ['spec.serviceAccountName', 'robot'],
    ['status.hostIP', '192.168.1.5'],
    ['status.hostIPs', '192.168.1.5'],
    ['status.podIP', '10.42.0.7'],
    ['status.podIPs', '10.42.0.7,fd00::7'],
  ];
  for (const [fieldPath, want] of cases) {
    it(fieldPath, async () => {
      const got = await env({ name: 'c', env: [{ name: 'V', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } }] });
      assert.equal(got.V, want);
    });
  }

  it('rejects unsupported paths and versions with upstream messages', async () => {
    assert.equal(await failure({ name: 'c', env: [{ name: 'V', valueFrom: { fieldRef: { fieldPath: 'spec.containers' } } }] }), 'field label not supported: spec.containers');
    assert.equal(await failure({ name: 'c', env: [{ name: 'V', valueFrom: { fieldRef: { fieldPath: "spec.nodeName['x']" } } }] }), "field label does not support subscript: spec.nodeName['x']");
    assert.equal(await failure({ name: 'c', env: [{ name: 'V', valueFrom: { fieldRef: { apiVersion: 'v2', fieldPath: 'metadata.name' } } }] }), 'unsupported pod version: v2');
  });
});

describe('resolveEnv: resourceFieldRef', () => {
  const container: Container = {
    name: 'app',
    resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '1500m', memory: '128Mi' } },
  };
  const unlimited: Container = { name: 'side', resources: { requests: { cpu: '100m' } } };
  const cases: Array<[string, { resource: string; divisor?: string; containerName?: string }, string]> = [
    ['limits.cpu rounds up to whole cores', { resource: 'limits.cpu' }, '2'],
    ['limits.cpu in millicores', { resource: 'limits.cpu', divisor: '1m' }, '1500'],
    ['requests.cpu rounds up', { resource: 'requests.cpu' }, '1'],
    ['requests.cpu in millicores', { resource: 'requests.cpu', divisor: '1m' }, '250'],
    ['limits.memory in bytes', { resource: 'limits.memory' }, String(128 * 1024 * 1024)],
    ['limits.memory in Mi', { resource: 'limits.memory', divisor: '1Mi' }, '128'],
    ['requests.memory in Mi', { resource: 'requests.memory', divisor: '1Mi' }, '64'],
    ['requests.memory in Gi rounds up', { resource: 'requests.memory', divisor: '1Gi' }, '1'],
    ['unset request reads 0', { resource: 'requests.ephemeral-storage' }, '0'],
    ['unset cpu limit reads allocatable', { resource: 'limits.cpu', containerName: 'side', divisor: '1m' }, '4000'],
    ['unset memory limit reads allocatable', { resource: 'limits.memory', containerName: 'side', divisor: '1Mi' }, '8192'],
    ['unset ephemeral-storage limit reads allocatable', { resource: 'limits.ephemeral-storage', divisor: '1Gi' }, '100'],
  ];
  const p = pod(container, { containers: [container, unlimited] });
  for (const [name, ref, want] of cases) {
    it(name, async () => {
      const c: Container = { ...container, env: [{ name: 'V', valueFrom: { resourceFieldRef: ref } }] };
      const got = await env(c, { nodeAllocatable: { cpu: '4', memory: '8Gi', 'ephemeral-storage': '100Gi' } }, p);
      assert.equal(got.V, want);
    });
  }

  it('names unknown containers and resources as upstream does', async () => {
    const bad = async (ref: { resource: string; containerName?: string }): Promise<string> => {
      const c: Container = { name: 'app', env: [{ name: 'V', valueFrom: { resourceFieldRef: ref } }] };
      try {
        await resolveEnv(p, c, getterWith(objects), ctx);
      } catch (err) {
        assert.ok(err instanceof ContainerConfigError);
        return err.message;
      }
      return 'no error';
    };
    assert.equal(await bad({ resource: 'limits.cpu', containerName: 'ghost' }), 'container ghost not found');
    assert.equal(await bad({ resource: 'limits.gpu' }), 'unsupported container resource : limits.gpu');
  });
});
