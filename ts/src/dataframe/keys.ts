/**
 * Arrow columns as the native relational kernels' inputs: key columns for group ids and hash
 * joins, sort keys for argsort, hash columns for Spark's Murmur3 partitioning. Each returns
 * null for a type the kernels do not take (structs, lists …), and the caller falls back to the
 * JS path. Views only — nothing is copied except narrow integers, floats and booleans, which
 * are widened to the kernels' lane types.
 */
import * as arrow from 'apache-arrow';
import type { KeyColumn } from '../kernels/hash-group.js';
import type { HashColumn } from '../kernels/partition.js';
import type { SortKey as NativeSortKey } from '../kernels/sort.js';
import type { PackedStrings } from '../kernels/hash.js';
import { boolAt, type AnyData } from './batch.js';
import { sparkTypeName } from './types.js';
import type { Validity } from '../validate.js';

/** A column's validity as the kernels take it (bitmap + bit offset), or null when every row is valid. */
export function validityOf(d: AnyData): Validity | null {
  return d.nullCount > 0 && d.nullBitmap && d.nullBitmap.length > 0 ? { bitmap: d.nullBitmap, offset: d.offset } : null;
}

function int32Of(d: AnyData): Int32Array | null {
  const n = d.length;
  const name = sparkTypeName(d.type);
  if (name === 'int' || name === 'date') return (d.values as Int32Array).subarray(0, n);
  if (name === 'smallint' || name === 'tinyint') return Int32Array.from((d.values as Int16Array).subarray(0, n));
  if (name === 'boolean') {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = boolAt(d, i) ? 1 : 0;
    return out;
  }
  if (arrow.DataType.isDictionary(d.type)) return (d.values as Int32Array).subarray(0, n);
  return null;
}

export function packedStrings(d: AnyData): PackedStrings | null {
  if (!arrow.DataType.isUtf8(d.type)) return null;
  return { bytes: d.values as Uint8Array, offsets: (d.valueOffsets as Int32Array).subarray(0, d.length + 1) };
}

/** The column as a native key column, or null. `asDouble` widens numbers (joins across numeric types). */
export function keyColumn(d: AnyData, asDouble = false): KeyColumn | null {
  const validity = validityOf(d);
  const name = sparkTypeName(d.type);
  const n = d.length;
  if (asDouble && arrow.DataType.isInt(d.type) || asDouble && name === 'float') {
    const src = d.values as ArrayLike<number | bigint>;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = Number(src[i]!);
    return { kind: 'f64', values: out, validity };
  }
  if (name === 'double') return { kind: 'f64', values: (d.values as Float64Array).subarray(0, n), validity };
  if (name === 'float') return { kind: 'f64', values: Float64Array.from((d.values as Float32Array).subarray(0, n)), validity };
  if (name === 'bigint' || name === 'timestamp') return { kind: 'i64', values: (d.values as BigInt64Array).subarray(0, n), validity };
  if (arrow.DataType.isDictionary(d.type)) return null; // codes are per dictionary: callers decode or use codes directly
  const i32 = int32Of(d);
  if (i32) return { kind: 'i32', values: i32, validity };
  const s = packedStrings(d);
  if (s) return { kind: 'string', strings: s, validity };
  return null;
}

/** The column as a native sort key, or null (then the JS comparator sorts). */
export function sortKeyOf(d: AnyData, descending: boolean, nullsFirst: boolean): NativeSortKey | null {
  const validity = validityOf(d);
  const name = sparkTypeName(d.type);
  const n = d.length;
  let values: NativeSortKey['values'] | null = null;
  if (name === 'double') values = (d.values as Float64Array).subarray(0, n);
  else if (name === 'float') values = Float64Array.from((d.values as Float32Array).subarray(0, n));
  else if (name === 'bigint' || name === 'timestamp') values = (d.values as BigInt64Array).subarray(0, n);
  else if (!arrow.DataType.isDictionary(d.type)) values = int32Of(d) ?? packedStrings(d);
  return values ? { values, validity, descending, nullsFirst } : null;
}

/** The column as one input of Spark's Murmur3Hash, or null. */
export function hashColumnOf(d: AnyData): HashColumn | null {
  const validity = validityOf(d);
  const name = sparkTypeName(d.type);
  const n = d.length;
  switch (name) {
    case 'int': case 'date': case 'smallint': case 'tinyint': return { type: 'int32', values: int32Of(d)!, validity };
    case 'bigint': case 'timestamp': return { type: 'int64', values: (d.values as BigInt64Array).subarray(0, n), validity };
    case 'double': return { type: 'float64', values: (d.values as Float64Array).subarray(0, n), validity };
    case 'float': return { type: 'float32', values: (d.values as Float32Array).subarray(0, n), validity };
    case 'boolean': {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = boolAt(d, i) ? 1 : 0;
      return { type: 'boolean', values: out, validity };
    }
    default: {
      const s = packedStrings(d);
      return s ? { type: 'string', strings: s, validity } : null;
    }
  }
}
