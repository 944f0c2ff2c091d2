/**
 * OpenAPI v3 documents, generated from the kind definitions and their schemas: the root
 * (`/openapi/v3`, listing one document per group-version) and each group-version document with
 * paths (every operation carries x-kubernetes-group-version-kind; PATCH takes `fieldValidation`, which
 * kubectl checks before it sends `?fieldValidation=Strict`) and components.schemas.
 *
 * Components are shaped and named as upstream's, because `kubectl explain` prints the last segment of
 * a field's `$ref` as its type: models by their upstream package (`io.k8s.api.apps.v1.DeploymentSpec`,
 * definition-names.ts), apimachinery's IntOrString, Quantity, Time, RawExtension... as components of
 * their own (named-types.ts), and descriptions with upstream's text and breaks (field-description.ts).
 *
 * Input: the served kinds, a group and version. Output: plain JSON documents.
 */
import { createHash } from 'node:crypto';
import type { KindDefinition } from '../../api/types.js';
import { schemaFor, type Schema } from '../../api/schema.js';
import { docsFor } from '../../api/schema-docs.js';
import { patchExtensionsFor } from '../../api/patch-meta.js';
import { groupVersions } from '../handlers/discovery.js';
import { OBJECT_META_DESCRIPTION, gvPath, kindComponentName, scalarSchema } from './names.js';
import { modelNamesFor, type DefinitionNames } from './definition-names.js';
import { namedComponent, scalarTypeName, untypedFieldType } from './named-types.js';
import { fieldDescription, modelDescription } from './field-description.js';

type Json = Record<string, unknown>;

interface Builder {
  components: Json;
  /** Component names of models, decided over all served kinds (modelNamesFor). */
  names: DefinitionNames;
}

/** A `$ref` to a component; wrapped in allOf when it carries a description, as upstream does. */
function refTo(name: string, description?: string): Json {
  const ref = { $ref: `#/components/schemas/${name}` };
  return description ? { allOf: [ref], description } : ref;
}

/**
 * The OpenAPI form of a field schema. `untypedAs` names the upstream type of untyped JSON values
 * reached from this field (RawExtension, FieldsV1, JSON...).
 */
function toOpenApi(schema: Schema, b: Builder, description?: string, untypedAs?: string): Json {
  const withDesc = (o: Json): Json => (description ? { ...o, description } : o);
  const named = scalarTypeName(schema) ?? (schema.type === 'any' ? untypedAs : undefined);
  if (named) {
    // Named types, as upstream publishes them (kubectl explain prints <IntOrString>, <Quantity>, <RawExtension>...).
    b.components[named] ??= namedComponent(named);
    return refTo(named, description);
  }
  switch (schema.type) {
    case 'object':
      addComponent(schema.model, b);
      return refTo(b.names.of(schema.model), description);
    case 'array':
      return withDesc({ type: 'array', items: toOpenApi(schema.items, b, undefined, untypedAs) });
    case 'map':
      return withDesc({ type: 'object', additionalProperties: toOpenApi(schema.values, b, undefined, untypedAs) });
    case 'string':
    case 'integer':
    case 'number':
    case 'boolean':
      return withDesc(scalarSchema(schema)!);
    case 'any':
    default:
      return withDesc({ 'x-kubernetes-preserve-unknown-fields': true });
  }
}

function addComponent(model: string, b: Builder): void {
  const { components } = b;
  const name = b.names.of(model);
  if (components[name]) return;
  components[name] = {}; // placeholder first: models can be recursive
  const schema = schemaFor(model);
  const docs = docsFor(model);
  const typeDescription = modelDescription(model);
  const properties: Json = {};
  for (const [field, sub] of Object.entries(schema.properties)) {
    const description = fieldDescription(model, field, sub);
    properties[field] = { ...toOpenApi(sub, b, description, untypedFieldType(model, field)), ...patchExtensionsFor(model, field) };
  }
  const required = Object.entries(docs.fields)
    .filter(([, d]) => d.required)
    .map(([f]) => f);
  components[name] = {
    type: 'object',
    ...(typeDescription ? { description: typeDescription } : {}),
    properties,
    ...(required.length ? { required } : {}),
  };
}

/** Adds the component of a kind (its published schema with metadata pointing at ObjectMeta). */
function addKindComponent(kind: KindDefinition, b: Builder): void {
  if (!kind.openAPISchema) return addComponent(kind.model, b);
  addComponent('V1ObjectMeta', b);
  const schema = kind.openAPISchema;
  const metadata = refTo(b.names.of('V1ObjectMeta'), OBJECT_META_DESCRIPTION);
  b.components[kindComponentName(kind)] = { ...schema, properties: { ...(schema.properties as Json | undefined), metadata } };
}

/** The component name of a kind: its model's as named over all served kinds, or the custom kind's. */
function kindName(kind: KindDefinition, b: Builder): string {
  return kind.openAPISchema ? kindComponentName(kind) : b.names.of(kind.model);
}

function operation(kind: KindDefinition, action: string, schemaName: string, extra: Json = {}): Json {
  const r = kind.resource;
  return {
    operationId: `${action}${r.kind}`,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: r.group, version: r.version, kind: r.kind },
    responses: { '200': { description: 'OK', content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaName}` } } } } },
    ...extra,
  };
}

const queryParam = (name: string, type = 'string'): Json => ({ name, in: 'query', schema: { type }, uniqueItems: true });

export function openApiV3Document(kinds: KindDefinition[], group: string, version: string): Json | undefined {
  const gv = groupVersions(kinds).find((g) => g.group === group && g.version === version);
  if (!gv) return undefined;
  const components: Json = {};
  const b: Builder = { components, names: modelNamesFor(kinds) };
  const paths: Json = {};
  const writeParams = [queryParam('dryRun'), queryParam('fieldManager'), queryParam('fieldValidation')];
  for (const kind of gv.kinds) {
    const r = kind.resource;
    addKindComponent(kind, b);
    const name = kindName(kind, b);
    const comp = components[name] as Json;
    comp['x-kubernetes-group-version-kind'] = [{ group: r.group, version: r.version, kind: r.kind }];
    const base = `/${gvPath(group, version)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}`;
    paths[base] = {
      get: operation(kind, 'list', name, { parameters: [queryParam('labelSelector'), queryParam('fieldSelector'), queryParam('limit', 'integer')] }),
      post: operation(kind, 'post', name, { parameters: writeParams }),
      delete: operation(kind, 'deletecollection', name),
    };
    paths[`${base}/{name}`] = {
      get: operation(kind, 'get', name),
      put: operation(kind, 'put', name, { parameters: writeParams }),
      patch: operation(kind, 'patch', name, { parameters: [...writeParams, queryParam('force', 'boolean')] }),
      delete: operation(kind, 'delete', name, { parameters: [queryParam('dryRun'), queryParam('gracePeriodSeconds', 'integer'), queryParam('propagationPolicy')] }),
    };
    for (const sub of r.subresources) {
      if (sub === 'status' || sub === 'scale' || sub === 'ephemeralcontainers') {
        paths[`${base}/{name}/${sub}`] = {
          get: operation(kind, 'get', name),
          put: operation(kind, 'put', name, { parameters: writeParams }),
          patch: operation(kind, 'patch', name, { parameters: writeParams }),
        };
      }
    }
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas: components } };
}

/** Hash per group-version, valid while the group-version's kind definitions are the same objects. */
const hashes = new Map<string, { kinds: KindDefinition[]; hash: string }>();

export function openApiV3Root(kinds: KindDefinition[]): Json {
  const paths: Json = {};
  for (const gv of groupVersions(kinds)) {
    const p = gvPath(gv.group, gv.version);
    let hash = hashes.get(p);
    if (!hash || hash.kinds.length !== gv.kinds.length || hash.kinds.some((k, i) => k !== gv.kinds[i])) {
      hash = { kinds: gv.kinds, hash: createHash('sha512').update(JSON.stringify(openApiV3Document(kinds, gv.group, gv.version))).digest('hex').slice(0, 128).toUpperCase() };
      hashes.set(p, hash);
    }
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hash.hash}` };
  }
  return { paths };
}
