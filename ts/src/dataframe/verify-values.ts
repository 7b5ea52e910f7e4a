/**
 * The one check of JS values against a column type before `createDataFrame` builds a column
 * (PySpark's `verifySchema=True`, its `_make_type_verifier`): a verifier is made once per type
 * (nested types recursively) and then run on every value; it returns what is wrong with a value
 * (the nested path, the type, why) or null. Accepted values, per Spark type (docs/ARCHITECTURE.md
 * "Errors"; types as in types.ts):
 *   boolean                       booleans
 *   tinyint, smallint, int        whole numbers and bigints within the type's range
 *   bigint                        bigints and whole numbers within [-2^63, 2^63 - 1]
 *   float, double                 numbers (NaN and ±Infinity included); a finite number beyond
 *                                 the float range is refused (it would become ±Infinity)
 *   string / binary               strings / Uint8Arrays (Buffers)
 *   date                          valid Dates, date strings (Date.parse), whole day numbers
 *   timestamp                     valid Dates, date strings, whole epoch milliseconds
 *   array<T>                      arrays and typed arrays; each element checked against T
 *   vector                        Float64Arrays, vector objects (DenseVector/SparseVector by
 *                                 shape), arrays of numbers; a dense column also checks the size
 *   struct<…> / map<K,V>          objects (each field checked; a missing one is null) / Maps
 *                                 (or objects, when K is string)
 * Nulls (null or undefined) are refused where the field, element or value is declared NOT NULL.
 */
import * as arrow from 'apache-arrow';
import { describeValue } from '../errors.js';
import { isVectorType, sparkTypeName } from './types.js';

/** What is wrong with a value: where inside it ('' = the value itself, '.b', '[2]'), that place's type, and why. */
export interface BadValue {
  path: string;
  type: string;
  why: string;
}

/** Checks one value; null when it fits. */
export type Verifier = (v: unknown) => BadValue | null;

export type VectorLike = { sparse: false; values: ArrayLike<number> } | { sparse: true; size: number; indices: ArrayLike<number>; values: ArrayLike<number> };

/** Float64Arrays and vector objects (kindling/ml's DenseVector/SparseVector, by shape: ts/src does not import ts/ml). */
export function vectorLike(v: unknown): VectorLike | null {
  if (v instanceof Float64Array) return { sparse: false, values: v };
  if (v === null || typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v)) return null;
  const o = v as { toArray?: unknown; size?: unknown; indices?: unknown; values?: unknown };
  if (typeof o.toArray !== 'function' || typeof o.size !== 'number') return null;
  if (arrayLike(o.indices) && arrayLike(o.values)) return { sparse: true, size: o.size, indices: o.indices as ArrayLike<number>, values: o.values as ArrayLike<number> };
  return { sparse: false, values: (o as { toArray(): ArrayLike<number> }).toArray() };
}

function arrayLike(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

const article = (name: string) => (/^[aeiou]/.test(name) ? `an ${name}` : `a ${name}`);
const INT_BITS: Record<number, string> = { 8: 'tinyint', 16: 'smallint', 32: 'int', 64: 'bigint' };
const FLOAT_MAX = 3.4028234663852886e38;
const MAX_DAYS = 100_000_000; // JS Dates span ±1e8 days around the epoch
const MAX_MS = 8.64e15;

/** A verifier for values of `type`; `nullable` says whether null (or undefined) fits. */
export function typeVerifier(type: arrow.DataType, nullable: boolean): Verifier {
  const name = sparkTypeName(type);
  const check = valueCheck(type, name);
  return (v) => {
    if (v === null || v === undefined) return nullable ? null : { path: '', type: name, why: 'is null, but it is declared NOT NULL' };
    return check(v);
  };
}

/** The check of a non-null value of `type` (`name`: its Spark name). */
function valueCheck(type: arrow.DataType, name: string): Verifier {
  const bad = (v: unknown, why: string): BadValue => ({ path: '', type: name, why: `holds ${describeValue(v)}, ${why}` });
  const not = (v: unknown, what = article(name)) => bad(v, `not ${what}`);
  if (arrow.DataType.isDictionary(type)) return valueCheck(type.dictionary, name);
  if (arrow.DataType.isBool(type)) return (v) => (typeof v === 'boolean' ? null : not(v));
  if (arrow.DataType.isInt(type)) return intCheck(type, name, bad);
  if (arrow.DataType.isFloat(type)) {
    const max = type.precision === arrow.Precision.HALF ? 65504 : type.precision === arrow.Precision.SINGLE ? FLOAT_MAX : Infinity;
    return (v) => {
      if (typeof v !== 'number') return not(v);
      return Math.abs(v) > max && Number.isFinite(v) ? bad(v, `outside the ${name} range [-${max}, ${max}]`) : null;
    };
  }
  if (arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type)) return (v) => (typeof v === 'string' ? null : not(v));
  if (arrow.DataType.isBinary(type) || arrow.DataType.isLargeBinary(type)) return (v) => (v instanceof Uint8Array ? null : not(v, 'binary (a Uint8Array)'));
  if (arrow.DataType.isDate(type) || arrow.DataType.isTimestamp(type)) {
    const days = arrow.DataType.isDate(type);
    const what = days ? 'a date (a Date, a date string or a whole day number)' : 'a timestamp (a Date, a date string or whole epoch milliseconds)';
    const limit = days ? MAX_DAYS : MAX_MS;
    return (v) => {
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? bad(v, 'an invalid Date') : null;
      if (typeof v === 'string') return Number.isNaN(Date.parse(v)) ? not(v, what) : null;
      if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) <= limit ? null : not(v, what);
      return not(v, what);
    };
  }
  if (isVectorType(type)) return vectorCheck(type, name, bad, not);
  if (arrow.DataType.isList(type) || arrow.DataType.isFixedSizeList(type)) {
    const el = type.children[0]!;
    const elem = typeVerifier(el.type, el.nullable);
    const size = arrow.DataType.isFixedSizeList(type) ? type.listSize : -1;
    return (v) => {
      if (!arrayLike(v)) return not(v, 'an array');
      if (size >= 0 && v.length !== size) return bad(v, `not an array of ${size} elements`);
      return elements(v, elem);
    };
  }
  if (arrow.DataType.isStruct(type)) return structCheck(type, not);
  if (arrow.DataType.isMap(type)) {
    const [k, val] = (type.children[0]!.type as arrow.Struct).children as [arrow.Field, arrow.Field];
    const key = typeVerifier(k.type, false);
    const value = typeVerifier(val.type, val.nullable);
    const stringKeys = arrow.DataType.isUtf8(k.type);
    return (v) => {
      const entries = v instanceof Map ? [...v.entries()] : stringKeys && typeof v === 'object' && !arrayLike(v) && !(v instanceof Date) ? Object.entries(v as object) : null;
      if (entries === null) return not(v, stringKeys ? 'a map (a Map or an object)' : 'a map (a Map)');
      for (const [kk, vv] of entries) {
        const bk = key(kk);
        if (bk !== null) return { ...bk, path: ` key${bk.path}` };
        const bv = value(vv);
        if (bv !== null) return { ...bv, path: `[${JSON.stringify(String(kk))}]${bv.path}` };
      }
      return null;
    };
  }
  if (arrow.DataType.isNull(type)) return (v) => not(v, 'null (the column holds only nulls)');
  return (v) => bad(v, `but createDataFrame cannot build ${name} values from JS values`);
}

function structCheck(type: arrow.Struct, not: (v: unknown, what?: string) => BadValue): Verifier {
  const fields = type.children.map((f) => ({ name: f.name, check: typeVerifier(f.type, f.nullable) }));
  return (v) => {
    if (typeof v !== 'object' || arrayLike(v) || v instanceof Date || v instanceof Map) return not(v, 'a struct (an object)');
    const o = v as Record<string, unknown>;
    for (const f of fields) {
      const b = f.check(o[f.name]);
      if (b !== null) return { ...b, path: `.${f.name}${b.path}` };
    }
    return null;
  };
}

function elements(v: ArrayLike<unknown>, elem: Verifier): BadValue | null {
  for (let i = 0; i < v.length; i++) {
    const b = elem(v[i]);
    if (b !== null) return { ...b, path: `[${i}]${b.path}` };
  }
  return null;
}

type Bad = (v: unknown, why: string) => BadValue;

function intCheck(type: arrow.Int, name: string, bad: Bad): Verifier {
  const w = BigInt(type.bitWidth);
  const lo = type.isSigned ? -(1n << (w - 1n)) : 0n;
  const hi = type.isSigned ? (1n << (w - 1n)) - 1n : (1n << w) - 1n;
  const range = `outside the ${type.isSigned ? name : `uint${type.bitWidth}`} range [${lo}, ${hi}]`;
  const what = article(type.isSigned ? (INT_BITS[type.bitWidth] ?? name) : `uint${type.bitWidth}`);
  return (v) => {
    if (typeof v === 'bigint') return v < lo || v > hi ? bad(v, range) : null;
    if (typeof v !== 'number') return bad(v, `not ${what}`);
    if (!Number.isInteger(v)) return bad(v, 'not a whole number');
    return v < lo || v > hi ? bad(v, range) : null; // number vs bigint compares exactly
  };
}

function vectorCheck(type: arrow.DataType, name: string, bad: Bad, not: (v: unknown, what?: string) => BadValue): Verifier {
  const size = arrow.DataType.isFixedSizeList(type) ? type.listSize : -1;
  const what = size >= 0 ? `a vector of size ${size}` : 'a vector';
  const number = typeVerifier(new arrow.Float64(), false);
  const index = typeVerifier(new arrow.Int32(), false);
  const struct = arrow.DataType.isStruct(type) ? structCheck(type, not) : null;
  return (v) => {
    const vl = vectorLike(v) ?? (Array.isArray(v) ? { sparse: false as const, values: v as ArrayLike<number> } : null);
    if (vl === null) {
      // the VectorUDT struct's own row form { type, size, indices, values }
      if (struct !== null && typeof v === 'object' && !arrayLike(v) && 'type' in (v as object)) return struct(v);
      return not(v, what);
    }
    const n = vl.sparse ? vl.size : vl.values.length;
    if (size >= 0 && n !== size) return bad(v, `a vector of size ${n}, not ${size}`);
    const values = elements(vl.values, number);
    if (values !== null) return { ...values, path: `.values${values.path}` };
    if (!vl.sparse) return null;
    if (!Number.isInteger(vl.size) || vl.size < 0 || vl.size > 2147483647) return bad(v, `a sparse vector of size ${vl.size}, not a size in [0, 2147483647]`);
    if (vl.indices.length !== vl.values.length) return bad(v, `a sparse vector with ${vl.indices.length} indices but ${vl.values.length} values`);
    const idx = elements(vl.indices, index);
    if (idx !== null) return { ...idx, path: `.indices${idx.path}` };
    for (let k = 0; k < vl.indices.length; k++) {
      const i = vl.indices[k]!;
      if (i < 0 || i >= vl.size || (k > 0 && i <= vl.indices[k - 1]!)) return bad(v, `a sparse vector whose index ${i} at position ${k} is out of order or outside [0, ${vl.size})`);
    }
    return null;
  };
}
