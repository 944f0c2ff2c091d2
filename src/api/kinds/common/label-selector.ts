/**
 * metav1.LabelSelector for the workload kinds: upstream's ValidateLabelSelector, whether a
 * selector is empty (selects everything), whether it matches a label set, and its string form
 * (used for the scale subresource's status.selector).
 */
import type { FieldError, FieldPath } from '../../../machinery/errors.js';
import { invalidEach, invalidValue, labelValueErrors, qualifiedNameErrors, required, validateLabels } from './validation.js';

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** upstream metav1validation.ValidateLabelSelector. */
export function validateLabelSelector(sel: LabelSelector | undefined, fld: FieldPath): FieldError[] {
  if (!sel) return [];
  const errs: FieldError[] = validateLabels(sel.matchLabels, fld.child('matchLabels'));
  (sel.matchExpressions ?? []).forEach((req, i) => {
    const f = fld.child('matchExpressions').index(i);
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(required(f.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push({ type: 'Forbidden', field: f.child('values').text, detail: "may not be specified when `operator` is 'Exists' or 'DoesNotExist'" });
        break;
      default:
        errs.push(invalidValue(f.child('operator'), req.operator, 'not a valid selector operator'));
    }
    errs.push(...invalidEach(f.child('key'), req.key, qualifiedNameErrors(req.key ?? '')));
    values.forEach((v, j) => errs.push(...invalidEach(f.child('values').index(j), v, labelValueErrors(v))));
  });
  return errs;
}

/** A selector with no requirements selects everything (upstream's Selector.Empty()). */
export function selectorIsEmpty(sel: LabelSelector | undefined): boolean {
  if (!sel) return true;
  return Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
}

/** Whether the selector matches these labels (upstream labels.Selector.Matches). */
export function selectorMatches(sel: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  const set = labels ?? {};
  if (!sel) return false;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (set[k] !== v) return false;
  for (const req of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(set, req.key);
    const vals = req.values ?? [];
    switch (req.operator) {
      case 'In':
        if (!has || !vals.includes(set[req.key] as string)) return false;
        break;
      case 'NotIn':
        if (has && vals.includes(set[req.key] as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** The selector as a string, as `kubectl get --selector` takes it: `app=web,tier in (a,b)`. */
export function selectorToString(sel: LabelSelector | undefined): string {
  if (!sel) return '';
  const parts: string[] = [];
  const reqs: Array<{ key: string; text: string }> = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key: k, text: `${k}=${v}` });
  for (const r of sel.matchExpressions ?? []) {
    const vals = [...(r.values ?? [])].sort().join(',');
    const text =
      r.operator === 'In' ? `${r.key} in (${vals})` : r.operator === 'NotIn' ? `${r.key} notin (${vals})` : r.operator === 'Exists' ? r.key : `!${r.key}`;
    reqs.push({ key: r.key, text });
  }
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const r of reqs) parts.push(r.text);
  return parts.join(',');
}
