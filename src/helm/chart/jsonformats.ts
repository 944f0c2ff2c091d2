/**
 * JSON Schema `format` checks as santhosh-tekuri/jsonschema v6 asserts them for draft-07 and
 * older schemas (the usual values.schema.json): ipv4, ipv6, hostname, email, uuid, date, time,
 * date-time, uri, uri-reference, json-pointer. Each returns null or v6's reason text; unknown
 * formats pass. Non-string values always pass.
 */

function goRune(ch: string): string { return `'${ch === "'" ? "\\'" : ch}'`; }

function ipv4(s: string): string | null {
  const groups = s.split('.');
  if (groups.length !== 4) return 'expected four decimals';
  for (const g of groups) {
    if (g.length > 1 && g[0] === '0') return 'leading zeros';
    if (!/^[+-]?[0-9]+$/.test(g)) return `strconv.Atoi: parsing ${JSON.stringify(g)}: invalid syntax`;
    const n = Number(g);
    if (n < 0 || n > 255) return 'decimal must be between 0 and 255';
  }
  return null;
}

function ipv6(s: string): string | null {
  if (!s.includes(':')) return 'missing colon';
  if (s.includes('%')) return 'zone id is not a part of ipv6 address';
  const ok = /^(([0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}|(([0-9a-fA-F]{1,4}:){0,7}[0-9a-fA-F]{1,4})?::(([0-9a-fA-F]{1,4}:){0,7}[0-9a-fA-F]{1,4})?|([0-9a-fA-F]{1,4}:){6}\d+\.\d+\.\d+\.\d+|(([0-9a-fA-F]{1,4}:){0,5}[0-9a-fA-F]{1,4})?::(([0-9a-fA-F]{1,4}:){0,5})?\d+\.\d+\.\d+\.\d+)$/.test(s);
  return ok ? null : `ParseAddr(${JSON.stringify(s)}): invalid address`;
}

function hostname(input: string): string | null {
  const s = input.replace(/\.$/, '');
  if (s.length > 253) return 'more than 253 characters long';
  for (const label of s.split('.')) {
    if (label.length < 1 || label.length > 63) return 'label must be 1 to 63 characters long';
    if (label.startsWith('-')) return 'label starts with hyphen';
    if (label.endsWith('-')) return 'label ends with hyphen';
    for (const ch of label) if (!/[a-zA-Z0-9-]/.test(ch)) return `invalid character ${goRune(ch)}`;
  }
  return null;
}

function email(s: string): string | null {
  if (s.length > 254) return 'more than 255 characters long';
  const at = s.lastIndexOf('@');
  if (at <= 0) return 'missing @';
  const local = s.slice(0, at);
  const domain = s.slice(at + 1);
  if (local.length > 64) return 'local part more than 64 characters long';
  if (!(local.startsWith('"') && local.endsWith('"') && local.length > 1)) {
    if (local.startsWith('.')) return 'starts with dot';
    if (local.endsWith('.')) return 'ends with dot';
    if (local.includes('..')) return 'consecutive dots';
    for (const ch of local) if (!/[a-zA-Z0-9!#$%&'*+/=?^_`{|}~.-]/.test(ch)) return `invalid character ${goRune(ch)}`;
  }
  if (domain.startsWith('[') && domain.endsWith(']')) {
    const ip = domain.slice(1, -1);
    if (ip.startsWith('IPv6:')) { const e = ipv6(ip.slice(5)); return e ? `invalid ipv6 address: ${e}` : null; }
    const e = ipv4(ip);
    return e ? `invalid ipv4 address: ${e}` : null;
  }
  const e = hostname(domain);
  return e ? `invalid domain: ${e}` : null;
}

function uuid(s: string): string | null {
  const lens = [8, 4, 4, 4, 12];
  const groups = s.split('-');
  if (groups.length !== 5) return 'must have 5 elements';
  for (let i = 0; i < 5; i++) {
    if (groups[i].length !== lens[i]) return `element ${i + 1} must be ${lens[i]} characters long`;
    for (const ch of groups[i]) if (!/[0-9a-fA-F]/.test(ch)) return `non-hex character ${goRune(ch)}`;
  }
  return null;
}

function date(s: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return `parsing time ${JSON.stringify(s)} as "2006-01-02": cannot parse ${JSON.stringify(s)} as "2006"`;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12) return `parsing time ${JSON.stringify(s)}: month out of range`;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d < 1 || d > days) return `parsing time ${JSON.stringify(s)}: day out of range`;
  return null;
}

function time(s: string): string | null {
  const m = /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?([zZ]|[+-]\d{2}:\d{2})$/.exec(s);
  if (s.length < 9) return 'less than 9 characters long';
  if (!m) return 'invalid time';
  if (Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3]) > 60) return 'hour/min/sec out of range';
  return null;
}

function dateTime(s: string): string | null {
  if (s.length < 20) return 'less than 20 characters long';
  if (s[10] !== 't' && s[10] !== 'T') return '11th character must be t or T';
  const d = date(s.slice(0, 10));
  if (d) return `invalid date element: ${d}`;
  const t = time(s.slice(11));
  return t ? `invalid time element: ${t}` : null;
}

function uri(s: string): string | null {
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(s)) return 'relative url';
  return null;
}

function uriReference(s: string): string | null {
  return s.includes('\\') ? 'contains \\' : null;
}

function jsonPointer(s: string): string | null {
  if (s === '') return null;
  if (!s.startsWith('/')) return 'not starting with /';
  if (/~(?![01])/.test(s)) return '~ must be followed by 0 or 1';
  return null;
}

const FORMATS: Record<string, (s: string) => string | null> = {
  ipv4, ipv6, hostname, email, uuid, date, time, 'date-time': dateTime, uri, iri: uri,
  'uri-reference': uriReference, 'iri-reference': uriReference, 'json-pointer': jsonPointer,
};

/** null when `v` satisfies `format` (or the format is not asserted), else v6's reason. */
export function checkFormat(format: string, v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const f = FORMATS[format];
  return f ? f(v) : null;
}
