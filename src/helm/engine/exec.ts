/**
 * Executor for parsed Go templates with text/template's semantics: truthiness, pipelines
 * (nil interface results "dug" to no-value), variables and scopes, range/with/if/else,
 * break/continue, template calls, field and method evaluation, missingkey modes, typed function
 * arguments, and error messages `template: FILE:LINE:COL: executing "NAME" at <NODE>: MSG`.
 */
import { nodeLocation, nodeString, type ArgNode, type CommandNode, type ListNode, type Node, type PipeNode } from './ast.js';
import { formatValue } from './fmt.js';
import { isTrue, kindOf, mapEntries, mapGet, typeName } from './values.js';

export type ParamType = 'any' | 'value' | 'string' | 'int' | 'float64' | 'bool' | 'map';
/** A template function. Plain functions receive every argument as `any` (nil as null). */
export interface FuncSpec { fn: (...args: unknown[]) => unknown; params?: ParamType[]; variadic?: ParamType; lazy?: 'and' | 'or' }
export type TemplateFunc = ((...args: unknown[]) => unknown) | FuncSpec;
export type FuncMap = Record<string, TemplateFunc>;
export type MissingKey = 'default' | 'zero' | 'error';

/** Error raised while executing; `message` is formatted as Go's ExecError. */
export class TemplateExecError extends Error {
  constructor(message: string, readonly templateName: string) { super(message); }
}

export interface ExecContext {
  funcs: FuncMap;
  missingKey: MissingKey;
  lookup(name: string): ListNode | undefined;
}

type ControlNode = Extract<Node, { kind: 'if' | 'with' | 'range' }>;
const MISSING = Symbol('missing');
type Final = unknown | typeof MISSING;
class BreakSignal {}
class ContinueSignal {}
const MAX_DEPTH = 100000;

function isSpec(f: TemplateFunc): f is FuncSpec { return typeof f !== 'function'; }

export function execute(ctx: ExecContext, name: string, root: ListNode, data: unknown, depth = 0): string {
  const s = new State(ctx, name, data, depth);
  s.walk(data, root);
  return s.out.join('');
}

class State {
  out: string[] = [];
  node: { pos: number; tree: { parseName: string; text: string } } & ({ kind: string }) | null = null;
  vars: { name: string; value: unknown }[];

  constructor(private ctx: ExecContext, private name: string, data: unknown, private depth: number) {
    this.vars = [{ name: '$', value: data }];
  }

  at(n: State['node']) { this.node = n; }

  errorf(msg: string): never {
    if (!this.node) throw new TemplateExecError(`template: ${this.name}: ${msg}`, this.name);
    const ctxStr = nodeString(this.node as Node);
    throw new TemplateExecError(`template: ${nodeLocation(this.node)}: executing ${JSON.stringify(this.name)} at <${ctxStr}>: ${msg}`, this.name);
  }

  walk(dot: unknown, node: Node): void {
    this.at(node);
    switch (node.kind) {
      case 'text': this.out.push(node.text); return;
      case 'action': {
        const v = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, v);
        return;
      }
      case 'list': for (const n of node.nodes) this.walk(dot, n); return;
      case 'break': throw new BreakSignal();
      case 'continue': throw new ContinueSignal();
      case 'if': case 'with': {
        const mark = this.vars.length;
        const v = this.evalPipeline(dot, node.pipe);
        if (isTrue(v)) this.walk(node.kind === 'with' ? v : dot, node.list);
        else if (node.elseList) this.walk(dot, node.elseList);
        this.vars.length = mark;
        return;
      }
      case 'range': return this.walkRange(dot, node);
      case 'template': {
        const tmpl = this.ctx.lookup(node.name);
        if (!tmpl) this.errorf(`template ${JSON.stringify(node.name)} not defined`);
        if (this.depth >= MAX_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_DEPTH})`);
        const newDot = node.pipe ? this.evalPipeline(dot, node.pipe) : undefined;
        let text: string;
        try {
          text = execute(this.ctx, node.name, tmpl, newDot, this.depth + 1);
        } catch (e) {
          if (e instanceof RangeError) { this.at(node); this.errorf(`exceeded maximum template depth (${MAX_DEPTH})`); }
          throw e;
        }
        this.out.push(text);
        return;
      }
    }
  }

  private walkRange(dot: unknown, node: ControlNode) {
    const mark = this.vars.length;
    const val = this.evalPipeline(dot, node.pipe);
    const decl = node.pipe.decl;
    const one = (index: unknown, elem: unknown): boolean => {
      if (decl.length > 0) {
        if (node.pipe.isAssign) this.setVar(decl[0].ident[0], decl.length > 1 ? index : elem);
        else this.vars[this.vars.length - 1].value = elem;
      }
      if (decl.length > 1) {
        if (node.pipe.isAssign) this.setVar(decl[1].ident[0], elem);
        else this.vars[this.vars.length - 2].value = index;
      }
      const inner = this.vars.length;
      try {
        this.walk(elem, node.list);
      } catch (e) {
        if (e instanceof BreakSignal) { this.vars.length = inner; return false; }
        if (!(e instanceof ContinueSignal)) throw e;
      }
      this.vars.length = inner;
      return true;
    };
    let ran = false;
    switch (kindOf(val)) {
      case 'slice': {
        const arr = val as unknown[];
        for (let i = 0; i < arr.length; i++) { ran = true; if (!one(BigInt(i), arr[i])) break; }
        break;
      }
      case 'bytes': {
        const arr = val as Uint8Array;
        for (let i = 0; i < arr.length; i++) { ran = true; if (!one(BigInt(i), BigInt(arr[i]))) break; }
        break;
      }
      case 'map':
        for (const [k, v] of mapEntries(val)) { ran = true; if (!one(k, v)) break; }
        break;
      case 'int': {
        if (decl.length > 1) this.errorf(`can't use ${formatValue(val)} to iterate over more than one variable`);
        const n = val as bigint;
        for (let i = 0n; i < n; i++) { ran = true; if (!one(i, i)) break; }
        break;
      }
      case 'invalid': case 'nil': break;
      default: this.errorf(`range can't iterate over ${formatValue(val)}`);
    }
    if (!ran && node.elseList) this.walk(dot, node.elseList);
    this.vars.length = mark;
  }

  private printValue(node: Node, v: unknown) {
    this.at(node);
    if (v === undefined) { this.out.push('<no value>'); return; }
    if (typeof v === 'function') this.errorf(`can't print ${nodeString(node)} of type ${typeName(v)}`);
    this.out.push(formatValue(v));
  }

  private setVar(name: string, value: unknown) {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) { this.vars[i].value = value; return; }
    this.errorf(`undefined variable: ${name}`);
  }

  private varValue(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i].value;
    this.errorf(`undefined variable: ${name}`);
  }

  evalPipeline(dot: unknown, pipe: PipeNode): unknown {
    this.at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      if (value === null) value = undefined; // interface{} holding nil -> no value
    }
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0], value);
      else this.vars.push({ name: v.ident[0], value });
    }
    return value;
  }

  private evalCommand(dot: unknown, cmd: CommandNode, final: Final): unknown {
    const first = cmd.args[0];
    switch (first.kind) {
      case 'field': this.at(first); return this.evalFieldChain(dot, dot, first, first.ident, cmd.args, final);
      case 'chain': {
        const base = this.evalArgAny(dot, first.node);
        this.at(first);
        return this.evalFieldChain(dot, base, first, first.field, cmd.args, final);
      }
      case 'identifier': return this.evalFunction(dot, first.ident, cmd, final);
      case 'pipe': this.notAFunction(cmd.args, final); return this.evalPipeline(dot, first);
      case 'variable': return this.evalVariable(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.kind) {
      case 'bool': return first.value;
      case 'dot': return dot;
      case 'nil': this.errorf('nil is not a command');
      case 'number': return idealConstant(first);
      case 'string': return first.value;
    }
  }

  private notAFunction(args: ArgNode[], final: Final) {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args[0])}`);
  }

  private evalVariable(dot: unknown, v: Extract<ArgNode, { kind: 'variable' }>, args: ArgNode[] | null, final: Final): unknown {
    this.at(v);
    const value = this.varValue(v.ident[0]);
    if (v.ident.length === 1) { if (args) this.notAFunction(args, final); return value; }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  }

  private evalFieldChain(dot: unknown, receiver: unknown, node: ArgNode, idents: string[], args: ArgNode[] | null, final: Final): unknown {
    for (let i = 0; i < idents.length - 1; i++) receiver = this.evalField(dot, idents[i], node, null, MISSING, receiver);
    return this.evalField(dot, idents[idents.length - 1], node, args, final, receiver);
  }

  private evalField(dot: unknown, field: string, node: ArgNode, args: ArgNode[] | null, final: Final, receiver: unknown): unknown {
    const hasArgs = (args !== null && args.length > 1) || final !== MISSING;
    const kind = kindOf(receiver);
    if (kind === 'invalid') {
      if (this.ctx.missingKey === 'error') this.errorf(`nil data; no entry for key ${JSON.stringify(field)}`);
      return undefined;
    }
    if (kind === 'nil') this.errorf(`nil pointer evaluating interface {}.${field}`);
    if (kind === 'map' || kind === 'struct') {
      const obj = receiver as Record<string, unknown>;
      const method = kind === 'struct' ? (obj as Record<string, unknown>)[field] : mapGet(obj, field).value;
      if (typeof method === 'function' && (kind === 'struct' || hasArgs)) {
        return this.evalCall(dot, { fn: method.bind(obj) as (...a: unknown[]) => unknown }, node, field, args, final);
      }
      if (hasArgs) this.errorf(`${field} is not a method but has arguments`);
      if (kind === 'map') {
        const { found, value } = mapGet(obj, field);
        if (found) return value === undefined ? null : value;
        switch (this.ctx.missingKey) {
          case 'zero': return null;
          case 'error': this.errorf(`map has no entry for key ${JSON.stringify(field)}`);
          default: return undefined;
        }
      }
      if (field in obj && /^[A-Z]/.test(field)) return obj[field] === undefined ? null : obj[field];
      if (field in obj) this.errorf(`${field} is an unexported field of struct type ${typeName(receiver)}`);
      this.errorf(`can't evaluate field ${field} in type ${typeName(receiver)}`);
    }
    this.errorf(`can't evaluate field ${field} in type interface {}`);
  }

  private evalFunction(dot: unknown, name: string, cmd: CommandNode, final: Final): unknown {
    this.at(cmd.args[0]);
    const fn = Object.hasOwn(this.ctx.funcs, name) ? this.ctx.funcs[name] : undefined;
    if (!fn) this.errorf(`${JSON.stringify(name)} is not a defined function`);
    return this.evalCall(dot, isSpec(fn) ? fn : { fn }, cmd, name, cmd.args, final);
  }

  private evalCall(dot: unknown, spec: FuncSpec, node: ArgNode | CommandNode, name: string, allArgs: ArgNode[] | null, final: Final): unknown {
    const args = allArgs ? allArgs.slice(1) : [];
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    const params = spec.params;
    if (params) {
      const fixed = params.length;
      if (spec.variadic ? numIn < fixed : numIn !== fixed) {
        this.errorf(`wrong number of args for ${name}: want ${spec.variadic ? 'at least ' : ''}${fixed} got ${numIn}`);
      }
    }
    const typeAt = (i: number): ParamType => (params && i < params.length ? params[i] : params ? spec.variadic ?? 'any' : 'any');
    if (spec.lazy) {
      let v: unknown;
      for (let i = 0; i < args.length; i++) {
        v = this.evalArg(dot, 'value', args[i]);
        if (isTrue(v) === (spec.lazy === 'or')) return v;
      }
      if (final !== MISSING) v = final;
      return v;
    }
    const argv: unknown[] = [];
    for (let i = 0; i < args.length; i++) argv.push(this.evalArg(dot, typeAt(i), args[i]));
    if (final !== MISSING) argv.push(this.validateType(final, typeAt(argv.length)));
    this.at(node);
    try {
      return spec.fn(...argv);
    } catch (e) {
      this.at(node);
      if (e instanceof TemplateExecError && e.message.startsWith('\u0000')) throw e;
      const msg = e instanceof Error ? e.message : String(e);
      this.errorf(`error calling ${name}: ${msg}`);
    }
  }

  private evalArgAny(dot: unknown, n: ArgNode): unknown {
    switch (n.kind) {
      case 'pipe': return this.evalPipeline(dot, n);
      case 'identifier': return this.evalFunction(dot, n.ident, { kind: 'command', pos: n.pos, tree: n.tree, args: [n] }, MISSING);
      default: return this.evalArg(dot, 'value', n);
    }
  }

  private evalArg(dot: unknown, type: ParamType, n: ArgNode): unknown {
    this.at(n);
    switch (n.kind) {
      case 'dot': return this.validateType(dot, type);
      case 'nil':
        if (type === 'any' || type === 'value') return null;
        this.errorf(`cannot assign nil to ${type}`);
      case 'field': return this.validateType(this.evalFieldChain(dot, dot, n, n.ident, [n], MISSING), type);
      case 'variable': return this.validateType(this.evalVariable(dot, n, null, MISSING), type);
      case 'pipe': return this.validateType(this.evalPipeline(dot, n), type);
      case 'identifier': return this.validateType(this.evalFunction(dot, n.ident, { kind: 'command', pos: n.pos, tree: n.tree, args: [n] }, MISSING), type);
      case 'chain': {
        const base = this.evalArgAny(dot, n.node);
        this.at(n);
        return this.validateType(this.evalFieldChain(dot, base, n, n.field, null, MISSING), type);
      }
    }
    switch (type) {
      case 'any': case 'value':
        if (n.kind === 'number') return idealConstant(n);
        return n.kind === 'bool' ? n.value : n.value;
      case 'string': if (n.kind === 'string') return n.value; this.errorf(`expected string; found ${nodeString(n)}`);
      case 'bool': if (n.kind === 'bool') return n.value; this.errorf(`expected bool; found ${nodeString(n)}`);
      case 'int': if (n.kind === 'number' && n.isInt) return n.int; this.errorf(`expected integer; found ${nodeString(n)}`);
      case 'float64': if (n.kind === 'number' && n.isFloat) return n.float; this.errorf(`expected float; found ${nodeString(n)}`);
      case 'map': this.errorf(`can't handle ${nodeString(n)} for arg of type map[string]interface {}`);
    }
  }

  private validateType(v: unknown, type: ParamType): unknown {
    if (type === 'value') return v;
    if (type === 'any') return v === undefined ? null : v;
    const want = type === 'map' ? 'map[string]interface {}' : type;
    if (v === undefined) this.errorf(`invalid value; expected ${want}`);
    const ok = (type === 'string' && typeof v === 'string') || (type === 'int' && typeof v === 'bigint') ||
      (type === 'float64' && typeof v === 'number') || (type === 'bool' && typeof v === 'boolean') ||
      (type === 'map' && kindOf(v) === 'map');
    if (!ok) this.errorf(`wrong type for value; expected ${want}; got ${v === null ? 'interface {}' : typeName(v)}`);
    return v;
  }
}

function idealConstant(n: Extract<ArgNode, { kind: 'number' }>): unknown {
  if (n.isFloat && !/^[+-]?0[xX]/.test(n.text) && !n.text.startsWith("'") && /[.eEpP]/.test(n.text)) return n.float;
  if (n.isInt) return n.int;
  if (n.isFloat) return n.float;
  return n.int;
}
