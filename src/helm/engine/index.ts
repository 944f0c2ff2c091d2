/**
 * Go text/template engine for `skiff helm`.
 *
 * Job: parse Go template sources and execute them with text/template's exact semantics and
 * output, so charts render byte-identically to helm.
 *
 * API:
 *   const set = new TemplateSet({ funcs, missingKey: 'zero', name: 'gotpl' });
 *   set.parse('mychart/templates/x.yaml', source);   // throws TemplateParseError
 *   set.execute('mychart/templates/x.yaml', data);    // -> string; throws TemplateExecError
 *   set.addFuncs({...}) may be called before parsing (functions are checked at parse time).
 *
 * Values (see values.ts): undefined = no value, null = nil, bigint = int, number = float64,
 * string, boolean, Array = slice, plain object/Map = map, class instance = struct. Function
 * properties of class instances are methods (`.Files.Get "x"`, `.Release.IsUpgrade`); function
 * values in plain objects are called only when given arguments, otherwise they are values
 * (for `call`). A struct's String() is used when printing. Functions (FuncMap) are plain JS
 * functions (all args untyped, nil as null) or FuncSpec {fn, params, variadic} for Go-typed
 * parameters ('string' | 'int' | 'float64' | 'bool' | 'map' | 'any' | 'value') with Go's type
 * errors; user functions override builtins of the same name (as sprig's `slice` does in helm).
 * Limitation: Go's int and int64 are both bigint here (typeOf says "int"; int params accept
 * any integer, where Go would reject int64 for an int parameter).
 * A function reports failure by throwing; the message becomes `error calling NAME: message`.
 */
import type { ListNode } from './ast.js';
import { builtinFuncs } from './builtins.js';
import { execute, type FuncMap, type MissingKey } from './exec.js';
import { parseTemplate } from './parse.js';

export { TemplateExecError, type FuncMap, type FuncSpec, type MissingKey, type ParamType, type TemplateFunc } from './exec.js';
export { TemplateParseError } from './parse.js';
export { formatValue, formatFloat, goQuote, sprint, sprintf, sprintln } from './fmt.js';
export { isTrue, kindOf, kindName, typeName, mapEntries, mapGet, lengthOf, structFields, isPlainObject, type GoKind, type GoMap } from './values.js';
export { htmlEscape, jsEscape, queryEscape } from './builtins.js';

export interface TemplateSetOptions {
  funcs?: FuncMap;
  /** 'default' prints <no value> for missing keys, 'zero' gives nil (helm), 'error' fails (helm --strict). */
  missingKey?: MissingKey;
  /** Name of the set's root template, used in "associated with template" errors (helm: "gotpl"). */
  name?: string;
}

/** A set of named templates sharing functions and {{define}}s, like a Go *template.Template. */
export class TemplateSet {
  readonly name: string;
  private funcs: FuncMap;
  private missingKey: MissingKey;
  private trees = new Map<string, ListNode>();

  constructor(opts: TemplateSetOptions = {}) {
    this.name = opts.name ?? 'gotpl';
    this.funcs = { ...builtinFuncs, ...(opts.funcs ?? {}) };
    this.missingKey = opts.missingKey ?? 'default';
  }

  addFuncs(funcs: FuncMap): this { Object.assign(this.funcs, funcs); return this; }

  /** Parse `text` as template `name`; its {{define}}s join the set (a later non-empty definition wins). */
  parse(name: string, text: string): this {
    const parsed = parseTemplate(name, text, (f) => Object.hasOwn(this.funcs, f));
    this.add(name, parsed.root);
    for (const [n, tree] of parsed.defines) this.add(n, tree);
    return this;
  }

  private add(name: string, tree: ListNode) {
    const old = this.trees.get(name);
    const empty = tree.nodes.every((n) => n.kind === 'text' && n.text.trim() === '');
    if (old && empty) return;
    this.trees.set(name, tree);
  }

  /** A copy sharing nothing mutable: later parses into the clone do not affect this set. */
  clone(opts: { missingKey?: MissingKey } = {}): TemplateSet {
    const c = new TemplateSet({ name: this.name, missingKey: opts.missingKey ?? this.missingKey, funcs: this.funcs });
    c.trees = new Map(this.trees);
    return c;
  }

  has(name: string): boolean { return this.trees.has(name); }
  names(): string[] { return [...this.trees.keys()]; }

  /** Execute template `name` with dot = data; like Go's ExecuteTemplate. */
  execute(name: string, data: unknown): string {
    const tree = this.trees.get(name);
    if (!tree) throw new Error(`template: no template ${JSON.stringify(name)} associated with template ${JSON.stringify(this.name)}`);
    // Go's Execute(w, nil) starts from an invalid reflect.Value, not a nil interface.
    const dot = data === null ? undefined : data;
    return execute({ funcs: this.funcs, missingKey: this.missingKey, lookup: (n) => this.trees.get(n) }, name, tree, dot);
  }
}
