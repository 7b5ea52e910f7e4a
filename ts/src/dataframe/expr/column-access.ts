/**
 * Reading and building columns during evaluation: numeric values as numbers, values as plain JS
 * getters (strings decoded lazily, dictionaries decoded once), validity of two operands, a
 * literal broadcast to n rows, and builders of string and typed columns from JS values.
 * Follows shared/ARCHITECTURE.md (Data: columns are Arrow Data, typed-array views, no copies).
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../errors.js';
import {
  bitmapFrom, boolAt, isValidAt, makeBool, makePrimitive, nullData, fromValues, valueAt, isFixedWidth, validityBitmap,
  type AnyData,
} from '../batch.js';
import { isStringType, sparkTypeName, Types } from '../types.js';

/** Numeric values as numbers. */
export type Num = ArrayLike<number>;

/** Numeric values as numbers (int64 via Number). */
export function numbers(d: AnyData): Num {
  const v = d.values as unknown;
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) {
    const out = new Float64Array(d.length);
    for (let i = 0; i < d.length; i++) out[i] = Number(v[i]!);
    return out;
  }
  if (arrow.DataType.isDictionary(d.type)) throw Errors.schema('eval: numeric values of a dictionary column');
  // Arrow buffers may be padded past the last row: hand out exactly `length` values
  const a = v as Float64Array;
  return a.length === d.length ? a : a.subarray(0, d.length);
}

/** The validity of a row in both a and b (null when neither has nulls). */
export function andValidity(a: AnyData, b: AnyData, n: number): Uint8Array | null {
  if (a.nullCount === 0 && b.nullCount === 0) return null;
  return bitmapFrom((i) => isValidAt(a, i) && isValidAt(b, i), n).bitmap;
}

/** A literal value repeated n times as a column of the type. */
export function broadcast(type: arrow.DataType, value: unknown, n: number): AnyData {
  if (value === null || value === undefined) return nullData(arrow.DataType.isNull(type) ? Types.string() : type, n);
  if (isFixedWidth(type)) {
    const name = sparkTypeName(type);
    const Ctor = name === 'double' ? Float64Array : name === 'float' ? Float32Array : name === 'int' || name === 'date' ? Int32Array : name === 'smallint' ? Int16Array : name === 'tinyint' ? Int8Array : BigInt64Array;
    const arr = new (Ctor as unknown as new (n: number) => { fill(v: unknown): unknown })(n);
    arr.fill(Ctor === BigInt64Array ? BigInt(value as bigint | number) : Number(value));
    return makePrimitive(type, arr as never, null);
  }
  if (arrow.DataType.isBool(type)) {
    const bits = new Uint8Array((n + 7) >> 3);
    if (value) bits.fill(0xff);
    return makeBool(bits, n, null);
  }
  return fromValues(type, new Array(n).fill(value));
}

/** Strings of a string or dictionary column as a getter (null for nulls; ASCII decoded without TextDecoder). */
export function stringGetter(d: AnyData): (i: number) => string | null {
  if (arrow.DataType.isDictionary(d.type)) {
    const dict = d.dictionary!;
    const decoded: Array<string | null> = new Array(dict.length);
    for (let i = 0; i < dict.length; i++) decoded[i] = dict.get(i) as string | null;
    const codes = d.values as Int32Array;
    return (i) => (isValidAt(d, i) ? decoded[codes[i]!]! : null);
  }
  const off = d.valueOffsets as Int32Array;
  const bytes = d.values as Uint8Array;
  const dec = new TextDecoder();
  return (i) => {
    if (!isValidAt(d, i)) return null;
    const s = off[i]!;
    const e = off[i + 1]!;
    if (e - s < 24) {
      let ascii = true;
      let out = '';
      for (let k = s; k < e; k++) {
        const c = bytes[k]!;
        if (c > 127) { ascii = false; break; }
        out += String.fromCharCode(c);
      }
      if (ascii) return out;
    }
    return dec.decode(bytes.subarray(s, e));
  };
}

/** Values of any column as a getter of plain JS comparable values (numbers, strings, booleans). */
export function getter(d: AnyData): (i: number) => unknown {
  if (isStringType(d.type)) return stringGetter(d);
  const t = d.type;
  if (arrow.DataType.isBool(t)) return (i) => (isValidAt(d, i) ? boolAt(d, i) : null);
  if (isFixedWidth(t)) {
    const v = d.values as ArrayLike<number | bigint>;
    return (i) => (isValidAt(d, i) ? v[i]! : null);
  }
  return (i) => valueAt(d, i);
}

/** Builds a Utf8 column row by row (null or string). */
export class StringColumnBuilder {
  private offsets: Int32Array;
  private bytes: Uint8Array;
  private valid: Uint8Array;
  private n = 0;
  private pos = 0;
  private nulls = 0;
  private readonly enc = new TextEncoder();

  constructor(capacity: number) {
    this.offsets = new Int32Array(capacity + 1);
    this.bytes = new Uint8Array(Math.max(64, capacity * 8));
    this.valid = new Uint8Array((capacity + 7) >> 3);
  }

  push(s: string | null): void {
    const i = this.n++;
    if (s === null) {
      this.nulls++;
    } else {
      this.valid[i >> 3]! |= 1 << (i & 7);
      const need = this.pos + s.length * 3;
      if (need > this.bytes.length) {
        const grown = new Uint8Array(Math.max(need, this.bytes.length * 2));
        grown.set(this.bytes.subarray(0, this.pos));
        this.bytes = grown;
      }
      this.pos += this.enc.encodeInto(s, this.bytes.subarray(this.pos)).written;
    }
    this.offsets[i + 1] = this.pos;
  }

  finish(): AnyData {
    return arrow.makeData({
      type: new arrow.Utf8(), length: this.n, valueOffsets: this.offsets.subarray(0, this.n + 1), data: this.bytes.subarray(0, this.pos),
      nullBitmap: this.nulls > 0 ? this.valid : undefined, nullCount: this.nulls,
    });
  }
}

/** A string column mapped row by row (nulls stay null). */
export function mapStrings(d: AnyData, f: (s: string) => string | null): AnyData {
  const get = stringGetter(d);
  const b = new StringColumnBuilder(d.length);
  for (let i = 0; i < d.length; i++) {
    const s = get(i);
    b.push(s === null ? null : f(s));
  }
  return b.finish();
}

/** A numeric column mapped row by row to doubles (validity kept). */
export function mapDoubles(d: AnyData, f: (x: number) => number): AnyData {
  const x = numbers(d);
  const n = d.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = f(x[i]!);
  return makePrimitive(Types.double(), out, validityBitmap(d));
}

/** Builds a typed column from values already in that type's JS form (numbers/bigints/strings …). */
export function fromTyped(type: arrow.DataType, vals: unknown[]): AnyData {
  const name = sparkTypeName(type);
  if (name === 'date') {
    const out = new Int32Array(vals.length);
    const { bitmap } = bitmapFrom((i) => vals[i] !== null && vals[i] !== undefined, vals.length);
    vals.forEach((v, i) => { if (v !== null && v !== undefined) out[i] = v as number; });
    return makePrimitive(type, out, bitmap);
  }
  if (name === 'timestamp') {
    const out = new BigInt64Array(vals.length);
    const { bitmap } = bitmapFrom((i) => vals[i] !== null && vals[i] !== undefined, vals.length);
    vals.forEach((v, i) => { if (v !== null && v !== undefined) out[i] = v as bigint; });
    return makePrimitive(type, out, bitmap);
  }
  return fromValues(type, vals);
}

/** Rows idx of a column (-1 → null), through JS values. */
export function takeChild(child: AnyData, idx: Int32Array): AnyData {
  const vals = Array.from(idx, (j) => (j >= 0 ? valueAt(child, j) : null));
  return fromValues(child.type, vals);
}
