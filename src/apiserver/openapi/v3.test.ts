// Shape of the OpenAPI v3 group-version documents: the named apimachinery types are components of their
// own, shaped as upstream's (what kubectl explain's typeGuess reads), and every $ref resolves.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allKinds } from '../../api/index.js';
import { customResourceDefinition } from '../../api/crd/definition.js';
import { groupVersions } from '../handlers/discovery.js';
import { openApiV2Document } from './v2.js';
import { openApiV3Document, openApiV3Root } from './v3.js';
import { FIELDS_V1, INT_OR_STRING, JSON_SCHEMA_PROPS_OR_ARRAY, JSON_VALUE, MICRO_TIME, QUANTITY, RAW_EXTENSION, SUBRESOURCE_STATUS, TIME } from './named-types.js';

type Json = Record<string, unknown>;

function schemas(group: string, version: string, kinds = allKinds()): Record<string, Json> {
  const doc = openApiV3Document(kinds, group, version);
  assert.ok(doc, `no document for ${group}/${version}`);
  return (doc.components as { schemas: Record<string, Json> }).schemas;
}

function property(components: Record<string, Json>, component: string, field: string): Json {
  const c = components[component];
  assert.ok(c, `no component ${component}`);
  const p = (c.properties as Record<string, Json> | undefined)?.[field];
  assert.ok(p, `no property ${component}.${field}`);
  return p;
}

/** The component a (possibly allOf-wrapped) reference points at. */
function refOf(schema: Json): string | undefined {
  const direct = schema.$ref;
  if (typeof direct === 'string') return direct.replace('#/components/schemas/', '');
  const allOf = schema.allOf as Json[] | undefined;
  return allOf?.length === 1 ? refOf(allOf[0]!) : undefined;
}

function collectRefs(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) for (const n of node) collectRefs(n, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.add(v);
      else collectRefs(v, out);
    }
  }
}

describe('OpenAPI v3 documents: named types', () => {
  const apps = schemas('apps', 'v1');
  const core = schemas('', 'v1');

  it('IntOrString: a oneOf component without a type, referenced with the field description', () => {
    const maxSurge = property(apps, 'io.k8s.api.apps.v1.RollingUpdateDeployment', 'maxSurge');
    assert.equal(refOf(maxSurge), INT_OR_STRING);
    // client-node puts IntOrString's own text on the field; upstream's field description wins.
    assert.match(String(maxSurge.description), /^The maximum number of pods that can be scheduled above the desired number of pods/);
    const ios = apps[INT_OR_STRING]!;
    assert.equal(ios.type, undefined);
    assert.equal(ios.format, 'int-or-string');
    assert.deepEqual(ios.oneOf, [{ type: 'integer' }, { type: 'string' }]);
    assert.match(String(ios.description), /^IntOrString is a type that can hold an int32 or a string\./);
    const targetPort = property(core, 'io.k8s.api.core.v1.ServicePort', 'targetPort');
    assert.equal(refOf(targetPort), INT_OR_STRING);
    assert.match(String(targetPort.description), /^Number or name of the port to access on the pods/);
  });

  it('Quantity: maps and fields of it reference a oneOf string/number component', () => {
    const limits = property(core, 'io.k8s.api.core.v1.ResourceRequirements', 'limits');
    assert.equal(limits.type, 'object');
    assert.deepEqual(limits.additionalProperties, { $ref: `#/components/schemas/${QUANTITY}` });
    assert.match(String(limits.description), /^Limits describes the maximum amount of compute resources allowed/);
    const q = core[QUANTITY]!;
    assert.equal(q.type, undefined);
    assert.deepEqual(q.oneOf, [{ type: 'string' }, { type: 'number' }]);
    // Upstream's whole description, paragraphs kept, from kubernetes-types.
    assert.match(String(q.description), /accessors\.\n\nThe serialization format is:\n\n``` <quantity> {8}::= <signedNumber><suffix>\n\n\t\(Note/);
    assert.equal(refOf(property(core, 'io.k8s.api.core.v1.EmptyDirVolumeSource', 'sizeLimit')), QUANTITY);
  });

  it('Time and MicroTime: string components with format date-time', () => {
    const created = property(core, 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'creationTimestamp');
    assert.equal(refOf(created), TIME);
    assert.match(String(created.description), /^CreationTimestamp is a timestamp/);
    assert.match(String(created.description), /is in UTC\.\n\nPopulated by the system\./);
    assert.deepEqual({ type: core[TIME]!.type, format: core[TIME]!.format }, { type: 'string', format: 'date-time' });
    const eventTime = property(core, 'io.k8s.api.core.v1.Event', 'eventTime');
    assert.equal(refOf(eventTime), MICRO_TIME);
    assert.equal(eventTime.description, 'Time when this Event was first observed.');
    assert.deepEqual({ type: core[MICRO_TIME]!.type, format: core[MICRO_TIME]!.format }, { type: 'string', format: 'date-time' });
  });

  it('RawExtension and FieldsV1: object components', () => {
    assert.equal(refOf(property(apps, 'io.k8s.api.apps.v1.ControllerRevision', 'data')), RAW_EXTENSION);
    assert.equal(apps[RAW_EXTENSION]!.type, 'object');
    assert.match(String(apps[RAW_EXTENSION]!.description), /^RawExtension is used to hold extensions in external versions\.\n\n/);
    assert.equal(refOf(property(apps, 'io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry', 'fieldsV1')), FIELDS_V1);
    assert.equal(apps[FIELDS_V1]!.type, 'object');
  });

  it('JSONSchemaProps: JSON values and the Or-types keep their upstream names', () => {
    const crd = schemas('apiextensions.k8s.io', 'v1', [...allKinds(), customResourceDefinition]);
    const props = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps';
    assert.equal(refOf(property(crd, props, 'default')), JSON_VALUE);
    assert.equal(refOf(property(crd, props, 'items')), JSON_SCHEMA_PROPS_OR_ARRAY);
    assert.deepEqual(property(crd, props, 'enum').items, { $ref: `#/components/schemas/${JSON_VALUE}` });
    assert.deepEqual(Object.keys(crd[JSON_VALUE]!), ['description']);
    const status = property(crd, 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceSubresources', 'status');
    assert.equal(refOf(status), SUBRESOURCE_STATUS);
    assert.equal(crd[SUBRESOURCE_STATUS]!.type, 'object');
    assert.match(String(crd[SUBRESOURCE_STATUS]!.description), /^CustomResourceSubresourceStatus defines how to serve the status subresource/);
  });

  it('every $ref of every document resolves to a component', () => {
    const kinds = [...allKinds(), customResourceDefinition];
    for (const gv of groupVersions(kinds)) {
      const doc = openApiV3Document(kinds, gv.group, gv.version)!;
      const refs = new Set<string>();
      collectRefs(doc, refs);
      const components = (doc.components as { schemas: Json }).schemas;
      for (const ref of refs) {
        assert.ok(ref.startsWith('#/components/schemas/'), ref);
        assert.ok(components[ref.slice('#/components/schemas/'.length)], `${gv.group}/${gv.version}: ${ref} unresolved`);
      }
    }
    assert.ok(Object.keys(openApiV3Root(kinds).paths as Json).includes('apis/apiextensions.k8s.io/v1'));
  });

  it('names components by their upstream package, the same in every document and in v2', () => {
    assert.deepEqual(apps['io.k8s.api.apps.v1.Deployment']!['x-kubernetes-group-version-kind'], [{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
    // Shared models belong to core/v1 even in the apps document (core is named first).
    assert.equal(refOf(property(apps, 'io.k8s.api.apps.v1.DeploymentSpec', 'template')), 'io.k8s.api.core.v1.PodTemplateSpec');
    assert.ok(apps['io.k8s.api.core.v1.PodSpec']);
    const batch = schemas('batch', 'v1');
    assert.equal(refOf(property(batch, 'io.k8s.api.batch.v1.JobSpec', 'template')), 'io.k8s.api.core.v1.PodTemplateSpec');
    const v2 = openApiV2Document(allKinds()).definitions as Record<string, Json>;
    for (const name of [...Object.keys(apps), ...Object.keys(batch)]) {
      if (name.startsWith('io.k8s.api.')) assert.ok(v2[name], `v3 component ${name} is not a v2 definition`);
    }
  });
});
