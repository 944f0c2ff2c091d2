/**
 * OpenAPI v3 documents, generated from the kind definitions and their schemas: the root
 * (`/openapi/v3`, listing one document per group-version) and each group-version document with
 * paths (every operation carries x-kubernetes-group-version-kind; PATCH takes `fieldValidation`, which
 * kubectl checks before it sends `?fieldValidation=Strict`) and components.schemas.
 */
import { createHash } from 'node:crypto';
import type { KindDefinition } from '../../api/types.js';
import { schemaFor, type Schema } from '../../api/schema.js';
import { docsFor } from '../../api/schema-docs.js';
import { patchExtensionsFor } from '../../api/patch-meta.js';
import { groupVersions } from '../handlers/discovery.js';
import { OBJECT_META_DESCRIPTION, componentName, gvPath, kindComponentName, scalarSchema } from './names.js';

type Json = Record<string, unknown>;

const NAMED_SCALARS: Record<'int-or-string' | 'quantity', { name: string; schema: Json }> = {
  'int-or-string': {
    name: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
    schema: { type: 'string', format: 'int-or-string', description: 'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.' },
  },
  quantity: {
    name: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
    schema: { type: 'string', description: 'Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.' },
  },
};

function toOpenApi(schema: Schema, components: Json, description?: string): Json {
  const withDesc = (o: Json): Json => (description ? { ...o, description } : o);
  switch (schema.type) {
    case 'object':
      addComponent(schema.model, components);
      return withDesc({ allOf: [{ $ref: `#/components/schemas/${componentName(schema.model)}` }] });
    case 'array':
      return withDesc({ type: 'array', items: toOpenApi(schema.items, components) });
    case 'map':
      return withDesc({ type: 'object', additionalProperties: toOpenApi(schema.values, components) });
    case 'string':
    case 'integer':
    case 'number':
    case 'boolean':
      return withDesc(scalarSchema(schema)!);
    case 'int-or-string':
    case 'quantity': {
      // Named types, as upstream publishes them (kubectl explain prints <IntOrString> / <Quantity>).
      const named = NAMED_SCALARS[schema.type];
      components[named.name] ??= named.schema;
      return withDesc({ allOf: [{ $ref: `#/components/schemas/${named.name}` }] });
    }
    case 'any':
    default:
      return withDesc({ 'x-kubernetes-preserve-unknown-fields': true });
  }
}

function addComponent(model: string, components: Json): void {
  const name = componentName(model);
  if (components[name]) return;
  components[name] = {}; // placeholder first: models can be recursive
  const schema = schemaFor(model);
  const docs = docsFor(model);
  const properties: Json = {};
  for (const [field, sub] of Object.entries(schema.properties)) {
    const fallback = field === 'metadata' && sub.type === 'object' && sub.model === 'V1ObjectMeta' ? OBJECT_META_DESCRIPTION : undefined;
    properties[field] = { ...toOpenApi(sub, components, docs.fields[field]?.description ?? fallback), ...patchExtensionsFor(model, field) };
  }
  const required = Object.entries(docs.fields)
    .filter(([, d]) => d.required)
    .map(([f]) => f);
  components[name] = {
    type: 'object',
    ...(docs.description ? { description: docs.description } : {}),
    properties,
    ...(required.length ? { required } : {}),
  };
}

/** Adds the component of a kind (its published schema with metadata pointing at ObjectMeta). */
function addKindComponent(kind: KindDefinition, components: Json): void {
  if (!kind.openAPISchema) return addComponent(kind.model, components);
  addComponent('V1ObjectMeta', components);
  const schema = kind.openAPISchema;
  const metadata = { description: OBJECT_META_DESCRIPTION, allOf: [{ $ref: `#/components/schemas/${componentName('V1ObjectMeta')}` }] };
  components[kindComponentName(kind)] = { ...schema, properties: { ...(schema.properties as Json | undefined), metadata } };
}

function operation(kind: KindDefinition, action: string, extra: Json = {}): Json {
  const r = kind.resource;
  return {
    operationId: `${action}${r.kind}`,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: r.group, version: r.version, kind: r.kind },
    responses: { '200': { description: 'OK', content: { 'application/json': { schema: { $ref: `#/components/schemas/${kindComponentName(kind)}` } } } } },
    ...extra,
  };
}

const queryParam = (name: string, type = 'string'): Json => ({ name, in: 'query', schema: { type }, uniqueItems: true });

export function openApiV3Document(kinds: KindDefinition[], group: string, version: string): Json | undefined {
  const gv = groupVersions(kinds).find((g) => g.group === group && g.version === version);
  if (!gv) return undefined;
  const components: Json = {};
  const paths: Json = {};
  const writeParams = [queryParam('dryRun'), queryParam('fieldManager'), queryParam('fieldValidation')];
  for (const kind of gv.kinds) {
    const r = kind.resource;
    addKindComponent(kind, components);
    const comp = components[kindComponentName(kind)] as Json;
    comp['x-kubernetes-group-version-kind'] = [{ group: r.group, version: r.version, kind: r.kind }];
    const base = `/${gvPath(group, version)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}`;
    paths[base] = {
      get: operation(kind, 'list', { parameters: [queryParam('labelSelector'), queryParam('fieldSelector'), queryParam('limit', 'integer')] }),
      post: operation(kind, 'post', { parameters: writeParams }),
      delete: operation(kind, 'deletecollection'),
    };
    paths[`${base}/{name}`] = {
      get: operation(kind, 'get'),
      put: operation(kind, 'put', { parameters: writeParams }),
      patch: operation(kind, 'patch', { parameters: [...writeParams, queryParam('force', 'boolean')] }),
      delete: operation(kind, 'delete', { parameters: [queryParam('dryRun'), queryParam('gracePeriodSeconds', 'integer'), queryParam('propagationPolicy')] }),
    };
    for (const sub of r.subresources) {
      if (sub === 'status' || sub === 'scale') {
        paths[`${base}/{name}/${sub}`] = {
          get: operation(kind, 'get'),
          put: operation(kind, 'put', { parameters: writeParams }),
          patch: operation(kind, 'patch', { parameters: writeParams }),
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
