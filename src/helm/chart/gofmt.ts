/**
 * Go's `%v` formatting of a float64 (strconv 'g' with shortest precision, exponent when the
 * decimal exponent is < -4 or >= 21, two-digit exponents like `1e+21`), optionally with English
 * digit grouping as golang.org/x/text/message applies to numbers.
 */
export function formatGoFloat(v: number, grouped = false): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(v)));
  const shortest = v.toExponential().replace(/e.*$/, '');
  const digitsExp = Number(v.toExponential().split('e')[1]);
  const e = Number.isFinite(digitsExp) ? digitsExp : exp;
  if (e < -4 || e >= 21) {
    const sign = e < 0 ? '-' : '+';
    const abs = Math.abs(e);
    return `${shortest}e${sign}${abs < 10 ? '0' + abs : abs}`;
  }
  const plain = v.toString().includes('e') ? v.toFixed(Math.max(0, -e + (shortest.replace(/[-.]/g, '').length - 1))) : v.toString();
  return grouped ? groupDigits(plain) : plain;
}

function groupDigits(s: string): string {
  const neg = s.startsWith('-');
  const body = neg ? s.slice(1) : s;
  const [int, frac] = body.split('.');
  const g = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (neg ? '-' : '') + g + (frac !== undefined ? '.' + frac : '');
}
