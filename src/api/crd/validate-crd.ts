/**
 * Defaulting and validation of CustomResourceDefinition objects, after upstream's
 * apiextensions/v1 defaults.go and apiextensions/validation/validation.go: name `<plural>.<group>`,
 * group, scope, names (DNS-1035 labels; kind/listKind may have mixed case), versions (unique
 * DNS-1035 names, exactly one storage version, a schema per version), each schema (validate-schema.ts),
 * subresources (scale paths) and additionalPrinterColumns; on update the group and plural (and,
 * once Established, kind and scope) are immutable.
 */
import { isDeepStrictEqual } from 'node:util';
import { path, type FieldError, type FieldPath } from '../../machinery/errors.js';
import { isDNS1035Label, isDNS1123Subdomain } from '../../machinery/names.js';
import type { KubeObject } from '../types.js';
import { asCRD, crdCondition, type CRDNames, type CRDPrinterColumn, type CRDSubresources, type CustomResourceDefinition } from './types.js';
import { validateOpenAPISchema } from './validate-schema.js';

const COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];

/** SetDefaults: singular and listKind from kind, conversion None, storedVersions include the storage version. */
export function defaultCRD(obj: KubeObject): void {
  const crd = asCRD(obj);
  const spec = crd.spec;
  if (!spec || typeof spec !== 'object') return;
  const names = spec.names;
  if (names && typeof names === 'object') {
    if (!names.singular && typeof names.kind === 'string') names.singular = names.kind.toLowerCase();
    if (!names.listKind && typeof names.kind === 'string' && names.kind) names.listKind = `${names.kind}List`;
  }
  if (!spec.conversion) spec.conversion = { strategy: 'None' };
  const storage = (spec.versions ?? []).find((v) => v.storage)?.name;
  if (storage) {
    crd.status = crd.status ?? {};
    const stored = crd.status.storedVersions ?? [];
    if (!stored.includes(storage)) crd.status.storedVersions = [...stored, storage];
  }
  if (crd.status) {
    crd.status.acceptedNames = crd.status.acceptedNames ?? { plural: '', kind: '' };
    crd.status.conditions = crd.status.conditions ?? [];
  }
}

/** Upstream ValidateCustomResourceDefinition (beyond ObjectMeta basics, which the strategy runs). */
export function validateCRD(obj: KubeObject): FieldError[] {
  const crd = asCRD(obj);
  const errs: FieldError[] = [];
  const spec = crd.spec ?? {};
  const names = spec.names ?? {};
  const name = crd.metadata?.name ?? '';
  if (name && name !== `${names.plural ?? ''}.${spec.group ?? ''}`) {
    errs.push({ type: 'Invalid', field: 'metadata.name', value: name, detail: 'must be spec.names.plural+"."+spec.group' });
  }
  const fld = path('spec');
  if (!spec.group) errs.push({ type: 'Required', field: 'spec.group' });
  else {
    const msgs = isDNS1123Subdomain(spec.group);
    if (msgs.length) errs.push({ type: 'Invalid', field: 'spec.group', value: spec.group, detail: msgs.join(',') });
    else if (spec.group.split('.').length < 2) errs.push({ type: 'Invalid', field: 'spec.group', value: spec.group, detail: 'should be a domain with at least one dot' });
  }
  if (!spec.scope) errs.push({ type: 'Required', field: 'spec.scope' });
  else if (spec.scope !== 'Cluster' && spec.scope !== 'Namespaced') errs.push({ type: 'NotSupported', field: 'spec.scope', value: spec.scope, detail: 'supported values: "Cluster", "Namespaced"' });
  errs.push(...validateVersions(crd, fld.child('versions')));
  for (const key of ['plural', 'singular', 'kind', 'listKind'] as const) {
    if (!names[key]) errs.push({ type: 'Required', field: fld.child('names').child(key).text });
  }
  errs.push(...validateNames(names, fld.child('names')));
  if (spec.preserveUnknownFields) {
    errs.push({ type: 'Invalid', field: 'spec.preserveUnknownFields', value: true, detail: 'cannot set to true, set x-preserve-unknown-fields to true in spec.versions[*].schema instead' });
  }
  const strategy = spec.conversion?.strategy;
  if (strategy !== undefined && strategy !== 'None' && strategy !== 'Webhook') errs.push({ type: 'NotSupported', field: 'spec.conversion.strategy', value: strategy, detail: 'supported values: "None", "Webhook"' });
  if (crd.status?.acceptedNames) errs.push(...validateNames(crd.status.acceptedNames, path('status').child('acceptedNames')));
  return errs;
}

function validateVersions(crd: CustomResourceDefinition, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const versions = crd.spec?.versions ?? [];
  let storage = 0;
  const seen = new Set<string>();
  let unique = true;
  versions.forEach((v, i) => {
    const vf = fld.index(i);
    if (v.storage) storage++;
    if (seen.has(v.name ?? '')) unique = false;
    seen.add(v.name ?? '');
    const msgs = isDNS1035Label(v.name ?? '');
    if (msgs.length) errs.push({ type: 'Invalid', field: vf.child('name').text, value: v.name ?? '', detail: msgs.join(',') });
    if (v.deprecationWarning !== undefined && !v.deprecated) errs.push({ type: 'Invalid', field: vf.child('deprecationWarning').text, value: v.deprecationWarning, detail: 'can only be set for deprecated versions' });
    const schema = v.schema?.openAPIV3Schema;
    if (!schema) errs.push({ type: 'Required', field: vf.child('schema').child('openAPIV3Schema').text, detail: 'schemas are required' });
    else errs.push(...validateOpenAPISchema(schema, vf.child('schema').child('openAPIV3Schema')));
    errs.push(...validateSubresources(v.subresources, vf.child('subresources')));
    (v.additionalPrinterColumns ?? []).forEach((c, j) => errs.push(...validateColumn(c, vf.child('additionalPrinterColumns').index(j))));
  });
  const shown = versions.map((v) => ({ name: v.name, served: v.served, storage: v.storage }));
  if (!unique) errs.push({ type: 'Invalid', field: fld.text, value: shown, detail: 'must contain unique version names' });
  if (storage !== 1) errs.push({ type: 'Invalid', field: fld.text, value: shown, detail: 'must have exactly one version marked as storage version' });
  return errs;
}

/** Upstream ValidateCustomResourceDefinitionNames. */
export function validateNames(names: CRDNames, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of ['plural', 'singular'] as const) {
    const v = names[key];
    const msgs = v ? isDNS1035Label(v) : [];
    if (msgs.length) errs.push({ type: 'Invalid', field: fld.child(key).text, value: v, detail: msgs.join(',') });
  }
  for (const key of ['kind', 'listKind'] as const) {
    const v = names[key];
    const msgs = v ? isDNS1035Label(v.toLowerCase()) : [];
    if (msgs.length) errs.push({ type: 'Invalid', field: fld.child(key).text, value: v, detail: `may have mixed case, but should otherwise match: ${msgs.join(',')}` });
  }
  (names.shortNames ?? []).forEach((s, i) => {
    const msgs = isDNS1035Label(s);
    if (msgs.length) errs.push({ type: 'Invalid', field: fld.child('shortNames').index(i).text, value: s, detail: msgs.join(',') });
  });
  if (names.kind && names.kind === names.listKind) errs.push({ type: 'Invalid', field: fld.child('listKind').text, value: names.listKind, detail: 'kind and listKind may not be the same' });
  (names.categories ?? []).forEach((c, i) => {
    const msgs = isDNS1035Label(c);
    if (msgs.length) errs.push({ type: 'Invalid', field: fld.child('categories').index(i).text, value: c, detail: msgs.join(',') });
  });
  return errs;
}

function simpleJSONPath(s: string, fld: FieldPath): FieldError[] {
  if (s.length === 0) return [{ type: 'Invalid', field: fld.text, value: s, detail: 'must not be empty' }];
  if (s[0] !== '.') return [{ type: 'Invalid', field: fld.text, value: s, detail: 'must be a simple json path starting with .' }];
  return [];
}

function validateSubresources(sub: CRDSubresources | undefined, fld: FieldPath): FieldError[] {
  const scale = sub?.scale;
  if (!scale) return [];
  const errs: FieldError[] = [];
  const check = (key: 'specReplicasPath' | 'statusReplicasPath', prefix: string, what: string): void => {
    const f = fld.child(`scale.${key}`);
    const v = scale[key];
    if (!v) return void errs.push({ type: 'Required', field: f.text });
    const e = simpleJSONPath(v, f);
    if (e.length) errs.push(...e);
    else if (!v.startsWith(prefix)) errs.push({ type: 'Invalid', field: f.text, value: v, detail: `should be a json path under ${what}` });
  };
  check('specReplicasPath', '.spec.', '.spec');
  check('statusReplicasPath', '.status.', '.status');
  const sel = scale.labelSelectorPath;
  if (sel) {
    const f = fld.child('scale.labelSelectorPath');
    const e = simpleJSONPath(sel, f);
    if (e.length) errs.push(...e);
    else if (!sel.startsWith('.spec.') && !sel.startsWith('.status.')) errs.push({ type: 'Invalid', field: f.text, value: sel, detail: 'should be a json path under either .spec or .status' });
  }
  return errs;
}

function validateColumn(c: CRDPrinterColumn, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push({ type: 'Required', field: fld.child('name').text });
  if (!c.type) errs.push({ type: 'Required', field: fld.child('type').text, detail: `must be one of ${COLUMN_TYPES.join(',')}` });
  else if (!COLUMN_TYPES.includes(c.type)) errs.push({ type: 'Invalid', field: fld.child('type').text, value: c.type, detail: `must be one of ${COLUMN_TYPES.join(',')}` });
  if (c.format && !COLUMN_FORMATS.includes(c.format)) errs.push({ type: 'Invalid', field: fld.child('format').text, value: c.format, detail: `must be one of ${COLUMN_FORMATS.join(',')}` });
  if (!c.jsonPath) errs.push({ type: 'Required', field: fld.child('JSONPath').text });
  else errs.push(...simpleJSONPath(c.jsonPath, fld.child('JSONPath')));
  return errs;
}

/** Upstream validateCustomResourceDefinitionSpecUpdate's immutable fields. */
export function validateCRDUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const crd = asCRD(obj);
  const prev = asCRD(old);
  const errs: FieldError[] = [];
  const immutable = (field: string, a: unknown, b: unknown): void => {
    if (!isDeepStrictEqual(a, b)) errs.push({ type: 'Invalid', field, value: a, detail: 'field is immutable' });
  };
  if (crdCondition(prev, 'Established')?.status === 'True') {
    immutable('spec.scope', crd.spec?.scope, prev.spec?.scope);
    immutable('spec.names.kind', crd.spec?.names?.kind, prev.spec?.names?.kind);
  }
  immutable('spec.group', crd.spec?.group, prev.spec?.group);
  immutable('spec.names.plural', crd.spec?.names?.plural, prev.spec?.names?.plural);
  return errs;
}
