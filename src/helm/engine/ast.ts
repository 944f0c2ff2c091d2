/**
 * Parse-tree node types for Go templates. Every node records its byte offset and the tree it
 * came from so executor errors can say `name:line:col` exactly as Go's ErrorContext does, and
 * `nodeString` reproduces Go's Node.String() for the `at <...>` part of error messages.
 */
export interface TreeInfo { parseName: string; text: string }

interface Base { pos: number; tree: TreeInfo }
export type Node =
  | (Base & { kind: 'text'; text: string })
  | (Base & { kind: 'action'; pipe: PipeNode })
  | (Base & { kind: 'if' | 'with' | 'range'; pipe: PipeNode; list: ListNode; elseList: ListNode | null })
  | (Base & { kind: 'template'; name: string; pipe: PipeNode | null })
  | (Base & { kind: 'break' | 'continue' })
  | ListNode;
export interface ListNode extends Base { kind: 'list'; nodes: Node[] }
export interface PipeNode extends Base { kind: 'pipe'; isAssign: boolean; decl: VariableNode[]; cmds: CommandNode[] }
export interface CommandNode extends Base { kind: 'command'; args: ArgNode[] }
export interface VariableNode extends Base { kind: 'variable'; ident: string[] }
export type ArgNode =
  | (Base & { kind: 'field'; ident: string[] })
  | VariableNode
  | (Base & { kind: 'chain'; node: ArgNode; field: string[] })
  | (Base & { kind: 'identifier'; ident: string })
  | (Base & { kind: 'dot' })
  | (Base & { kind: 'nil' })
  | (Base & { kind: 'bool'; value: boolean })
  | (Base & { kind: 'string'; quoted: string; value: string })
  | NumberNode
  | PipeNode;
export interface NumberNode extends Base { kind: 'number'; text: string; isInt: boolean; isFloat: boolean; int: bigint; float: number }

/** Go's Node.String() rendering, used in error contexts. */
export function nodeString(n: Node | ArgNode | CommandNode): string {
  switch (n.kind) {
    case 'text': return JSON.stringify(n.text);
    case 'action': return `{{${nodeString(n.pipe)}}}`;
    case 'list': return n.nodes.map(nodeString).join('');
    case 'if': case 'with': case 'range': {
      const e = n.elseList ? `{{else}}${nodeString(n.elseList)}` : '';
      return `{{${n.kind} ${nodeString(n.pipe)}}}${nodeString(n.list)}${e}{{end}}`;
    }
    case 'template': return n.pipe ? `{{template ${JSON.stringify(n.name)} ${nodeString(n.pipe)}}}` : `{{template ${JSON.stringify(n.name)}}}`;
    case 'break': return '{{break}}';
    case 'continue': return '{{continue}}';
    case 'pipe': {
      let s = '';
      if (n.decl.length > 0) s = n.decl.map(nodeString).join(', ') + (n.isAssign ? ' = ' : ' := ');
      return s + n.cmds.map(nodeString).join(' | ');
    }
    case 'command': return n.args.map((a) => (a.kind === 'pipe' ? `(${nodeString(a)})` : nodeString(a))).join(' ');
    case 'field': return n.ident.map((i) => '.' + i).join('');
    case 'variable': return n.ident.join('.');
    case 'chain': return (n.node.kind === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node)) + n.field.map((f) => '.' + f).join('');
    case 'identifier': return n.ident;
    case 'dot': return '.';
    case 'nil': return 'nil';
    case 'bool': return String(n.value);
    case 'string': return n.quoted;
    case 'number': return n.text;
  }
}

/** `name:line:col` for a node, col being the byte offset within its line as Go reports it. */
export function nodeLocation(n: { pos: number; tree: TreeInfo }): string {
  const before = n.tree.text.slice(0, n.pos);
  const lineStart = before.lastIndexOf('\n') + 1;
  const line = 1 + (before.match(/\n/g)?.length ?? 0);
  // Go counts bytes; on the first line the column is the absolute byte offset.
  const col = Buffer.byteLength(before.slice(lineStart));
  return `${n.tree.parseName}:${line}:${col}`;
}
