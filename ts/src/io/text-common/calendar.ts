/**
 * The proleptic Gregorian calendar in day numbers (days since 1970-01-01, as Arrow's DateDay
 * and Spark's DateType store them) and the digit scanner the date/time parsers share.
 * Used by datetime-lenient.ts and datetime-patterns.ts; timestamps are UTC microseconds.
 * Follows shared/ARCHITECTURE.md (Data: dates as days, timestamps as µs).
 */

export const MICROS_PER_SECOND = 1_000_000;
export const MICROS_PER_DAY = 86_400_000_000;
export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const WEEKDAYS = ['Thursday', 'Friday', 'Saturday', 'Sunday', 'Monday', 'Tuesday', 'Wednesday']; // day 0 = 1970-01-01

/** @internal Days since 1970-01-01 of a proleptic Gregorian date. */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** @internal [year, month, day] of days since 1970-01-01. */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** True when y-m-d is a real date of the proleptic Gregorian calendar. */
export function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const dim = m === 2 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= dim;
}

/** Spark's UTF8String.trim: drops the bytes <= ' ' at both ends. */
export function trimSpark(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 32) a++;
  while (b > a && s.charCodeAt(b - 1) <= 32) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

// Reads digits at s[i..]: sets DIG_VALUE and returns the index after them (DIG_VALUE = -1 when none).
// (An exported `let`: importers read the live binding right after calling readDigits.)
export let DIG_VALUE = 0;
export function readDigits(s: string, i: number, max: number): number {
  let v = 0;
  let k = 0;
  while (k < max && i < s.length) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
    i++;
    k++;
  }
  DIG_VALUE = k === 0 ? -1 : v;
  return i;
}

/**
 * Reads Spark's `[+-]yyyy…` year at s[i..]: an optional sign, then 4 to `maxDigits` digits. Sets
 * DIG_VALUE to the signed year (which may be negative) and returns the index after the digits, or
 * -1 when there is no such year (DIG_VALUE is then meaningless).
 */
export function readYear(s: string, i: number, maxDigits: number): number {
  let sign = 1;
  if (s[i] === '+' || s[i] === '-') {
    sign = s[i] === '-' ? -1 : 1;
    i++;
  }
  const start = i;
  i = readDigits(s, i, maxDigits);
  if (i - start < 4) return -1;
  DIG_VALUE *= sign;
  return i;
}
