/**
 * Spark's lenient date and timestamp parsing, used when no dateFormat / timestampFormat is
 * given (DateTimeUtils.stringToDate and stringToTimestamp, session time zone UTC).
 * Follows shared/ARCHITECTURE.md ("CSV with Spark's read options and modes"); the calendar
 * arithmetic is in calendar.ts.
 */
import { DIG_VALUE, MICROS_PER_DAY, MICROS_PER_SECOND, daysFromCivil, readDigits, readYear, trimSpark, validDate } from './calendar.js';

// How many year digits Spark accepts (DateTimeUtils.stringToDate / parseTimestampString's
// isValidDigits): the limit follows what holds the result. A date is an Int of days, enough for
// ±5 million years, so 7 digits; a timestamp is a Long of microseconds, about ±290 thousand
// years, so 6.
const DATE_YEAR_DIGITS = 7;
const TIMESTAMP_YEAR_DIGITS = 6;
// Past these Spark's conversions fail (localDateToDays' toIntExact, instantToMicros'
// multiplyExact) and the parsers give null (a timestamp within a double's spacing, 1024 µs, of
// the Long bounds may be refused: the number cannot hold it).
const MIN_INT = -(2 ** 31);
const MAX_INT = 2 ** 31 - 1;
const LONG_BOUND = 2 ** 63;

/**
 * @internal Spark's lenient DateTimeUtils.stringToDate (used when no dateFormat is given):
 * `[+-]yyyy[-[m]m[-[d]d]]`, optionally followed by ' ' or 'T' and anything. Days or null.
 */
export function sparkStringToDate(str: string): number | null {
  const s = trimSpark(str);
  let i = readYear(s, 0, DATE_YEAR_DIGITS);
  if (i < 0) return null;
  const y = DIG_VALUE;
  let m = 1;
  let d = 1;
  if (i < s.length) {
    if (s[i] !== '-') return null;
    const ms = i + 1;
    i = readDigits(s, ms, 2);
    if (DIG_VALUE < 0) return null;
    m = DIG_VALUE;
    if (i < s.length) {
      if (s[i] !== '-') return null;
      i = readDigits(s, i + 1, 2);
      if (DIG_VALUE < 0) return null;
      d = DIG_VALUE;
      if (i < s.length && s[i] !== ' ' && s[i] !== 'T') return null;
    }
  }
  if (!validDate(y, m, d)) return null;
  const days = daysFromCivil(y, m, d);
  return days >= MIN_INT && days <= MAX_INT ? days : null;
}

/** Parses a zone suffix ('Z', 'UTC', 'GMT+1', '+01:00', '-0530', ...): offset seconds, or NaN. */
function parseZone(s: string, i: number): number {
  if (i >= s.length) return 0;
  let rest = s.slice(i);
  if (rest === 'Z') return 0;
  const named = /^(UTC|GMT|UT)/.exec(rest);
  if (named) {
    rest = rest.slice(named[0].length);
    if (rest === '') return 0;
  }
  const m = /^([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(rest);
  if (!m) return NaN;
  const h = Number(m[2]);
  const mi = m[3] ? Number(m[3]) : 0;
  const se = m[4] ? Number(m[4]) : 0;
  if (h > 18 || mi > 59 || se > 59) return NaN;
  return (m[1] === '-' ? -1 : 1) * (h * 3600 + mi * 60 + se);
}

/**
 * @internal Spark's default timestamp parsing (DateTimeUtils.stringToTimestamp), in UTC:
 * `[+-]yyyy[-[m]m[-[d]d[( |T)[h]h:[m]m[:[s]s[.fraction]][zone]]]]`. Microseconds or null.
 */
export function sparkStringToTimestamp(str: string): number | null {
  const s = trimSpark(str);
  let i = readYear(s, 0, TIMESTAMP_YEAR_DIGITS);
  if (i < 0) return null;
  const y = DIG_VALUE;
  let mo = 1;
  let d = 1;
  let h = 0;
  let mi = 0;
  let se = 0;
  let us = 0;
  let off = 0;
  const done = () => {
    if (!(validDate(y, mo, d) && h < 24 && mi < 60 && se < 60 && !Number.isNaN(off))) return null;
    const micros = daysFromCivil(y, mo, d) * MICROS_PER_DAY + ((h * 60 + mi) * 60 + se - off) * MICROS_PER_SECOND + us;
    return micros >= -LONG_BOUND && micros < LONG_BOUND ? micros : null;
  };
  if (i >= s.length) return done();
  if (s[i] !== '-') return null;
  i = readDigits(s, i + 1, 2);
  if (DIG_VALUE < 0) return null;
  mo = DIG_VALUE;
  if (i >= s.length) return done();
  if (s[i] !== '-') return null;
  i = readDigits(s, i + 1, 2);
  if (DIG_VALUE < 0) return null;
  d = DIG_VALUE;
  if (i >= s.length) return done();
  if (s[i] !== ' ' && s[i] !== 'T') return null;
  i++;
  if (i >= s.length) return done();
  i = readDigits(s, i, 2);
  if (DIG_VALUE < 0 || s[i] !== ':') return null;
  h = DIG_VALUE;
  i = readDigits(s, i + 1, 2);
  if (DIG_VALUE < 0) return null;
  mi = DIG_VALUE;
  if (s[i] === ':') {
    i = readDigits(s, i + 1, 2);
    if (DIG_VALUE < 0) return null;
    se = DIG_VALUE;
    if (s[i] === '.') {
      const fs = i + 1;
      let k = fs;
      while (k < s.length && s.charCodeAt(k) >= 48 && s.charCodeAt(k) <= 57) k++;
      if (k === fs || k - fs > 9) return null;
      const frac = s.slice(fs, Math.min(k, fs + 6)).padEnd(6, '0');
      us = Number(frac);
      i = k;
    }
  }
  while (s[i] === ' ') i++;
  off = parseZone(s, i);
  return done();
}
