/**
 * Value formatting as Spark prints it (show(), cast to string, CSV): Java's Double.toString /
 * Float.toString, ISO dates, and timestamps as `yyyy-MM-dd HH:mm:ss[.SSSSSS]` in UTC.
 */

// Java's Double.toString / Float.toString (shortest digits, JDK 19+ rules) live with the CSV
// writer, their first user; show() and cast-to-string use the same functions.
export { javaDoubleString, javaFloatString } from '../io/text-common/java-format.js';

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
