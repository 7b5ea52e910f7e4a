/**
 * What `console.log` / `util.inspect` print for linear-algebra values: PySpark's reprs
 * (pyspark/ml/linalg/__init__.py), e.g. `DenseVector([1.0, 2.5])`, `SparseVector(4, {1: 1.0})`,
 * `DenseMatrix(2, 2, [1.0, 2.0, 3.0, 4.0], False)`: floats rounded to 4 digits as PySpark's
 * _format_float, and long lists cut to their first and last 8 entries as its matrices do.
 * `toString()` stays Spark's (Scala) text, as Spark prints in show() and files.
 */

/** Python's str() of a float. */
export function pyFloat(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e16 || a < 1e-4)) return v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  const s = String(v);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** PySpark's _format_float: rounded to 4 decimal digits, then cut after them. */
export function formatFloat(v: number, digits = 4): string {
  const r = Number.isFinite(v) ? Math.round(v * 10 ** digits) / 10 ** digits : v;
  const s = pyFloat(Object.is(r, -0) ? 0 : r);
  const dot = s.indexOf('.');
  return dot >= 0 && !s.includes('e') ? s.slice(0, dot + 1 + digits) : s;
}

/** PySpark's list of floats, long ones cut to the first and last 8 (as its matrix reprs). */
export function formatFloatList(values: ArrayLike<number>, cut = true): string {
  const all = Array.from(values, (v) => formatFloat(v));
  return (cut && all.length > 16 ? [...all.slice(0, 8), '...', ...all.slice(-8)] : all).join(', ');
}

export function formatIntList(values: ArrayLike<number>): string {
  const all = Array.from(values, String);
  return (all.length > 16 ? [...all.slice(0, 8), '...', ...all.slice(-8)] : all).join(', ');
}
