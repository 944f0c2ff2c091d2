/**
 * Parser for Go templates: turns one source text into its root tree plus the trees of every
 * {{define}}/{{block}} inside it. Errors read like Go's: `template: NAME:LINE: message`.
 * Function names are checked at parse time against `funcs` as Go does (`function "x" not defined`).
 */
import { lex, type Token } from './lex.js';
import type { ArgNode, CommandNode, ListNode, Node, NumberNode, PipeNode, TreeInfo, VariableNode } from './ast.js';
import { unquote as decodeLiteral, unquoteChar as decodeChar } from './literals.js';

export class TemplateParseError extends Error {}

export interface ParsedTemplates { root: ListNode; defines: Map<string, ListNode> }

type EndNode = { kind: 'end' | 'else'; pos: number; line: number };

/** Parse `text` (named `name`); `isFunc` answers whether an identifier is a known function. */
export function parseTemplate(name: string, text: string, isFunc: (n: string) => boolean): ParsedTemplates {
  return new Parser(name, text, isFunc).parse();
}

function tokenDesc(t: Token): string {
  if (t.type === 'eof') return 'EOF';
  if (t.type === 'error') return t.val;
  if (t.type === 'keyword') return `<${t.val}>`;
  if (t.val.length > 10) return `${JSON.stringify(t.val.slice(0, 10))}...`;
  return JSON.stringify(t.val);
}

class Parser {
  private toks: Token[];
  private i = 0;
  private tree: TreeInfo;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private defines = new Map<string, ListNode>();
  private lastLine = 1;

  constructor(private name: string, text: string, private isFunc: (n: string) => boolean) {
    this.toks = lex(text);
    this.tree = { parseName: name, text };
  }

  private next(): Token {
    const t = this.toks[Math.min(this.i, this.toks.length - 1)];
    this.i++;
    this.lastLine = t.line;
    if (t.type === 'error') this.fail(t.val, t.line);
    return t;
  }
  private peek(): Token { const t = this.next(); this.i--; return t; }
  private nextNonSpace(): Token { let t = this.next(); while (t.type === 'space') t = this.next(); return t; }
  private peekNonSpace(): Token { const save = this.i; const t = this.nextNonSpace(); this.i = save; return t; }
  private backup(n = 1) { this.i -= n; }

  private fail(msg: string, line = this.lastLine): never {
    throw new TemplateParseError(`template: ${this.name}:${line}: ${msg}`);
  }
  private unexpected(t: Token, context: string): never { this.fail(`unexpected ${tokenDesc(t)} in ${context}`, t.line); }
  private expect(type: Token['type'], context: string): Token {
    const t = this.nextNonSpace();
    if (t.type !== type) this.unexpected(t, context);
    return t;
  }

  parse(): ParsedTemplates {
    const root: ListNode = { kind: 'list', pos: 0, tree: this.tree, nodes: [] };
    for (;;) {
      const t = this.peek();
      if (t.type === 'eof') break;
      if (t.type === 'leftDelim') {
        const save = this.i;
        this.next();
        const k = this.nextNonSpace();
        if (k.type === 'keyword' && k.val === 'define') { this.parseDefinition(); continue; }
        this.i = save;
      }
      const n = this.textOrAction();
      if ('kind' in n && (n.kind === 'end' || n.kind === 'else')) this.fail(`unexpected {{${n.kind}}}`, n.line);
      root.nodes.push(n as Node);
    }
    return { root, defines: this.defines };
  }

  private parseDefinition() {
    const nameTok = this.nextNonSpace();
    if (nameTok.type !== 'string' && nameTok.type !== 'rawString') this.unexpected(nameTok, 'define clause');
    const defName = this.literal(nameTok.val);
    this.expect('rightDelim', 'define clause');
    const [list, end] = this.itemList();
    if (end.kind !== 'end') this.fail(`unexpected {{${end.kind}}} in define clause`, end.line);
    this.addDefine(defName, list);
  }

  private addDefine(name: string, list: ListNode) {
    const old = this.defines.get(name);
    if (old && !isEmptyTree(old) && !isEmptyTree(list)) this.fail(`template: multiple definition of template ${JSON.stringify(name)}`);
    if (!old || !isEmptyTree(list)) this.defines.set(name, list);
  }

  private itemList(): [ListNode, EndNode] {
    const list: ListNode = { kind: 'list', pos: this.peekNonSpace().pos, tree: this.tree, nodes: [] };
    while (this.peekNonSpace().type !== 'eof') {
      const n = this.textOrAction();
      if ('line' in n && (n.kind === 'end' || n.kind === 'else')) return [list, n as EndNode];
      list.nodes.push(n as Node);
    }
    this.fail('unexpected EOF');
  }

  private textOrAction(): Node | EndNode {
    const t = this.nextNonSpace();
    if (t.type === 'text') return { kind: 'text', pos: t.pos, tree: this.tree, text: t.val };
    if (t.type === 'leftDelim') return this.action();
    this.unexpected(t, 'input');
  }

  private action(): Node | EndNode {
    const t = this.nextNonSpace();
    if (t.type === 'keyword') {
      switch (t.val) {
        case 'block': return this.blockControl(t);
        case 'break': case 'continue': {
          if (this.rangeDepth === 0) this.fail(`{{${t.val}}} outside {{range}}`, t.line);
          const r = this.nextNonSpace();
          if (r.type !== 'rightDelim') this.unexpected(r, `{{${t.val}}}`);
          return { kind: t.val, pos: t.pos, tree: this.tree };
        }
        case 'else': {
          const p = this.peekNonSpace();
          if (p.type === 'keyword' && (p.val === 'if' || p.val === 'with')) return { kind: 'else', pos: p.pos, line: p.line };
          this.expect('rightDelim', 'else');
          return { kind: 'else', pos: t.pos, line: t.line };
        }
        case 'end': this.expect('rightDelim', 'end'); return { kind: 'end', pos: t.pos, line: t.line };
        case 'if': case 'with': case 'range': return this.control(t.val, t);
        case 'template': return this.templateControl(t);
      }
    }
    this.backup();
    const pipe = this.pipeline('command', 'rightDelim');
    return { kind: 'action', pos: t.pos, tree: this.tree, pipe };
  }

  private control(kind: 'if' | 'with' | 'range', t: Token): Node {
    const mark = this.vars.length;
    const pipe = this.pipeline(kind, 'rightDelim');
    if (kind === 'range') this.rangeDepth++;
    let [list, next] = this.itemList();
    if (kind === 'range') this.rangeDepth--;
    let elseList: ListNode | null = null;
    if (next.kind === 'else') {
      const p = this.peekNonSpace();
      if ((kind === 'if' && p.type === 'keyword' && p.val === 'if') || (kind === 'with' && p.type === 'keyword' && p.val === 'with')) {
        this.nextNonSpace();
        elseList = { kind: 'list', pos: next.pos, tree: this.tree, nodes: [this.control(kind, p)] };
      } else {
        [elseList, next] = this.itemList();
        if (next.kind !== 'end') this.fail(`expected end; found {{else}}`, next.line);
      }
    }
    this.vars.length = mark;
    return { kind, pos: pipe.pos, tree: this.tree, pipe, list, elseList };
  }

  private templateControl(t: Token): Node {
    const nameTok = this.nextNonSpace();
    if (nameTok.type !== 'string' && nameTok.type !== 'rawString') this.unexpected(nameTok, 'template clause');
    const name = this.literal(nameTok.val);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().type !== 'rightDelim') { this.backup(); pipe = this.pipeline('template', 'rightDelim'); }
    return { kind: 'template', pos: t.pos, tree: this.tree, name, pipe };
  }

  private blockControl(t: Token): Node {
    const nameTok = this.nextNonSpace();
    if (nameTok.type !== 'string' && nameTok.type !== 'rawString') this.unexpected(nameTok, 'block clause');
    const name = this.literal(nameTok.val);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().type !== 'rightDelim') { this.backup(); pipe = this.pipeline('block', 'rightDelim'); }
    const savedVars = this.vars; this.vars = ['$'];
    const [list, end] = this.itemList();
    this.vars = savedVars;
    if (end.kind !== 'end') this.fail(`unexpected {{${end.kind}}} in block clause`, end.line);
    this.addDefine(name, list);
    return { kind: 'template', pos: t.pos, tree: this.tree, name, pipe };
  }

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): PipeNode {
    const first = this.peekNonSpace();
    const pipe: PipeNode = { kind: 'pipe', pos: first.pos, tree: this.tree, isAssign: false, decl: [], cmds: [] };
    // declarations
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== 'variable') break;
      const save = this.i;
      this.nextNonSpace();
      const after = this.peekNonSpace();
      if (after.type === 'assign' || after.type === 'declare') {
        this.nextNonSpace();
        pipe.isAssign = after.type === 'assign';
        pipe.decl.push(this.variableNode(v.pos, v.val));
        this.vars.push(v.val);
        break;
      }
      if (after.type === 'char' && after.val === ',') {
        this.nextNonSpace();
        pipe.decl.push(this.variableNode(v.pos, v.val));
        if (context === 'range' && pipe.decl.length < 2) {
          const p = this.peekNonSpace();
          if (p.type === 'variable' || p.type === 'rightDelim' || p.type === 'rightParen') continue decls;
          this.fail('range can only initialize variables');
        }
        this.fail(`too many declarations in ${context}`);
      }
      this.i = save;
      break;
    }
    if (pipe.decl.length === 2 && !pipe.decl.every((d) => this.vars.includes(d.ident[0]))) {
      for (const d of pipe.decl) if (!this.vars.includes(d.ident[0])) this.vars.push(d.ident[0]);
    }
    for (;;) {
      const t = this.nextNonSpace();
      if (t.type === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (t.type) {
        case 'bool': case 'charConstant': case 'dot': case 'field': case 'identifier': case 'number': case 'nil':
        case 'rawString': case 'string': case 'variable': case 'leftParen':
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default: this.unexpected(t, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string) {
    if (pipe.cmds.length === 0) this.fail(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const k = c.args[0].kind;
      if (k === 'bool' || k === 'dot' || k === 'nil' || k === 'number' || k === 'string') {
        this.fail(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  private command(): CommandNode {
    const cmd: CommandNode = { kind: 'command', pos: this.peekNonSpace().pos, tree: this.tree, args: [] };
    for (;;) {
      this.peekNonSpace();
      const op = this.operand();
      if (op) cmd.args.push(op);
      const t = this.next();
      if (t.type === 'space') continue;
      if (t.type === 'rightDelim' || t.type === 'rightParen') this.backup();
      else if (t.type !== 'pipe') this.unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.fail('empty command');
    return cmd;
  }

  private operand(): ArgNode | null {
    const node = this.term();
    if (!node) return null;
    if (this.peek().type !== 'field') return node;
    const chainPos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().type === 'field') fields.push(this.next().val.slice(1));
    switch (node.kind) {
      case 'field': return { kind: 'field', pos: chainPos, tree: this.tree, ident: [...node.ident, ...fields] };
      case 'variable': return { kind: 'variable', pos: chainPos, tree: this.tree, ident: [...node.ident, ...fields] };
      case 'bool': case 'string': case 'number': case 'nil': case 'dot':
        this.fail(`unexpected . after term ${JSON.stringify(node.kind === 'string' ? node.quoted : node.kind === 'dot' ? '.' : node.kind === 'nil' ? 'nil' : node.kind === 'number' ? node.text : String(node.value))}`);
      default: return { kind: 'chain', pos: chainPos, tree: this.tree, node, field: fields };
    }
  }

  private term(): ArgNode | null {
    const t = this.nextNonSpace();
    const base = { pos: t.pos, tree: this.tree };
    switch (t.type) {
      case 'identifier':
        if (!this.isFunc(t.val)) this.fail(`function ${JSON.stringify(t.val)} not defined`, t.line);
        return { kind: 'identifier', ...base, ident: t.val };
      case 'dot': return { kind: 'dot', ...base };
      case 'nil': return { kind: 'nil', ...base };
      case 'variable': return this.useVar(t);
      case 'field': return { kind: 'field', ...base, ident: [t.val.slice(1)] };
      case 'bool': return { kind: 'bool', ...base, value: t.val === 'true' };
      case 'charConstant': case 'number': return this.number(t);
      case 'leftParen': {
        const p = this.pipeline('parenthesized pipeline', 'rightParen');
        return p;
      }
      case 'string': case 'rawString': return { kind: 'string', ...base, quoted: t.val, value: this.literal(t.val) };
    }
    this.backup();
    return null;
  }

  private literal(q: string): string {
    try { return decodeLiteral(q); } catch { this.fail('invalid syntax'); }
  }

  private variableNode(pos: number, val: string): VariableNode {
    return { kind: 'variable', pos, tree: this.tree, ident: val.split('.') };
  }

  private useVar(t: Token): VariableNode {
    const v = this.variableNode(t.pos, t.val);
    if (!this.vars.includes(v.ident[0])) this.fail(`undefined variable ${JSON.stringify(v.ident[0])}`, t.line);
    return v;
  }

  private number(t: Token): NumberNode {
    const n: NumberNode = { kind: 'number', pos: t.pos, tree: this.tree, text: t.val, isInt: false, isFloat: false, int: 0n, float: 0 };
    if (t.type === 'charConstant') {
      let s: string;
      try { s = decodeChar(t.val); } catch (e) { this.fail((e as Error).message); }
      n.isInt = n.isFloat = true; n.int = BigInt(s.codePointAt(0)!); n.float = Number(n.int);
      return n;
    }
    const text = t.val.replace(/_/g, '');
    if (text.endsWith('i')) this.fail(`complex constants are not supported: ${t.val}`);
    const sign = text.startsWith('-') ? -1n : 1n;
    const body = text.replace(/^[+-]/, '');
    if (/^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/.test(body)) {
      const lit = /^0[0-7]+$/.test(body) ? '0o' + body.slice(1) : body;
      const v = sign * BigInt(lit);
      if (v > 0x7fffffffffffffffn || v < -0x8000000000000000n) this.fail(`integer overflow: ${JSON.stringify(t.val)}`);
      n.isInt = true; n.int = v; n.isFloat = true; n.float = Number(v);
      return n;
    }
    const f = Number(text);
    if (Number.isNaN(f) || body === '') this.fail(`illegal number syntax: ${JSON.stringify(t.val)}`);
    n.isFloat = true; n.float = f;
    if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) { n.isInt = true; n.int = BigInt(f); }
    return n;
  }
}

function isEmptyTree(l: ListNode): boolean {
  return l.nodes.every((n) => n.kind === 'text' && n.text.trim() === '');
}

