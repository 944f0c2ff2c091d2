/**
 * Time as Kubernetes prints and reads it.
 *
 * - `formatTimestamp(date)`: metav1.Time on the wire, RFC 3339 in UTC with whole seconds
 *   (`2026-11-27T21:49:26Z`); `formatMicroTime(date)`: metav1.MicroTime (`...26.123456Z`).
 * - `parseTimestamp(text)`: RFC 3339 as Go's time.Parse reads it (offsets and fractions allowed);
 *   bad input throws StatusError BadRequest with Go's wording.
 * - `humanDuration(ms)` / `age(timestamp, now)`: kubectl's AGE column (duration.HumanDuration:
 *   `5s`, `3m2s`, `4h`, `2d5h`, `120d`, `3y45d`); `shortHumanDuration(ms)`.
 * - `parseGoDuration("1h30m")` / `formatGoDuration(ms)`: Go's time.Duration text (metav1.Duration).
 */
import { badRequest } from './errors.js';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function utcDate(d: Date): string {
  const y = d.getUTCFullYear();
  const year = y >= 0 && y <= 9999 ? pad(y, 4) : String(y);
  return `${year}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

const toDate = (t: Date | number): Date => (typeof t === 'number' ? new Date(t) : t);

/** metav1.Time JSON form: UTC, seconds precision (fractions are truncated, as upstream does). */
export function formatTimestamp(t: Date | number = Date.now()): string {
  return `${utcDate(toDate(t))}Z`;
}

/** metav1.MicroTime JSON form: UTC with exactly six fractional digits (JS clocks give milliseconds). */
export function formatMicroTime(t: Date | number = Date.now()): string {
  const d = toDate(t);
  return `${utcDate(d)}.${pad(d.getUTCMilliseconds(), 3)}000Z`;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Go's time.Parse(time.RFC3339, s); returns epoch milliseconds. Throws BadRequest. */
export function parseTimestamp(text: string): number {
  const m = RFC3339.exec(text);
  const fail = (): never => {
    throw badRequest(`parsing time ${JSON.stringify(text)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(text)} as "2006-01-02T15:04:05Z07:00"`);
  };
  if (!m) return fail();
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return fail();
  const daysInMonth = new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return fail();
  let ms = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s));
  // Date.UTC maps years 0..99 to 1900..1999; put them back.
  if (Number(y) < 100) ms = new Date(ms).setUTCFullYear(Number(y));
  if (frac) ms += Math.floor(Number(`0${frac}`) * 1000);
  if (zone && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const [oh, om] = zone.slice(1).split(':').map(Number);
    if (oh! > 23 || om! > 59) return fail();
    ms -= sign * (oh! * 60 + om!) * 60000;
  }
  return ms;
}

/** Whole seconds of a millisecond duration, truncated toward zero like Go's int(d.Seconds()). */
const wholeSeconds = (ms: number): number => Math.trunc(ms / 1000);

/** kubectl's AGE text (duration.HumanDuration): about two significant units. */
export function humanDuration(ms: number): string {
  const seconds = wholeSeconds(ms);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const dy = days % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}

/** duration.ShortHumanDuration: one unit only. */
export function shortHumanDuration(ms: number): string {
  const seconds = wholeSeconds(ms);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`;
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** The AGE of an object from its RFC 3339 timestamp; `<unknown>` when it has none, as kubectl prints. */
export function age(timestamp: string | undefined | null, now: number = Date.now()): string {
  if (!timestamp) return '<unknown>';
  let at: number;
  try {
    at = parseTimestamp(timestamp);
  } catch {
    return '<unknown>';
  }
  return humanDuration(now - at);
}

const UNIT_NANOS: Record<string, bigint> = {
  ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n,
};
const MAX_DURATION_NANOS = 2n ** 63n - 1n;

/** Go's time.ParseDuration ("1h30m", "1.5s", "-300ms"); returns milliseconds. Throws BadRequest with Go's text. */
export function parseGoDuration(text: string): number {
  const invalid = (): never => {
    throw badRequest(`time: invalid duration ${JSON.stringify(text)}`);
  };
  let s = text;
  let negative = false;
  if (s[0] === '-' || s[0] === '+') {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return invalid();
  let total = 0n;
  const term = /^([0-9]*)(?:\.([0-9]*))?([^0-9.]*)/;
  while (s !== '') {
    const m = term.exec(s)!;
    const [whole, intPart = '', fracPart, unit = ''] = m;
    if (intPart === '' && (fracPart === undefined || fracPart === '')) return invalid();
    if (unit === '') throw badRequest(`time: missing unit in duration ${JSON.stringify(text)}`);
    const perUnit = UNIT_NANOS[unit];
    if (perUnit === undefined) throw badRequest(`time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(text)}`);
    let nanos = BigInt(intPart || '0') * perUnit;
    if (fracPart) {
      const scale = 10n ** BigInt(fracPart.length);
      nanos += (BigInt(fracPart) * perUnit) / scale;
    }
    total += nanos;
    if (total > MAX_DURATION_NANOS) return invalid();
    s = s.slice(whole.length);
  }
  const ms = Number(total) / 1e6;
  return negative ? -ms : ms;
}

/** Go's Duration.String() for a millisecond duration: "1h30m0s", "1.5s", "300ms", "0s". */
export function formatGoDuration(ms: number): string {
  let nanos = BigInt(Math.round(ms * 1e6));
  if (nanos === 0n) return '0s';
  const sign = nanos < 0n ? '-' : '';
  if (nanos < 0n) nanos = -nanos;
  const fraction = (value: bigint, unitNanos: bigint): string => {
    const whole = value / unitNanos;
    const rest = value % unitNanos;
    if (rest === 0n) return String(whole);
    const digits = String(unitNanos).length - 1;
    return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`;
  };
  if (nanos < 1000n) return `${sign}${nanos}ns`;
  if (nanos < 1_000_000n) return `${sign}${fraction(nanos, 1000n)}µs`;
  if (nanos < 1_000_000_000n) return `${sign}${fraction(nanos, 1_000_000n)}ms`;
  const hours = nanos / 3_600_000_000_000n;
  const minutes = (nanos / 60_000_000_000n) % 60n;
  const seconds = fraction(nanos % 60_000_000_000n, 1_000_000_000n);
  if (hours > 0n) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0n) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}
