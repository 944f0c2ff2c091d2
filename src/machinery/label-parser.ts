/**
 * The label selector string grammar of upstream's k8s.io/apimachinery/pkg/labels (its lexer and
 * recursive-descent parser, with NewRequirement's checks), used by labels.ts.
 *
 * `parseRequirements(text)` returns the requirements in input order or throws Error with upstream's
 * message (labels.ts turns it into a StatusError). `requirementErrors(key, op, values)` is
 * NewRequirement's validation, shared with metav1.LabelSelector conversion.
 */
import { isQualifiedName, isValidLabelValue } from './names.js';

/** selection.Operator values, spelled as upstream spells them. */
export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'gt' | 'lt' | 'exists' | '!';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

const BINARY_OPERATORS = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];
export const goString = (s: string): string => JSON.stringify(s);
const goStrings = (xs: string[]): string => `[]string{${xs.map(goString).join(', ')}}`;

/** Upstream NewRequirement's checks; `prefix` is the field path (empty = none). Returns error texts. */
export function requirementErrors(key: string, op: LabelOperator, values: string[], prefix = ''): string[] {
  const p = (s: string): string => (prefix ? `${prefix}.${s}` : s);
  const errs: string[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length) errs.push(`${p('key')}: Invalid value: ${goString(key)}: ${keyErrs.join('; ')}`);
  const vp = p('values');
  if (op === 'in' || op === 'notin') {
    if (values.length === 0) errs.push(`${vp}: Invalid value: ${goStrings(values)}: for 'in', 'notin' operators, values set can't be empty`);
  } else if (op === '=' || op === '==' || op === '!=') {
    if (values.length !== 1) errs.push(`${vp}: Invalid value: ${goStrings(values)}: exact-match compatibility requires one single value`);
  } else if (op === 'exists' || op === '!') {
    if (values.length !== 0) errs.push(`${vp}: Invalid value: ${goStrings(values)}: values set must be empty for exists and does not exist`);
  } else {
    if (values.length !== 1) errs.push(`${vp}: Invalid value: ${goStrings(values)}: for 'Gt', 'Lt' operators, exactly one value is required`);
    values.forEach((v, i) => {
      if (parseGoInt64(v) === undefined) errs.push(`${vp}[${i}]: Invalid value: ${goString(v)}: for 'Gt', 'Lt' operators, the value must be an integer`);
    });
  }
  values.forEach((v, i) => {
    const ve = isValidLabelValue(v);
    if (ve.length) errs.push(`${vp}[${i}][${key}]: Invalid value: ${goString(v)}: ${ve.join('; ')}`);
  });
  return errs;
}

/** field.ErrorList.ToAggregate().Error(): one message alone, several in brackets. */
export const aggregate = (errs: string[]): string => (errs.length === 1 ? errs[0]! : `[${[...new Set(errs)].join(', ')}]`);

/** strconv.ParseInt(s, 10, 64) as a bigint, or undefined when Go would fail. */
export function parseGoInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n ? n : undefined;
}

// ---- lexer (upstream works on bytes; a NUL ends the input, as Go's read() returning 0 does) ----
type Tok = 'end' | ')' | ',' | '!' | '==' | '=' | '>' | 'in' | '<' | '!=' | 'notin' | '(' | 'id';
const KEYWORDS: ReadonlyMap<string, Tok> = new Map<string, Tok>([
  [')', ')'], [',', ','], ['!', '!'], ['==', '=='], ['=', '='], ['>', '>'], ['in', 'in'], ['<', '<'], ['!=', '!='], ['notin', 'notin'], ['(', '('],
]);
const isWhitespace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecial = (c: string): boolean => '=!(),><'.includes(c) && c !== '';

interface Item { tok: Tok; lit: string }

function lex(input: string): Item[] {
  const end = input.indexOf('\0');
  const s = end >= 0 ? input.slice(0, end) : input;
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos]!)) pos++;
    if (pos >= s.length) {
      items.push({ tok: 'end', lit: '' });
      return items;
    }
    if (isSpecial(s[pos]!)) {
      // Longest run of special symbols that still forms a token ("!=" then stop, "=" + "(" split).
      let buf = '';
      let last: Item | undefined;
      while (pos < s.length && isSpecial(s[pos]!)) {
        buf += s[pos];
        const t = KEYWORDS.get(buf);
        if (t) last = { tok: t, lit: buf };
        else if (last) break;
        pos++;
      }
      items.push(last!); // every single special symbol is a token, so `last` is always set
    } else {
      let buf = '';
      while (pos < s.length && !isSpecial(s[pos]!) && !isWhitespace(s[pos]!)) buf += s[pos++];
      items.push({ tok: KEYWORDS.get(buf) ?? 'id', lit: buf });
    }
  }
}

class LabelParser {
  private pos = 0;
  constructor(private readonly items: Item[]) {}

  /** In the Values context, `in` and `notin` are plain identifiers (`in in (in)` is a valid selector). */
  private peek(values = true): Item {
    const it = this.items[this.pos]!;
    return values && (it.tok === 'in' || it.tok === 'notin') ? { tok: 'id', lit: it.lit } : it;
  }
  private next(values = true): Item {
    const it = this.peek(values);
    if (this.pos < this.items.length - 1) this.pos++;
    return it;
  }

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    for (;;) {
      const { tok, lit } = this.peek();
      if (tok === 'end') return reqs;
      if (tok !== 'id' && tok !== '!') throw new Error(`found '${lit}', expected: !, identifier, or 'end of string'`);
      reqs.push(this.requirement());
      const after = this.next();
      if (after.tok === 'end') return reqs;
      if (after.tok !== ',') throw new Error(`found '${after.lit}', expected: ',' or 'end of string'`);
      const t2 = this.peek();
      if (t2.tok !== 'id' && t2.tok !== '!') throw new Error(`found '${t2.lit}', expected: identifier after ','`);
    }
  }

  private requirement(): LabelRequirement {
    let operator: LabelOperator | undefined;
    let t = this.next();
    if (t.tok === '!') {
      operator = '!';
      t = this.next();
    }
    if (t.tok !== 'id') throw new RequirementError(`found '${t.lit}', expected: identifier`);
    const key = t.lit;
    const keyErrs = isQualifiedName(key);
    if (keyErrs.length) throw new RequirementError(`<nil>: Invalid value: ${goString(key)}: ${keyErrs.join('; ')}`);
    const la = this.peek().tok;
    if (operator !== '!' && (la === 'end' || la === ',')) operator = 'exists';
    if (operator) return checked(key, operator, []);
    const opItem = this.next(false);
    const op = (['in', 'notin', '=', '==', '!=', '>', '<'] as const).find((o) => o === opItem.tok);
    if (!op) throw new RequirementError(`found '${opItem.lit}', expected: ${BINARY_OPERATORS.join(', ')}`);
    const mapped: LabelOperator = op === '>' ? 'gt' : op === '<' ? 'lt' : op;
    const values = mapped === 'in' || mapped === 'notin' ? this.valueSet() : this.exactValue();
    return checked(key, mapped, [...new Set(values)].sort());
  }

  private valueSet(): string[] {
    const open = this.next();
    if (open.tok !== '(') throw new RequirementError(`found '${open.lit}' expected: '('`);
    const first = this.peek();
    if (first.tok === ')') {
      this.next();
      return [''];
    }
    if (first.tok !== 'id' && first.tok !== ',') throw new RequirementError(`found '${first.lit}', expected: ',', ')' or identifier`);
    const values = this.identifierList();
    if (this.next().tok !== ')') throw new RequirementError(`found '${first.lit}', expected: ')'`);
    return values;
  }

  private identifierList(): string[] {
    const out: string[] = [];
    for (;;) {
      const t = this.next();
      if (t.tok === 'id') {
        out.push(t.lit);
        const t2 = this.peek();
        if (t2.tok === ',') continue;
        if (t2.tok === ')') return out;
        throw new RequirementError(`found '${t2.lit}', expected: ',' or ')'`);
      } else if (t.tok === ',') {
        if (out.length === 0) out.push('');
        const t2 = this.peek().tok;
        if (t2 === ')') {
          out.push('');
          return out;
        }
        if (t2 === ',') {
          this.next();
          out.push('');
        }
      } else {
        throw new RequirementError(`found '${t.lit}', expected: ',', or identifier`);
      }
    }
  }

  private exactValue(): string[] {
    const la = this.peek().tok;
    if (la === 'end' || la === ',') return [''];
    const t = this.next();
    if (t.tok === 'id') return [t.lit];
    throw new RequirementError(`found '${t.lit}', expected: identifier`);
  }
}

/** Errors inside one requirement, which upstream prefixes with "unable to parse requirement: ". */
export class RequirementError extends Error {}

function checked(key: string, operator: LabelOperator, values: string[]): LabelRequirement {
  const errs = requirementErrors(key, operator, values);
  if (errs.length) throw new RequirementError(aggregate(errs));
  return { key, operator, values };
}

export const byKey = (a: LabelRequirement, b: LabelRequirement): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Upstream's Parser.parse: requirements in input order; Error (RequirementError inside one requirement). */
export function parseRequirements(text: string): LabelRequirement[] {
  return new LabelParser(lex(text)).parse();
}
