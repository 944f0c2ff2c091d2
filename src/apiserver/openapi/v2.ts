/**
 * The OpenAPI v2 (Swagger 2.0) document served at `/openapi/v2`: kubectl's fallback when
 * `/openapi/v3` fails (validation's fieldValidation check, client-side schema validation of `kind: List`
 * manifests, `kubectl explain --output=plaintext-openapiv2`).
 *
 * Input: the served kind definitions. Output: one JSON document with every path and every definition,
 * named like upstream's (`io.k8s.api.apps.v1.Deployment`). Definitions of kinds carry
 * `x-kubernetes-group-version-kind` (a list); operations carry it as a single object, plus
 * `x-kubernetes-action`, and PATCH operations take `fieldValidation`. The schema shapes respect what
 * kube-openapi's v2 parser (kubectl) accepts: a `$ref` has no type or properties, an array has exactly
 * one items schema, a type is one of object/array/string/integer/number/boolean.
 */
import type { KindDefinition } from '../../api/types.js';
import { schemaFor, type Schema } from '../../api/schema.js';
import { docsFor } from '../../api/schema-docs.js';
import { patchExtensionsFor } from '../../api/patch-meta.js';
import { OBJECT_META_DESCRIPTION, gvPath, kindComponentName, scalarSchema } from './names.js';
import { DefinitionNames, coreFirst } from './definition-names.js';
import { crdSchemaToV2 } from './v2-crd-schema.js';
import { fieldDescription, modelDescription } from './field-description.js';
import { INT_OR_STRING, QUANTITY, namedComponent, scalarTypeName } from './named-types.js';

export type Json = Record<string, unknown>;

const PATCH = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';
const ref = (name: string): Json => ({ $ref: `#/definitions/${name}` });

/** Definitions upstream publishes for apimachinery's scalar-like types (v2 gives them a string type). */
function fixedDefinitions(): Json {
  const described = (name: string, shape: Json): Json => ({ description: namedComponent(name).description, ...shape });
  return {
    [INT_OR_STRING]: described(INT_OR_STRING, { type: 'string', format: 'int-or-string' }),
    [QUANTITY]: described(QUANTITY, { type: 'string' }),
    [PATCH]: { description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.', type: 'object' },
  };
}

interface Builder {
  definitions: Json;
  names: DefinitionNames;
}

function toSwagger(schema: Schema, b: Builder, description?: string): Json {
  const withDesc = (o: Json): Json => (description ? { description, ...o } : o);
  switch (schema.type) {
    case 'object':
      addDefinition(schema.model, b);
      return withDesc(ref(b.names.of(schema.model)));
    case 'array':
      return withDesc({ type: 'array', items: toSwagger(schema.items, b) });
    case 'map':
      return withDesc({ type: 'object', additionalProperties: toSwagger(schema.values, b) });
    case 'string': {
      const time = scalarTypeName(schema); // Time and MicroTime: definitions of their own, as upstream's
      if (!time) return withDesc(scalarSchema(schema)!);
      b.definitions[time] ??= namedComponent(time);
      return withDesc(ref(time));
    }
    case 'integer':
    case 'number':
    case 'boolean':
      return withDesc(scalarSchema(schema)!);
    case 'int-or-string':
      return withDesc(ref(INT_OR_STRING));
    case 'quantity':
      return withDesc(ref(QUANTITY));
    case 'any':
    default:
      // No type: kubectl treats it as an arbitrary value (RawExtension, JSON, FieldsV1).
      return withDesc({});
  }
}

function addDefinition(model: string, b: Builder): void {
  const { definitions } = b;
  const name = b.names.of(model);
  if (definitions[name]) return;
  definitions[name] = {}; // placeholder first: models can be recursive
  const schema = schemaFor(model);
  const docs = docsFor(model);
  const typeDescription = modelDescription(model);
  const properties: Json = {};
  for (const [field, sub] of Object.entries(schema.properties)) {
    properties[field] = { ...toSwagger(sub, b, fieldDescription(model, field, sub)), ...patchExtensionsFor(model, field) };
  }
  const required = Object.entries(docs.fields)
    .filter(([, d]) => d.required)
    .map(([f]) => f);
  definitions[name] = {
    ...(typeDescription ? { description: typeDescription } : {}),
    type: 'object',
    properties,
    ...(required.length ? { required } : {}),
  };
}

/** The definition name of a kind: its model's, or for custom kinds `<reversed group>.<version>.<Kind>`. */
function kindDefinitionName(kind: KindDefinition, b: Builder): string {
  return kind.openAPISchema ? kindComponentName(kind) : b.names.of(kind.model);
}

function addKindDefinition(kind: KindDefinition, b: Builder): void {
  const { definitions } = b;
  const r = kind.resource;
  const gvk = [{ group: r.group, kind: r.kind, version: r.version }];
  if (!kind.openAPISchema) {
    addDefinition(kind.model, b);
    const def = definitions[kindDefinitionName(kind, b)] as Json;
    const known = (def['x-kubernetes-group-version-kind'] as Json[] | undefined) ?? [];
    def['x-kubernetes-group-version-kind'] = [...known, ...gvk];
    return;
  }
  addDefinition('V1ObjectMeta', b);
  const schema = crdSchemaToV2(kind.openAPISchema);
  const metadata = { description: OBJECT_META_DESCRIPTION, ...ref(b.names.of('V1ObjectMeta')) };
  definitions[kindComponentName(kind)] = { ...schema, type: 'object', properties: { ...(schema.properties as Json | undefined), metadata }, 'x-kubernetes-group-version-kind': gvk };
}

const queryParam = (name: string, description: string, type = 'string'): Json => ({ uniqueItems: true, type, description, name, in: 'query' });
const pathParam = (name: string, description: string): Json => ({ uniqueItems: true, type: 'string', description, name, in: 'path', required: true });
const PARAMS = {
  dryRun: queryParam('dryRun', 'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed'),
  fieldManager: queryParam('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
  fieldValidation: queryParam('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn, Strict.'),
  force: queryParam('force', 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people.', 'boolean'),
  labelSelector: queryParam('labelSelector', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  fieldSelector: queryParam('fieldSelector', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  limit: queryParam('limit', 'limit is a maximum number of responses to return for a list call.', 'integer'),
  continue: queryParam('continue', 'The continue option should be set when retrieving more results from the server.'),
  resourceVersion: queryParam('resourceVersion', 'resourceVersion sets a constraint on what resource versions a request may be served from.'),
  watch: queryParam('watch', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.', 'boolean'),
  gracePeriodSeconds: queryParam('gracePeriodSeconds', 'The duration in seconds before the object should be deleted.', 'integer'),
  propagationPolicy: queryParam('propagationPolicy', "Whether and how garbage collection will be performed: 'Orphan', 'Background' or 'Foreground'."),
  pretty: queryParam('pretty', "If 'true', then the output is pretty printed."),
};
const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];
const PRODUCES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

function operation(kind: KindDefinition, action: string, verb: string, parameters: Json[], responseRef: string): Json {
  const r = kind.resource;
  const patch = verb === 'patch';
  return {
    description: `${action} ${r.kind}`,
    consumes: patch ? (kind.openAPISchema ? PATCH_TYPES.filter((t) => !t.includes('strategic')) : PATCH_TYPES) : ['*/*'],
    produces: PRODUCES,
    schemes: ['https'],
    operationId: `${verb}${r.kind}`,
    parameters,
    responses: { '200': { description: 'OK', schema: ref(responseRef) }, '401': { description: 'Unauthorized' } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: r.group, kind: r.kind, version: r.version },
  };
}

function addPaths(kind: KindDefinition, b: Builder, paths: Json): void {
  const r = kind.resource;
  const def = kindDefinitionName(kind, b);
  const body = (schema: string): Json => ({ name: 'body', in: 'body', required: true, schema: ref(schema) });
  const write = [PARAMS.dryRun, PARAMS.fieldManager, PARAMS.fieldValidation];
  const ns = r.namespaced ? [pathParam('namespace', 'object name and auth scope, such as for teams and projects')] : [];
  const named = [pathParam('name', `name of the ${r.kind}`), ...ns, PARAMS.pretty];
  const base = `/${gvPath(r.group, r.version)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}`;
  paths[base] = {
    get: operation(kind, 'list', 'list', [PARAMS.labelSelector, PARAMS.fieldSelector, PARAMS.limit, PARAMS.continue, PARAMS.resourceVersion, PARAMS.watch], def),
    post: operation(kind, 'post', 'create', [body(def), ...write], def),
    delete: operation(kind, 'deletecollection', 'deletecollection', [PARAMS.labelSelector, PARAMS.fieldSelector, PARAMS.dryRun], def),
    parameters: [...ns, PARAMS.pretty],
  };
  paths[`${base}/{name}`] = {
    get: operation(kind, 'get', 'read', [], def),
    put: operation(kind, 'put', 'replace', [body(def), ...write], def),
    patch: operation(kind, 'patch', 'patch', [body(PATCH), ...write, PARAMS.force], def),
    delete: operation(kind, 'delete', 'delete', [PARAMS.dryRun, PARAMS.gracePeriodSeconds, PARAMS.propagationPolicy], def),
    parameters: named,
  };
  for (const sub of r.subresources) {
    if (sub !== 'status' && sub !== 'scale' && sub !== 'ephemeralcontainers') continue;
    paths[`${base}/{name}/${sub}`] = {
      get: operation(kind, 'get', 'read', [], def),
      put: operation(kind, 'put', 'replace', [body(def), ...write], def),
      patch: operation(kind, 'patch', 'patch', [body(PATCH), ...write, PARAMS.force], def),
      parameters: named,
    };
  }
}

/** The whole Swagger 2.0 document of every served kind. */
export function openApiV2Document(kinds: KindDefinition[]): Json {
  const b: Builder = { definitions: fixedDefinitions(), names: new DefinitionNames() };
  const paths: Json = {};
  // Core first: shared models such as PodTemplateSpec belong to core/v1.
  for (const gv of coreFirst(kinds)) {
    b.names.group = gv.group;
    for (const kind of gv.kinds) {
      addKindDefinition(kind, b);
      addPaths(kind, b, paths);
    }
  }
  return { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, definitions: b.definitions };
}
