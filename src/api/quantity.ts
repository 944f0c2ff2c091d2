/**
 * resource.Quantity parsing and canonical form, as upstream's apimachinery prints quantities:
 * no precision lost, no fractional digits, the largest suffix that keeps the number whole
 * (`1000m` -> `1`, `0.5` -> `500m`, `2048Mi` -> `2Gi`, `1.5Gi` -> `1536Mi`, `2000` -> `2k`).
 * Binary suffixes are kept only for whole values of at least 1024; precision finer than nano is
 * rounded up. Values are exact (BigInt nano units).
 *
 * `canonicalQuantity(text, {milli})` returns the canonical string, or undefined when the text is not
 * a quantity. `milli` also rounds up to milli precision, as SetDefaults_ResourceList does.
 */

type Format = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

const QUANTITY = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?[0-9]+))?$/;
const DECIMAL_EXP: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_POW: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const BINARY_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const DECIMAL_SUFFIX: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const NANO = 10n ** 9n;

export interface ParsedQuantity {
  /** The value in nano units (value * 10^9), rounded up. */
  nanos: bigint;
  format: Format;
}

const ceilDiv = (a: bigint, b: bigint): bigint => (a % b === 0n ? a / b : a / b + (a > 0n ? 1n : 0n));

export function parseQuantity(text: string): ParsedQuantity | undefined {
  const m = QUANTITY.exec(text);
  if (!m) return undefined;
  const [, sign, whole, frac = '', suffix = '', exp] = m;
  if (whole === '' && frac === '') return undefined;
  if (exp !== undefined && Math.abs(Number(exp)) > 40) return undefined;
  const digits = BigInt(`${whole}${frac}` || '0');
  let num = digits * NANO;
  let den = 10n ** BigInt(frac.length);
  let format: Format = 'DecimalSI';
  if (exp !== undefined) {
    format = 'DecimalExponent';
    const e = Number(exp);
    if (e >= 0) num *= 10n ** BigInt(e);
    else den *= 10n ** BigInt(-e);
  } else if (suffix in BINARY_POW) {
    format = 'BinarySI';
    num *= 1024n ** BigInt(BINARY_POW[suffix]);
  } else {
    const e = DECIMAL_EXP[suffix];
    if (e >= 0) num *= 10n ** BigInt(e);
    else den *= 10n ** BigInt(-e);
  }
  const nanos = ceilDiv(num, den);
  return { nanos: sign === '-' ? -nanos : nanos, format };
}

/** Upstream CanonicalizeBytes for a parsed quantity. */
export function formatQuantity(q: ParsedQuantity): string {
  if (q.nanos === 0n) return '0';
  const sign = q.nanos < 0n ? '-' : '';
  const abs = q.nanos < 0n ? -q.nanos : q.nanos;
  if (q.format === 'BinarySI' && abs % NANO === 0n && abs >= 1024n * NANO) {
    let n = abs / NANO;
    let k = 0;
    while (k < 6 && n % 1024n === 0n) {
      n /= 1024n;
      k++;
    }
    return `${sign}${n}${BINARY_SUFFIX[k]}`;
  }
  // Decimal: the largest exponent (a multiple of 3, from -9) that keeps the mantissa whole.
  let e = -9;
  let n = abs;
  while (e < 18 && n % 1000n === 0n) {
    n /= 1000n;
    e += 3;
  }
  if (q.format === 'DecimalExponent') return e === 0 ? `${sign}${n}` : `${sign}${n}e${e}`;
  return `${sign}${n}${DECIMAL_SUFFIX[e]}`;
}

const MILLI_IN_NANOS = 10n ** 6n;

/** Canonical text of a quantity (string or JSON number), or undefined when it does not parse. */
export function canonicalQuantity(value: string | number, opts: { milli?: boolean } = {}): string | undefined {
  const text = typeof value === 'number' ? numberText(value) : value.trim();
  const q = parseQuantity(text);
  if (!q) return undefined;
  if (opts.milli && q.nanos % MILLI_IN_NANOS !== 0n) q.nanos = ceilDiv(q.nanos, MILLI_IN_NANOS) * MILLI_IN_NANOS;
  return formatQuantity(q);
}

/** JSON numbers as Go's decoder hands them to Quantity: plain digits, or an exponent form. */
function numberText(n: number): string {
  const s = String(n);
  return s.includes('e') ? s.replace('e+', 'e') : s;
}
