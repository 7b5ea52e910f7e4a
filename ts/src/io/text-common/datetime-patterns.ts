/**
 * Spark/Java datetime patterns (the common subset of DateTimeFormatter letters: y M L d H h k K
 * a m s S E X x Z z V G, quoted literals and [optional] sections): compile once, then parse to or
 * format from UTC microseconds. Also the read-side parsers (pattern, or Spark's lenient default
 * from datetime-lenient.ts) and the write-side formatters both text sources build from their
 * dateFormat / timestampFormat options.
 * Follows shared/ARCHITECTURE.md ("CSV with Spark's read options and modes").
 */
import { Errors } from '../../errors.js';
import { DIG_VALUE, MICROS_PER_DAY, MICROS_PER_SECOND, MONTHS, WEEKDAYS, civilFromDays, daysFromCivil, readDigits, validDate } from './calendar.js';
import { sparkStringToDate, sparkStringToTimestamp } from './datetime-lenient.js';

/** @internal A compiled datetime pattern (the common subset of Java's DateTimeFormatter letters). */
export interface DateTimePattern {
  readonly source: string;
  readonly tokens: readonly PatToken[];
}
type PatToken = { t: 'lit'; s: string } | { t: 'f'; c: string; n: number } | { t: 'opt'; toks: PatToken[] };

const PATTERN_LETTERS = 'yMLdHhkKamsSEXxZzVG';

/** @internal Compiles a datetime pattern; unknown letters throw naming the option. */
export function compilePattern(api: string, option: string, pattern: string): DateTimePattern {
  const stack: PatToken[][] = [[]];
  let i = 0;
  const bad = (what: string) => Errors.invalidArg(api, `option ${option}`, `a datetime pattern (${what})`, pattern);
  while (i < pattern.length) {
    const c = pattern[i]!;
    const cur = stack[stack.length - 1]!;
    if (c === "'") {
      const j = pattern.indexOf("'", i + 1);
      if (j < 0) throw bad('unterminated quote');
      cur.push({ t: 'lit', s: j === i + 1 ? "'" : pattern.slice(i + 1, j) });
      i = j + 1;
    } else if (c === '[') {
      stack.push([]);
      i++;
    } else if (c === ']') {
      if (stack.length === 1) throw bad("unbalanced ']'");
      const toks = stack.pop()!;
      stack[stack.length - 1]!.push({ t: 'opt', toks });
      i++;
    } else if (/[A-Za-z]/.test(c)) {
      if (!PATTERN_LETTERS.includes(c)) throw bad(`unsupported letter '${c}'; supported: ${PATTERN_LETTERS.split('').join(' ')}`);
      let j = i;
      while (j < pattern.length && pattern[j] === c) j++;
      cur.push({ t: 'f', c, n: j - i });
      i = j;
    } else {
      cur.push({ t: 'lit', s: c });
      i++;
    }
  }
  if (stack.length !== 1) throw bad("unbalanced '['");
  return { source: pattern, tokens: stack[0]! };
}

interface PState { y: number; M: number; d: number; H: number; h12: number; pm: number; m: number; s: number; us: number; off: number }
const NUMERIC = 'yMLdHhkKmsS';

function parseToks(toks: readonly PatToken[], s: string, pos: number, st: PState): number {
  for (let k = 0; k < toks.length; k++) {
    const tok = toks[k]!;
    if (tok.t === 'lit') {
      if (s.slice(pos, pos + tok.s.length).toLowerCase() !== tok.s.toLowerCase()) return -1;
      pos += tok.s.length;
      continue;
    }
    if (tok.t === 'opt') {
      const saved = { ...st };
      const r = parseToks(tok.toks, s, pos, st);
      if (r < 0) Object.assign(st, saved);
      else pos = r;
      continue;
    }
    const { c, n } = tok;
    const next = toks[k + 1];
    const adjacent = next !== undefined && next.t === 'f' && NUMERIC.includes(next.c);
    if (c === 'y') {
      const min = n === 2 ? 2 : n;
      const max = n === 2 ? 2 : adjacent ? Math.max(n, 4) : 10;
      const e = readDigits(s, pos, max);
      if (DIG_VALUE < 0 || e - pos < min) return -1;
      st.y = n === 2 ? 2000 + DIG_VALUE : DIG_VALUE;
      pos = e;
    } else if ((c === 'M' || c === 'L') && n >= 3) {
      const rest = s.slice(pos).toLowerCase();
      let found = -1;
      for (let mi = 0; mi < 12 && found < 0; mi++) {
        const name = n === 3 ? MONTHS[mi]!.slice(0, 3) : MONTHS[mi]!;
        if (rest.startsWith(name.toLowerCase())) {
          found = mi + 1;
          pos += name.length;
        }
      }
      if (found < 0) return -1;
      st.M = found;
    } else if (c === 'E') {
      const rest = s.slice(pos).toLowerCase();
      let len = 0;
      for (const w of WEEKDAYS) {
        const name = n >= 4 ? w : w.slice(0, 3);
        if (rest.startsWith(name.toLowerCase())) len = name.length;
      }
      if (len === 0) return -1;
      pos += len;
    } else if (c === 'a') {
      const ap = s.slice(pos, pos + 2).toUpperCase();
      if (ap !== 'AM' && ap !== 'PM') return -1;
      st.pm = ap === 'PM' ? 1 : 0;
      pos += 2;
    } else if (c === 'S') {
      const e = readDigits(s, pos, n);
      if (DIG_VALUE < 0) return -1;
      const digits = s.slice(pos, e);
      st.us = Number(digits.slice(0, 6).padEnd(6, '0'));
      pos = e;
    } else if (c === 'X' || c === 'x' || c === 'Z') {
      if (s[pos] === 'Z' && (c === 'X' || (c === 'Z' && n === 5))) {
        st.off = 0;
        pos++;
        continue;
      }
      const m = /^([+-])(\d{2})(?::?(\d{2}))?/.exec(s.slice(pos));
      if (!m) return -1;
      st.off = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + (m[3] ? Number(m[3]) : 0) * 60);
      pos += m[0].length;
    } else if (c === 'z' || c === 'V' || c === 'G') {
      const m = c === 'G' ? /^(AD|BC)/i.exec(s.slice(pos)) : /^(UTC|GMT|UT|Z)/.exec(s.slice(pos));
      if (!m) return -1;
      if (c !== 'G') st.off = 0;
      pos += m[0].length;
    } else {
      const e = readDigits(s, pos, n === 1 ? 2 : n);
      if (DIG_VALUE < 0 || e - pos < n) return -1;
      const v = DIG_VALUE;
      if (c === 'M' || c === 'L') st.M = v;
      else if (c === 'd') st.d = v;
      else if (c === 'H' || c === 'k') st.H = c === 'k' && v === 24 ? 0 : v;
      else if (c === 'h' || c === 'K') st.h12 = c === 'h' && v === 12 ? 0 : v;
      else if (c === 'm') st.m = v;
      else if (c === 's') st.s = v;
      pos = e;
    }
  }
  return pos;
}

/** @internal Parses `s` with a compiled pattern into UTC microseconds (missing fields as Java's defaults), or null. */
export function parseWithPattern(p: DateTimePattern, s: string): number | null {
  const st: PState = { y: 1970, M: 1, d: 1, H: -1, h12: -1, pm: -1, m: 0, s: 0, us: 0, off: 0 };
  const end = parseToks(p.tokens, s, 0, st);
  if (end !== s.length) return null;
  let hour = st.H >= 0 ? st.H : 0;
  if (st.h12 >= 0) hour = st.h12 + (st.pm === 1 ? 12 : 0);
  if (!validDate(st.y, st.M, st.d) || hour > 23 || st.m > 59 || st.s > 59) return null;
  return daysFromCivil(st.y, st.M, st.d) * MICROS_PER_DAY + ((hour * 60 + st.m) * 60 + st.s - st.off) * MICROS_PER_SECOND + st.us;
}

function pad(v: number, n: number): string {
  const s = String(Math.abs(v));
  return (v < 0 ? '-' : '') + (s.length >= n ? s : '0'.repeat(n - s.length) + s);
}

function formatToks(toks: readonly PatToken[], micros: number, out: string[]): void {
  const days = Math.floor(micros / MICROS_PER_DAY);
  const rem = micros - days * MICROS_PER_DAY;
  const [y, M, d] = civilFromDays(days);
  const secs = Math.floor(rem / MICROS_PER_SECOND);
  const us = rem - secs * MICROS_PER_SECOND;
  const H = Math.floor(secs / 3600);
  const mi = Math.floor(secs / 60) % 60;
  const se = secs % 60;
  for (const tok of toks) {
    if (tok.t === 'lit') out.push(tok.s);
    else if (tok.t === 'opt') formatToks(tok.toks, micros, out);
    else {
      const { c, n } = tok;
      switch (c) {
        case 'y': out.push(n === 2 ? pad(((y % 100) + 100) % 100, 2) : y > 9999 && n >= 4 ? `+${y}` : pad(y, n)); break;
        case 'M': case 'L': out.push(n >= 4 ? MONTHS[M - 1]! : n === 3 ? MONTHS[M - 1]!.slice(0, 3) : pad(M, n)); break;
        case 'd': out.push(pad(d, n)); break;
        case 'H': out.push(pad(H, n)); break;
        case 'k': out.push(pad(H === 0 ? 24 : H, n)); break;
        case 'h': out.push(pad(H % 12 === 0 ? 12 : H % 12, n)); break;
        case 'K': out.push(pad(H % 12, n)); break;
        case 'a': out.push(H < 12 ? 'AM' : 'PM'); break;
        case 'm': out.push(pad(mi, n)); break;
        case 's': out.push(pad(se, n)); break;
        case 'S': out.push(pad(us, 6).slice(0, n).padEnd(n, '0')); break;
        case 'E': { const w = WEEKDAYS[((days % 7) + 7) % 7]!; out.push(n >= 4 ? w : w.slice(0, 3)); break; }
        case 'X': out.push('Z'); break;
        case 'x': out.push(n === 1 ? '+00' : n === 2 ? '+0000' : '+00:00'); break;
        case 'Z': out.push(n <= 3 ? '+0000' : n === 4 ? 'GMT' : 'Z'); break;
        case 'z': case 'V': out.push('UTC'); break;
        case 'G': out.push(y > 0 ? 'AD' : 'BC'); break;
      }
    }
  }
}

/** Formats UTC microseconds with a compiled pattern. */
function formatWithPattern(p: DateTimePattern, micros: number): string {
  const out: string[] = [];
  formatToks(p.tokens, micros, out);
  return out.join('');
}

/** @internal Spark's default write formats. */
export const DEFAULT_DATE_FORMAT = 'yyyy-MM-dd';
const DEFAULT_TIMESTAMP_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

/** @internal Builds Spark's read-side date parser: the pattern, or (no dateFormat) the lenient default. Days or null. */
export function makeDateParser(api: string, format: string | undefined): (s: string) => number | null {
  if (format === undefined) return sparkStringToDate;
  const p = compilePattern(api, 'dateFormat', format);
  return (s) => {
    const us = parseWithPattern(p, s);
    return us === null ? null : Math.floor(us / MICROS_PER_DAY);
  };
}

/** @internal Builds Spark's read-side timestamp parser (UTC): the pattern, or the lenient default. Micros or null. */
export function makeTimestampParser(api: string, format: string | undefined): (s: string) => number | null {
  if (format === undefined) return sparkStringToTimestamp;
  const p = compilePattern(api, 'timestampFormat', format);
  return (s) => parseWithPattern(p, s);
}

/** @internal Builds Spark's write-side date formatter: dateFormat, or yyyy-MM-dd. Days → text. */
export function makeDateFormatter(api: string, format: string | undefined): (days: number) => string {
  const p = compilePattern(api, 'dateFormat', format ?? DEFAULT_DATE_FORMAT);
  return (days) => formatWithPattern(p, days * MICROS_PER_DAY);
}

/** @internal Builds Spark's write-side timestamp formatter (UTC): timestampFormat, or Spark's default. Micros → text. */
export function makeTimestampFormatter(api: string, format: string | undefined): (micros: number) => string {
  const p = compilePattern(api, 'timestampFormat', format ?? DEFAULT_TIMESTAMP_FORMAT);
  return (micros) => formatWithPattern(p, micros);
}
