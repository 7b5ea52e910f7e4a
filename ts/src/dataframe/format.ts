/**
 * Value formatting as Spark prints it (show(), cast to string, CSV): Java's Double.toString /
 * Float.toString, ISO dates, and timestamps as `yyyy-MM-dd HH:mm:ss[.SSSSSS]` in UTC.
 */

/** Java's Double.toString: 1.0, 0.001, 1.0E7, 1.0E-4, NaN, Infinity, -0.0 (shortest round-trip digits). */
export function javaDoubleString(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(x);
    return s.includes('.') ? s : `${s}.0`;
  }
  return sci(x.toExponential());
}

function sci(e: string): string {
  const [mant, exp] = e.split('e') as [string, string];
  const m = mant.includes('.') ? mant : `${mant}.0`;
  return `${m}E${exp.startsWith('+') ? exp.slice(1) : exp}`;
}

/** Java's Float.toString for a float32 value: the shortest digits that round-trip through float32. */
export function javaFloatString(x: number): string {
  if (!Number.isFinite(x) || x === 0) return javaDoubleString(x);
  let digits = '';
  for (let p = 1; p <= 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) {
      digits = s;
      break;
    }
  }
  const v = Number(digits || String(x));
  const abs = Math.abs(v);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(v);
    return s.includes('.') ? s : `${s}.0`;
  }
  const p = digits.replace(/e.*$/, '').replace('-', '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length || 1;
  return sci(v.toExponential(Math.max(0, p - 1)));
}

export function dateString(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

/** Spark's timestamp rendering: seconds always, fraction only when non-zero (trailing zeros trimmed). */
export function timestampString(micros: bigint): string {
  let sec = micros / 1_000_000n;
  let frac = micros % 1_000_000n;
  if (frac < 0n) {
    frac += 1_000_000n;
    sec -= 1n;
  }
  const iso = new Date(Number(sec) * 1000).toISOString();
  const base = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  if (frac === 0n) return base;
  return `${base}.${String(frac).padStart(6, '0').replace(/0+$/, '')}`;
}
