/**
 * Sprig date functions with Go's reference-time layouts ("2006-01-02T15:04:05Z07:00"):
 * now, date, dateInZone, htmlDate, htmlDateInZone, toDate/mustToDate, unixEpoch, duration,
 * durationRound, ago, dateModify. Times are GoTime values (UTC offset + IANA zone name);
 * integers given as dates are Unix seconds, as in Sprig.
 */
import type { FuncMap } from './engine.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export class GoTime {
  static goTypeName = 'time.Time';
  /** ms since epoch; extra nanoseconds beyond ms in `nanos`. */
  constructor(readonly ms: number, readonly zone: string = localZone(), readonly nanos = 0) {}
  Unix(): bigint { return BigInt(Math.floor(this.ms / 1000)); }
  UnixNano(): bigint { return BigInt(this.ms) * 1000000n + BigInt(this.nanos); }
  Format(layout: string): string { return formatTime(this, layout); }
  UTC(): GoTime { return new GoTime(this.ms, 'UTC', this.nanos); }
  Year(): bigint { return BigInt(fields(this).y); }
  Month(): GoMonth { return new GoMonth(fields(this).mo); }
  Day(): bigint { return BigInt(fields(this).d); }
  Hour(): bigint { return BigInt(fields(this).h); }
  Minute(): bigint { return BigInt(fields(this).mi); }
  Second(): bigint { return BigInt(fields(this).s); }
  YearDay(): bigint { return BigInt(fields(this).yday); }
  Weekday(): GoWeekday { return new GoWeekday(fields(this).wd); }
  String(): string { return formatTime(this, '2006-01-02 15:04:05.999999999 -0700 MST'); }
  toJSON(): string { return formatTime(this, '2006-01-02T15:04:05.999999999Z07:00'); }
}

/** time.Month: prints as its English name. */
export class GoMonth {
  static goTypeName = 'time.Month';
  constructor(readonly n: number) {}
  String(): string { return MONTHS[this.n - 1]; }
}

/** time.Weekday: prints as its English name. */
export class GoWeekday {
  static goTypeName = 'time.Weekday';
  constructor(readonly n: number) {}
  String(): string { return DAYS[this.n]; }
}

function localZone(): string { return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'; }

interface Fields { y: number; mo: number; d: number; h: number; mi: number; s: number; wd: number; offsetMin: number; abbr: string; yday: number }

function fields(t: GoTime): Fields {
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone: t.zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short', timeZoneName: 'short' });
  const parts = Object.fromEntries(fmt.formatToParts(new Date(t.ms)).map((p) => [p.type, p.value]));
  const y = Number(parts.year); const mo = Number(parts.month); const d = Number(parts.day);
  const h = Number(parts.hour) % 24; const mi = Number(parts.minute); const s = Number(parts.second);
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  const offsetMin = Math.round((asUtc - Math.floor(t.ms / 1000) * 1000) / 60000);
  let abbr = parts.timeZoneName ?? 'UTC';
  if (t.zone === 'UTC') abbr = 'UTC';
  else if (/^GMT[+-]/.test(abbr) || abbr === 'GMT' && offsetMin !== 0) abbr = offsetAbbr(offsetMin);
  const yday = Math.floor((Date.UTC(y, mo - 1, d) - Date.UTC(y, 0, 1)) / 86400000) + 1;
  return { y, mo, d, h, mi, s, wd: new Date(Date.UTC(y, mo - 1, d)).getUTCDay(), offsetMin, abbr, yday };
}

function offsetAbbr(min: number): string {
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return sign + String(Math.floor(a / 60)).padStart(2, '0') + (a % 60 ? String(a % 60).padStart(2, '0') : '');
}

const TOKENS = ['January', 'Jan', 'Monday', 'Mon', 'MST', '2006', '-07:00:00', '-0700', '-07:00', '-07', 'Z07:00', 'Z0700', 'Z07', '002', '__2', '_2', '01', '02', '03', '04', '05', '06', '15', 'PM', 'pm', '1', '2', '3', '4', '5'];

export function formatTime(t: GoTime, layout: string): string {
  const f = fields(t);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const nanos = (t.ms % 1000 + 1000) % 1000 * 1000000 + t.nanos;
  const off = (colon: boolean, z: boolean, short = false) => {
    if (z && f.offsetMin === 0) return 'Z';
    const a = Math.abs(f.offsetMin);
    const sign = f.offsetMin < 0 ? '-' : '+';
    if (short) return sign + p2(Math.floor(a / 60));
    return sign + p2(Math.floor(a / 60)) + (colon ? ':' : '') + p2(a % 60);
  };
  let out = '';
  let i = 0;
  while (i < layout.length) {
    const frac = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i));
    if (frac) {
      const digits = frac[1].length;
      let s = String(nanos).padStart(9, '0').slice(0, digits);
      if (frac[1][0] === '9') { s = s.replace(/0+$/, ''); out += s ? layout[i] + s : ''; } else out += layout[i] + s;
      i += frac[0].length;
      continue;
    }
    const tok = TOKENS.find((k) => layout.startsWith(k, i));
    if (!tok) { out += layout[i++]; continue; }
    i += tok.length;
    switch (tok) {
      case 'January': out += MONTHS[f.mo - 1]; break;
      case 'Jan': out += MONTHS[f.mo - 1].slice(0, 3); break;
      case 'Monday': out += DAYS[f.wd]; break;
      case 'Mon': out += DAYS[f.wd].slice(0, 3); break;
      case 'MST': out += f.abbr; break;
      case '2006': out += String(f.y).padStart(4, '0'); break;
      case '06': out += p2(f.y % 100); break;
      case '01': out += p2(f.mo); break;
      case '1': out += String(f.mo); break;
      case '02': out += p2(f.d); break;
      case '2': out += String(f.d); break;
      case '_2': out += String(f.d).padStart(2, ' '); break;
      case '002': out += String(f.yday).padStart(3, '0'); break;
      case '__2': out += String(f.yday).padStart(3, ' '); break;
      case '15': out += p2(f.h); break;
      case '03': out += p2(f.h % 12 || 12); break;
      case '3': out += String(f.h % 12 || 12); break;
      case '04': out += p2(f.mi); break;
      case '4': out += String(f.mi); break;
      case '05': out += p2(f.s); break;
      case '5': out += String(f.s); break;
      case 'PM': out += f.h >= 12 ? 'PM' : 'AM'; break;
      case 'pm': out += f.h >= 12 ? 'pm' : 'am'; break;
      case '-0700': out += off(false, false); break;
      case '-07:00': case '-07:00:00': out += off(true, false) + (tok.length > 6 ? ':00' : ''); break;
      case '-07': out += off(false, false, true); break;
      case 'Z0700': out += off(false, true); break;
      case 'Z07:00': out += off(true, true); break;
      case 'Z07': out += f.offsetMin === 0 ? 'Z' : off(false, false, true); break;
    }
  }
  return out;
}

/** Parse `value` with a Go layout (common numeric layouts); throws Go-like errors. */
export function parseTime(layout: string, value: string, zone = localZone()): GoTime {
  let re = '';
  const order: string[] = [];
  let i = 0;
  while (i < layout.length) {
    const frac = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i));
    if (frac) { re += '(?:[.,](\\d+))?'; order.push('frac'); i += frac[0].length; continue; }
    const tok = TOKENS.find((k) => layout.startsWith(k, i));
    if (!tok) { re += layout[i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); i++; continue; }
    i += tok.length;
    const pat: Record<string, string> = {
      January: '([A-Za-z]+)', Jan: '([A-Za-z]{3})', Monday: '[A-Za-z]+', Mon: '[A-Za-z]{3}', MST: '([A-Z]{3,4}|[+-]\\d{2,4})',
      '2006': '(\\d{4})', '06': '(\\d{2})', '01': '(\\d{2})', '1': '(\\d{1,2})', '02': '(\\d{2})', '2': '(\\d{1,2})', '_2': ' ?(\\d{1,2})',
      '15': '(\\d{1,2})', '03': '(\\d{2})', '3': '(\\d{1,2})', '04': '(\\d{2})', '4': '(\\d{1,2})', '05': '(\\d{2})', '5': '(\\d{1,2})',
      PM: '(AM|PM)', pm: '(am|pm)', '-0700': '([+-]\\d{4})', '-07:00': '([+-]\\d{2}:\\d{2})', '-07': '([+-]\\d{2})',
      Z0700: '(Z|[+-]\\d{4})', 'Z07:00': '(Z|[+-]\\d{2}:\\d{2})', Z07: '(Z|[+-]\\d{2})', '002': '(\\d{3})', '__2': ' *(\\d{1,3})', '-07:00:00': '([+-]\\d{2}:\\d{2}:\\d{2})',
    };
    re += pat[tok];
    if (pat[tok].startsWith('(')) order.push(tok);
    if (tok === '_2') order.push();
  }
  const m = new RegExp('^' + re + '$').exec(value);
  if (!m) throw new Error(`parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(value)} as ${JSON.stringify(layout)}`);
  let y = 1; let mo = 1; let d = 1; let h = 0; let mi = 0; let s = 0; let ns = 0; let pm: boolean | null = null; let offset: number | null = null;
  order.forEach((tok, k) => {
    const v = m[k + 1];
    if (v === undefined) return;
    switch (tok) {
      case 'January': case 'Jan': mo = MONTHS.findIndex((x) => x.toLowerCase().startsWith(v.toLowerCase())) + 1; break;
      case '2006': y = Number(v); break;
      case '06': y = 1900 + Number(v) + (Number(v) < 69 ? 100 : 0); break;
      case '01': case '1': mo = Number(v); break;
      case '02': case '2': case '_2': d = Number(v); break;
      case '15': case '03': case '3': h = Number(v); break;
      case '04': case '4': mi = Number(v); break;
      case '05': case '5': s = Number(v); break;
      case 'frac': ns = Number(v.padEnd(9, '0').slice(0, 9)); break;
      case 'PM': case 'pm': pm = v.toUpperCase() === 'PM'; break;
      default:
        if (tok.includes('07') && v !== 'Z') { const sign = v[0] === '-' ? -1 : 1; const digits = v.slice(1).replace(/:/g, ''); offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0)); }
        else if (v === 'Z') offset = 0;
    }
  });
  if (pm !== null) h = (h % 12) + (pm ? 12 : 0);
  if (mo < 1 || mo > 12) throw new Error(`parsing time ${JSON.stringify(value)}: month out of range`);
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  let ms: number;
  if (offset !== null) ms = utc - offset * 60000;
  else {
    const probe = new GoTime(utc, zone);
    ms = utc - fields(probe).offsetMin * 60000;
  }
  return new GoTime(ms + Math.floor(ns / 1e6), offset !== null && offset === 0 ? 'UTC' : zone, ns % 1e6);
}

function toTime(v: unknown): GoTime {
  if (v instanceof GoTime) return v;
  if (typeof v === 'bigint') return new GoTime(Number(v) * 1000);
  return new GoTime(Date.now());
}

/** time.Duration.String(). */
export function durationString(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < 1000000000n) {
    const units: [bigint, string][] = [[1000000n, 'ms'], [1000n, 'µs'], [1n, 'ns']];
    const [div, name] = units.find(([d]) => u >= d)!;
    const whole = u / div; const frac = (u % div).toString().padStart(div.toString().length - 1, '0').replace(/0+$/, '');
    out = whole.toString() + (frac ? '.' + frac : '') + name;
  } else {
    const secNs = u % 60000000000n; u /= 60000000000n;
    const sec = secNs / 1000000000n; const fracS = (secNs % 1000000000n).toString().padStart(9, '0').replace(/0+$/, '');
    out = sec.toString() + (fracS ? '.' + fracS : '') + 's';
    if (u > 0n) {
      out = (u % 60n).toString() + 'm' + out;
      u /= 60n;
      if (u > 0n) out = u.toString() + 'h' + out;
    }
  }
  return (neg ? '-' : '') + out;
}

function parseDuration(s: string): bigint {
  const units: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(s);
  if (!m || s === '0') { if (s === '0') return 0n; throw new Error(`time: invalid duration ${JSON.stringify(s)}`); }
  let total = 0;
  for (const part of s.replace(/^[+-]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) total += Number(part[1]) * units[part[2]];
  return BigInt(Math.round(total)) * (m[1] === '-' ? -1n : 1n);
}

function durationRound(v: unknown): string {
  let d: bigint;
  if (typeof v === 'string') { try { d = parseDuration(v); } catch { d = 0n; } }
  else if (v instanceof GoTime) d = BigInt(Date.now() - v.ms) * 1000000n;
  else if (typeof v === 'bigint') d = v;
  else d = 0n;
  let u = d < 0n ? -d : d;
  const sec = 1000000000n; const minute = 60n * sec; const hour = 60n * minute; const day = 24n * hour; const month = 30n * day; const year = 365n * day;
  const table: [bigint, string][] = [[year, 'y'], [month, 'mo'], [day, 'd'], [hour, 'h'], [minute, 'm'], [sec, 's']];
  for (const [unit, name] of table) if (u >= unit) return (u / unit).toString() + name;
  u = 0n;
  return '0s';
}

const S = 'string' as const;

export const dateFuncs: FuncMap = {
  now: () => new GoTime(Date.now()),
  date: { fn: (f, d) => formatTime(toTime(d), f as string), params: [S, 'any'] },
  date_in_zone: { fn: (f, d, z) => formatTime(new GoTime(toTime(d).ms, zoneOrUTC(z as string)), f as string), params: [S, 'any', S] },
  dateInZone: { fn: (f, d, z) => formatTime(new GoTime(toTime(d).ms, zoneOrUTC(z as string)), f as string), params: [S, 'any', S] },
  htmlDate: (d) => formatTime(toTime(d), '2006-01-02'),
  htmlDateInZone: { fn: (d, z) => formatTime(new GoTime(toTime(d).ms, zoneOrUTC(z as string)), '2006-01-02'), params: ['any', S] },
  toDate: { fn: (f, s) => { try { return parseTime(f as string, s as string); } catch { return new GoTime(Date.UTC(1, 0, 1) , 'UTC'); } }, params: [S, S] },
  mustToDate: { fn: (f, s) => parseTime(f as string, s as string), params: [S, S] },
  unixEpoch: (d) => String(toTime(d).Unix()),
  duration: (v) => {
    const n = typeof v === 'bigint' ? v : typeof v === 'string' && /^[+-]?\d+$/.test(v) ? BigInt(v) : 0n;
    return durationString(n * 1000000000n);
  },
  durationRound: (v) => durationRound(v),
  ago: (d) => durationString(BigInt(Math.round((Date.now() - toTime(d).ms) / 1000)) * 1000000000n),
  dateModify: { fn: (f, d) => { try { const t = toTime(d); return new GoTime(t.ms + Number(parseDuration(f as string) / 1000000n), t.zone); } catch { return d; } }, params: [S, 'any'] },
  date_modify: { fn: (f, d) => { try { const t = toTime(d); return new GoTime(t.ms + Number(parseDuration(f as string) / 1000000n), t.zone); } catch { return d; } }, params: [S, 'any'] },
  mustDateModify: { fn: (f, d) => { const t = toTime(d); return new GoTime(t.ms + Number(parseDuration(f as string) / 1000000n), t.zone); }, params: [S, 'any'] },
  must_date_modify: { fn: (f, d) => { const t = toTime(d); return new GoTime(t.ms + Number(parseDuration(f as string) / 1000000n), t.zone); }, params: [S, 'any'] },
};

function zoneOrUTC(z: string): string {
  try { new Intl.DateTimeFormat('en-US', { timeZone: z }); return z === 'Local' ? localZone() : z; } catch { return 'UTC'; }
}
