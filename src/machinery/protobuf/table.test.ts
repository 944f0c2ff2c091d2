import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allKinds } from '../../api/index.js';
import { PROTO_FIELDS } from '../../api/proto-fields.js';
import { schemaFor, type Schema } from '../../api/schema.js';
import { protoFields, schemaModelOf } from './fields.js';
import { EXTRA_BODY_MODELS, modelForKind } from './models.js';

function objectModels(s: Schema, out: Set<string>): void {
  while (s.type === 'array' || s.type === 'map') s = s.type === 'array' ? s.items : s.values;
  if (s.type !== 'object' || out.has(s.model)) return;
  out.add(s.model);
  for (const p of Object.values(s.properties)) objectModels(p, out);
}

const roots = [...allKinds().map((k) => k.model), ...Object.values(EXTRA_BODY_MODELS).flatMap((m) => Object.values(m))];

test('every type reachable from every served kind has a field table', () => {
  const reachable = new Set<string>();
  for (const model of roots) objectModels(schemaFor(model), reachable);
  const missing = [...reachable].filter((m) => !protoFields(m));
  assert.deepEqual(missing, []);
  assert.ok(reachable.size > 200, `walked ${reachable.size} types`);
});

test('every table entry names a schema field, with unique numbers and every schema field covered', () => {
  for (const [key, text] of Object.entries(PROTO_FIELDS)) {
    const numbers = text.split(' ').map((e) => Number(e.split(':')[0]));
    assert.equal(new Set(numbers).size, numbers.length, `duplicate numbers in ${key}`);
    const schema = schemaFor(schemaModelOf(key));
    const covered = new Set<string>();
    const collect = (k: string): void => {
      for (const spec of protoFields(k)!.values()) {
        if (spec.inline) collect(spec.inline);
        else {
          assert.ok(schema.properties[spec.json], `${k}: ${spec.json} is not a field of ${schemaModelOf(k)}`);
          covered.add(spec.json);
        }
      }
    };
    collect(key);
    if (key.includes('/')) continue;
    const uncovered = Object.keys(schema.properties).filter((p) => !covered.has(p) && p !== 'apiVersion' && p !== 'kind');
    // NodeAllocatableResourceClaimStatus.resources was renamed upstream after client-node's release
    if (key !== 'V1NodeAllocatableResourceClaimStatus') assert.deepEqual(uncovered, [], `${key} has fields without numbers`);
  }
});

test('modelForKind: served kinds, subresource bodies and DeleteOptions', () => {
  assert.equal(modelForKind('v1', 'ConfigMap'), 'V1ConfigMap');
  assert.equal(modelForKind('apps/v1', 'Deployment'), 'V1Deployment');
  assert.equal(modelForKind('autoscaling/v2', 'HorizontalPodAutoscaler'), 'V2HorizontalPodAutoscaler');
  assert.equal(modelForKind('policy/v1', 'Eviction'), 'V1Eviction');
  assert.equal(modelForKind('authentication.k8s.io/v1', 'TokenRequest'), 'AuthenticationV1TokenRequest');
  assert.equal(modelForKind('batch/v1', 'DeleteOptions'), 'V1DeleteOptions');
  assert.equal(modelForKind('apps/v1', 'ConfigMap'), undefined);
});
