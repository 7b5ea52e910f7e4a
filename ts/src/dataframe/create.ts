/**
 * `spark.createDataFrame(data, schema?)` inputs:
 *   - an Arrow Table or RecordBatch: used as is (zero-copy);
 *   - columns `{ name: Float64Array | Int32Array | BigInt64Array | Float32Array | values[] }`:
 *     typed arrays are wrapped without a copy;
 *   - rows: an array of objects (or of arrays with a schema / column names).
 * Types are inferred as PySpark does from Python values: integral numbers → bigint, other
 * numbers → double, strings, booleans, Date → timestamp, arrays → array<…>, Float64Arrays and
 * dense vector objects (`toArray()` + `size`) → vector (dense FixedSizeList when all have one
 * size), sparse vector objects (also `indices`/`values`) or dense ones of several sizes →
 * vector as Spark's VectorUDT struct, objects → struct. A column with only nulls needs a
 * schema (Spark: "can not infer schema").
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../errors.js';
import { fromValues, makeBatch, makePrimitive, type AnyData } from './batch.js';
import { parseSchema } from './schema-ddl.js';
import { Types, isVectorType, sparkTypeName } from './types.js';

export type Row = Record<string, unknown>;
export type ColumnsInput = Record<string, ArrayLike<unknown> | Float64Array | Int32Array | BigInt64Array | Float32Array>;
export type CreateInput = arrow.Table | arrow.RecordBatch | ColumnsInput | ReadonlyArray<Row | unknown[]>;

type VectorLike = { sparse: false; values: ArrayLike<number> } | { sparse: true; size: number; indices: ArrayLike<number>; values: ArrayLike<number> };

/** Float64Arrays and vector objects (kindling/ml's DenseVector/SparseVector, by shape: ts/src does not import ts/ml). */
function vectorLike(v: unknown): VectorLike | null {
  if (v instanceof Float64Array) return { sparse: false, values: v };
  if (v === null || typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v)) return null;
  const o = v as { toArray?: unknown; size?: unknown; indices?: unknown; values?: unknown };
  if (typeof o.toArray !== 'function' || typeof o.size !== 'number') return null;
  const arrayLike = (x: unknown): x is ArrayLike<number> => x !== null && typeof x === 'object' && typeof (x as { length?: unknown }).length === 'number';
  if (arrayLike(o.indices) && arrayLike(o.values)) return { sparse: true, size: o.size, indices: o.indices, values: o.values };
  return { sparse: false, values: (o as { toArray(): ArrayLike<number> }).toArray() };
}

/** A vector value in the VectorUDT struct's row form: type 1 = dense (size, indices null), 0 = sparse. */
function vectorStructValue(v: unknown): unknown {
  const vl = vectorLike(v);
  if (vl === null) {
    if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return { type: 1, size: null, indices: null, values: v };
    return v;
  }
  if (vl.sparse) return { type: 0, size: vl.size, indices: Array.from(vl.indices), values: Array.from(vl.values) };
  return { type: 1, size: null, indices: null, values: Array.from(vl.values) };
}

function inferValueType(api: string, name: string, values: readonly unknown[]): arrow.DataType {
  let t: arrow.DataType | null = null;
  let sawFraction = false;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    let vt: arrow.DataType;
    if (typeof v === 'number') {
      if (!Number.isInteger(v)) sawFraction = true;
      vt = Types.bigint();
    } else if (typeof v === 'bigint') vt = Types.bigint();
    else if (typeof v === 'string') vt = Types.string();
    else if (typeof v === 'boolean') vt = Types.boolean();
    else if (v instanceof Date) vt = Types.timestamp();
    else if (vectorLike(v) !== null) {
      const vl = vectorLike(v)!;
      vt = vl.sparse ? Types.vectorStruct() : Types.vector(vl.values.length);
    } else if (Array.isArray(v)) {
      vt = Types.array(inferValueType(api, `${name}[]`, v.length > 0 ? v : ['']));
    } else if (typeof v === 'object') {
      const o = v as Record<string, unknown>;
      vt = new arrow.Struct(Object.keys(o).map((k) => new arrow.Field(k, inferValueType(api, `${name}.${k}`, [o[k]]), true)));
    } else throw Errors.invalidArg(api, `column ${name}`, 'numbers, bigints, strings, booleans, Dates, arrays or objects', v);
    if (t === null) t = vt;
    else if (isVectorType(t) && isVectorType(vt)) {
      // one dense size stays FixedSizeList; sparse rows or several sizes need the VectorUDT struct (as Spark allows)
      if (!(arrow.DataType.isFixedSizeList(t) && arrow.DataType.isFixedSizeList(vt) && t.listSize === vt.listSize)) t = Types.vectorStruct();
    } else if (sparkTypeName(t) !== sparkTypeName(vt)) {
      const numeric = (x: arrow.DataType) => sparkTypeName(x) === 'bigint' || sparkTypeName(x) === 'double';
      if (numeric(t) && numeric(vt)) t = Types.double();
      else throw Errors.schema(`${api}: column ${name} mixes ${sparkTypeName(t)} and ${sparkTypeName(vt)} values`);
    }
  }
  if (t === null) throw Errors.schema(`${api}: cannot infer the type of column ${name} (all values are null); pass a schema`);
  if (sparkTypeName(t) === 'bigint' && sawFraction) return Types.double();
  return t;
}

function vectorStructToDense(vl: VectorLike & { sparse: true }, dim: number): Float64Array {
  const out = new Float64Array(dim);
  for (let k = 0; k < vl.indices.length; k++) out[vl.indices[k]!] = vl.values[k]!;
  return out;
}

function columnFrom(api: string, name: string, values: ArrayLike<unknown>, type: arrow.DataType | null): AnyData {
  if (values instanceof Float64Array && (!type || sparkTypeName(type) === 'double')) return makePrimitive(Types.double(), values, null);
  if (values instanceof Float32Array && (!type || sparkTypeName(type) === 'float')) return makePrimitive(Types.float(), values, null);
  if (values instanceof Int32Array && (!type || sparkTypeName(type) === 'int')) return makePrimitive(Types.int(), values, null);
  if (values instanceof BigInt64Array && (!type || sparkTypeName(type) === 'bigint')) return makePrimitive(Types.bigint(), values, null);
  const arr = Array.from(values as ArrayLike<unknown>);
  const t = type ?? inferValueType(api, name, arr);
  if (sparkTypeName(t) === 'date') {
    const out = new Int32Array(arr.length);
    const valid = arr.map((v) => v !== null && v !== undefined);
    arr.forEach((v, i) => {
      if (v instanceof Date) out[i] = Math.floor(v.getTime() / 86_400_000);
      else if (typeof v === 'string') out[i] = Math.floor(Date.parse(v) / 86_400_000);
      else if (typeof v === 'number') out[i] = v;
    });
    return fromValues(t, arr.map((v, i) => (valid[i] ? new Date(out[i]! * 86_400_000) : null)));
  }
  if (sparkTypeName(t) === 'timestamp') {
    const out = new BigInt64Array(arr.length);
    const bitmap = new Uint8Array((arr.length + 7) >> 3);
    arr.forEach((v, i) => {
      if (v === null || v === undefined) return;
      const ms = v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : Number(v);
      if (Number.isNaN(ms)) throw Errors.badRow(api, `column ${name}`, i, `holds ${String(v)}, not a timestamp`);
      out[i] = BigInt(ms) * 1000n;
      bitmap[i >> 3]! |= 1 << (i & 7);
    });
    return makePrimitive(t, out, bitmap);
  }
  const conv = arr.map((v, i) => {
    if (v === undefined) return null;
    if (v !== null && (sparkTypeName(t) === 'bigint' || sparkTypeName(t) === 'int') && typeof v === 'number' && !Number.isInteger(v)) {
      throw Errors.badRow(api, `column ${name}`, i, `holds ${v}, not an integer (the column is ${sparkTypeName(t)})`);
    }
    if (v !== null && typeof v === 'object' && arrow.DataType.isFixedSizeList(t)) {
      const vl = vectorLike(v);
      if (vl !== null) {
        if (vl.sparse) return vectorStructToDense(vl, t.listSize);
        return vl.values;
      }
    }
    if (v !== null && isVectorType(t) && arrow.DataType.isStruct(t)) return vectorStructValue(v);
    return v;
  });
  try {
    return fromValues(t, conv);
  } catch (cause) {
    throw Errors.schema(`${api}: column ${name} does not fit type ${sparkTypeName(t)}: ${cause instanceof Error ? cause.message : String(cause)}`, cause);
  }
}

/** Normalises createDataFrame input into a schema and one batch (the caller splits it into partitions). */
export function createBatches(api: string, data: CreateInput, schema?: arrow.Schema | string | readonly string[]): { schema: arrow.Schema; batches: arrow.RecordBatch[] } {
  if (data instanceof arrow.Table) return { schema: data.schema, batches: data.batches };
  if (data instanceof arrow.RecordBatch) return { schema: data.schema, batches: [data] };
  const given = typeof schema === 'string' ? parseSchema(api, schema) : schema instanceof arrow.Schema ? schema : null;
  const names = Array.isArray(schema) ? (schema as string[]) : null;
  if (Array.isArray(data)) {
    const rows = data as ReadonlyArray<Row | unknown[]>;
    let colNames: string[];
    if (given) colNames = given.fields.map((f) => f.name);
    else if (names) colNames = names;
    else {
      const seen = new Set<string>();
      colNames = [];
      for (const r of rows) {
        if (r === null || typeof r !== 'object' || Array.isArray(r)) throw Errors.invalidArg(api, 'data', 'rows as objects (or arrays together with a schema)', r);
        for (const k of Object.keys(r)) if (!seen.has(k)) { seen.add(k); colNames.push(k); }
      }
    }
    const cols = colNames.map((n, j) => rows.map((r, i) => {
      if (Array.isArray(r)) {
        if (r.length !== colNames.length) throw Errors.badRow(api, 'data', i, `has ${r.length} values, expected ${colNames.length}`);
        return r[j];
      }
      return (r as Row)[n] ?? null;
    }));
    const fields = colNames.map((n, j) => {
      const d = columnFrom(api, n, cols[j]!, given ? given.fields[j]!.type : null);
      return { field: new arrow.Field(n, d.type, given ? given.fields[j]!.nullable : true), data: d };
    });
    const s = new arrow.Schema(fields.map((f) => f.field));
    for (const f of fields) if (!f.field.nullable && f.data.nullCount > 0) throw Errors.schema(`${api}: column ${f.field.name} is declared NOT NULL but holds nulls`);
    return { schema: s, batches: [makeBatch(s, fields.map((f) => f.data), rows.length)] };
  }
  if (data && typeof data === 'object') {
    const entries = Object.entries(data as ColumnsInput);
    if (entries.length === 0) throw Errors.invalidArg(api, 'data', 'at least one column', data);
    const n = entries[0]![1].length;
    const cols = entries.map(([k, v]) => {
      if (v === null || typeof v !== 'object' || typeof (v as ArrayLike<unknown>).length !== 'number') throw Errors.invalidArg(api, `column ${k}`, 'an array or typed array', v);
      if (v.length !== n) throw Errors.schema(`${api}: column ${k} has ${v.length} values, but column ${entries[0]![0]} has ${n}`);
      const j = given ? given.fields.findIndex((f) => f.name === k) : -1;
      return columnFrom(api, k, v, j >= 0 ? given!.fields[j]!.type : null);
    });
    const s = new arrow.Schema(entries.map(([k], j) => new arrow.Field(k, cols[j]!.type, true)));
    return { schema: s, batches: [makeBatch(s, cols, n)] };
  }
  throw Errors.invalidArg(api, 'data', 'an Arrow Table, rows, or { column: values }', data);
}

/** Splits batches into about `parts` partitions by slicing (zero-copy). */
export function splitPartitions(batches: readonly arrow.RecordBatch[], parts: number): arrow.RecordBatch[] {
  const total = batches.reduce((s, b) => s + b.numRows, 0);
  if (batches.length >= parts || total === 0) return [...batches];
  const out: arrow.RecordBatch[] = [];
  for (const b of batches) {
    const k = Math.max(1, Math.round((parts * b.numRows) / total));
    for (let p = 0; p < k; p++) {
      const lo = Math.floor((p * b.numRows) / k);
      const hi = Math.floor(((p + 1) * b.numRows) / k);
      if (hi > lo) out.push(b.slice(lo, hi));
    }
  }
  return out;
}
