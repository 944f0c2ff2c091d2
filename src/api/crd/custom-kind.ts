/**
 * Builds the KindDefinitions a CustomResourceDefinition serves: one per served version, all sharing
 * the group/plural storage prefix (conversion None: only apiVersion differs between versions).
 * Each carries the version's schema-driven decoding (prune + default, structural.ts), validation
 * (schema-validate.ts), status/scale subresources, printer columns and OpenAPI schema.
 * Input: a CRD object (names taken from status.acceptedNames when set). Output: KindDefinition[].
 */
import { checkTypes } from '../decode.js';
import type { FieldError } from '../../machinery/errors.js';
import { STANDARD_VERBS } from '../kinds/common/validation.js';
import type { KindDefinition, KubeObject, PrinterColumn, ScaleInfo, Subresource } from '../types.js';
import { crdOpenAPISchema } from './openapi.js';
import { validateAgainstSchema } from './schema-validate.js';
import { applyDefaults, prune } from './structural.js';
import type { CRDNames, CRDVersion, CustomResourceDefinition, JSONSchemaProps } from './types.js';

/** `.spec.replicas` -> ['spec', 'replicas']. */
export function jsonPathSegments(p: string): string[] {
  return p.split('.').filter(Boolean);
}

/** The model name of a custom kind: never a client-node model, so strategic merge and typed apply are off. */
export function customModelName(group: string, version: string, kind: string): string {
  return `crd:${group}/${version}/${kind}`;
}

function decodeCustom(schema: JSONSchemaProps, obj: KubeObject): { errors: FieldError[]; unknownFields: string[] } {
  const unknownFields: string[] = [];
  let errors: FieldError[] = [];
  if (obj.metadata !== undefined && obj.metadata !== null) {
    const meta = checkTypes('V1ObjectMeta', obj.metadata);
    errors = meta.errors.map((e) => ({ ...e, field: `metadata.${e.field}` }));
    unknownFields.push(...meta.unknownFields.map((f) => `metadata.${f}`));
  }
  prune(schema, obj, true, '', unknownFields);
  applyDefaults(schema, obj);
  return { errors, unknownFields };
}

function validateCustom(schema: JSONSchemaProps, obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  validateAgainstSchema(schema, obj, '', errs, true);
  return errs;
}

function columnsOf(v: CRDVersion): PrinterColumn[] {
  return (v.additionalPrinterColumns ?? []).map((c) => ({
    name: c.name ?? '',
    type: c.type ?? 'string',
    ...(c.format ? { format: c.format } : {}),
    ...(c.description ? { description: c.description } : {}),
    priority: c.priority ?? 0,
    jsonPath: c.jsonPath ?? '',
  }));
}

/** The names a CRD is served under: the accepted ones once the controller set them. */
export function servedNames(crd: CustomResourceDefinition): CRDNames {
  const accepted = crd.status?.acceptedNames;
  return accepted?.plural && accepted.kind ? accepted : (crd.spec?.names ?? {});
}

/** One KindDefinition per served version of the CRD. */
export function customResourceKinds(crd: CustomResourceDefinition): KindDefinition[] {
  const spec = crd.spec ?? {};
  const group = spec.group ?? '';
  const names = servedNames(crd);
  const kind = names.kind ?? '';
  const out: KindDefinition[] = [];
  for (const v of spec.versions ?? []) {
    if (!v.served || !v.name) continue;
    const schema: JSONSchemaProps = v.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    const subresources: Subresource[] = [];
    if (v.subresources?.status) subresources.push('status');
    let scale: ScaleInfo | undefined;
    const sc = v.subresources?.scale;
    if (sc?.specReplicasPath && sc.statusReplicasPath) {
      subresources.push('scale');
      scale = {
        specReplicas: jsonPathSegments(sc.specReplicasPath),
        statusReplicas: jsonPathSegments(sc.statusReplicasPath),
        ...(sc.labelSelectorPath ? { labelSelector: jsonPathSegments(sc.labelSelectorPath) } : {}),
      };
    }
    const def: KindDefinition = {
      resource: {
        group,
        version: v.name,
        kind,
        listKind: names.listKind || `${kind}List`,
        plural: names.plural ?? '',
        singular: names.singular || kind.toLowerCase(),
        namespaced: spec.scope === 'Namespaced',
        shortNames: [...(names.shortNames ?? [])],
        categories: [...(names.categories ?? [])],
        verbs: [...STANDARD_VERBS],
        subresources,
      },
      model: customModelName(group, v.name, kind),
      hasStatus: !!v.subresources?.status,
      hasSpec: true,
      customResource: true,
      checkTypes: (obj) => decodeCustom(schema, obj),
      validate: (obj) => validateCustom(schema, obj),
      validateStatus: (obj) => validateCustom(schema, obj),
      openAPISchema: crdOpenAPISchema(schema, { group, version: v.name, kind }),
      printerColumns: columnsOf(v),
      ...(scale ? { scale } : {}),
    };
    out.push(def);
  }
  return out;
}
