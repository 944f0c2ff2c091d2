/**
 * Go string and character literal decoding for the template parser (strconv.Unquote rules:
 * "..." with \a \b \f \n \r \t \v \\ \' \" \xHH \uHHHH \UHHHHHHHH \ooo escapes; `...` raw).
 */

/** Decode a quoted literal; throws Error('invalid syntax') on a bad escape. */
export function unquote(q: string): string {
  if (q.startsWith('`')) return q.slice(1, -1);
  return decodeEscapes(q.slice(1, -1));
}

/** Decode a character constant like 'a' or '\n' to its one-character string. */
export function unquoteChar(q: string): string {
  const s = decodeEscapes(q.slice(1, -1));
  if ([...s].length !== 1) throw new Error(`malformed character constant: ${q}`);
  return s;
}

function decodeEscapes(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\') { out += c; continue; }
    const e = s[++i];
    const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"' };
    if (e in simple) { out += simple[e]; continue; }
    const hexLen = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (hexLen) {
      const h = s.slice(i + 1, i + 1 + hexLen);
      if (!/^[0-9a-fA-F]+$/.test(h) || h.length !== hexLen) throw new Error('bad escape');
      out += e === 'x' ? String.fromCharCode(parseInt(h, 16)) : String.fromCodePoint(parseInt(h, 16));
      i += hexLen; continue;
    }
    if (/[0-7]/.test(e)) {
      const o = s.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(o)) throw new Error('bad escape');
      out += String.fromCharCode(parseInt(o, 8)); i += 2; continue;
    }
    throw new Error('bad escape');
  }
  return out;
}
