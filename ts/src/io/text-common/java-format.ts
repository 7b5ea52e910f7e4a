/**
 * Java's Double.toString and Float.toString (shortest round-trip digits, `1.0`, `1.0E7`,
 * `1.0E-4`, `NaN`, `Infinity`): how Spark writes floating-point values to CSV and JSON and casts
 * them to strings. Everything that prints a double imports it from here: the text writers,
 * show() and casts (dataframe/), and ML's vectors, persistence, evaluators and FP-growth.
 * Follows shared/ARCHITECTURE.md ("CSV with Spark's read options and modes").
 */

function shortestDigits(x: number, float32: boolean): [string, number] {
  let e: string;
  if (float32) {
    e = x.toExponential(8);
    for (let p = 0; p <= 8; p++) {
      const cand = x.toExponential(p);
      if (Math.fround(Number(cand)) === x) {
        e = cand;
        break;
      }
    }
  } else e = x.toExponential();
  // Java (Double/Float.toString): when one digit suffices, the closest decimal of two digits is used
  if (e.indexOf('.') < 0) {
    const two = x.toExponential(1);
    if ((float32 ? Math.fround(Number(two)) : Number(two)) === x) e = two;
  }
  const k0 = e.indexOf('e');
  if (e[k0 - 1] === '0' && e[k0 - 2] === '.') e = e.slice(0, k0 - 2) + e.slice(k0);
  const k = e.indexOf('e');
  return [e.slice(0, k).replace('.', ''), Number(e.slice(k + 1))];
}

function javaFloating(x: number, float32: boolean): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const ax = Math.abs(x);
  const [digits, exp] = shortestDigits(ax, float32);
  if (ax >= 1e-3 && ax < 1e7) {
    if (exp >= 0) {
      const int = digits.length > exp + 1 ? digits.slice(0, exp + 1) : digits.padEnd(exp + 1, '0');
      const frac = digits.slice(exp + 1);
      return `${sign}${int}.${frac === '' ? '0' : frac}`;
    }
    return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return `${sign}${digits[0]}.${digits.length > 1 ? digits.slice(1) : '0'}E${exp}`;
}

/** Java's Double.toString: `1.0`, `0.001`, `1.0E7`, `1.0E-4`, `NaN`, `Infinity` (shortest round-trip digits). */
export function javaDoubleString(x: number): string {
  return javaFloating(x, false);
}

/** Java's Float.toString of a float32 value. */
export function javaFloatString(x: number): string {
  return javaFloating(Math.fround(x), true);
}
