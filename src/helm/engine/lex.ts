/**
 * Lexer for Go text/template source. Produces the token stream the parser reads, with the same
 * token kinds, trim-marker handling ({{- and -}}) and comment rules as Go's text/template/parse.
 */
export type TokType =
  | 'text' | 'leftDelim' | 'rightDelim' | 'space' | 'field' | 'variable' | 'identifier' | 'keyword'
  | 'string' | 'rawString' | 'number' | 'char' | 'charConstant' | 'bool' | 'nil' | 'dot' | 'pipe'
  | 'assign' | 'declare' | 'leftParen' | 'rightParen' | 'eof' | 'error';

export interface Token { type: TokType; val: string; pos: number; line: number }

export const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'nil', 'template', 'with']);

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlnum = (c: string) => {
  const x = c.charCodeAt(0);
  if (x < 0x80) return (x >= 48 && x <= 57) || (x >= 65 && x <= 90) || (x >= 97 && x <= 122) || x === 95;
  return /^[\p{L}\p{Nd}]$/u.test(c);
};

/** Tokenise `input`; an error token (val = message, line of the error) ends the stream. */
export function lex(input: string, leftDelim = '{{', rightDelim = '}}'): Token[] {
  const out: Token[] = [];
  let pos = 0;
  let line = 1;
  const emit = (type: TokType, start: number, val: string, startLine: number) => out.push({ type, val, pos: start, line: startLine });
  const countNl = (s: string) => { let n = 0; for (const c of s) if (c === '\n') n++; return n; };
  const trimMarker = '-';

  while (pos < input.length) {
    const next = input.indexOf(leftDelim, pos);
    const textEnd = next < 0 ? input.length : next;
    let text = input.slice(pos, textEnd);
    let trimLeft = false;
    if (next >= 0) {
      const after = next + leftDelim.length;
      trimLeft = input[after] === trimMarker && after + 1 < input.length && isSpace(input[after + 1]);
      if (trimLeft) text = text.replace(/[ \t\r\n]+$/, '');
    }
    if (text.length > 0) emit('text', pos, text, line);
    line += countNl(input.slice(pos, textEnd));
    if (next < 0) { pos = input.length; break; }
    pos = next;
    // inside an action
    const delimStart = pos;
    pos += leftDelim.length + (trimLeft ? 2 : 0);
    // comment?
    if (input.startsWith('/*', pos)) {
      const end = input.indexOf('*/', pos + 2);
      if (end < 0) { emit('error', pos, 'unclosed comment', line); return out; }
      line += countNl(input.slice(pos, end));
      pos = end + 2;
      let trimRight = false;
      if (input.startsWith(' ' + trimMarker + rightDelim, pos) || (isSpace(input[pos] ?? '') && input.startsWith(trimMarker + rightDelim, pos + 1))) {
        trimRight = true; pos += 2;
      }
      if (!input.startsWith(rightDelim, pos)) { emit('error', pos, 'comment ends before closing delimiter', line); return out; }
      pos += rightDelim.length;
      if (trimRight) { const m = /^[ \t\r\n]*/.exec(input.slice(pos))!; line += countNl(m[0]); pos += m[0].length; }
      continue;
    }
    emit('leftDelim', delimStart, leftDelim, line);
    let parenDepth = 0;
    for (;;) {
      // right delimiter, possibly trim-marked
      if (isSpace(input[pos] ?? '') && input[pos + 1] === trimMarker && input.startsWith(rightDelim, pos + 2)) {
        if (parenDepth > 0) { emit('error', pos, 'unclosed left paren', line); return out; }
        emit('rightDelim', pos + 2, rightDelim, line);
        pos += 2 + rightDelim.length;
        const m = /^[ \t\r\n]*/.exec(input.slice(pos))!; line += countNl(m[0]); pos += m[0].length;
        break;
      }
      if (input.startsWith(rightDelim, pos)) {
        if (parenDepth > 0) { emit('error', pos, 'unclosed left paren', line); return out; }
        emit('rightDelim', pos, rightDelim, line);
        pos += rightDelim.length;
        break;
      }
      if (pos >= input.length) { emit('error', pos, 'unclosed action', line); return out; }
      const c = input[pos];
      const start = pos;
      if (isSpace(c)) {
        let e = pos;
        while (e < input.length && isSpace(input[e]) && !(input[e + 1] === trimMarker && input.startsWith(rightDelim, e + 2))) e++;
        if (e === pos) e++;
        emit('space', start, input.slice(pos, e), line);
        line += countNl(input.slice(pos, e));
        pos = e;
      } else if (c === '=') { emit('assign', start, '=', line); pos++; }
      else if (c === ':') {
        if (input[pos + 1] !== '=') { emit('error', pos, 'expected :=', line); return out; }
        emit('declare', start, ':=', line); pos += 2;
      } else if (c === '|') { emit('pipe', start, '|', line); pos++; }
      else if (c === '"') {
        let e = pos + 1;
        while (e < input.length && input[e] !== '"') {
          if (input[e] === '\\') e++;
          if (input[e] === '\n' || e >= input.length) { emit('error', pos, 'unterminated quoted string', line); return out; }
          e++;
        }
        if (e >= input.length) { emit('error', pos, 'unterminated quoted string', line); return out; }
        emit('string', start, input.slice(pos, e + 1), line); pos = e + 1;
      } else if (c === '`') {
        const e = input.indexOf('`', pos + 1);
        if (e < 0) { emit('error', pos, 'unterminated raw quoted string', line); return out; }
        emit('rawString', start, input.slice(pos, e + 1), line);
        line += countNl(input.slice(pos, e + 1)); pos = e + 1;
      } else if (c === "'") {
        let e = pos + 1;
        while (e < input.length && input[e] !== "'") { if (input[e] === '\\') e++; if (input[e] === '\n') { emit('error', pos, 'unterminated character constant', line); return out; } e++; }
        emit('charConstant', start, input.slice(pos, e + 1), line); pos = e + 1;
      } else if (c === '$' || c === '.') {
        let e = pos + 1;
        if (c === '.' && /[0-9]/.test(input[e] ?? '')) { pos = lexNumber(input, pos, emit, line); if (pos < 0) return out; continue; }
        while (e < input.length && isAlnum(input[e])) e++;
        if (c === '.') emit(e === pos + 1 ? 'dot' : 'field', start, input.slice(pos, e), line);
        else emit('variable', start, input.slice(pos, e), line);
        pos = e;
      } else if (c === '(') { parenDepth++; emit('leftParen', start, '(', line); pos++; }
      else if (c === ')') {
        parenDepth--;
        if (parenDepth < 0) { emit('error', pos, 'unexpected right paren', line); return out; }
        emit('rightParen', start, ')', line); pos++;
      } else if (/[0-9+-]/.test(c)) { pos = lexNumber(input, pos, emit, line); if (pos < 0) return out; }
      else if (isAlnum(c)) {
        let e = pos;
        while (e < input.length && isAlnum(input[e])) e++;
        const word = input.slice(pos, e);
        if (KEYWORDS.has(word)) emit(word === 'nil' ? 'nil' : 'keyword', start, word, line);
        else if (word === 'true' || word === 'false') emit('bool', start, word, line);
        else emit('identifier', start, word, line);
        pos = e;
      } else if (c === ',') { emit('char', start, ',', line); pos++; }
      else {
        const cp = c.codePointAt(0)!;
        emit('error', pos, `unrecognized character in action: U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${c}'`, line);
        return out;
      }
    }
  }
  out.push({ type: 'eof', val: '', pos: input.length, line });
  return out;
}

function lexNumber(input: string, pos: number, emit: (t: TokType, s: number, v: string, l: number) => void, line: number): number {
  const m = /^[+-]?(0[xX][0-9a-fA-F_]*(\.[0-9a-fA-F_]*)?([pP][+-]?[0-9_]+)?|0[bB][01_]+|0[oO][0-7_]+|[0-9_]*\.?[0-9_]*([eE][+-]?[0-9_]+)?)i?/.exec(input.slice(pos));
  const text = m ? m[0] : '';
  const nextChar = input[pos + text.length] ?? '';
  if (text === '' || text === '+' || text === '-' || isAlnum(nextChar)) {
    emit('error', pos, `bad number syntax: "${input.slice(pos, pos + text.length + 1)}"`, line);
    return -1;
  }
  emit('number', pos, text, line);
  return pos + text.length;
}
