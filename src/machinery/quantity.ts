/**
 * resource.Quantity as upstream's k8s.io/apimachinery/pkg/api/resource parses and prints it.
 *
 * `parseQuantity("1.5Gi")` reads decimal SI (n u m "" k M G T P E), binary SI (Ki..Ei) and decimal
 * exponents (1e3, 1E-3) exactly (BigInt mantissa x 10^exponent), rounds anything finer than 1n up,
 * caps binary values at 2^63-1, and throws StatusError BadRequest with upstream's messages.
 * `quantityToString(q)` is upstream's String(): the input itself when it was already canonical
 * ("100m", "1Gi"), otherwise the canonical form ("1000m" -> "1", "1.5Gi" -> "1536Mi", "0.5" -> "500m",
 * "1000" -> "1k"). Also: compare, add, subtract, Value() and MilliValue() (rounded away from zero),
 * and an approximate float.
 */
import { badRequest, type StatusError } from './errors.js';

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** value = mantissa x 10^exponent, mantissa without trailing zeros (0 has exponent 0). */
export interface Quantity {
  mantissa: bigint;
  exponent: number;
  format: QuantityFormat;
  /** The input string when upstream would keep it verbatim. */
  original?: string;
}

export const QUANTITY_REGEX = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
export const ERR_FORMAT_WRONG = `quantities must match the regular expression '${QUANTITY_REGEX}'`;
export const ERR_NUMERIC = 'unable to parse numeric part of quantity';
export const ERR_SUFFIX = "unable to parse quantity's suffix";
/** Longest input we do exact arithmetic on; longer strings are refused as non-numeric. */
const MAX_QUANTITY_LENGTH = 4096;
const MAX_INT64 = 2n ** 63n - 1n;

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_BY_EXPONENT = new Map(Object.entries(BINARY_SUFFIXES).map(([s, e]) => [e, s]));

interface Scanned { positive: boolean; value: string; num: string; denom: string; suffix: string }

/** Upstream's parseQuantityString: sign, numerator (leading zeros dropped), fraction, suffix. */
function scan(str: string): Scanned | undefined {
  let pos = 0;
  let positive = true;
  if (str[0] === '-' || str[0] === '+') {
    positive = str[0] === '+';
    pos++;
  }
  while (pos < str.length && str[pos] === '0') pos++;
  if (pos >= str.length) return { positive, value: '0', num: '0', denom: '', suffix: '' };
  const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
  let i = pos;
  while (isDigit(str[i])) i++;
  const num = str.slice(pos, i) || '0';
  let denom = '';
  if (str[i] === '.') {
    const start = ++i;
    while (isDigit(str[i])) i++;
    denom = str.slice(start, i);
  }
  const value = str.slice(0, i);
  const suffixStart = i;
  while (i < str.length && 'eEinumkKMGTP'.includes(str[i]!)) i++;
  if (str[i] === '-' || str[i] === '+') i++;
  while (isDigit(str[i])) i++;
  if (i < str.length) return undefined;
  return { positive, value, num, denom, suffix: str.slice(suffixStart) };
}

/** The suffix's base, exponent and format (quantitySuffixer.interpret). */
function interpret(suffix: string): { base: 10 | 2; exponent: number; format: QuantityFormat } | undefined {
  if (suffix in DECIMAL_SUFFIXES) return { base: 10, exponent: DECIMAL_SUFFIXES[suffix]!, format: 'DecimalSI' };
  if (suffix in BINARY_SUFFIXES) return { base: 2, exponent: BINARY_SUFFIXES[suffix]!, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?[0-9]+$/.test(suffix.slice(1))) {
    const big = BigInt(suffix.slice(1));
    if (big > MAX_INT64 || big < -MAX_INT64 - 1n) return undefined;
    return { base: 10, exponent: Number(BigInt.asIntN(32, big)), format: 'DecimalExponent' };
  }
  return undefined;
}

const abs = (x: bigint): bigint => (x < 0n ? -x : x);
const digits = (x: bigint): number => (x === 0n ? 0 : abs(x).toString().length);

function normalize(mantissa: bigint, exponent: number): { mantissa: bigint; exponent: number } {
  if (mantissa === 0n) return { mantissa, exponent: 0 };
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  return { mantissa, exponent };
}

/** Compares |a| and |b| without expanding huge exponents. */
function compareMagnitude(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const ma = abs(a.mantissa);
  const mb = abs(b.mantissa);
  if (ma === 0n || mb === 0n) return ma === mb ? 0 : ma === 0n ? -1 : 1;
  const la = digits(ma) + a.exponent;
  const lb = digits(mb) + b.exponent;
  if (la !== lb) return la < lb ? -1 : 1;
  const e = Math.min(a.exponent, b.exponent);
  const xa = ma * 10n ** BigInt(a.exponent - e);
  const xb = mb * 10n ** BigInt(b.exponent - e);
  return xa < xb ? -1 : xa > xb ? 1 : 0;
}

/** True when upstream's int64 fast path applies and keeps the input string as the canonical form. */
function keepsOriginal(s: Scanned, base: 10 | 2, exponent: number): boolean {
  if (base === 10) {
    const scale = exponent - s.denom.length;
    if (18 - (s.num.length + s.denom.length) < 0 || scale < -9) return false;
    const shifted = s.num + s.denom;
    return scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
  }
  if (s.denom.length !== 0 || 15 - s.num.length - Math.trunc((exponent * 3) / 10) - 1 < 0) return false;
  const value = BigInt(s.num);
  if (abs(value << BigInt(exponent)) > MAX_INT64) return false;
  return exponent % 10 === 0 && (value & 7n) !== 0n;
}

function quantityError(message: string): StatusError {
  return badRequest(message);
}

/** Upstream ParseQuantity. Throws StatusError BadRequest with upstream's error text. */
export function parseQuantity(str: string): Quantity {
  if (str.length === 0) throw quantityError(ERR_FORMAT_WRONG);
  if (str === '0') return { mantissa: 0n, exponent: 0, format: 'DecimalSI', original: str };
  if (str.length > MAX_QUANTITY_LENGTH) throw quantityError(ERR_NUMERIC);
  const s = scan(str);
  if (!s) throw quantityError(ERR_FORMAT_WRONG);
  const suffix = interpret(s.suffix);
  if (!suffix) throw quantityError(ERR_SUFFIX);
  const { format } = suffix;
  const fast = keepsOriginal(s, suffix.base, suffix.exponent);
  const fastPathPossible =
    suffix.base === 10 ? 18 - (s.num.length + s.denom.length) >= 0 && suffix.exponent - s.denom.length >= -9 : s.denom.length === 0;
  if (!fastPathPossible && !/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$/.test(s.value)) throw quantityError(ERR_NUMERIC);
  const unscaled = BigInt(s.num + s.denom) * (s.positive ? 1n : -1n);
  let q = suffix.base === 10
    ? normalize(unscaled, suffix.exponent - s.denom.length)
    : normalize(unscaled << BigInt(suffix.exponent), -s.denom.length);
  // Round anything finer than 1n up (away from zero), as upstream does for its slow path.
  if (q.exponent < -9) {
    const drop = -9 - q.exponent;
    const m = abs(q.mantissa);
    let kept = drop > digits(m) ? 0n : m / 10n ** BigInt(drop);
    kept += 1n; // q was normalized, so digits were dropped: never exact
    q = normalize(q.mantissa < 0n ? -kept : kept, -9);
  }
  const result: Quantity = { ...q, format };
  if (format === 'BinarySI') {
    const cap: Quantity = { mantissa: MAX_INT64, exponent: 0, format };
    if (compareMagnitude(result, cap) > 0) Object.assign(result, normalize(result.mantissa < 0n ? -MAX_INT64 : MAX_INT64, 0));
    const one: Quantity = { mantissa: 1n, exponent: 0, format };
    if (result.mantissa !== 0n && compareMagnitude(result, one) < 0) result.format = 'DecimalSI';
  }
  if (fast) result.original = str;
  return result;
}

/** Parses, or returns upstream's error text. For validators that collect messages. */
export function quantityParseError(str: string): string | undefined {
  try {
    parseQuantity(str);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Upstream Quantity.String(): the kept input, or CanonicalizeBytes. */
export function quantityToString(q: Quantity): string {
  if (q.original !== undefined) return q.original;
  if (q.mantissa === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    const small = compareMagnitude(q, { mantissa: 1024n, exponent: 0, format }) < 0;
    if (small || q.exponent < 0) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let value = q.mantissa * 10n ** BigInt(q.exponent);
    let power = 0;
    while (abs(value) >= 1024n && value % 1024n === 0n) {
      value /= 1024n;
      power += 10;
    }
    return `${value}${BINARY_BY_EXPONENT.get(power) ?? ''}`;
  }
  const shift = ((q.exponent % 3) + 3) % 3;
  const mantissa = q.mantissa * 10n ** BigInt(shift);
  const exponent = q.exponent - shift;
  const si = format === 'DecimalSI' ? DECIMAL_BY_EXPONENT.get(exponent) : undefined;
  const suffix = si ?? (exponent === 0 ? '' : `e${exponent}`);
  return `${mantissa}${suffix}`;
}

/** parse + String(): the form the API server stores and returns. */
export function canonicalQuantity(str: string): string {
  return quantityToString(parseQuantity(str));
}

/** A JSON field value as upstream's UnmarshalJSON reads it (null -> 0, numbers as their text). */
export function parseQuantityValue(v: unknown): Quantity {
  if (v === null || v === undefined) return { mantissa: 0n, exponent: 0, format: 'DecimalSI' };
  if (typeof v === 'number' && Number.isFinite(v)) return parseQuantity(String(v));
  if (typeof v === 'string') return parseQuantity(v.trim());
  throw badRequest(ERR_FORMAT_WRONG);
}

export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const sa = a.mantissa < 0n ? -1 : a.mantissa > 0n ? 1 : 0;
  const sb = b.mantissa < 0n ? -1 : b.mantissa > 0n ? 1 : 0;
  if (sa !== sb) return sa < sb ? -1 : 1;
  const m = compareMagnitude(a, b);
  return (sa < 0 ? -m : m) as -1 | 0 | 1;
}

/** Exponent spread beyond which exact sums would need absurdly large integers. */
const MAX_EXPONENT_SPREAD = 10000;

function combine(a: Quantity, b: Quantity, sign: 1n | -1n): Quantity {
  if (a.mantissa === 0n) return { ...normalize(sign * b.mantissa, b.exponent), format: b.format };
  if (b.mantissa === 0n) return { mantissa: a.mantissa, exponent: a.exponent, format: a.format };
  if (Math.abs(a.exponent - b.exponent) > MAX_EXPONENT_SPREAD) throw badRequest('quantity out of range');
  const e = Math.min(a.exponent, b.exponent);
  const sum = a.mantissa * 10n ** BigInt(a.exponent - e) + sign * b.mantissa * 10n ** BigInt(b.exponent - e);
  return { ...normalize(sum, e), format: a.mantissa === 0n ? b.format : a.format };
}

/** a + b; the format is a's (b's when a is zero), as Quantity.Add. */
export const addQuantities = (a: Quantity, b: Quantity): Quantity => combine(a, b, 1n);
/** a - b, as Quantity.Sub. */
export const subQuantities = (a: Quantity, b: Quantity): Quantity => combine(a, b, -1n);

/** The value at 10^-scale as an integer, rounded away from zero (ScaledValue). */
function scaledValue(q: Quantity, scale: number): number {
  const e = q.exponent + scale;
  const m = abs(q.mantissa);
  if (m === 0n) return 0;
  if (digits(m) + e > 400) return q.mantissa < 0n ? -Infinity : Infinity;
  if (e >= 0) return Number(q.mantissa * 10n ** BigInt(e));
  if (-e > digits(m)) return q.mantissa < 0n ? -1 : 1;
  const d = 10n ** BigInt(-e);
  const v = m / d + (m % d === 0n ? 0n : 1n);
  return Number(q.mantissa < 0n ? -v : v);
}

/** Quantity.Value(): whole units, rounded away from zero. */
export const quantityValue = (q: Quantity): number => scaledValue(q, 0);
/** Quantity.MilliValue(): thousandths, rounded away from zero (CPU "250m" -> 250). */
export const toMilli = (q: Quantity): number => scaledValue(q, 3);
/** An approximate float (AsApproximateFloat64). */
export const toNumber = (q: Quantity): number => Number(`${q.mantissa}e${q.exponent}`);
export const isZeroQuantity = (q: Quantity): boolean => q.mantissa === 0n;
