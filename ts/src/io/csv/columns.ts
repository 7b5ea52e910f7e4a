/**
 * Arrow column builders for the CSV reader: one fixed-capacity builder per output column, filled
 * row by row straight into typed arrays (Int8/16/32, BigInt64, Float32/64, bit-packed booleans,
 * string offsets + UTF-8 bytes, validity bitmaps); rows can be overwritten, so dropping a
 * malformed record costs nothing. Invalid UTF-8 becomes U+FFFD, as Java's decoder does.
 * Follows shared/ARCHITECTURE.md (Data: partitions are Arrow RecordBatches).
 */
import { isUtf8 } from 'node:buffer';
import * as arrow from 'apache-arrow';
import { countNulls } from '../../dataframe/batch.js';

/** Column kinds the CSV source reads (atomic types only); -1 from kindOf for anything else. */
export const K_STRING = 0;
export const K_INT8 = 1;
export const K_INT16 = 2;
export const K_INT32 = 3;
export const K_INT64 = 4;
export const K_FLOAT = 5;
export const K_DOUBLE = 6;
export const K_BOOL = 7;
export const K_DATE = 8;
export const K_TIMESTAMP = 9;
export const K_BINARY = 10;

export function kindOf(t: arrow.DataType): number {
  if (arrow.DataType.isUtf8(t)) return K_STRING;
  if (arrow.DataType.isBinary(t)) return K_BINARY;
  if (arrow.DataType.isBool(t)) return K_BOOL;
  if (arrow.DataType.isInt(t) && t.isSigned) return t.bitWidth === 8 ? K_INT8 : t.bitWidth === 16 ? K_INT16 : t.bitWidth === 32 ? K_INT32 : K_INT64;
  if (arrow.DataType.isFloat(t) && t.precision !== arrow.Precision.HALF) return t.precision === arrow.Precision.DOUBLE ? K_DOUBLE : K_FLOAT;
  if (arrow.DataType.isDate(t) && t.unit === arrow.DateUnit.DAY) return K_DATE;
  if (arrow.DataType.isTimestamp(t) && t.unit === arrow.TimeUnit.MICROSECOND) return K_TIMESTAMP;
  return -1;
}


const utf8 = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/** A fixed-capacity column being filled row by row (rows can be overwritten: rollback is free). */
export class ColBuilder {
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
    const nullCount = countNulls(this.valid, n);
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

