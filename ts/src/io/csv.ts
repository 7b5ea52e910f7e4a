/**
 * CSV reader and writer with Apache Spark 3.5's options, schema inference and parse modes.
 *
 * Why a hand-written parser (no npm CSV package): reading CSV is the hot path of most jobs.
 * The tokenizer here works on the raw UTF-8 bytes of fixed-size read chunks (4 MiB by default)
 * and the converters write straight into the typed arrays of the Arrow columns (Int32Array,
 * Float64Array, validity bitmaps, string offsets + UTF-8 bytes). A 1 GB file is read holding
 * one output batch plus one chunk, with no string or object per field or row. The general CSV
 * packages hand out a JS string (or an object) per field and row, and none reproduces
 * univocity's quoting rules (Spark's tokenizer) or the nullValue / emptyValue distinction on
 * which Spark's results depend.
 *
 * Spark 3.5 behaviour reproduced (CSVOptions, CSVInferSchema, UnivocityParser,
 * UnivocityGenerator, FailureSafeParser):
 * - options by case-insensitive name, values as booleans/numbers or Spark's strings ('true');
 * - inference lattice null < int < bigint < double < date/timestamp < boolean < string with
 *   Spark's merge rules (preferDate=true: 'yyyy-MM-dd' infers date; dates mixed with
 *   timestamps become timestamp, or string with a custom timestampFormat), all-null → string;
 * - header names (empty/nullValue → `_c<i>`, case-insensitive duplicates get their index);
 * - univocity tokens: quoted fields, `""` and `\"` escapes, `\\` inside quotes, text after a
 *   closing quote kept (STOP_AT_DELIMITER), blank and comment lines skipped, CR/LF/CRLF ends,
 *   multiLine quoted newlines, unquoted empty → nullValue, quoted empty → emptyValue;
 * - PERMISSIVE keeps partial results (bad fields null, short rows padded, long rows cut) and
 *   puts the raw record in the corrupt-record column, DROPMALFORMED drops, FAILFAST throws;
 * - the writer's univocity rules: values trimmed, quoted only when needed, `\"` escapes,
 *   nulls empty, empty strings `""`, doubles as Java's Double.toString.
 * Left out: decimal inference (numbers beyond bigint infer double), hex float literals,
 * time-only and region-id timestamps, locales, encodings other than UTF-8, compression, and a
 * session time zone other than UTC. An unterminated quote is treated as a malformed record
 * (Spark's univocity silently accepts it), so FAILFAST reports it and nothing is lost quietly.
 */
import * as fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import * as arrow from 'apache-arrow';
import { Errors, KindlingError, KindlingRangeError, KindlingTypeError } from '../errors.js';
import { Types, sparkTypeName } from '../dataframe/types.js';
import { DEFAULT_BATCH_SIZE, type DataSource, type ScanOptions } from './source.js';

// ───────────────────────────────────────────── public types ─────────────────────────────────

export type ParseMode = 'PERMISSIVE' | 'DROPMALFORMED' | 'FAILFAST';
type Flag = boolean | 'true' | 'false' | string;

export interface CsvOptions {
  header?: Flag;
  inferSchema?: Flag;
  sep?: string;
  delimiter?: string;
  quote?: string;
  escape?: string;
  comment?: string;
  nullValue?: string;
  nanValue?: string;
  positiveInf?: string;
  negativeInf?: string;
  emptyValue?: string;
  dateFormat?: string;
  timestampFormat?: string;
  mode?: ParseMode | string;
  columnNameOfCorruptRecord?: string;
  ignoreLeadingWhiteSpace?: Flag;
  ignoreTrailingWhiteSpace?: Flag;
  multiLine?: Flag;
  samplingRatio?: number | string;
  enforceSchema?: Flag;
  encoding?: string;
  charset?: string;
  lineSep?: string;
  preferDate?: Flag;
  maxColumns?: number | string;
  /** Only UTC is supported (Spark's session time zone for parsing zone-less timestamps). */
  timeZone?: string;
  /** @internal Bytes per read (tests use tiny chunks to exercise chunk boundaries). */
  _chunkSize?: number;
}

export interface CsvWriteOptions {
  header?: Flag;
  sep?: string;
  delimiter?: string;
  quote?: string;
  escape?: string;
  nullValue?: string;
  emptyValue?: string;
  quoteAll?: Flag;
  escapeQuotes?: Flag;
  dateFormat?: string;
  timestampFormat?: string;
  ignoreLeadingWhiteSpace?: Flag;
  ignoreTrailingWhiteSpace?: Flag;
  lineSep?: string;
  encoding?: string;
  charset?: string;
  compression?: string;
  codec?: string;
  /** Only UTC is supported. */
  timeZone?: string;
}

// ───────────────────────────────────────────── errors ───────────────────────────────────────

/** @internal A malformed record under FAILFAST, or a file-level data error. */
export function malformedError(api: string, file: string, line: number, what: string, mode: ParseMode): KindlingError {
  return new KindlingError('ERR_KINDLING_SCHEMA', `${api}: malformed record at ${file} line ${line}: ${what} (mode ${mode})`);
}

/** @internal Short quoted rendering of a datum for messages. */
export function quoteDatum(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);
}

// ───────────────────────────────────────────── options ──────────────────────────────────────

/** @internal */
export type OptionKind =
  | 'bool' | 'char' | 'string' | 'sep' | 'mode' | 'ratio' | 'size' | 'encoding' | 'lineSep' | 'format' | 'compression' | 'timeZone';

/**
 * @internal Validates a Spark option map: names are matched case-insensitively (as Spark's
 * CaseInsensitiveMap does), aliases map to their canonical name (the canonical one wins), and
 * every value is checked. Unknown names and bad values throw, naming the option.
 */
export function normalizeOptions(
  api: string,
  raw: unknown,
  spec: Readonly<Record<string, OptionKind>>,
  aliases: Readonly<Record<string, string>> = {},
): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (raw === undefined || raw === null) return out;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw Errors.invalidArg(api, 'options', 'an object of options', raw);
  const byLower = new Map<string, string>();
  for (const k of Object.keys(spec)) byLower.set(k.toLowerCase(), k);
  for (const [a, k] of Object.entries(aliases)) byLower.set(a.toLowerCase(), k);
  const fromAlias = new Set<string>();
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    const canon = byLower.get(key.toLowerCase());
    if (canon === undefined) {
      const known = [...Object.keys(spec).filter((k) => !k.startsWith('_')), ...Object.keys(aliases)].sort().join(', ');
      throw new KindlingTypeError(`${api}: unknown option "${key}" (supported: ${known})`);
    }
    const isAlias = key.toLowerCase() !== canon.toLowerCase();
    if (isAlias && out.has(canon) && !fromAlias.has(canon)) continue;
    out.set(canon, validateOption(api, key, spec[canon]!, value));
    if (isAlias) fromAlias.add(canon);
    else fromAlias.delete(canon);
  }
  return out;
}

function validateOption(api: string, key: string, kind: OptionKind, value: unknown): unknown {
  const name = `option ${key}`;
  switch (kind) {
    case 'bool': {
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string') {
        const l = value.toLowerCase();
        if (l === 'true') return true;
        if (l === 'false') return false;
      }
      throw Errors.invalidArg(api, name, "true or false (a boolean or the string 'true'/'false')", value);
    }
    case 'char': {
      if (typeof value !== 'string' || value.length > 1 || (value.length === 1 && value.charCodeAt(0) > 0x7f)) {
        throw Errors.invalidArg(api, name, "a single ASCII character, or '' to turn it off", value);
      }
      return value === '\u0000' ? '' : value;
    }
    case 'sep':
      return toDelimiter(api, name, value);
    case 'string':
      if (typeof value !== 'string') throw Errors.invalidArg(api, name, 'a string', value);
      return value;
    case 'mode': {
      const m = typeof value === 'string' ? value.toUpperCase() : '';
      if (m === 'PERMISSIVE' || m === 'DROPMALFORMED' || m === 'FAILFAST') return m;
      throw Errors.invalidArg(api, name, 'one of PERMISSIVE, DROPMALFORMED, FAILFAST', value);
    }
    case 'ratio': {
      const r = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!(r > 0 && r <= 1)) throw Errors.outOfRange(api, name, 'a number in (0, 1]', value);
      return r;
    }
    case 'size': {
      const r = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
      if (!Number.isInteger(r) || r < 1) throw Errors.outOfRange(api, name, 'an integer >= 1', value);
      return r;
    }
    case 'encoding': {
      const e = typeof value === 'string' ? value.toLowerCase().replace(/[-_]/g, '') : '';
      if (e === 'utf8') return 'UTF-8';
      throw Errors.invalidArg(api, name, 'UTF-8 (the only encoding supported)', value);
    }
    case 'lineSep': {
      if (typeof value === 'string' && (value === '\r\n' || (value.length === 1 && value.charCodeAt(0) <= 0x7f))) return value;
      throw Errors.invalidArg(api, name, 'a single ASCII character (or "\\r\\n")', value);
    }
    case 'format': {
      if (typeof value !== 'string' || value === '') throw Errors.invalidArg(api, name, 'a datetime pattern such as yyyy-MM-dd', value);
      compilePattern(api, key, value);
      return value;
    }
    case 'timeZone': {
      const z = typeof value === 'string' ? value.trim().toUpperCase() : '';
      if (['UTC', 'GMT', 'Z', 'UT', 'ETC/UTC', 'ETC/GMT', '+00:00', '-00:00', 'GMT+00:00', 'UTC+00:00'].includes(z)) return 'UTC';
      throw Errors.invalidArg(api, name, 'UTC (timestamps are read and written in UTC only)', value);
    }
    case 'compression': {
      const c = typeof value === 'string' ? value.toLowerCase() : '';
      if (c === 'none' || c === 'uncompressed') return c;
      throw Errors.invalidArg(api, name, "'none' (compressed output is not supported)", value);
    }
  }
}

/** Spark's CSVExprUtils.toDelimiterStr: `\t`-style escapes, multi-character separators allowed. */
function toDelimiter(api: string, name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw Errors.invalidArg(api, name, 'a non-empty separator string', value);
  if (value === '\\') throw Errors.invalidArg(api, name, 'a separator (a single backslash starts an escape; use "\\\\" for a backslash)', value);
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c !== '\\' || i + 1 >= value.length) {
      out += c;
      continue;
    }
    const d = value[++i]!;
    const m: Record<string, string> = { t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\', u: '' };
    if (d === 'u' && /^[0-9a-fA-F]{4}$/.test(value.slice(i + 1, i + 5))) {
      out += String.fromCharCode(parseInt(value.slice(i + 1, i + 5), 16));
      i += 4;
    } else if (d in m && d !== 'u') out += m[d];
    else throw Errors.invalidArg(api, name, 'a separator with a supported escape (\\t \\r \\b \\f \\" \\\' \\\\)', value);
  }
  if (out.includes('\n') || out.includes('\r')) throw Errors.invalidArg(api, name, 'a separator without line breaks', value);
  return out;
}

// ───────────────────────────────────────────── dates and times ──────────────────────────────

const MICROS_PER_SECOND = 1_000_000;
const MICROS_PER_DAY = 86_400_000_000;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Thursday', 'Friday', 'Saturday', 'Sunday', 'Monday', 'Tuesday', 'Wednesday']; // day 0 = 1970-01-01

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

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const dim = m === 2 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= dim;
}

function trimSpark(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 32) a++;
  while (b > a && s.charCodeAt(b - 1) <= 32) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

// Reads digits at s[i..]: sets DIG_VALUE and returns the index after them (DIG_VALUE = -1 when none).
let DIG_VALUE = 0;
function readDigits(s: string, i: number, max: number): number {
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
 * @internal Spark's lenient DateTimeUtils.stringToDate (used when no dateFormat is given):
 * `[+-]yyyy[-[m]m[-[d]d]]`, optionally followed by ' ' or 'T' and anything. Days or null.
 */
export function sparkStringToDate(str: string): number | null {
  const s = trimSpark(str);
  let i = 0;
  let sign = 1;
  if (s[0] === '+' || s[0] === '-') {
    sign = s[0] === '-' ? -1 : 1;
    i = 1;
  }
  const ys = i;
  i = readDigits(s, i, 7);
  if (i - ys < 4 || DIG_VALUE < 0) return null;
  const y = sign * DIG_VALUE;
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
  return validDate(y, m, d) ? daysFromCivil(y, m, d) : null;
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
  let i = 0;
  let sign = 1;
  if (s[0] === '+' || s[0] === '-') {
    sign = s[0] === '-' ? -1 : 1;
    i = 1;
  }
  const ys = i;
  i = readDigits(s, i, 6);
  if (i - ys < 4 || DIG_VALUE < 0) return null;
  const y = sign * DIG_VALUE;
  let mo = 1;
  let d = 1;
  let h = 0;
  let mi = 0;
  let se = 0;
  let us = 0;
  let off = 0;
  const done = () => (validDate(y, mo, d) && h < 24 && mi < 60 && se < 60 && !Number.isNaN(off)
    ? daysFromCivil(y, mo, d) * MICROS_PER_DAY + ((h * 60 + mi) * 60 + se - off) * MICROS_PER_SECOND + us
    : null);
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

/** @internal Formats UTC microseconds with a compiled pattern. */
export function formatWithPattern(p: DateTimePattern, micros: number): string {
  const out: string[] = [];
  formatToks(p.tokens, micros, out);
  return out.join('');
}

/** @internal Spark's default write formats. */
export const DEFAULT_DATE_FORMAT = 'yyyy-MM-dd';
export const DEFAULT_TIMESTAMP_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

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

// ───────────────────────────────────────────── numbers ──────────────────────────────────────

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

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

function asciiString(b: Uint8Array, s: number, e: number): string {
  if (e - s < 64) {
    let r = '';
    for (let i = s; i < e; i++) r += String.fromCharCode(b[i]!);
    return r;
  }
  return Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('latin1');
}

const utf8 = new TextDecoder('utf-8');
function utf8String(b: Uint8Array, s: number, e: number): string {
  return utf8.decode(b.subarray(s, e));
}

/** Set by parseJavaDouble: false when the bytes are not a Java double literal. */
let NUM_OK = false;
/** Set by parseJavaLong when the value is beyond 2^53 (the return value is then approximate). */
let NUM_BIG: bigint | null = null;

/**
 * Java's Double.parseDouble on bytes (no hex floats): surrounding whitespace, sign, NaN,
 * Infinity, digits with optional point and exponent, optional f/F/d/D suffix. Correctly
 * rounded: exact fast path for <= 15 significant digits and |exponent| <= 22, else Number().
 */
function parseJavaDouble(b: Uint8Array, s: number, e: number): number {
  // fast path: [-]digits[.digits] with at most 15 digits in all (exact: one rounding)
  {
    let p = s;
    const neg = b[p] === 45;
    if (neg) p++;
    const ds = p;
    let mant = 0;
    let d = 0;
    while (p < e && (d = b[p]! - 48) >>> 0 <= 9) {
      mant = mant * 10 + d;
      p++;
    }
    let nd = p - ds;
    let frac = 0;
    if (p < e && b[p] === 46) {
      p++;
      const fs = p;
      while (p < e && (d = b[p]! - 48) >>> 0 <= 9) {
        mant = mant * 10 + d;
        p++;
      }
      frac = p - fs;
      nd += frac;
    }
    if (p === e && nd > 0 && nd <= 15) {
      NUM_OK = true;
      const v = frac === 0 ? mant : mant / POW10[frac]!;
      return neg ? -v : v;
    }
  }
  return parseJavaDoubleSlow(b, s, e);
}

function parseJavaDoubleSlow(b: Uint8Array, s: number, e: number): number {
  NUM_OK = false;
  while (s < e && b[s]! <= 32) s++;
  while (e > s && b[e - 1]! <= 32) e--;
  if (s >= e) return NaN;
  let p = s;
  let neg = false;
  if (b[p] === 43 || b[p] === 45) {
    neg = b[p] === 45;
    p++;
  }
  if (p < e && (b[p] === 78 || b[p] === 73)) {
    const word = asciiString(b, p, e);
    if (word === 'NaN') {
      NUM_OK = true;
      return NaN;
    }
    if (word === 'Infinity') {
      NUM_OK = true;
      return neg ? -Infinity : Infinity;
    }
    return NaN;
  }
  let mant = 0;
  let sig = 0;
  let digits = 0;
  let exp10 = 0;
  let slow = false;
  while (p < e) {
    const d = b[p]! - 48;
    if (d < 0 || d > 9) break;
    digits++;
    if (sig > 0 || d !== 0) {
      if (sig < 15) {
        mant = mant * 10 + d;
        sig++;
      } else slow = true;
    }
    p++;
  }
  if (p < e && b[p] === 46) {
    p++;
    while (p < e) {
      const d = b[p]! - 48;
      if (d < 0 || d > 9) break;
      digits++;
      if (sig > 0 || d !== 0) {
        if (sig < 15) {
          mant = mant * 10 + d;
          sig++;
          exp10--;
        } else slow = true;
      } else exp10--;
      p++;
    }
  }
  if (digits === 0) return NaN;
  if (p < e && (b[p] === 101 || b[p] === 69)) {
    p++;
    let es = 1;
    if (p < e && (b[p] === 43 || b[p] === 45)) {
      es = b[p] === 45 ? -1 : 1;
      p++;
    }
    let ev = 0;
    let ed = 0;
    while (p < e) {
      const d = b[p]! - 48;
      if (d < 0 || d > 9) break;
      if (ev < 100000) ev = ev * 10 + d;
      ed++;
      p++;
    }
    if (ed === 0) return NaN;
    exp10 += es * ev;
  }
  let numEnd = p;
  if (p < e && (b[p] === 102 || b[p] === 70 || b[p] === 100 || b[p] === 68)) p++;
  if (p !== e) return NaN;
  NUM_OK = true;
  if (!slow && exp10 >= -22 && exp10 <= 22) {
    const v = exp10 < 0 ? mant / POW10[-exp10]! : mant * POW10[exp10]!;
    return neg ? -v : v;
  }
  if (mant === 0 && !slow) return neg ? -0 : 0;
  if (b[numEnd - 1] === 46) numEnd--; // "1." is Java-valid; keep Number() happy either way
  return Number(asciiString(b, s, numEnd));
}

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** Java's Long.parseLong on bytes: [+-]digits, no whitespace. NaN when invalid or out of range. */
function parseJavaLong(b: Uint8Array, s: number, e: number): number {
  NUM_BIG = null;
  let p = s;
  let neg = false;
  if (p < e && (b[p] === 43 || b[p] === 45)) {
    neg = b[p] === 45;
    p++;
  }
  if (p >= e) return NaN;
  let v = 0;
  const ds = p;
  while (p < e) {
    const d = b[p]! - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
    p++;
  }
  if (v <= Number.MAX_SAFE_INTEGER) return neg ? -v : v;
  let big = BigInt(asciiString(b, ds, e));
  if (neg) big = -big;
  if (big < LONG_MIN || big > LONG_MAX) return NaN;
  NUM_BIG = big;
  return Number(big);
}

function parseJavaBoolean(b: Uint8Array, s: number, e: number): number {
  const n = e - s;
  if (n === 4 && (b[s]! | 32) === 116 && (b[s + 1]! | 32) === 114 && (b[s + 2]! | 32) === 117 && (b[s + 3]! | 32) === 101) return 1;
  if (n === 5 && (b[s]! | 32) === 102 && (b[s + 1]! | 32) === 97 && (b[s + 2]! | 32) === 108 && (b[s + 3]! | 32) === 115 && (b[s + 4]! | 32) === 101) return 0;
  return -1;
}

function bytesEqual(b: Uint8Array, s: number, e: number, ref: Uint8Array): boolean {
  if (e - s !== ref.length) return false;
  for (let i = 0; i < ref.length; i++) if (b[s + i] !== ref[i]) return false;
  return true;
}

// ───────────────────────────────────────────── tokenizer ────────────────────────────────────

const TOK_RECORD = 0;
const TOK_MORE = 1;
const TOK_EOF = 2;
const F_QUOTED = 1;
const F_SCRATCH = 2;

interface CsvSyntax {
  sep: string;
  quote: string;
  escape: string;
  comment: string;
  lineSep: string | undefined;
  multiLine: boolean;
  trimLead: boolean;
  trimTrail: boolean;
  maxColumns: number;
}

/**
 * Splits one record out of a byte buffer with univocity's rules (see the file docblock). The
 * result is a list of field ranges: into the buffer, or into `scratch` for quoted fields that
 * needed unescaping. When the record may continue past `end` and the file is not finished it
 * returns TOK_MORE and keeps no state: the caller reads more and calls again from `pos`.
 */
class Tokenizer {
  private readonly sep0: number;
  private readonly sepTail: Uint8Array;
  private readonly quote: number;
  private readonly esc: number;
  private readonly escEsc: number;
  private readonly comment: number;
  private readonly t1: number;
  private readonly t2: number;
  private readonly autoLines: boolean;
  private readonly multiLine: boolean;
  private readonly trimLead: boolean;
  private readonly trimTrail: boolean;
  private readonly maxColumns: number;
  /** The largest byte that can end an unquoted field (bytes above it are skipped without tests). */
  private readonly hi: number;
  /** Line ending inside quoted values in multiLine mode: 0 keep, 1 CRLF → LF, 2 CR → LF (univocity normalizes to the detected one). */
  private normalize = -1;

  n = 0;
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  flags = new Uint8Array(64);
  scratch = new Uint8Array(1024);
  recStart = 0;
  recEnd = 0;
  next = 0;
  /** Blank/comment lines skipped before this record, and line ends consumed by it. */
  skipped = 0;
  lines = 0;
  /** Index of a field whose quote never closed (-1: none). */
  unterminated = -1;
  tooManyColumns = false;

  constructor(syn: CsvSyntax) {
    const sepBytes = Buffer.from(syn.sep, 'utf8');
    this.sep0 = sepBytes[0]!;
    this.sepTail = new Uint8Array(sepBytes.subarray(1));
    this.quote = syn.quote === '' ? -1 : syn.quote.charCodeAt(0);
    this.esc = syn.escape === '' ? -1 : syn.escape.charCodeAt(0);
    this.escEsc = this.esc !== this.quote ? this.esc : -1;
    this.comment = syn.comment === '' ? -1 : syn.comment.charCodeAt(0);
    this.autoLines = syn.lineSep === undefined || syn.lineSep === '\r\n';
    this.t1 = this.autoLines ? 10 : syn.lineSep!.charCodeAt(0);
    this.t2 = this.autoLines ? 13 : this.t1;
    this.multiLine = syn.multiLine;
    this.trimLead = syn.trimLead;
    this.trimTrail = syn.trimTrail;
    this.maxColumns = syn.maxColumns;
    this.hi = Math.max(this.sep0, this.t1, this.t2);
  }

  /** Length of the line end at r (1 or 2), or -1 when a CR ends the buffer and more may follow. */
  private termLen(b: Uint8Array, r: number, end: number, eof: boolean): number {
    if (this.autoLines && b[r] === 13) {
      if (r + 1 < end) return b[r + 1] === 10 ? 2 : 1;
      return eof ? 1 : -1;
    }
    return 1;
  }

  /** 1 when the separator starts at p, 0 when not, -1 when the buffer ends inside it. */
  private sepAt(b: Uint8Array, p: number, end: number, eof: boolean): number {
    if (b[p] !== this.sep0) return 0;
    const tail = this.sepTail;
    for (let i = 0; i < tail.length; i++) {
      if (p + 1 + i >= end) return eof ? 0 : -1;
      if (b[p + 1 + i] !== tail[i]) return 0;
    }
    return 1;
  }

  private grow(): void {
    const n = this.starts.length * 2;
    const s = new Int32Array(n);
    s.set(this.starts);
    this.starts = s;
    const e = new Int32Array(n);
    e.set(this.ends);
    this.ends = e;
    const f = new Uint8Array(n);
    f.set(this.flags);
    this.flags = f;
  }

  private scratchFit(extra: number, used: number): void {
    if (used + extra <= this.scratch.length) return;
    const s = new Uint8Array(Math.max(this.scratch.length * 2, used + extra));
    s.set(this.scratch.subarray(0, used));
    this.scratch = s;
  }

  next_(b: Uint8Array, pos: number, end: number, eof: boolean): number {
    const sep0 = this.sep0;
    const t1 = this.t1;
    const t2 = this.t2;
    const q = this.quote;
    const esc = this.esc;
    const multiSep = this.sepTail.length > 0;
    let p = pos;
    let skipped = 0;
    // Blank lines (only bytes <= ' ') and comment lines are skipped, as Spark's filterCommentAndEmpty.
    for (;;) {
      if (p >= end) return eof ? TOK_EOF : TOK_MORE;
      const c = b[p]!;
      if (c > 32 && c !== this.comment) break;
      let r = p;
      if (c === this.comment) {
        while (r < end && b[r] !== t1 && b[r] !== t2) r++;
      } else {
        while (r < end && b[r]! <= 32 && b[r] !== t1 && b[r] !== t2) r++;
        if (r < end && b[r] !== t1 && b[r] !== t2) break;
      }
      if (r >= end) return eof ? TOK_EOF : TOK_MORE;
      const tl = this.termLen(b, r, end, eof);
      if (tl < 0) return TOK_MORE;
      p = r + tl;
      skipped++;
    }
    this.recStart = p;
    this.unterminated = -1;
    this.tooManyColumns = false;
    let n = 0;
    let lines = 0;
    let sl = 0; // scratch bytes used
    const trimLead = this.trimLead;
    const trimTrail = this.trimTrail;
    const maxColumns = this.maxColumns;
    let starts = this.starts;
    let ends = this.ends;
    let flags = this.flags;
    for (;;) {
      if (n >= maxColumns) {
        this.tooManyColumns = true;
        n = maxColumns - 1; // keep overwriting the last slot; the caller reports the record
      } else if (n >= starts.length) {
        this.grow();
        starts = this.starts;
        ends = this.ends;
        flags = this.flags;
      }
      if (trimLead) {
        while (p < end) {
          const c = b[p]!;
          if (c > 32 || c === sep0 || c === t1 || c === t2) break;
          p++;
        }
        if (p >= end && !eof) return TOK_MORE;
      }
      if (p < end && b[p] === q) {
        p++;
        const cs = p;
        let copy = false;
        let closed = false;
        let ce = 0;
        for (;;) {
          if (p >= end) {
            if (!eof) return TOK_MORE;
            break;
          }
          const c = b[p]!;
          if (c === q) {
            if (p + 1 >= end && !eof) return TOK_MORE;
            if (p + 1 < end && b[p + 1] === q) {
              copy = true;
              p += 2;
              continue;
            }
            ce = p;
            p++;
            closed = true;
            break;
          }
          if (c === esc) {
            if (p + 1 >= end && !eof) return TOK_MORE;
            if (p + 1 < end && (b[p + 1] === q || b[p + 1] === this.escEsc)) {
              copy = true;
              p += 2;
              continue;
            }
            p++;
            continue;
          }
          if (c === t1 || c === t2) {
            if (!this.multiLine) break;
            const tl = this.termLen(b, p, end, eof);
            if (tl < 0) return TOK_MORE;
            if (this.normalize < 0) this.normalize = c === 10 ? 0 : tl === 2 ? 1 : 2;
            if ((this.normalize === 1 && tl === 2) || (this.normalize === 2 && c === 13 && tl === 1)) copy = true;
            p += tl;
            lines++;
            continue;
          }
          p++;
        }
        if (!closed) {
          ce = p;
          if (this.unterminated < 0) this.unterminated = n;
        }
        // After the closing quote: whitespace is dropped; other text up to the delimiter stays
        // in the value together with the quote (univocity's STOP_AT_DELIMITER).
        let tailS = -1;
        let tailE = -1;
        if (closed) {
          let r = p;
          while (r < end && b[r]! <= 32 && b[r] !== sep0 && b[r] !== t1 && b[r] !== t2) r++;
          if (r >= end && !eof) return TOK_MORE;
          if (r < end && b[r] !== t1 && b[r] !== t2) {
            const sa = this.sepAt(b, r, end, eof);
            if (sa < 0) return TOK_MORE;
            if (sa === 0) {
              tailS = ce;
              for (;;) {
                while (r < end && b[r] !== sep0 && b[r] !== t1 && b[r] !== t2) r++;
                if (r >= end) {
                  if (!eof) return TOK_MORE;
                  break;
                }
                if (b[r] === sep0 && multiSep) {
                  const s2 = this.sepAt(b, r, end, eof);
                  if (s2 < 0) return TOK_MORE;
                  if (s2 === 0) {
                    r++;
                    continue;
                  }
                }
                break;
              }
              tailE = r;
              copy = true;
            }
          }
          p = r;
        }
        if (copy) {
          this.scratchFit(ce - cs + (tailE - tailS) + 1, sl);
          const out = this.scratch;
          const s0 = sl;
          const norm = this.normalize;
          for (let i = cs; i < ce; i++) {
            const c = b[i]!;
            if ((c === q || c === esc) && i + 1 < ce) {
              const d = b[i + 1]!;
              if ((c === q && d === q) || (c === esc && (d === q || d === this.escEsc))) {
                out[sl++] = d;
                i++;
                continue;
              }
            }
            if (c === 13 && this.autoLines && ((norm === 1 && i + 1 < ce && b[i + 1] === 10) || norm === 2)) {
              out[sl++] = 10;
              if (norm === 1) i++;
              continue;
            }
            out[sl++] = c;
          }
          for (let i = tailS; i < tailE; i++) out[sl++] = b[i]!;
          starts[n] = s0;
          ends[n] = sl;
          flags[n] = F_QUOTED | F_SCRATCH;
        } else {
          starts[n] = cs;
          ends[n] = ce;
          flags[n] = F_QUOTED;
        }
      } else {
        const fs = p;
        const hi = this.hi;
        for (;;) {
          while (p < end) {
            const c = b[p]!;
            if (c > hi) {
              p++;
              continue;
            }
            if (c === sep0 || c === t1 || c === t2) break;
            p++;
          }
          if (p >= end) {
            if (!eof) return TOK_MORE;
            break;
          }
          if (multiSep && b[p] === sep0) {
            const sa = this.sepAt(b, p, end, eof);
            if (sa < 0) return TOK_MORE;
            if (sa === 0) {
              p++;
              continue;
            }
          }
          break;
        }
        let fe = p;
        if (trimTrail) while (fe > fs && b[fe - 1]! <= 32) fe--;
        starts[n] = fs;
        ends[n] = fe;
        flags[n] = 0;
      }
      n++;
      if (p >= end) {
        this.recEnd = p;
        this.next = p;
        break;
      }
      const c = b[p]!;
      if (c === sep0 && (!multiSep || this.sepAt(b, p, end, eof) === 1)) {
        p += 1 + this.sepTail.length;
        continue;
      }
      // a line end (the only other way a field stops)
      this.recEnd = p;
      const tl = this.termLen(b, p, end, eof);
      if (tl < 0) return TOK_MORE;
      if (this.normalize < 0 && this.autoLines) this.normalize = c === 10 ? 0 : tl === 2 ? 1 : 2;
      p += tl;
      lines++;
      this.next = p;
      break;
    }
    this.n = n;
    this.skipped = skipped;
    this.lines = lines;
    return TOK_RECORD;
  }
}

/** Streams records of one file through a Tokenizer, reading fixed-size chunks. */
class RecordReader {
  buf: Uint8Array;
  pos = 0;
  end = 0;
  eof = false;
  /** 1-based line of the current record's first line. */
  line = 1;
  private nextLine = 1;
  private bomChecked = false;
  private fh: fs.promises.FileHandle | null = null;

  constructor(readonly file: string, readonly tok: Tokenizer, chunkSize: number, private readonly api: string) {
    this.buf = new Uint8Array(chunkSize);
  }

  async open(): Promise<void> {
    try {
      this.fh = await fs.promises.open(this.file, 'r');
    } catch (e) {
      throw fileError(this.api, this.file, e);
    }
  }

  /** Next record: TOK_RECORD (tokens in this.tok), TOK_MORE (call fill()), TOK_EOF. */
  nextRecord(): number {
    if (!this.bomChecked) {
      if (this.end - this.pos < 3 && !this.eof) return TOK_MORE;
      if (this.end - this.pos >= 3 && this.buf[this.pos] === 0xef && this.buf[this.pos + 1] === 0xbb && this.buf[this.pos + 2] === 0xbf) this.pos += 3;
      this.bomChecked = true;
    }
    const r = this.tok.next_(this.buf, this.pos, this.end, this.eof);
    if (r === TOK_RECORD) {
      this.line = this.nextLine + this.tok.skipped;
      this.nextLine = this.line + this.tok.lines;
      this.pos = this.tok.next;
    }
    return r;
  }

  async fill(): Promise<void> {
    if (this.eof) return;
    if (this.pos > 0) {
      this.buf.copyWithin(0, this.pos, this.end);
      this.end -= this.pos;
      this.pos = 0;
    }
    if (this.end === this.buf.length) {
      const nb = new Uint8Array(this.buf.length * 2);
      nb.set(this.buf);
      this.buf = nb;
    }
    let n: number;
    try {
      ({ bytesRead: n } = await this.fh!.read(this.buf, this.end, this.buf.length - this.end, null));
    } catch (e) {
      throw fileError(this.api, this.file, e);
    }
    if (n === 0) this.eof = true;
    this.end += n;
  }

  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = null;
    if (fh) await fh.close();
  }

  /** Token i as a string (UTF-8), resolving univocity's empty rules is the caller's job. */
  tokenString(i: number): string {
    const t = this.tok;
    const src = t.flags[i]! & F_SCRATCH ? t.scratch : this.buf;
    return utf8String(src, t.starts[i]!, t.ends[i]!);
  }

  recordString(): string {
    return utf8String(this.buf, this.tok.recStart, this.tok.recEnd);
  }
}

function fileError(api: string, file: string, e: unknown): KindlingError {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return new KindlingTypeError(`${api}: file not found: ${file}`, 'ERR_KINDLING_INVALID_ARG', { cause: e });
  if (code === 'EISDIR') return new KindlingTypeError(`${api}: expected a file, got a directory: ${file}`, 'ERR_KINDLING_INVALID_ARG', { cause: e });
  const msg = e instanceof Error ? e.message : String(e);
  return new KindlingError('ERR_KINDLING_INVALID_ARG', `${api}: cannot read ${file}: ${msg}`, { cause: e });
}

/** @internal Checks that every path is a readable regular file. */
export async function checkFiles(api: string, paths: readonly string[]): Promise<string[]> {
  if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string' || p === '')) {
    throw Errors.invalidArg(api, 'paths', 'an array of file paths', paths);
  }
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = await fs.promises.stat(p);
    } catch (e) {
      throw fileError(api, p, e);
    }
    if (st.isDirectory()) throw fileError(api, p, Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
  }
  return [...paths];
}

/** @internal Deterministic sampling for samplingRatio (mulberry32, seed 1; Spark's own sampler differs). */
export function sampler(ratio: number): () => boolean {
  if (ratio >= 1) return () => true;
  let a = 1;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 < ratio;
  };
}

// ───────────────────────────────────────────── column builders ──────────────────────────────

const K_STRING = 0;
const K_INT8 = 1;
const K_INT16 = 2;
const K_INT32 = 3;
const K_INT64 = 4;
const K_FLOAT = 5;
const K_DOUBLE = 6;
const K_BOOL = 7;
const K_DATE = 8;
const K_TIMESTAMP = 9;
const K_BINARY = 10;

function kindOf(t: arrow.DataType): number {
  if (arrow.DataType.isUtf8(t)) return K_STRING;
  if (arrow.DataType.isBinary(t)) return K_BINARY;
  if (arrow.DataType.isBool(t)) return K_BOOL;
  if (arrow.DataType.isInt(t) && t.isSigned) return t.bitWidth === 8 ? K_INT8 : t.bitWidth === 16 ? K_INT16 : t.bitWidth === 32 ? K_INT32 : K_INT64;
  if (arrow.DataType.isFloat(t) && t.precision !== arrow.Precision.HALF) return t.precision === arrow.Precision.DOUBLE ? K_DOUBLE : K_FLOAT;
  if (arrow.DataType.isDate(t) && t.unit === arrow.DateUnit.DAY) return K_DATE;
  if (arrow.DataType.isTimestamp(t) && t.unit === arrow.TimeUnit.MICROSECOND) return K_TIMESTAMP;
  return -1;
}

function popcount(bits: Uint8Array, n: number): number {
  let c = 0;
  const full = n >> 3;
  for (let i = 0; i < full; i++) {
    let v = bits[i]!;
    v = v - ((v >> 1) & 0x55);
    v = (v & 0x33) + ((v >> 2) & 0x33);
    c += (v + (v >> 4)) & 0x0f;
  }
  for (let i = full << 3; i < n; i++) c += (bits[i >> 3]! >> (i & 7)) & 1;
  return c;
}

const encoder = new TextEncoder();

/** A fixed-capacity column being filled row by row (rows can be overwritten: rollback is free). */
class ColBuilder {
  readonly valid: Uint8Array;
  i32: Int32Array = new Int32Array(0);
  f64: Float64Array = new Float64Array(0);
  f32: Float32Array = new Float32Array(0);
  i8: Int8Array = new Int8Array(0);
  i16: Int16Array = new Int16Array(0);
  i64: BigInt64Array = new BigInt64Array(0);
  bits: Uint8Array = new Uint8Array(0);
  offs: Int32Array = new Int32Array(0);
  data: Uint8Array = new Uint8Array(0);

  constructor(readonly kind: number, readonly field: arrow.Field, readonly cap: number) {
    this.valid = new Uint8Array((cap + 7) >> 3);
    switch (kind) {
      case K_STRING: case K_BINARY: this.offs = new Int32Array(cap + 1); this.data = new Uint8Array(Math.min(1 << 16, cap * 16 + 16)); break;
      case K_INT8: this.i8 = new Int8Array(cap); break;
      case K_INT16: this.i16 = new Int16Array(cap); break;
      case K_INT32: case K_DATE: this.i32 = new Int32Array(cap); break;
      case K_INT64: case K_TIMESTAMP: this.i64 = new BigInt64Array(cap); this.i32 = new Int32Array(this.i64.buffer); break;
      case K_FLOAT: this.f32 = new Float32Array(cap); break;
      case K_DOUBLE: this.f64 = new Float64Array(cap); break;
      case K_BOOL: this.bits = new Uint8Array((cap + 7) >> 3); break;
    }
  }

  setValid(r: number): void {
    this.valid[r >> 3]! |= 1 << (r & 7);
  }

  setNull(r: number): void {
    this.valid[r >> 3]! &= ~(1 << (r & 7));
    if (this.kind === K_STRING || this.kind === K_BINARY) this.offs[r + 1] = this.offs[r]!;
  }

  setBytes(r: number, b: Uint8Array, s: number, e: number): void {
    const start = this.offs[r]!;
    const need = start + (e - s);
    if (need > this.data.length) {
      let cap = this.data.length * 2;
      while (cap < need) cap *= 2;
      const d = new Uint8Array(cap);
      d.set(this.data.subarray(0, start));
      this.data = d;
    }
    this.data.set(b.subarray(s, e), start);
    this.offs[r + 1] = need;
    this.setValid(r);
  }

  setInt64(r: number, v: number, big: bigint | null): void {
    if (big !== null) this.i64[r] = big;
    else {
      const hi = Math.floor(v / 4294967296);
      this.i32[2 * r] = (v - hi * 4294967296) | 0;
      this.i32[2 * r + 1] = hi | 0;
    }
    this.setValid(r);
  }

  setBool(r: number, v: number): void {
    if (v) this.bits[r >> 3]! |= 1 << (r & 7);
    else this.bits[r >> 3]! &= ~(1 << (r & 7));
    this.setValid(r);
  }

  finish(n: number): arrow.Data {
    const type = this.field.type;
    const nullCount = n - popcount(this.valid, n);
    const trim = n < this.cap;
    const nullBitmap = nullCount > 0 ? (trim ? this.valid.slice(0, (n + 7) >> 3) : this.valid) : undefined;
    const cut = <T extends { slice(a: number, b: number): T }>(a: T, len: number): T => (trim ? a.slice(0, len) : a);
    switch (this.kind) {
      case K_STRING: case K_BINARY: {
        let offs = this.offs.subarray(0, n + 1);
        let data = this.data.subarray(0, offs[n]!);
        if (this.kind === K_STRING && !isUtf8(data)) [offs, data] = repairUtf8(offs, data, n);
        return arrow.makeData({ type: type as arrow.Utf8, length: n, nullCount, nullBitmap, valueOffsets: offs.slice(), data: data.slice() });
      }
      case K_INT8: return arrow.makeData({ type: type as arrow.Int8, length: n, nullCount, nullBitmap, data: cut(this.i8, n) });
      case K_INT16: return arrow.makeData({ type: type as arrow.Int16, length: n, nullCount, nullBitmap, data: cut(this.i16, n) });
      case K_INT32: return arrow.makeData({ type: type as arrow.Int32, length: n, nullCount, nullBitmap, data: cut(this.i32, n) });
      case K_DATE: return arrow.makeData({ type: type as arrow.DateDay, length: n, nullCount, nullBitmap, data: cut(this.i32, n) });
      case K_INT64: return arrow.makeData({ type: type as arrow.Int64, length: n, nullCount, nullBitmap, data: cut(this.i64, n) });
      case K_TIMESTAMP: return arrow.makeData({ type: type as arrow.TimestampMicrosecond, length: n, nullCount, nullBitmap, data: cut(this.i64, n) });
      case K_FLOAT: return arrow.makeData({ type: type as arrow.Float32, length: n, nullCount, nullBitmap, data: cut(this.f32, n) });
      case K_DOUBLE: return arrow.makeData({ type: type as arrow.Float64, length: n, nullCount, nullBitmap, data: cut(this.f64, n) });
      default: return arrow.makeData({ type: type as arrow.Bool, length: n, nullCount, nullBitmap, data: trim ? this.bits.slice(0, (n + 7) >> 3) : this.bits });
    }
  }
}

/** Replaces invalid UTF-8 in each value by U+FFFD, as Java's decoder does. */
function repairUtf8(offs: Int32Array, data: Uint8Array, n: number): [Int32Array, Uint8Array] {
  const parts: Uint8Array[] = [];
  const o = new Int32Array(n + 1);
  let len = 0;
  for (let i = 0; i < n; i++) {
    const v = data.subarray(offs[i]!, offs[i + 1]!);
    const fixed = isUtf8(v) ? v : encoder.encode(utf8.decode(v));
    parts.push(fixed);
    len += fixed.length;
    o[i + 1] = len;
  }
  const d = new Uint8Array(len);
  let p = 0;
  for (const x of parts) {
    d.set(x, p);
    p += x.length;
  }
  return [o, d];
}

/** @internal Assembles a RecordBatch from finished column data. */
export function makeBatch(fields: readonly arrow.Field[], cols: readonly arrow.Data[], n: number): arrow.RecordBatch {
  const schema = new arrow.Schema([...fields]);
  const data = arrow.makeData({ type: new arrow.Struct([...fields]), length: n, nullCount: 0, children: [...cols] });
  return new arrow.RecordBatch(schema, data);
}

// ───────────────────────────────────────────── reader configuration ─────────────────────────

const CSV_READ_SPEC: Record<string, OptionKind> = {
  header: 'bool', inferSchema: 'bool', sep: 'sep', quote: 'char', escape: 'char', comment: 'char', nullValue: 'string',
  nanValue: 'string', positiveInf: 'string', negativeInf: 'string', emptyValue: 'string', dateFormat: 'format',
  timestampFormat: 'format', mode: 'mode', columnNameOfCorruptRecord: 'string', ignoreLeadingWhiteSpace: 'bool',
  ignoreTrailingWhiteSpace: 'bool', multiLine: 'bool', samplingRatio: 'ratio', enforceSchema: 'bool', encoding: 'encoding',
  lineSep: 'lineSep', preferDate: 'bool', maxColumns: 'size', timeZone: 'timeZone', _chunkSize: 'size',
};
const CSV_READ_ALIASES = { delimiter: 'sep', charset: 'encoding' };

interface CsvConfig {
  syn: CsvSyntax;
  header: boolean;
  inferSchema: boolean;
  nullValue: string;
  nullBytes: Uint8Array;
  nanBytes: Uint8Array;
  posInfBytes: Uint8Array;
  negInfBytes: Uint8Array;
  emptyValue: string;
  emptyBytes: Uint8Array;
  dateFormat: string | undefined;
  timestampFormat: string | undefined;
  mode: ParseMode;
  corruptName: string;
  samplingRatio: number;
  enforceSchema: boolean;
  preferDate: boolean;
  chunkSize: number;
}

function csvConfig(options: unknown): CsvConfig {
  const o = normalizeOptions('csv', options, CSV_READ_SPEC, CSV_READ_ALIASES);
  const str = (k: string, d: string) => (o.has(k) ? (o.get(k) as string) : d);
  const bool = (k: string, d: boolean) => (o.has(k) ? (o.get(k) as boolean) : d);
  const syn: CsvSyntax = {
    sep: str('sep', ','),
    quote: str('quote', '"'),
    escape: str('escape', '\\'),
    comment: str('comment', ''),
    lineSep: o.get('lineSep') as string | undefined,
    multiLine: bool('multiLine', false),
    trimLead: bool('ignoreLeadingWhiteSpace', false),
    trimTrail: bool('ignoreTrailingWhiteSpace', false),
    maxColumns: o.has('maxColumns') ? (o.get('maxColumns') as number) : 20480,
  };
  if (syn.quote !== '' && syn.sep.startsWith(syn.quote)) throw Errors.invalidArg('csv', 'option quote', 'a quote character different from the separator', syn.quote);
  const nullValue = str('nullValue', '');
  const emptyValue = str('emptyValue', '');
  return {
    syn,
    header: bool('header', false),
    inferSchema: bool('inferSchema', false),
    nullValue,
    nullBytes: encoder.encode(nullValue),
    nanBytes: encoder.encode(str('nanValue', 'NaN')),
    posInfBytes: encoder.encode(str('positiveInf', 'Inf')),
    negInfBytes: encoder.encode(str('negativeInf', '-Inf')),
    emptyValue,
    emptyBytes: encoder.encode(emptyValue),
    dateFormat: o.get('dateFormat') as string | undefined,
    timestampFormat: o.get('timestampFormat') as string | undefined,
    mode: (o.get('mode') as ParseMode | undefined) ?? 'PERMISSIVE',
    corruptName: str('columnNameOfCorruptRecord', '_corrupt_record'),
    samplingRatio: o.has('samplingRatio') ? (o.get('samplingRatio') as number) : 1,
    enforceSchema: bool('enforceSchema', true),
    preferDate: bool('preferDate', true),
    chunkSize: o.has('_chunkSize') ? (o.get('_chunkSize') as number) : 4 << 20,
  };
}

// ───────────────────────────────────────────── schema inference ─────────────────────────────

const T_NULL = 0;
const T_INT = 1;
const T_LONG = 2;
const T_DOUBLE = 3;
const T_DATE = 4;
const T_TIMESTAMP = 5;
const T_BOOL = 6;
const T_STRING = 7;
const LENIENT_DATE_FORMATS = new Set(['yyyy-MM-dd', 'yyyy-M-d', 'yyyy-M-dd', 'yyyy-MM-d', 'yyyy-MM', 'yyyy-M', 'yyyy']);

class Inferrer {
  private readonly strictDate: (s: string) => number | null;
  private readonly ts: (s: string) => number | null;
  private readonly dateTsMerge: number;

  constructor(private readonly cfg: CsvConfig) {
    const df = cfg.dateFormat ?? DEFAULT_DATE_FORMAT;
    const p = compilePattern('csv', 'dateFormat', df);
    this.strictDate = (s) => parseWithPattern(p, s);
    this.ts = makeTimestampParser('csv', cfg.timestampFormat);
    this.dateTsMerge = cfg.timestampFormat === undefined && LENIENT_DATE_FORMATS.has(df) ? T_TIMESTAMP : T_STRING;
  }

  /** CSVInferSchema.inferField on one token. */
  field(t: number, b: Uint8Array, s: number, e: number, quoted: boolean): number {
    if (s === e) {
      if (!quoted || this.cfg.emptyBytes.length === 0) return t;
      b = this.cfg.emptyBytes;
      s = 0;
      e = b.length;
    }
    if (bytesEqual(b, s, e, this.cfg.nullBytes)) return t;
    let r: number;
    switch (t) {
      case T_NULL: case T_INT: r = this.tryInt(b, s, e); break;
      case T_LONG: r = this.tryLong(b, s, e); break;
      case T_DOUBLE: r = this.tryDouble(b, s, e); break;
      case T_DATE: r = this.tryDate(b, s, e); break;
      case T_TIMESTAMP: r = this.tryTimestamp(b, s, e); break;
      case T_BOOL: r = this.tryBool(b, s, e); break;
      default: return T_STRING;
    }
    return this.merge(t, r);
  }

  merge(a: number, b: number): number {
    if (a === b) return a;
    if (a === T_NULL) return b;
    if (b === T_NULL) return a;
    if (a <= T_DOUBLE && b <= T_DOUBLE) return Math.max(a, b);
    if ((a === T_DATE && b === T_TIMESTAMP) || (a === T_TIMESTAMP && b === T_DATE)) return this.dateTsMerge;
    return T_STRING;
  }

  private tryInt(b: Uint8Array, s: number, e: number): number {
    const v = parseJavaLong(b, s, e);
    if (v === v && NUM_BIG === null && v >= -2147483648 && v <= 2147483647) return T_INT;
    return this.tryLong(b, s, e);
  }

  private tryLong(b: Uint8Array, s: number, e: number): number {
    const v = parseJavaLong(b, s, e);
    return v === v ? T_LONG : this.tryDouble(b, s, e);
  }

  private tryDouble(b: Uint8Array, s: number, e: number): number {
    parseJavaDouble(b, s, e);
    if (NUM_OK || bytesEqual(b, s, e, this.cfg.nanBytes) || bytesEqual(b, s, e, this.cfg.posInfBytes) || bytesEqual(b, s, e, this.cfg.negInfBytes)) return T_DOUBLE;
    return this.cfg.preferDate ? this.tryDate(b, s, e) : this.tryTimestamp(b, s, e);
  }

  private tryDate(b: Uint8Array, s: number, e: number): number {
    return this.strictDate(utf8String(b, s, e)) !== null ? T_DATE : this.tryTimestamp(b, s, e);
  }

  private tryTimestamp(b: Uint8Array, s: number, e: number): number {
    return this.ts(utf8String(b, s, e)) !== null ? T_TIMESTAMP : this.tryBool(b, s, e);
  }

  private tryBool(b: Uint8Array, s: number, e: number): number {
    return parseJavaBoolean(b, s, e) >= 0 ? T_BOOL : T_STRING;
  }
}

function inferredType(t: number): arrow.DataType {
  switch (t) {
    case T_INT: return Types.int();
    case T_LONG: return Types.bigint();
    case T_DOUBLE: return Types.double();
    case T_DATE: return Types.date();
    case T_TIMESTAMP: return Types.timestamp();
    case T_BOOL: return Types.boolean();
    default: return Types.string();
  }
}

/** Spark's CSVUtils/CSVDataSource.makeSafeHeader (case-insensitive duplicates get their index). */
function safeHeader(names: (string | null)[], cfg: CsvConfig): string[] {
  if (!cfg.header) return names.map((_, i) => `_c${i}`);
  const lower = names.filter((x): x is string => x !== null).map((x) => x.toLowerCase());
  const counts = new Map<string, number>();
  for (const l of lower) counts.set(l, (counts.get(l) ?? 0) + 1);
  return names.map((v, i) => {
    if (v === null || v === '' || v === cfg.nullValue) return `_c${i}`;
    if ((counts.get(v.toLowerCase()) ?? 0) > 1) return `${v}${i}`;
    return v;
  });
}

/** A header token as univocity hands it over: unquoted empty → nullValue, quoted empty → emptyValue. */
function headerToken(rd: RecordReader, i: number, cfg: CsvConfig): string | null {
  const t = rd.tok;
  if (t.starts[i] === t.ends[i]) return t.flags[i]! & F_QUOTED ? cfg.emptyValue : cfg.nullValue;
  return rd.tokenString(i);
}

async function inferCsvSchema(files: readonly string[], cfg: CsvConfig): Promise<arrow.Schema> {
  let names: string[] | null = null;
  let types: Uint8Array | null = null;
  const inferrer = new Inferrer(cfg);
  const take = sampler(cfg.samplingRatio);
  for (const file of files) {
    const rd = new RecordReader(file, new Tokenizer(cfg.syn), cfg.chunkSize, 'csv');
    await rd.open();
    try {
      let first = true;
      for (;;) {
        const r = rd.nextRecord();
        if (r === TOK_MORE) {
          await rd.fill();
          continue;
        }
        if (r === TOK_EOF) break;
        const tok = rd.tok;
        if (tok.tooManyColumns) throw tooManyColumns(file, rd.line, cfg);
        if (names === null) {
          const raw: (string | null)[] = [];
          for (let i = 0; i < tok.n; i++) raw.push(headerToken(rd, i, cfg));
          names = safeHeader(raw, cfg);
          types = new Uint8Array(names.length);
          if (!cfg.inferSchema) return stringSchema(names);
          first = false;
          if (cfg.header) continue;
        } else if (first) {
          first = false;
          if (cfg.header) continue;
        }
        if (!take()) continue;
        const n = Math.min(tok.n, types!.length);
        for (let i = 0; i < n; i++) {
          const src = tok.flags[i]! & F_SCRATCH ? tok.scratch : rd.buf;
          types![i] = inferrer.field(types![i]!, src, tok.starts[i]!, tok.ends[i]!, (tok.flags[i]! & F_QUOTED) !== 0);
        }
      }
    } finally {
      await rd.close();
    }
  }
  if (names === null) return new arrow.Schema([]);
  return new arrow.Schema(names.map((nm, i) => new arrow.Field(nm, inferredType(types![i]!), true)));
}

function stringSchema(names: string[]): arrow.Schema {
  return new arrow.Schema(names.map((n) => new arrow.Field(n, Types.string(), true)));
}

function tooManyColumns(file: string, line: number, cfg: CsvConfig): KindlingError {
  return new KindlingRangeError(`csv: record at ${file} line ${line} has more than ${cfg.syn.maxColumns} columns (option maxColumns)`);
}

// ───────────────────────────────────────────── the source ───────────────────────────────────

/**
 * Opens CSV files as a DataSource with Spark 3.5's CSV options. The schema is `schema` when
 * given, else read from the first record (header names or `_c<i>`) with every column string,
 * or inferred from all records when inferSchema is set. Scans stream the files in chunks.
 */
export async function csvSource(paths: readonly string[], options?: CsvOptions, schema?: arrow.Schema): Promise<DataSource> {
  const cfg = csvConfig(options);
  const files = await checkFiles('csv', paths);
  if (schema !== undefined && !(schema instanceof arrow.Schema)) throw Errors.invalidArg('csv', 'schema', 'an apache-arrow Schema', schema);
  const full = schema ?? (await inferCsvSchema(files, cfg));
  for (const f of full.fields) {
    if (f.name === cfg.corruptName) {
      if (!arrow.DataType.isUtf8(f.type) || !f.nullable) {
        throw new KindlingTypeError(`csv: the corrupt record column ${f.name} must be a nullable string, got ${sparkTypeName(f.type)}`, 'ERR_KINDLING_SCHEMA');
      }
    } else if (kindOf(f.type) < 0) {
      throw new KindlingTypeError(`csv: column ${f.name} has type ${sparkTypeName(f.type)}, which the CSV data source cannot read (atomic types only)`, 'ERR_KINDLING_SCHEMA');
    }
  }
  const shown = files.length <= 3 ? files.join(', ') : `${files.slice(0, 3).join(', ')}, … ${files.length} files`;
  return {
    schema: full,
    description: `csv [${shown}]`,
    files,
    scan: (scan?: ScanOptions) => scanCsv(files, cfg, full, scan),
  };
}

function scanPlan(api: string, full: arrow.Schema, scan: ScanOptions | undefined): { fields: arrow.Field[]; batchSize: number } {
  if (scan !== undefined && (typeof scan !== 'object' || scan === null)) throw Errors.invalidArg(api, 'scan options', 'an object', scan);
  const batchSize = scan?.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw Errors.outOfRange(api, 'batchSize', 'an integer >= 1', batchSize);
  let fields = full.fields;
  if (scan?.columns !== undefined) {
    if (!Array.isArray(scan.columns)) throw Errors.invalidArg(api, 'columns', 'an array of column names', scan.columns);
    fields = scan.columns.map((c) => {
      const f = full.fields.find((x) => x.name === c);
      if (!f) throw new KindlingTypeError(`${api}: unknown column ${JSON.stringify(c)} in columns (schema has: ${full.fields.map((x) => x.name).join(', ')})`, 'ERR_KINDLING_SCHEMA');
      return f;
    });
  }
  return { fields, batchSize };
}

/** @internal The scan-option check, shared with the JSON reader. */
export const _scanPlan = scanPlan;

function scanCsv(files: readonly string[], cfg: CsvConfig, full: arrow.Schema, scan: ScanOptions | undefined): AsyncIterable<arrow.RecordBatch> {
  const { fields, batchSize } = scanPlan('csv', full, scan);
  return {
    [Symbol.asyncIterator]: () => csvBatches(files, cfg, full, fields, batchSize),
  };
}

async function* csvBatches(files: readonly string[], cfg: CsvConfig, full: arrow.Schema, fields: arrow.Field[], batchSize: number): AsyncGenerator<arrow.RecordBatch> {
  const dataFields = full.fields.filter((f) => f.name !== cfg.corruptName);
  const pump = new CsvPump(cfg, full, dataFields, fields, batchSize);
  for (const file of files) {
    const rd = new RecordReader(file, new Tokenizer(cfg.syn), cfg.chunkSize, 'csv');
    await rd.open();
    try {
      pump.startFile(rd);
      for (;;) {
        const st = pump.run();
        if (st === TOK_MORE) await rd.fill();
        else if (st === TOK_EOF) break;
        else yield pump.takeBatch();
      }
    } finally {
      await rd.close();
    }
  }
  if (pump.rows > 0) yield pump.takeBatch();
}

const FULL = 3;

/** Converts tokenized records into Arrow columns; the hot loop of the reader. */
class CsvPump {
  rows = 0;
  private cols: ColBuilder[] = [];
  private readonly kinds: Int32Array;
  private readonly tokIdx: Int32Array;
  private readonly nData: number;
  private rd: RecordReader | null = null;
  private firstRecord = true;
  private readonly parseDate: (s: string) => number | null;
  private readonly parseTs: (s: string) => number | null;
  private readonly strictMode: boolean;
  private badWhat = '';
  /** First bytes of nanValue / positiveInf / negativeInf (a quick pre-test before comparing). */
  private readonly specialFirst = new Uint8Array(256);

  constructor(
    private readonly cfg: CsvConfig,
    private readonly full: arrow.Schema,
    private readonly dataFields: arrow.Field[],
    private readonly fields: arrow.Field[],
    private readonly batchSize: number,
  ) {
    this.nData = dataFields.length;
    this.kinds = new Int32Array(fields.length);
    this.tokIdx = new Int32Array(fields.length);
    fields.forEach((f, k) => {
      const corrupt = f.name === cfg.corruptName;
      this.kinds[k] = corrupt ? K_STRING : kindOf(f.type);
      this.tokIdx[k] = corrupt ? -1 : dataFields.indexOf(f);
    });
    this.parseDate = makeDateParser('csv', cfg.dateFormat);
    this.parseTs = makeTimestampParser('csv', cfg.timestampFormat);
    this.strictMode = cfg.mode !== 'PERMISSIVE';
    for (const x of [cfg.nanBytes, cfg.posInfBytes, cfg.negInfBytes]) if (x.length > 0) this.specialFirst[x[0]!] = 1;
    this.newBuilders();
  }

  private newBuilders(): void {
    this.cols = this.fields.map((f, k) => new ColBuilder(this.kinds[k]!, f, this.batchSize));
    this.rows = 0;
  }

  startFile(rd: RecordReader): void {
    this.rd = rd;
    this.firstRecord = true;
  }

  takeBatch(): arrow.RecordBatch {
    const n = this.rows;
    const batch = makeBatch(this.fields, this.cols.map((c) => c.finish(n)), n);
    this.newBuilders();
    return batch;
  }

  /** Processes records until the batch is full (FULL), more bytes are needed (TOK_MORE) or the file ends (TOK_EOF). */
  run(): number {
    const rd = this.rd!;
    const tok = rd.tok;
    const cfg = this.cfg;
    const ncols = this.cols.length;
    for (;;) {
      if (this.rows >= this.batchSize) return FULL;
      const r = rd.nextRecord();
      if (r !== TOK_RECORD) return r;
      if (tok.tooManyColumns) throw tooManyColumns(rd.file, rd.line, cfg);
      if (this.firstRecord) {
        this.firstRecord = false;
        if (cfg.header) {
          this.checkHeader(rd);
          continue;
        }
      }
      const row = this.rows;
      if (ncols === 0) {
        this.rows++;
        continue;
      }
      const ntok = tok.n;
      let bad = ntok !== this.nData || tok.unterminated >= 0;
      let firstBad = -1;
      const tokIdx = this.tokIdx;
      const cols = this.cols;
      const tStarts = tok.starts;
      const tEnds = tok.ends;
      const tFlags = tok.flags;
      const buf = rd.buf;
      const nullLen = cfg.nullBytes.length;
      for (let k = 0; k < ncols; k++) {
        const ti = tokIdx[k]!;
        if (ti < 0) continue;
        const col = cols[k]!;
        if (ti >= ntok) {
          col.setNull(row);
          continue;
        }
        const fl = tFlags[ti]!;
        let src = fl & F_SCRATCH ? tok.scratch : buf;
        let s = tStarts[ti]!;
        let e = tEnds[ti]!;
        if (s === e) {
          if (!(fl & F_QUOTED) || bytesEqual(cfg.emptyBytes, 0, cfg.emptyBytes.length, cfg.nullBytes)) {
            col.setNull(row);
            continue;
          }
          src = cfg.emptyBytes;
          s = 0;
          e = src.length;
        } else if (e - s === nullLen && bytesEqual(src, s, e, cfg.nullBytes)) {
          col.setNull(row);
          continue;
        }
        if (!this.convert(col, row, src, s, e)) {
          col.setNull(row);
          if (firstBad < 0) {
            firstBad = k;
            this.badWhat = `cannot parse ${quoteDatum(utf8String(src, s, e))} as ${sparkTypeName(col.field.type)} for column ${col.field.name}`;
          }
          bad = true;
        }
      }
      for (let k = 0; k < ncols; k++) {
        if (this.tokIdx[k]! >= 0) continue;
        const col = this.cols[k]!;
        if (bad) col.setBytes(row, rd.buf, tok.recStart, tok.recEnd);
        else col.setNull(row);
      }
      if (bad && this.strictMode) {
        if (cfg.mode === 'DROPMALFORMED') continue;
        throw malformedError('csv', rd.file, rd.line, this.describeBad(firstBad), cfg.mode);
      }
      this.rows++;
    }
  }

  private describeBad(firstBad: number): string {
    const tok = this.rd!.tok;
    if (tok.unterminated >= 0) {
      const name = this.dataFields[tok.unterminated]?.name ?? `_c${tok.unterminated}`;
      return `unterminated quoted field in column ${name}${this.cfg.syn.multiLine ? ' (the quote is still open at the end of the file)' : ' (a quoted value may span lines: set multiLine)'}`;
    }
    if (tok.n !== this.nData) return `expected ${this.nData} fields, found ${tok.n}`;
    return firstBad >= 0 ? this.badWhat : 'malformed record';
  }

  private checkHeader(rd: RecordReader): void {
    if (this.cfg.enforceSchema) return;
    const tok = rd.tok;
    const names: string[] = [];
    for (let i = 0; i < tok.n; i++) names.push(headerToken(rd, i, this.cfg) ?? '');
    const expected = this.dataFields.map((f) => f.name);
    if (names.length !== expected.length) {
      throw new KindlingError('ERR_KINDLING_SCHEMA', `csv: the header of ${rd.file} has ${names.length} columns but the schema has ${expected.length} (header: ${names.join(', ')}; schema: ${expected.join(', ')}; option enforceSchema=false)`);
    }
    for (let i = 0; i < names.length; i++) {
      if (names[i]!.toLowerCase() !== expected[i]!.toLowerCase()) {
        throw new KindlingError('ERR_KINDLING_SCHEMA', `csv: the header of ${rd.file} does not conform to the schema: expected ${expected[i]} but found ${names[i]} in column ${i} (header: ${names.join(', ')}; schema: ${expected.join(', ')}; option enforceSchema=false)`);
      }
    }
  }

  /** Writes one non-null datum; false when it does not parse as the column type. */
  private convert(col: ColBuilder, row: number, b: Uint8Array, s: number, e: number): boolean {
    switch (col.kind) {
      case K_STRING: case K_BINARY:
        col.setBytes(row, b, s, e);
        return true;
      case K_INT32: {
        const v = parseJavaLong(b, s, e);
        if (!(v >= -2147483648 && v <= 2147483647) || NUM_BIG !== null) return false;
        col.i32[row] = v;
        col.setValid(row);
        return true;
      }
      case K_DOUBLE: case K_FLOAT: {
        let v: number;
        const cfg = this.cfg;
        if (this.specialFirst[b[s]!] === 1 && bytesEqual(b, s, e, cfg.nanBytes)) v = NaN;
        else if (this.specialFirst[b[s]!] === 1 && bytesEqual(b, s, e, cfg.negInfBytes)) v = -Infinity;
        else if (this.specialFirst[b[s]!] === 1 && bytesEqual(b, s, e, cfg.posInfBytes)) v = Infinity;
        else {
          v = parseJavaDouble(b, s, e);
          if (!NUM_OK) return false;
        }
        if (col.kind === K_DOUBLE) col.f64[row] = v;
        else col.f32[row] = v;
        col.setValid(row);
        return true;
      }
      case K_INT64: {
        const v = parseJavaLong(b, s, e);
        if (v !== v) return false;
        col.setInt64(row, v, NUM_BIG);
        return true;
      }
      case K_INT8: case K_INT16: {
        const v = parseJavaLong(b, s, e);
        const lim = col.kind === K_INT8 ? 128 : 32768;
        if (!(v >= -lim && v < lim)) return false;
        if (col.kind === K_INT8) col.i8[row] = v;
        else col.i16[row] = v;
        col.setValid(row);
        return true;
      }
      case K_BOOL: {
        const v = parseJavaBoolean(b, s, e);
        if (v < 0) return false;
        col.setBool(row, v);
        return true;
      }
      case K_DATE: {
        const d = this.parseDate(utf8String(b, s, e));
        if (d === null) return false;
        col.i32[row] = d;
        col.setValid(row);
        return true;
      }
      case K_TIMESTAMP: {
        const us = this.parseTs(utf8String(b, s, e));
        if (us === null) return false;
        col.setInt64(row, us, Math.abs(us) > Number.MAX_SAFE_INTEGER ? BigInt(us) : null);
        return true;
      }
    }
    return false;
  }
}

// ───────────────────────────────────────────── writing ──────────────────────────────────────

/** @internal Reads the values of one column of a batch as JS values (null for nulls). */
export type CellReader = (i: number) => unknown;

const b64 = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength).toString('base64');

/**
 * @internal Value accessors over Arrow data for the writers: numbers, bigints (int64), strings,
 * booleans, {days} for dates, {micros} for timestamps, Uint8Array for binary, arrays, objects.
 */
export function cellReader(api: string, name: string, data: arrow.Data, allowNested: boolean): CellReader {
  const t = data.type;
  const off = data.offset;
  const bm = data.nullBitmap;
  const isNull = (i: number) => bm !== undefined && bm !== null && bm.length > 0 && ((bm[(off + i) >> 3]! >> ((off + i) & 7)) & 1) === 0;
  const withNull = (f: (j: number) => unknown): CellReader => (i) => (isNull(i) ? null : f(off + i));
  if (arrow.DataType.isNull(t)) return () => null;
  if (arrow.DataType.isDictionary(t)) {
    const dict = data.dictionary!;
    const idx = data.values as ArrayLike<number | bigint>;
    return withNull((j) => dict.get(Number(idx[j]!)));
  }
  if (arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t) || arrow.DataType.isBinary(t) || arrow.DataType.isLargeBinary(t)) {
    const vo = data.valueOffsets as ArrayLike<number | bigint>;
    const v = data.values as Uint8Array;
    const binary = arrow.DataType.isBinary(t) || arrow.DataType.isLargeBinary(t);
    if (binary) return withNull((j) => v.subarray(Number(vo[j]!), Number(vo[j + 1]!)));
    return withNull((j) => utf8.decode(v.subarray(Number(vo[j]!), Number(vo[j + 1]!))));
  }
  if (arrow.DataType.isBool(t)) {
    const v = data.values as Uint8Array;
    return withNull((j) => ((v[j >> 3]! >> (j & 7)) & 1) === 1);
  }
  if (arrow.DataType.isInt(t)) {
    const v = data.values as ArrayLike<number | bigint>;
    return withNull((j) => v[j]);
  }
  if (arrow.DataType.isFloat(t)) {
    const v = data.values as ArrayLike<number>;
    if (t.precision === arrow.Precision.HALF) return withNull((j) => arrow.util.uint16ToFloat64(v[j]!));
    return withNull((j) => v[j]);
  }
  if (arrow.DataType.isDate(t)) {
    const v = data.values as ArrayLike<number | bigint>;
    if (t.unit === arrow.DateUnit.DAY) return withNull((j) => ({ days: Number(v[j]!) }));
    return withNull((j) => ({ days: Math.floor(Number(v[j]!) / 86_400_000) }));
  }
  if (arrow.DataType.isTimestamp(t)) {
    const v = data.values as ArrayLike<number | bigint>;
    const f = t.unit === arrow.TimeUnit.SECOND ? 1e6 : t.unit === arrow.TimeUnit.MILLISECOND ? 1e3 : t.unit === arrow.TimeUnit.MICROSECOND ? 1 : 1e-3;
    return withNull((j) => ({ micros: f === 1 ? Number(v[j]!) : Math.floor(Number(v[j]!) * f) }));
  }
  if (allowNested && (arrow.DataType.isList(t) || arrow.DataType.isFixedSizeList(t))) {
    const child = data.children[0]!;
    const cr = cellReader(api, name, child, true);
    if (arrow.DataType.isFixedSizeList(t)) {
      const size = t.listSize;
      return (i) => {
        if (isNull(i)) return null;
        const out: unknown[] = [];
        for (let k = 0; k < size; k++) out.push(cr((i + off) * size + k - child.offset));
        return out;
      };
    }
    const vo = data.valueOffsets as Int32Array;
    return (i) => {
      if (isNull(i)) return null;
      const out: unknown[] = [];
      for (let k = vo[off + i]!; k < vo[off + i + 1]!; k++) out.push(cr(k));
      return out;
    };
  }
  if (allowNested && arrow.DataType.isStruct(t)) {
    const readers = data.children.map((c, k) => cellReader(api, `${name}.${t.children[k]!.name}`, c, true));
    const names = t.children.map((f) => f.name);
    return (i) => {
      if (isNull(i)) return null;
      const o: [string, unknown][] = [];
      for (let k = 0; k < readers.length; k++) o.push([names[k]!, readers[k]!(i)]);
      return o;
    };
  }
  throw new KindlingTypeError(`${api}: cannot write column ${name} of type ${sparkTypeName(t)} (${api === 'csv' ? 'the CSV data source supports atomic types only' : 'unsupported type'})`, 'ERR_KINDLING_SCHEMA');
}

/** @internal Buffered text output to one file. */
export class TextSink {
  private parts: string[] = [];
  private size = 0;
  private constructor(private readonly fh: fs.promises.FileHandle, private readonly file: string, private readonly api: string) {}

  static async open(api: string, file: string): Promise<TextSink> {
    if (typeof file !== 'string' || file === '') throw Errors.invalidArg(api, 'file', 'a file path', file);
    try {
      return new TextSink(await fs.promises.open(file, 'w'), file, api);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      throw new KindlingError('ERR_KINDLING_INVALID_ARG', `${api}: cannot write ${file}: ${msg}`, { cause: e });
    }
  }

  push(s: string): void {
    this.parts.push(s);
    this.size += s.length;
  }

  get pending(): number {
    return this.size;
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    try {
      await this.fh.write(text, null, 'utf8');
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      throw new KindlingError('ERR_KINDLING_INVALID_ARG', `${this.api}: cannot write ${this.file}: ${msg}`, { cause: e });
    }
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.fh.close();
    }
  }
}

/** @internal Iterates sync or async batch sources, checking each is a RecordBatch matching the schema. */
export async function* eachBatch(api: string, schema: arrow.Schema, batches: AsyncIterable<arrow.RecordBatch> | Iterable<arrow.RecordBatch>): AsyncGenerator<arrow.RecordBatch> {
  if (batches === null || typeof batches !== 'object' || (!(Symbol.asyncIterator in batches) && !(Symbol.iterator in batches))) {
    throw Errors.invalidArg(api, 'batches', 'an iterable of RecordBatches', batches);
  }
  for await (const b of batches as AsyncIterable<arrow.RecordBatch>) {
    if (!(b instanceof arrow.RecordBatch)) throw Errors.invalidArg(api, 'batch', 'an apache-arrow RecordBatch', b);
    if (b.numCols !== schema.fields.length) {
      throw new KindlingTypeError(`${api}: a batch has ${b.numCols} columns but the schema has ${schema.fields.length}`, 'ERR_KINDLING_SCHEMA');
    }
    yield b;
  }
}

const CSV_WRITE_SPEC: Record<string, OptionKind> = {
  header: 'bool', sep: 'sep', quote: 'char', escape: 'char', nullValue: 'string', emptyValue: 'string', quoteAll: 'bool',
  escapeQuotes: 'bool', dateFormat: 'format', timestampFormat: 'format', ignoreLeadingWhiteSpace: 'bool',
  ignoreTrailingWhiteSpace: 'bool', lineSep: 'lineSep', encoding: 'encoding', compression: 'compression', timeZone: 'timeZone',
};

interface CsvWriteConfig {
  sep: string;
  quote: string;
  escape: string;
  escEsc: string;
  nullValue: string;
  emptyValue: string;
  quoteAll: boolean;
  escapeQuotes: boolean;
  trimLead: boolean;
  trimTrail: boolean;
}

/** One value as univocity's CsvWriter (Spark's settings) writes it; null → nullValue. */
function csvCell(v: string | null, w: CsvWriteConfig): string {
  const quoteAll = w.quoteAll;
  if (v === null) {
    if (quoteAll) return w.nullValue === '' ? `${w.quote}${w.quote}` : csvQuoted(w.nullValue, w);
    return w.nullValue === '' ? '' : csvCell(w.nullValue, { ...w, nullValue: '' });
  }
  let s = 0;
  let e = v.length;
  if (w.trimLead) while (s < e && v.charCodeAt(s) <= 32 && v.charCodeAt(s) > 0) s++;
  if (w.trimTrail) while (e > s && v.charCodeAt(e - 1) <= 32 && v.charCodeAt(e - 1) > 0) e--;
  if (s === e) {
    const ev = w.emptyValue;
    if (quoteAll) return `${w.quote}${w.quote}`;
    if (ev.length >= 2 && w.quote !== '' && ev.startsWith(w.quote) && ev.endsWith(w.quote)) return ev;
    return ev === '' ? '' : csvCell(ev, { ...w, emptyValue: '' });
  }
  const val = s === 0 && e === v.length ? v : v.slice(s, e);
  const q = w.quote;
  if (q !== '' && (quoteAll || val.startsWith(q))) return csvQuoted(val, w);
  const sep = w.sep;
  const esc = w.escape;
  for (let i = 0; i < val.length; i++) {
    const c = val[i]!;
    if (c === '\n' || c === '\r' || (sep.length === 1 ? c === sep : val.startsWith(sep, i))) return q === '' ? val : csvQuoted(val, w);
    if ((q !== '' && c === q) || (esc !== '' && c === esc)) {
      // from here on: quote only when a separator, line break or (escapeQuotes) a quote follows
      for (let k = i; k < val.length; k++) {
        const d = val[k]!;
        if (d === '\n' || d === '\r' || (sep.length === 1 ? d === sep : val.startsWith(sep, k)) || (w.escapeQuotes && q !== '' && d === q)) {
          return csvQuoted(val, w);
        }
      }
      return val;
    }
  }
  return val;
}

function csvQuoted(val: string, w: CsvWriteConfig): string {
  const q = w.quote;
  if (q === '') return val;
  let out = q;
  let last = 0;
  for (let i = 0; i < val.length; i++) {
    const c = val[i]!;
    if (c === q) {
      out += val.slice(last, i) + (w.escape === '' ? q : w.escape) + q;
      last = i + 1;
    } else if (w.escEsc !== '' && c === w.escape) {
      out += val.slice(last, i) + w.escEsc + c;
      last = i + 1;
    }
  }
  return out + val.slice(last) + q;
}

/**
 * Writes one CSV part file as Spark's CSV writer does (UnivocityGenerator): no header unless
 * header=true, values trimmed and quoted only when needed, quotes escaped with the escape
 * character, nulls as nullValue (empty), empty strings as emptyValue (`""`), doubles as
 * Java's Double.toString, dates `yyyy-MM-dd`, timestamps `yyyy-MM-dd'T'HH:mm:ss.SSSXXX` (UTC).
 */
export async function writeCsvPart(
  file: string,
  schema: arrow.Schema,
  batches: AsyncIterable<arrow.RecordBatch> | Iterable<arrow.RecordBatch>,
  options?: CsvWriteOptions,
): Promise<void> {
  const o = normalizeOptions('csv', options, CSV_WRITE_SPEC, { delimiter: 'sep', charset: 'encoding', codec: 'compression' });
  if (!(schema instanceof arrow.Schema)) throw Errors.invalidArg('csv', 'schema', 'an apache-arrow Schema', schema);
  const str = (k: string, d: string) => (o.has(k) ? (o.get(k) as string) : d);
  const bool = (k: string, d: boolean) => (o.has(k) ? (o.get(k) as boolean) : d);
  const quote = str('quote', '"');
  const escape = str('escape', '\\');
  const w: CsvWriteConfig = {
    sep: str('sep', ','),
    quote,
    escape,
    escEsc: escape !== '' && escape !== quote ? escape : '',
    nullValue: str('nullValue', ''),
    emptyValue: str('emptyValue', quote === '' ? '' : `${quote}${quote}`),
    quoteAll: bool('quoteAll', false),
    escapeQuotes: bool('escapeQuotes', true),
    trimLead: bool('ignoreLeadingWhiteSpace', true),
    trimTrail: bool('ignoreTrailingWhiteSpace', true),
  };
  const lineSep = str('lineSep', '\n');
  const datePat = compilePattern('csv', 'dateFormat', str('dateFormat', DEFAULT_DATE_FORMAT));
  const tsPat = compilePattern('csv', 'timestampFormat', str('timestampFormat', DEFAULT_TIMESTAMP_FORMAT));
  const fields = schema.fields;
  // fail on unsupported types before creating the file
  for (const f of fields) {
    const t = f.type;
    if (arrow.DataType.isList(t) || arrow.DataType.isStruct(t) || arrow.DataType.isMap(t) || arrow.DataType.isFixedSizeList(t) || arrow.DataType.isBinary(t) || arrow.DataType.isUnion(t) || arrow.DataType.isDecimal(t)) {
      throw new KindlingTypeError(`csv: cannot write column ${f.name} of type ${sparkTypeName(t)} (the CSV data source supports atomic types only)`, 'ERR_KINDLING_SCHEMA');
    }
  }
  const sink = await TextSink.open('csv', file);
  try {
    if (bool('header', false)) sink.push(fields.map((f) => csvCell(f.name, w)).join(w.sep) + lineSep);
    for await (const batch of eachBatch('csv', schema, batches)) {
      const n = batch.numRows;
      const cells = fields.map((f, k) => {
        const child = batch.data.children[k]!;
        const rd = cellReader('csv', f.name, child, false);
        const t = child.type;
        if (arrow.DataType.isFloat(t)) {
          const single = t.precision !== arrow.Precision.DOUBLE;
          return (i: number) => {
            const v = rd(i) as number | null;
            return v === null ? null : single ? javaFloatString(v) : javaDoubleString(v);
          };
        }
        if (arrow.DataType.isDate(t)) return (i: number) => {
          const v = rd(i) as { days: number } | null;
          return v === null ? null : formatWithPattern(datePat, v.days * MICROS_PER_DAY);
        };
        if (arrow.DataType.isTimestamp(t)) return (i: number) => {
          const v = rd(i) as { micros: number } | null;
          return v === null ? null : formatWithPattern(tsPat, v.micros);
        };
        return (i: number) => {
          const v = rd(i);
          return v === null || v === undefined ? null : String(v);
        };
      });
      for (let i = 0; i < n; i++) {
        let line = '';
        for (let k = 0; k < cells.length; k++) {
          if (k > 0) line += w.sep;
          line += csvCell(cells[k]!(i), w);
        }
        sink.push(line + lineSep);
        if (sink.pending > 1 << 20) await sink.flush();
      }
    }
  } finally {
    await sink.close();
  }
}
