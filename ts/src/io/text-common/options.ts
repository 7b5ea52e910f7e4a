/**
 * Options of the text data sources (CSV and JSON), checked the way Spark 3.5's CSVOptions and
 * JSONOptions read them: names matched case-insensitively, aliases folded into their canonical
 * name, and every value validated, naming the option. One option table per reader or writer
 * (csv/options.ts, json/options.ts) is handed to normalizeOptions.
 * Follows shared/ARCHITECTURE.md ("CSV with Spark's read options and modes").
 */
import { Errors, KindlingTypeError } from '../../errors.js';
import { compilePattern } from './datetime-patterns.js';

/** A boolean option: a boolean or Spark's strings 'true' / 'false'. */
export type Flag = boolean | 'true' | 'false' | string;

/** Spark's parse modes for malformed records. */
export type ParseMode = 'PERMISSIVE' | 'DROPMALFORMED' | 'FAILFAST';

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


/** @internal Typed reads of a normalized option map, with the default when the option is absent. */
export function optionGetters(o: Map<string, unknown>): { str: (k: string, d: string) => string; bool: (k: string, d: boolean) => boolean } {
  return {
    str: (k, d) => (o.has(k) ? (o.get(k) as string) : d),
    bool: (k, d) => (o.has(k) ? (o.get(k) as boolean) : d),
  };
}
