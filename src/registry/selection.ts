/**
 * Which objects a list or watch selects: label and field selectors, with the fields each kind
 * supports (metadata.name and metadata.namespace for all, more per kind).
 */
import type { KindDefinition, KubeObject } from '../api/types.js';
import { badRequest } from '../machinery/errors.js';
import { parseLabelSelector, matchesLabels, type LabelSelector } from '../machinery/labels.js';
import { parseFieldSelector, type FieldSelector } from '../machinery/fields.js';

export interface Selection {
  labels?: LabelSelector;
  fields?: FieldSelector;
  matches(obj: KubeObject): boolean;
  /** When the field selector pins metadata.name, the single name (lets watches stay cheap). */
  name?: string;
}

function fieldValue(def: KindDefinition, obj: KubeObject, field: string): string | undefined {
  if (field === 'metadata.name') return obj.metadata?.name ?? '';
  if (field === 'metadata.namespace') return obj.metadata?.namespace ?? '';
  const get = def.fieldSelectors?.[field];
  return get ? (get(obj) ?? '') : undefined;
}

export function buildSelection(def: KindDefinition, labelSelector?: string, fieldSelector?: string): Selection {
  const labels = labelSelector ? parseLabelSelector(labelSelector) : undefined;
  const fields = fieldSelector ? parseFieldSelector(fieldSelector) : undefined;
  let name: string | undefined;
  for (const req of fields?.requirements ?? []) {
    const supported = req.field === 'metadata.name' || req.field === 'metadata.namespace' || !!def.fieldSelectors?.[req.field];
    if (!supported) {
      throw badRequest(`field label not supported: ${req.field}`);
    }
    if (req.field === 'metadata.name' && req.operator !== '!=') name = req.value;
  }
  if (!labels && !fields) return { matches: () => true };
  return {
    labels,
    fields,
    name,
    matches(obj) {
      if (labels && !matchesLabels(labels, obj.metadata?.labels ?? {})) return false;
      if (fields) {
        for (const req of fields.requirements) {
          const v = fieldValue(def, obj, req.field) ?? '';
          if (req.operator === '!=' ? v === req.value : v !== req.value) return false;
        }
      }
      return true;
    },
  };
}
