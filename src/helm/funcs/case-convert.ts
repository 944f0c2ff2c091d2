/**
 * huandu/xstrings case conversions as Sprig uses them: snakecase/kebabcase split a string into
 * words (upper-case runs, lower-case words, numbers, connectors `-`/`_`/space, punctuation)
 * and join them lower-cased with the connector ("HTTPServer" -> "http_server",
 * "http2xx" -> "http_2xx", "Bld4Floor3rd" -> "bld4_floor_3rd"); camelcase upper-cases the
 * letter after each connector run and keeps leading/doubled connectors ("_a__b" -> "_A_B").
 */

type WordType = 'invalid' | 'number' | 'upper' | 'alpha' | 'connector' | 'punct' | 'other';

const isConnector = (c: string) => c === '-' || c === '_' || /^\s$/u.test(c);
const isPunct = (c: string) => /^\p{P}$/u.test(c);
const isUpper = (c: string) => /^\p{Lu}$/u.test(c);
const isAlpha = (c: string) => /^\p{L}$/u.test(c) && !/^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]$/u.test(c);
const isNumber = (c: string) => /^\p{N}$/u.test(c);

interface Word { type: WordType; word: string[] }

function nextWord(chars: string[], start: number): [Word, number] {
  let i = start;
  const c = chars[i++];
  const take = (pred: (ch: string) => boolean) => { while (i < chars.length && pred(chars[i])) i++; };
  let type: WordType;
  if (isConnector(c)) { type = 'connector'; take(isConnector); }
  else if (isPunct(c)) { type = 'punct'; take(isPunct); }
  else if (isUpper(c)) {
    type = 'upper';
    if (i < chars.length) {
      if (isUpper(chars[i])) {
        take(isUpper);
        // "HTTPStatus": the last upper-case letter starts the next word.
        if (i < chars.length && isAlpha(chars[i])) i--;
      } else if (isAlpha(chars[i])) take((ch) => isAlpha(ch) && !isUpper(ch));
    }
  } else if (isAlpha(c)) { type = 'alpha'; take((ch) => isAlpha(ch) && !isUpper(ch)); }
  else if (isNumber(c)) { type = 'number'; take(isNumber); }
  else { type = 'other'; take((ch) => !(isConnector(ch) || isAlpha(ch) || isNumber(ch) || isPunct(ch))); }
  return [{ type, word: chars.slice(start, i) }, i];
}

function lowerInto(out: string[], w: Word, connector: string) {
  if (w.type !== 'upper' && w.type !== 'connector') { out.push(...w.word); return; }
  for (const c of w.word) out.push(isConnector(c) ? connector : isUpper(c) ? c.toLowerCase() : c);
}

export function camelCaseToLowerCase(s: string, connector: string): string {
  if (s === '') return '';
  const chars = [...s];
  const out: string[] = [];
  let pos = 0;
  const next = (): Word => { if (pos >= chars.length) return { type: 'invalid', word: [] }; const [w, p] = nextWord(chars, pos); pos = p; return w; };
  const remaining = () => pos < chars.length;
  let w = next();
  while (remaining()) {
    if (w.type !== 'connector') lowerInto(out, w, connector);
    const prev = w;
    w = next();
    switch (prev.type) {
      case 'number':
        while (w.type === 'alpha' || w.type === 'number') { lowerInto(out, w, connector); w = next(); }
        if (w.type !== 'invalid' && w.type !== 'punct' && w.type !== 'connector') out.push(connector);
        break;
      case 'connector':
        lowerInto(out, prev, connector);
        break;
      case 'punct':
        break;
      default: {
        if (w.type !== 'number') {
          if (w.type !== 'connector' && w.type !== 'punct') out.push(connector);
          break;
        }
        if (!remaining()) break;
        const last = w;
        w = next();
        if (w.type !== 'alpha') {
          lowerInto(out, { type: 'number', word: last.word }, connector);
          if (w.type !== 'connector' && w.type !== 'punct') out.push(connector);
          break;
        }
        out.push(connector);
        lowerInto(out, { type: 'number', word: last.word }, connector);
        while (w.type === 'alpha' || w.type === 'number') { lowerInto(out, w, connector); w = next(); }
        if (w.type !== 'invalid' && w.type !== 'connector' && w.type !== 'punct') out.push(connector);
      }
    }
  }
  lowerInto(out, w, connector);
  return out.join('');
}

export function toCamelCase(s: string): string {
  if (s === '') return '';
  const chars = [...s];
  let out = '';
  let i = 0;
  let r0 = '';
  for (; i < chars.length; i++) {
    r0 = chars[i];
    if (!isConnector(r0)) { r0 = r0.toUpperCase(); i++; break; }
    out += r0;
  }
  if (i >= chars.length) return isConnector(r0) ? out : out + r0;
  for (; i < chars.length; i++) {
    const r1 = r0;
    r0 = chars[i];
    if (isConnector(r0) && isConnector(r1)) { out += r1; continue; }
    if (isConnector(r1)) r0 = r0.toUpperCase();
    else out += r1;
  }
  return out + r0;
}
