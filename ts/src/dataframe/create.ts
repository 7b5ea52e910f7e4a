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
 * Every value is then checked against its column's type, given or inferred, before any column
 * is built (PySpark's verifySchema=True; verify-values.ts lists what each type takes), unless
 * `{ verifySchema: false }`; typed arrays of the column's own type are wrapped unchecked.
 */
import * as arrow from 'apache-arrow';
import { Errors, describeValue } from '../errors.js';
import { fromValues, makeBatch, makePrimitive, type AnyData } from './batch.js';
import { parseSchema } from './schema-ddl.js';
import { Types, isVectorType, sparkTypeName } from './types.js';
import { typeVerifier, vectorLike, type VectorLike } from './verify-values.js';

export type Row = Record<string, unknown>;
export type ColumnsInput = Record<string, ArrayLike<unknown> | Float64Array | Int32Array | BigInt64Array | Float32Array>;
export type CreateInput = arrow.Table | arrow.RecordBatch | ColumnsInput | ReadonlyArray<Row | unknown[]>;

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

/** A typed array wrapped without a copy when its type is the column's (no value can be out of place). */
function typedColumn(values: ArrayLike<unknown>, type: arrow.DataType | null): AnyData | null {
  const fits = (name: string) => !type || sparkTypeName(type) === name;
  if (values instanceof Float64Array && fits('double')) return makePrimitive(Types.double(), values, null);
  if (values instanceof Float32Array && fits('float')) return makePrimitive(Types.float(), values, null);
  if (values instanceof Int32Array && fits('int')) return makePrimitive(Types.int(), values, null);
  if (values instanceof BigInt64Array && fits('bigint')) return makePrimitive(Types.bigint(), values, null);
  return null;
}

/** JS values (checked by `verifyColumns`, unless verifySchema is false) as a column of type t. */
function convert(t: arrow.DataType, arr: readonly unknown[]): AnyData {
  if (sparkTypeName(t) === 'date') {
    const day = (v: unknown) => (v instanceof Date ? Math.floor(v.getTime() / 86_400_000) : typeof v === 'string' ? Math.floor(Date.parse(v) / 86_400_000) : (v as number));
    return fromValues(t, arr.map((v) => (v === null || v === undefined ? null : new Date(day(v) * 86_400_000))));
  }
  if (arrow.DataType.isTimestamp(t)) {
    // epoch milliseconds in the column's unit (an Arrow schema may declare any; DDL's is µs)
    const unit = t.unit;
    const inUnit = (ms: number) =>
      unit === arrow.TimeUnit.SECOND ? BigInt(Math.floor(ms / 1000)) : unit === arrow.TimeUnit.MILLISECOND ? BigInt(ms) : unit === arrow.TimeUnit.MICROSECOND ? BigInt(ms) * 1000n : BigInt(ms) * 1_000_000n;
    const out = new BigInt64Array(arr.length);
    const bitmap = new Uint8Array((arr.length + 7) >> 3);
    arr.forEach((v, i) => {
      if (v === null || v === undefined) return;
      const ms = v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : Number(v);
      out[i] = inUnit(ms);
      bitmap[i >> 3]! |= 1 << (i & 7);
    });
    return makePrimitive(t, out, bitmap);
  }
  const conv = arr.map((v) => {
    if (v === undefined) return null;
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
  return fromValues(t, conv);
}

/** A column of `values` of type `t` (a coded error, never a throw of arrow's, when they do not fit). */
function columnFrom(api: string, name: string, values: ArrayLike<unknown>, t: arrow.DataType): AnyData {
  const typed = typedColumn(values, t);
  if (typed !== null) return typed;
  try {
    return convert(t, Array.from(values));
  } catch (cause) {
    throw Errors.schema(`${api}: column ${name} does not fit type ${sparkTypeName(t)}: ${cause instanceof Error ? cause.message : String(cause)}`, cause);
  }
}

/**
 * PySpark's verifySchema: throws for the first value, row by row and column by column within a
 * row (as PySpark checks each row), that does not fit its field (verify-values.ts); the error
 * names the row, the column (with the path inside a nested value), the type and the value.
 * `cols[j]` null: column j is a typed array wrapped as is, nothing to check.
 */
function verifyColumns(api: string, fields: readonly arrow.Field[], cols: ReadonlyArray<ArrayLike<unknown> | null>, n: number): void {
  const checks = fields.flatMap((f, j) => {
    const values = cols[j];
    return values ? [{ name: f.name, values, check: typeVerifier(f.type, f.nullable) }] : [];
  });
  for (let i = 0; i < n; i++) {
    for (const c of checks) {
      const bad = c.check(c.values[i]);
      if (bad !== null) throw Errors.badRow(api, `column ${c.name}${bad.path} (${bad.type})`, i, bad.why);
    }
  }
}

/** createDataFrame's options (PySpark's keyword arguments). */
export interface CreateOptions {
  /**
   * PySpark's verifySchema (default true): check every value against its column's type before
   * building the columns. With false the values are converted unchecked (faster for data known
   * to fit; a value that does not fit gives an undefined result, as in PySpark).
   */
  verifySchema?: boolean;
}

/** Normalises createDataFrame input into a schema and one batch (the caller splits it into partitions). */
export function createBatches(api: string, data: CreateInput, schema?: arrow.Schema | string | readonly string[], options: CreateOptions = {}): { schema: arrow.Schema; batches: arrow.RecordBatch[] } {
  if (options === null || typeof options !== 'object') throw Errors.invalidArg(api, 'options', 'an object such as { verifySchema: false }', options);
  const verify = options.verifySchema ?? true;
  if (typeof verify !== 'boolean') throw Errors.invalidArg(api, 'options.verifySchema', 'a boolean', verify);
  if (data instanceof arrow.Table) return { schema: data.schema, batches: data.batches };
  if (data instanceof arrow.RecordBatch) return { schema: data.schema, batches: [data] };
  const given = typeof schema === 'string' ? parseSchema(api, schema) : schema instanceof arrow.Schema ? schema : null;
  const names = Array.isArray(schema) ? (schema as string[]) : null;
  let fields: arrow.Field[];
  let cols: Array<ArrayLike<unknown>>;
  let n: number;
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
    rows.forEach((r, i) => {
      if (r === null || typeof r !== 'object') throw Errors.badRow(api, 'data', i, `holds ${describeValue(r)}, not a row (an object, or an array of values)`);
      if (Array.isArray(r) && r.length !== colNames.length) throw Errors.badRow(api, 'data', i, `has ${r.length} values, expected ${colNames.length}`);
    });
    const rowCols = colNames.map((c, j) => rows.map((r) => (Array.isArray(r) ? r[j] : (r as Row)[c]) ?? null));
    fields = colNames.map((c, j) => new arrow.Field(c, given ? given.fields[j]!.type : inferValueType(api, c, rowCols[j]!), given ? given.fields[j]!.nullable : true));
    cols = rowCols;
    n = rows.length;
  } else if (data && typeof data === 'object') {
    const entries = Object.entries(data as ColumnsInput);
    if (entries.length === 0) throw Errors.invalidArg(api, 'data', 'at least one column', data);
    n = entries[0]![1].length;
    for (const [k, v] of entries) {
      if (v === null || typeof v !== 'object' || typeof (v as ArrayLike<unknown>).length !== 'number') throw Errors.invalidArg(api, `column ${k}`, 'an array or typed array', v);
      if (v.length !== n) throw Errors.schema(`${api}: column ${k} has ${v.length} values, but column ${entries[0]![0]} has ${n}`);
    }
    cols = entries.map(([, v]) => v);
    fields = entries.map(([k, v]) => {
      const g = given?.fields.find((f) => f.name === k);
      const typed = typedColumn(v, g?.type ?? null);
      return new arrow.Field(k, typed?.type ?? g?.type ?? inferValueType(api, k, Array.from(v)), g?.nullable ?? true);
    });
  } else throw Errors.invalidArg(api, 'data', 'an Arrow Table, rows, or { column: values }', data);
  if (verify) verifyColumns(api, fields, cols.map((c, j) => (typedColumn(c, fields[j]!.type) !== null ? null : c)), n);
  const columns = fields.map((f, j) => columnFrom(api, f.name, cols[j]!, f.type));
  const s = new arrow.Schema(fields.map((f, j) => new arrow.Field(f.name, columns[j]!.type, f.nullable)));
  for (const [j, f] of s.fields.entries()) if (!f.nullable && columns[j]!.nullCount > 0) throw Errors.schema(`${api}: column ${f.name} is declared NOT NULL but holds nulls`);
  return { schema: s, batches: [makeBatch(s, columns, n)] };
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
