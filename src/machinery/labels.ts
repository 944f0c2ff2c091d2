/**
 * Label selectors as upstream's k8s.io/apimachinery/pkg/labels does them.
 *
 * - `parseLabelSelector("app=web,tier in (a,b),!canary")` parses the string grammar (labels.Parse)
 *   and throws StatusError BadRequest with upstream's message on bad input.
 * - `selectorFromLabelSelector({matchLabels, matchExpressions})` is metav1.LabelSelectorAsSelector.
 * - `matches(sel, labels)` tests a label map; `labelSelectorToString(sel)` prints the canonical form
 *   (requirements sorted by key, values sorted), as Selector.String() does.
 * - `selectorFromSet`, `formatLabels`, `formatLabelSelector`: what controllers and kubectl's wide
 *   output use (`app=web`, `<none>`, `<error>`).
 */
import { badRequest } from './errors.js';
import {
  aggregate,
  byKey,
  goString,
  parseGoInt64,
  parseRequirements,
  RequirementError,
  requirementErrors,
  type LabelOperator,
  type LabelRequirement,
} from './label-parser.js';

export type { LabelOperator, LabelRequirement } from './label-parser.js';

/** A parsed selector: all requirements must match. `nothing` = labels.Nothing() (a nil metav1 selector). */
export interface LabelSelector {
  requirements: LabelRequirement[];
  nothing?: boolean;
}

/** metav1.LabelSelector as it appears in objects (may hold anything: it is decoded user input). */
export interface LabelSelectorSpec {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** labels.Parse: the `labelSelector` query parameter. Throws StatusError BadRequest. */
export function parseLabelSelector(selector: string): LabelSelector {
  try {
    const reqs = parseRequirements(selector);
    return { requirements: reqs.sort(byKey) };
  } catch (e) {
    if (e instanceof RequirementError) throw badRequest(`unable to parse requirement: ${e.message}`);
    throw badRequest(e instanceof Error ? e.message : String(e));
  }
}

/** The selector that matches everything. */
export const everything = (): LabelSelector => ({ requirements: [] });

/** metav1.LabelSelectorAsSelector. `undefined`/`null` matches nothing; `{}` matches everything. */
export function selectorFromLabelSelector(ls: LabelSelectorSpec | null | undefined): LabelSelector {
  if (ls === null || ls === undefined) return { requirements: [], nothing: true };
  const reqs: LabelRequirement[] = [];
  const matchLabels: Record<string, unknown> = typeof ls.matchLabels === 'object' && ls.matchLabels !== null ? ls.matchLabels : {};
  for (const [k, v] of Object.entries(matchLabels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const val = typeof v === 'string' ? v : String(v);
    const errs = requirementErrors(k, '=', [val]);
    if (errs.length) throw badRequest(aggregate(errs));
    reqs.push({ key: k, operator: '=', values: [val] });
  }
  for (const expr of Array.isArray(ls.matchExpressions) ? ls.matchExpressions : []) {
    const opName = typeof expr?.operator === 'string' ? expr.operator : '';
    const op = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' } as const)[opName as 'In'];
    if (!op) throw badRequest(`${goString(opName)} is not a valid label selector operator`);
    const key = typeof expr.key === 'string' ? expr.key : '';
    const values = Array.isArray(expr.values) ? expr.values.map((v) => (typeof v === 'string' ? v : String(v))) : [];
    const errs = requirementErrors(key, op, values);
    if (errs.length) throw badRequest(aggregate(errs));
    reqs.push({ key, operator: op, values });
  }
  return { requirements: reqs.sort(byKey) };
}

/** Requirement.Matches for one requirement. */
export function requirementMatches(r: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key]! : '';
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || r.values.length !== 1) return false;
      const left = parseGoInt64(value);
      const right = parseGoInt64(r.values[0]!);
      if (left === undefined || right === undefined) return false;
      return r.operator === 'gt' ? left > right : left < right;
    }
  }
}

/** True when every requirement matches `labels` (an absent map counts as empty). */
export function matches(sel: LabelSelector, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (sel.nothing) return false;
  const ls = labels ?? {};
  return sel.requirements.every((r) => requirementMatches(r, ls));
}
export const matchesLabels = matches;

/** True when the selector does not restrict anything (Selector.Empty). */
export const isEverything = (sel: LabelSelector): boolean => !sel.nothing && sel.requirements.length === 0;

/** Requirement.String(). */
export function requirementToString(r: LabelRequirement): string {
  const head = (r.operator === '!' ? '!' : '') + r.key;
  if (r.operator === 'exists' || r.operator === '!') return head;
  const values = r.values.length === 1 ? r.values[0]! : [...r.values].sort().join(',');
  const symbol = { in: ' in ', notin: ' notin ', '=': '=', '==': '==', '!=': '!=', gt: '>', lt: '<' }[r.operator];
  return r.operator === 'in' || r.operator === 'notin' ? `${head}${symbol}(${values})` : `${head}${symbol}${values}`;
}

/** Selector.String(): requirements joined by commas; "" for everything and for nothing. */
export function labelSelectorToString(sel: LabelSelector): string {
  return sel.nothing ? '' : sel.requirements.map(requirementToString).join(',');
}

/** labels.SelectorFromSet: `key=value` for each entry (no validation, as upstream). */
export function selectorFromSet(set: Readonly<Record<string, string>> | undefined): LabelSelector {
  const reqs = Object.entries(set ?? {}).map(([key, value]): LabelRequirement => ({ key, operator: '=', values: [value] }));
  return { requirements: reqs.sort(byKey) };
}

/** labels.FormatLabels: `a=b,c=d` sorted by key, or `<none>`. */
export function formatLabels(set: Readonly<Record<string, string>> | undefined): string {
  const text = labelSelectorToString(selectorFromSet(set));
  return text === '' ? '<none>' : text;
}

/** metav1.FormatLabelSelector (kubectl's SELECTOR column): `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(ls: LabelSelectorSpec | null | undefined): string {
  try {
    const text = labelSelectorToString(selectorFromLabelSelector(ls));
    return text === '' ? '<none>' : text;
  } catch {
    return '<error>';
  }
}
