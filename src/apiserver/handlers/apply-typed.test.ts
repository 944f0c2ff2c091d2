import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findKind, type KubeObject } from '../../api/index.js';
import { StatusError } from '../../machinery/errors.js';
import { assertApplyConfigurationTyped } from './apply-typed.js';

function failure(group: string, plural: string, obj: KubeObject): StatusError {
  const def = findKind(group, 'v1', plural);
  assert.ok(def);
  try {
    assertApplyConfigurationTyped(def, obj);
  } catch (err) {
    assert.ok(err instanceof StatusError);
    return err;
  }
  assert.fail('expected the applied configuration to be rejected');
}

describe('server-side apply typed conversion', () => {
  it('accepts a configuration with declared fields only', () => {
    const def = findKind('', 'v1', 'configmaps')!;
    assertApplyConfigurationTyped(def, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default' }, data: { k: 'v' } });
  });

  it('rejects an undeclared field as a reason-less 500 with upstream text', () => {
    const err = failure('', 'configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns', bogus: 1 } as KubeObject['metadata'] });
    assert.equal(err.status.code, 500);
    assert.equal(err.status.reason, undefined);
    assert.equal(err.message, 'failed to create typed patch object (ns/a; /v1, Kind=ConfigMap): .metadata.bogus: field not declared in schema');
  });

  it('names associative list items by key and lists several errors', () => {
    const err = failure('apps', 'deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'default' },
      spec: { template: { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'c', image: 'i', bogus: 1, ports: [{ containerPort: 80, protocol: 'TCP', extra: true }] }] } } },
    } as KubeObject);
    assert.equal(
      err.message,
      'failed to create typed patch object (default/d; apps/v1, Kind=Deployment): errors:\n' +
        '  .spec.template.spec.containers[name="c"].bogus: field not declared in schema\n' +
        '  .spec.template.spec.containers[name="c"].ports[containerPort=80,protocol="TCP"].extra: field not declared in schema',
    );
  });
});
