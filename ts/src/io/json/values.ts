/**
 * Parsed JSON values, kept with what JSON.parse would throw away and Spark's results depend on:
 * a number's literal text and whether it was an integer, a fraction or a NaN/Infinity token, and
 * an object's keys in document order (duplicates kept). Also the JSON text of such values as
 * Jackson writes it (what a string column receives for non-string JSON) and jsonQuote.
 * Follows shared/ARCHITECTURE.md (Interoperability); Spark's JacksonParser / JacksonGenerator.
 */


/** A number with its literal text: kind 0 integer, 1 fraction/exponent, 2 NaN/Infinity token. */
export class JNum {
  constructor(readonly raw: string, readonly kind: 0 | 1 | 2) {}
}
/** An object: keys in document order (duplicates kept; readers take the last). */
export class JObj {
  keys: string[] = [];
  vals: JV[] = [];
}
/** A parsed JSON value. */
export type JV = null | boolean | string | JNum | JV[] | JObj;

/** A document that is not JSON under the reader's settings (the message says where). */
export class JsonSyntaxError extends Error {}

/** True when an integer literal fits a bigint (Java's long). */
export function fitsLong(raw: string): boolean {
  const digits = raw.replace(/^-/, '');
  if (digits.length < 19) return true;
  if (digits.length > 19) return false;
  const v = BigInt(raw);
  return v >= -(2n ** 63n) && v <= 2n ** 63n - 1n;
}

const HEX = '0123456789ABCDEF';
/** A JSON string literal as Jackson writes it (control characters escaped, non-ASCII kept). */
export function jsonQuote(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/["\\\u0000-\u001f]/.test(s)) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) out += '\\"';
    else if (c === 92) out += '\\\\';
    else if (c >= 32) out += s[i];
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else out += `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
  }
  return out + '"';
}

/** Compact JSON text of a parsed value (what Spark stores when a string column receives non-string JSON). */
export function jsonText(v: JV): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return jsonQuote(v);
  if (v instanceof JNum) {
    if (v.kind === 2) return jsonQuote(v.raw === 'NaN' ? 'NaN' : v.raw.startsWith('-') ? '-Infinity' : 'Infinity');
    return v.kind === 0 && v.raw === '-0' ? '0' : v.raw;
  }
  if (Array.isArray(v)) return `[${v.map(jsonText).join(',')}]`;
  const parts: string[] = [];
  for (let i = 0; i < v.keys.length; i++) parts.push(`${jsonQuote(v.keys[i]!)}:${jsonText(v.vals[i]!)}`);
  return `{${parts.join(',')}}`;
}

/** Short JSON text of a value for messages. */
export function describeJson(v: JV): string {
  const t = jsonText(v);
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}
