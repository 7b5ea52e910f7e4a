/**
 * Casts with Spark's (non-ANSI) semantics: numeric conversions (double → int truncates and
 * saturates, NaN → 0; integer narrowing wraps), casts to string as Spark prints values (Java's
 * Double.toString), unparsable strings → null, strings to dates/timestamps, dates ⇄ timestamps;
 * and the coercion of a branch or argument to a common type.
 * Follows shared/ARCHITECTURE.md (Execution); number text in io/text-common/java-format.ts, date
 * and timestamp text read by Spark's lenient parsers in io/text-common/datetime-lenient.ts.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../errors.js';
import { bitmapFrom, boolAt, makeBool, makePrimitive, nullData, fromValues, validityBitmap, type AnyData } from '../batch.js';
import { dateString, timestampString } from '../format.js';
import { javaDoubleString, javaFloatString } from '../../io/text-common/java-format.js';
import { sparkStringToDate, sparkStringToTimestamp } from '../../io/text-common/datetime-lenient.js';
import { isNumericType, isStringType, sparkTypeName, Types } from '../types.js';
import { StringColumnBuilder, getter, numbers, stringGetter } from './column-access.js';

/** Converts a column to another numeric type (exact for ints, Java cast semantics for doubles). */
export function toNumericType(d: AnyData, to: arrow.DataType): AnyData {
  const from = sparkTypeName(d.type);
  const name = sparkTypeName(to);
  if (from === name) return d;
  const n = d.length;
  const bitmap = validityBitmap(d);
  const src = d.values as ArrayLike<number | bigint>;
  const isBig = src instanceof BigInt64Array;
  switch (name) {
    case 'double': case 'float': {
      const out = name === 'double' ? new Float64Array(n) : new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = Number(src[i]!);
      return makePrimitive(to, out, bitmap);
    }
    case 'bigint': {
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        const x = src[i]!;
        out[i] = typeof x === 'bigint' ? x : Number.isNaN(x) ? 0n : x >= 9.223372036854776e18 ? 9223372036854775807n : x <= -9.223372036854776e18 ? -9223372036854775808n : BigInt(Math.trunc(x));
      }
      return makePrimitive(to, out, bitmap);
    }
    default: {
      const bits = name === 'int' ? 32 : name === 'smallint' ? 16 : 8;
      const out = bits === 32 ? new Int32Array(n) : bits === 16 ? new Int16Array(n) : new Int8Array(n);
      const lo = -(2 ** (bits - 1));
      const hi = 2 ** (bits - 1) - 1;
      for (let i = 0; i < n; i++) {
        const x = src[i]!;
        if (isBig || typeof x === 'bigint') out[i] = Number(BigInt.asIntN(bits, x as bigint));
        else if (arrow.DataType.isFloat(d.type)) out[i] = Number.isNaN(x) ? 0 : bits === 32 ? Math.max(lo, Math.min(hi, Math.trunc(x))) : Math.trunc(x) | 0;
        else out[i] = x;
      }
      return makePrimitive(to, out, bitmap);
    }
  }
}

/** Spark's cast to string of one value. */
export function castToString(t: arrow.DataType, v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const name = sparkTypeName(t);
  if (name === 'double') return javaDoubleString(v as number);
  if (name === 'float') return javaFloatString(v as number);
  if (name === 'date') return dateString(v as number);
  if (name === 'timestamp') return timestampString(v as bigint);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return String(v);
}

function parseNumber(s: string, name: string): number | bigint | null {
  const t = s.trim();
  if (name === 'double' || name === 'float') {
    if (/^[+-]?(NaN|Infinity|Inf)$/i.test(t)) return /nan/i.test(t) ? NaN : t.startsWith('-') ? -Infinity : Infinity;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?$/.test(t)) return null;
    return Number(t.replace(/[dDfF]$/, ''));
  }
  if (!/^[+-]?\d+(\.\d*)?$/.test(t)) return null;
  const intPart = t.replace(/\.\d*$/, '');
  const big = BigInt(intPart);
  const bits = name === 'bigint' ? 64 : name === 'int' ? 32 : name === 'smallint' ? 16 : 8;
  const lim = 1n << BigInt(bits - 1);
  if (big < -lim || big >= lim) return null;
  return name === 'bigint' ? big : Number(big);
}

/** Casts a column to a type (Spark's cast); impossible casts throw naming both types. */
export function castColumn(api: string, d: AnyData, to: arrow.DataType): AnyData {
  const from = d.type;
  const fromName = sparkTypeName(from);
  const toName = sparkTypeName(to);
  const n = d.length;
  if (fromName === toName && !arrow.DataType.isDictionary(from)) return d;
  if (toName === 'string') {
    const get = getter(d);
    const b = new StringColumnBuilder(n);
    for (let i = 0; i < n; i++) b.push(castToString(from, get(i)));
    return b.finish();
  }
  if (arrow.DataType.isNull(from)) return nullData(to, n);
  if (isNumericType(from) && isNumericType(to)) return toNumericType(d, to);
  if (arrow.DataType.isBool(from) && isNumericType(to)) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = boolAt(d, i) ? 1 : 0;
    return toNumericType(makePrimitive(Types.double(), out, validityBitmap(d)), to);
  }
  if (isNumericType(from) && arrow.DataType.isBool(to)) {
    const x = numbers(d);
    const bits = new Uint8Array((n + 7) >> 3);
    for (let i = 0; i < n; i++) if (x[i] !== 0) bits[i >> 3]! |= 1 << (i & 7);
    return makeBool(bits, n, validityBitmap(d));
  }
  if (isStringType(from)) {
    const get = stringGetter(d);
    if (isNumericType(to)) {
      const vals: unknown[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const s = get(i);
        vals[i] = s === null ? null : parseNumber(s, toName);
      }
      return fromValues(to, vals);
    }
    if (toName === 'boolean') {
      const vals = Array.from({ length: n }, (_, i) => {
        const s = get(i)?.trim().toLowerCase();
        return s === undefined ? null : ['t', 'true', 'y', 'yes', '1'].includes(s) ? true : ['f', 'false', 'n', 'no', '0'].includes(s) ? false : null;
      });
      return fromValues(to, vals);
    }
    // Spark's DateTimeUtils.stringToDate / stringToTimestamp (session time zone UTC), the
    // parsers the CSV and JSON readers use without a dateFormat / timestampFormat.
    if (toName === 'date') {
      const out = new Int32Array(n);
      const { bitmap } = bitmapFrom((i) => {
        const s = get(i);
        const days = s === null ? null : sparkStringToDate(s);
        if (days === null) return false;
        out[i] = days;
        return true;
      }, n);
      return makePrimitive(Types.date(), out, bitmap);
    }
    if (toName === 'timestamp') {
      const out = new BigInt64Array(n);
      const { bitmap } = bitmapFrom((i) => {
        const s = get(i);
        const micros = s === null ? null : sparkStringToTimestamp(s);
        if (micros === null) return false;
        out[i] = BigInt(micros);
        return true;
      }, n);
      return makePrimitive(Types.timestamp(), out, bitmap);
    }
  }
  if (fromName === 'date' && toName === 'timestamp') {
    const src = d.values as Int32Array;
    const out = new BigInt64Array(n);
    for (let i = 0; i < n; i++) out[i] = BigInt(src[i]!) * 86_400_000_000n;
    return makePrimitive(to, out, validityBitmap(d));
  }
  if (fromName === 'timestamp' && toName === 'date') {
    const src = d.values as BigInt64Array;
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = Number((src[i]! - (((src[i]! % 86_400_000_000n) + 86_400_000_000n) % 86_400_000_000n)) / 86_400_000_000n);
    return makePrimitive(to, out, validityBitmap(d));
  }
  throw Errors.schema(`${api}: cannot cast ${fromName} to ${toName}`);
}

/** Brings a column to a common type: null → typed nulls, numbers widened, dictionary strings decoded. */
export function coerce(api: string, d: AnyData, to: arrow.DataType): AnyData {
  if (arrow.DataType.isNull(d.type)) return nullData(to, d.length);
  if (isNumericType(d.type) && isNumericType(to)) return toNumericType(d, to);
  if (isStringType(d.type) && arrow.DataType.isDictionary(d.type)) return castColumn(api, d, Types.string());
  return d;
}
