/**
 * Static validation of a CRD version's openAPIV3Schema (apiextensions validation.go
 * ValidateCustomResourceDefinitionOpenAPISchema plus structural/validation.go): unsupported
 * constructs, the structural rules (type required except with x-kubernetes-preserve-unknown-fields
 * or x-kubernetes-int-or-string, items for arrays, additionalProperties vs properties, metadata at
 * the root only name/generateName, nothing generic inside allOf/anyOf/oneOf/not) and defaults that
 * do not validate. Input: the schema and its FieldPath. Output: FieldErrors with upstream's texts.
 */
import type { FieldError, FieldPath } from '../../machinery/errors.js';
import { validateAgainstSchema } from './schema-validate.js';
import type { JSONSchemaProps } from './types.js';

type Level = 'root' | 'item' | 'field';
const OPENAPI_V3_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const META_FIELDS = new Set(['metadata', 'kind', 'apiVersion']);

interface Ctx {
  errs: FieldError[];
  /** Why defaults are forbidden here, when they are. */
  noDefaults?: string;
  insideResourceMeta?: boolean;
  /** Path of the value this schema node describes (`spec.replicas`), for default errors. */
  objPath: string;
}

/** Every problem of the schema at `fld` (normally `spec.versions[i].schema.openAPIV3Schema`). */
export function validateOpenAPISchema(schema: JSONSchemaProps, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (schema.nullable) errs.push({ type: 'Forbidden', field: fld.child('nullable').text, detail: 'nullable cannot be true at the root' });
  checkNode(schema, fld, 'root', { errs, objPath: '' });
  return errs;
}

function checkNode(s: JSONSchemaProps, fld: FieldPath, lvl: Level, ctx: Ctx): void {
  const errs = ctx.errs;
  if (s.type && !OPENAPI_V3_TYPES.includes(s.type) && s.type !== 'null') {
    errs.push({ type: 'NotSupported', field: fld.child('type').text, value: s.type, detail: `supported values: ${OPENAPI_V3_TYPES.map((t) => `"${t}"`).join(', ')}` });
  }
  if (s.type === 'null') errs.push({ type: 'Forbidden', field: fld.child('type').text, detail: 'type cannot be set to null, use nullable as an alternative' });
  if (s.default !== undefined && ctx.noDefaults) errs.push({ type: 'Forbidden', field: fld.child('default').text, detail: `must not be set ${ctx.noDefaults}` });
  if (s.id) errs.push({ type: 'Forbidden', field: fld.child('id').text, detail: 'id is not supported' });
  if (s.additionalItems !== undefined) errs.push({ type: 'Forbidden', field: fld.child('additionalItems').text, detail: 'additionalItems is not supported' });
  if (s.patternProperties && Object.keys(s.patternProperties).length) errs.push({ type: 'Forbidden', field: fld.child('patternProperties').text, detail: 'patternProperties is not supported' });
  if (s.definitions && Object.keys(s.definitions).length) errs.push({ type: 'Forbidden', field: fld.child('definitions').text, detail: 'definitions is not supported' });
  if (s.dependencies !== undefined) errs.push({ type: 'Forbidden', field: fld.child('dependencies').text, detail: 'dependencies is not supported' });
  if (s.$ref !== undefined) errs.push({ type: 'Forbidden', field: fld.child('$ref').text, detail: '$ref is not supported' });
  if (Array.isArray(s.items)) errs.push({ type: 'Forbidden', field: fld.child('items').text, detail: 'items must be a schema object and not an array' });
  if (ctx.insideResourceMeta && s['x-kubernetes-embedded-resource']) errs.push({ type: 'Forbidden', field: fld.child('x-kubernetes-embedded-resource').text, detail: 'must not be used inside of resource meta' });
  if (s.uniqueItems === true) errs.push({ type: 'Forbidden', field: fld.child('uniqueItems').text, detail: 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic' });
  const props = s.properties ?? {};
  const hasProps = Object.keys(props).length > 0;
  if (s.additionalProperties !== undefined) {
    if (hasProps && (s.additionalProperties === false || typeof s.additionalProperties === 'object')) {
      errs.push({ type: 'Forbidden', field: fld.child('additionalProperties').text, detail: 'additionalProperties and properties are mutual exclusive' });
    }
    if (lvl === 'root') errs.push({ type: 'Forbidden', field: fld.child('additionalProperties').text, detail: 'must not be used at the root' });
    if (s['x-kubernetes-embedded-resource']) errs.push({ type: 'Forbidden', field: fld.child('additionalProperties').text, detail: 'must not be used if x-kubernetes-embedded-resource is set' });
    if (typeof s.additionalProperties === 'object') {
      const sub = ctx.insideResourceMeta ? { ...ctx, noDefaults: 'inside additionalProperties applying to object metadata' } : ctx;
      checkNode(s.additionalProperties, fld.child('additionalProperties'), 'field', sub);
    }
  }
  for (const key of Object.keys(props).sort()) {
    let sub: Ctx = ctx;
    if ((lvl === 'root' || s['x-kubernetes-embedded-resource']) && META_FIELDS.has(key)) {
      sub = { ...ctx, insideResourceMeta: true, ...(lvl === 'root' ? { noDefaults: `in top-level ${key}` } : {}) };
    }
    checkNode(props[key]!, fld.child('properties').key(key), 'field', { ...sub, objPath: ctx.objPath ? `${ctx.objPath}.${key}` : key });
  }
  const items = Array.isArray(s.items) ? undefined : s.items;
  if (s.type === 'array' && !s.items) errs.push({ type: 'Required', field: fld.child('items').text, detail: 'must be specified' });
  if (items) checkNode(items, fld.child('items'), 'item', { ...ctx, objPath: `${ctx.objPath}[0]` });
  checkExtensions(s, fld, errs);
  checkStructural(s, fld, lvl, errs);
  for (const junctor of ['allOf', 'anyOf', 'oneOf'] as const) {
    (s[junctor] ?? []).forEach((sub, i) => {
      if (junctor === 'anyOf' && isIntOrStringPattern(s.anyOf)) return;
      if (junctor === 'allOf' && i === 0 && isIntOrStringPattern(sub.anyOf)) return;
      checkNested(sub, fld.child(junctor).index(i), errs);
    });
  }
  if (s.not) checkNested(s.not, fld.child('not'), errs);
  if (s.pattern !== undefined) {
    try {
      new RegExp(s.pattern, 'u');
    } catch (e) {
      errs.push({ type: 'Invalid', field: fld.child('pattern').text, value: s.pattern, detail: `must be a valid regular expression, but isn't: ${(e as Error).message}` });
    }
  }
  if (s.default !== undefined && !ctx.noDefaults) checkDefault(s, fld, ctx.objPath, errs);
}

function isIntOrStringPattern(alts: JSONSchemaProps[] | undefined): boolean {
  return alts?.length === 2 && alts[0]?.type === 'integer' && alts[1]?.type === 'string' && Object.keys(alts[0]).length === 1 && Object.keys(alts[1]).length === 1;
}

function checkExtensions(s: JSONSchemaProps, fld: FieldPath, errs: FieldError[]): void {
  if (s['x-kubernetes-preserve-unknown-fields'] === false) errs.push({ type: 'Invalid', field: fld.child('x-kubernetes-preserve-unknown-fields').text, value: false, detail: 'must be true or undefined' });
  if (s['x-kubernetes-int-or-string'] && s['x-kubernetes-preserve-unknown-fields']) errs.push({ type: 'Invalid', field: fld.child('x-kubernetes-preserve-unknown-fields').text, value: true, detail: 'must be false if x-kubernetes-int-or-string is true' });
  if (s['x-kubernetes-int-or-string'] && s['x-kubernetes-embedded-resource']) errs.push({ type: 'Invalid', field: fld.child('x-kubernetes-embedded-resource').text, value: true, detail: 'must be false if x-kubernetes-int-or-string is true' });
  const mapType = s['x-kubernetes-map-type'];
  if (mapType !== undefined && s.type !== 'object') {
    errs.push(s.type ? { type: 'Invalid', field: fld.child('type').text, value: s.type, detail: 'must be object if x-kubernetes-map-type is specified' } : { type: 'Required', field: fld.child('type').text, detail: 'must be object if x-kubernetes-map-type is specified' });
  }
  if (mapType !== undefined && mapType !== 'atomic' && mapType !== 'granular') errs.push({ type: 'NotSupported', field: fld.child('x-kubernetes-map-type').text, value: mapType, detail: 'supported values: "atomic", "granular"' });
  const listType = s['x-kubernetes-list-type'];
  if (listType !== undefined && s.type !== 'array') {
    errs.push(s.type ? { type: 'Invalid', field: fld.child('type').text, value: s.type, detail: 'must be array if x-kubernetes-list-type is specified' } : { type: 'Required', field: fld.child('type').text, detail: 'must be array if x-kubernetes-list-type is specified' });
  }
  if (listType !== undefined && !['atomic', 'set', 'map'].includes(listType)) errs.push({ type: 'NotSupported', field: fld.child('x-kubernetes-list-type').text, value: listType, detail: 'supported values: "atomic", "set", "map"' });
  const keys = s['x-kubernetes-list-map-keys'] ?? [];
  if (keys.length > 0 && listType !== 'map') {
    errs.push(listType === undefined ? { type: 'Required', field: fld.child('x-kubernetes-list-type').text, detail: 'must be map if x-kubernetes-list-map-keys is non-empty' } : { type: 'Invalid', field: fld.child('x-kubernetes-list-type').text, value: listType, detail: 'must be map if x-kubernetes-list-map-keys is non-empty' });
  }
  if (listType === 'map') {
    const items = Array.isArray(s.items) ? undefined : s.items;
    if (keys.length === 0) errs.push({ type: 'Required', field: fld.child('x-kubernetes-list-map-keys').text, detail: 'must not be empty if x-kubernetes-list-type is map' });
    if (items && items.type !== 'object') errs.push({ type: 'Invalid', field: fld.child('items').child('type').text, value: items.type ?? '', detail: "must be object if parent array's x-kubernetes-list-type is map" });
    if (items?.type === 'object') {
      for (const k of keys) {
        const prop = items.properties?.[k];
        if (!prop) errs.push({ type: 'Invalid', field: fld.child('x-kubernetes-list-map-keys').text, value: keys, detail: 'entries must all be names of item properties' });
        else if (!(items.required ?? []).includes(k) && prop.default === undefined) {
          errs.push({ type: 'Required', field: fld.child('items').child('properties').key(k).child('default').text, detail: 'this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property' });
        }
      }
    }
  }
}

function checkStructural(s: JSONSchemaProps, fld: FieldPath, lvl: Level, errs: FieldError[]): void {
  const embedded = s['x-kubernetes-embedded-resource'];
  if (embedded && s.type !== 'object') {
    errs.push(s.type ? { type: 'Invalid', field: fld.child('type').text, value: s.type, detail: 'must be object if x-kubernetes-embedded-resource is true' } : { type: 'Required', field: fld.child('type').text, detail: 'must be object if x-kubernetes-embedded-resource is true' });
  } else if (!s.type && !s['x-kubernetes-int-or-string'] && !s['x-kubernetes-preserve-unknown-fields']) {
    const detail = lvl === 'root' ? 'must not be empty at the root' : lvl === 'item' ? 'must not be empty for specified array items' : 'must not be empty for specified object fields';
    errs.push({ type: 'Required', field: fld.child('type').text, detail });
  }
  if (lvl === 'root' && s.type && s.type !== 'object') errs.push({ type: 'Invalid', field: fld.child('type').text, value: s.type, detail: 'must be object at the root' });
  const props = s.properties ?? {};
  if (lvl === 'root' || embedded) {
    for (const key of ['kind', 'apiVersion'] as const) {
      if (props[key] && props[key].type !== 'string') errs.push({ type: 'Invalid', field: fld.child('properties').key(key).child('type').text, value: props[key].type ?? '', detail: 'must be string' });
    }
    if (props.metadata && props.metadata.type !== 'object') errs.push({ type: 'Invalid', field: fld.child('properties').key('metadata').child('type').text, value: props.metadata.type ?? '', detail: 'must be object' });
  }
  if (lvl === 'root' && props.metadata) {
    const { type: _t, properties, ...rest } = props.metadata;
    const extra = Object.keys(properties ?? {}).filter((k) => k !== 'name' && k !== 'generateName');
    if (extra.length > 0 || Object.keys(rest).some((k) => k !== 'description')) {
      errs.push({ type: 'Forbidden', field: fld.child('properties').key('metadata').text, detail: 'must not specify anything other than name and generateName, but metadata is implicitly specified' });
    }
  }
  if (embedded && !s['x-kubernetes-preserve-unknown-fields'] && Object.keys(props).length === 0) {
    errs.push({ type: 'Required', field: fld.child('properties').text, detail: 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields' });
  }
}

/** Inside allOf/anyOf/oneOf/not only value validations may appear. */
function checkNested(s: JSONSchemaProps, fld: FieldPath, errs: FieldError[]): void {
  const forbid = (key: string, detail: string): void => {
    errs.push({ type: 'Forbidden', field: fld.child(key).text, detail });
  };
  if (s.type) forbid('type', 'must be empty to be structural');
  if (s.additionalProperties !== undefined) forbid('additionalProperties', 'must be undefined to be structural');
  if (s.default !== undefined) forbid('default', 'must be undefined to be structural');
  if (s.title) forbid('title', 'must be empty to be structural');
  if (s.description) forbid('description', 'must be empty to be structural');
  if (s.nullable) forbid('nullable', 'must be false to be structural');
  if (s['x-kubernetes-preserve-unknown-fields']) forbid('x-kubernetes-preserve-unknown-fields', 'must be false to be structural');
  if (s['x-kubernetes-embedded-resource']) forbid('x-kubernetes-embedded-resource', 'must be false to be structural');
  if (s['x-kubernetes-int-or-string']) forbid('x-kubernetes-int-or-string', 'must be false to be structural');
  if (s['x-kubernetes-list-map-keys']?.length) forbid('x-kubernetes-list-map-keys', 'must be empty to be structural');
  if (s['x-kubernetes-list-type'] !== undefined) forbid('x-kubernetes-list-type', 'must be undefined to be structural');
  if (s.properties?.metadata) errs.push({ type: 'Forbidden', field: fld.child('properties').key('metadata').text, detail: 'must not be specified in a nested context' });
  for (const [k, sub] of Object.entries(s.properties ?? {})) checkNested(sub, fld.child('properties').key(k), errs);
  if (s.items && !Array.isArray(s.items)) checkNested(s.items, fld.child('items'), errs);
}

/** A default must itself be valid against its schema (upstream ValidateDefaults). */
function checkDefault(s: JSONSchemaProps, fld: FieldPath, objPath: string, errs: FieldError[]): void {
  const found: FieldError[] = [];
  validateAgainstSchema(s, s.default, objPath, found, false);
  for (const e of found) {
    const below = e.field.slice(objPath.length).replace(/^\./, '');
    errs.push({ ...e, field: `${fld.child('default').text}${below ? (below.startsWith('[') ? below : `.${below}`) : ''}` });
  }
}
