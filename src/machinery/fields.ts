/**
 * Field selectors as upstream's k8s.io/apimachinery/pkg/fields does them.
 *
 * `parseFieldSelector("metadata.name=web,status.phase!=Running")` splits on unescaped commas,
 * splits each term at the first `!=`, `==` or `=`, unescapes the value (`\\`, `\,`, `\=`) and throws
 * StatusError BadRequest with upstream's messages. Terms come out sorted, as upstream sorts them.
 * `matchesFields(sel, get)` evaluates it; `get(field)` returns the object's value for a field label.
 * The registry rejects labels its kind does not support with `fieldLabelNotSupported(label)`.
 */
import { badRequest, type StatusError } from './errors.js';

/** `==` is parsed as `=`, as upstream's hasTerm does. */
export type FieldOperator = '=' | '!=';

export interface FieldRequirement {
  field: string;
  operator: FieldOperator;
  value: string;
}

export interface FieldSelector {
  requirements: FieldRequirement[];
}

/** Commas preceded by a backslash are data; the backslash stays for unescapeFieldValue. */
function splitTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

const TERM_OPERATORS = ['!=', '==', '='] as const;

/** The first operator occurrence splits the term; the left side has no escaping. */
function splitTerm(term: string): { lhs: string; op: (typeof TERM_OPERATORS)[number]; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

/** fields.EscapeValue: `\` -> `\\`, `,` -> `\,`, `=` -> `\=`. */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** fields.UnescapeValue; errors carry upstream's text (an unescaped rune prints as its code point, as Go's %v does). */
export function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c === '\\' || c === ',' || c === '=') out += c;
      else throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** fields.ParseSelector. Throws StatusError BadRequest. An empty string selects everything. */
export function parseFieldSelector(selector: string): FieldSelector {
  const parts = splitTerms(selector).sort();
  const requirements: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const t = splitTerm(part);
    if (!t) throw badRequest(`invalid selector: '${selector}'; can't understand '${part}'`);
    requirements.push({ field: t.lhs, operator: t.op === '!=' ? '!=' : '=', value: unescapeFieldValue(t.rhs) });
  }
  return { requirements };
}

/** The field labels a selector uses, so the registry can check each against its kind's list. */
export function requirementFields(sel: FieldSelector): string[] {
  return sel.requirements.map((r) => r.field);
}

/** Upstream's conversion-func error for a field label the kind does not support. */
export function fieldLabelNotSupported(label: string): StatusError {
  return badRequest(`field label not supported: ${label}`);
}

/** True when every requirement holds; `get` returns undefined for an unknown field (treated as ""). */
export function matchesFields(sel: FieldSelector, get: (field: string) => string | undefined): boolean {
  return sel.requirements.every((r) => {
    const v = get(r.field) ?? '';
    return r.operator === '!=' ? v !== r.value : v === r.value;
  });
}

/** The value an `=` requirement pins for a field (Selector.RequiresExactMatch), if any. */
export function requiresExactMatch(sel: FieldSelector, field: string): string | undefined {
  return sel.requirements.find((r) => r.field === field && r.operator === '=')?.value;
}

/** Selector.String(): `field=value` terms with escaped values, joined by commas. */
export function fieldSelectorToString(sel: FieldSelector): string {
  return sel.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
}
