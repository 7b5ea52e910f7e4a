/**
 * Column-level helpers over Arrow `Data`: validity, typed views, building, take/filter/concat,
 * row conversion for `collect()`. (The shared-memory copy for `local[N]` workers is
 * `ts/src/exec/shared-memory.ts`.)
 *
 * Conventions (apache-arrow 21): for fixed-width types `data.values[i]` is row i (slices
 * subarray the values), while the validity bit of row i is bit `data.offset + i`.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../errors.js';
import { isVectorType } from './types.js';

export type AnyData = arrow.Data<arrow.DataType>;

export function isValidAt(d: AnyData, i: number): boolean {
  const bm = d.nullBitmap;
  if (!bm || bm.length === 0 || d.nullCount === 0) return true;
  const b = d.offset + i;
  return ((bm[b >> 3]! >> (b & 7)) & 1) === 1;
}

/** A validity bitmap starting at bit 0 for this Data (copied when the Data has an offset), or null when all rows are valid. */
export function validityBitmap(d: AnyData): Uint8Array | null {
  if (d.nullCount === 0 || !d.nullBitmap || d.nullBitmap.length === 0) return null;
  if (d.offset % 8 === 0) return d.nullBitmap.subarray(d.offset >> 3, (d.offset >> 3) + ((d.length + 7) >> 3));
  const out = new Uint8Array((d.length + 7) >> 3);
  for (let i = 0; i < d.length; i++) if (isValidAt(d, i)) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

export function bitmapFrom(valid: (i: number) => boolean, n: number): { bitmap: Uint8Array; nulls: number } {
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (valid(i)) bitmap[i >> 3]! |= 1 << (i & 7);
    else nulls++;
  }
  return { bitmap, nulls };
}

export function countNulls(bitmap: Uint8Array | null, n: number): number {
  if (!bitmap) return 0;
  let valid = 0;
  const full = n >> 3;
  for (let i = 0; i < full; i++) {
    let b = bitmap[i]!;
    b = b - ((b >> 1) & 0x55);
    b = (b & 0x33) + ((b >> 2) & 0x33);
    valid += (b + (b >> 4)) & 0x0f;
  }
  for (let i = full * 8; i < n; i++) if ((bitmap[i >> 3]! >> (i & 7)) & 1) valid++;
  return n - valid;
}

/** A fixed-width column from a typed array and an optional validity bitmap (bit 0 = row 0). */
export function makePrimitive<T extends arrow.DataType>(type: T, values: ArrayLike<unknown> & ArrayBufferView, bitmap: Uint8Array | null, nulls?: number): arrow.Data<T> {
  const length = (values as unknown as { length: number }).length;
  const nullCount = bitmap ? (nulls ?? countNulls(bitmap, length)) : 0;
  return arrow.makeData({ type, length, data: values as never, nullBitmap: nullCount > 0 ? bitmap! : undefined, nullCount } as never) as arrow.Data<T>;
}

export function makeBool(bits: Uint8Array, length: number, bitmap: Uint8Array | null, nulls?: number): arrow.Data<arrow.Bool> {
  const nullCount = bitmap ? (nulls ?? countNulls(bitmap, length)) : 0;
  return arrow.makeData({ type: new arrow.Bool(), length, data: bits, nullBitmap: nullCount > 0 ? bitmap! : undefined, nullCount });
}

export function boolAt(d: AnyData, i: number): boolean {
  const b = d.offset + i;
  return ((d.values as Uint8Array)[b >> 3]! >> (b & 7) & 1) === 1;
}

/** A column of `length` nulls of a type. */
export function nullData(type: arrow.DataType, length: number): AnyData {
  if (arrow.DataType.isNull(type)) return arrow.makeData({ type, length });
  return fromValues(type, new Array(length).fill(null));
}

/** Builds a column from JS values (null = null). The general (slow) path: strings, lists, structs. */
export function fromValues(type: arrow.DataType, values: readonly unknown[]): AnyData {
  if (arrow.DataType.isNull(type)) return arrow.makeData({ type, length: values.length });
  if (needsNormalising(type)) values = values.map((v) => normaliseFor(v, type));
  const vec = arrow.vectorFromArray(values as unknown[], type as never) as arrow.Vector;
  return vec.data.length === 1 ? vec.data[0]! : concatData(type, vec.data as AnyData[]);
}

function needsNormalising(t: arrow.DataType): boolean {
  if (arrow.DataType.isInt(t)) return true;
  if (arrow.DataType.isFixedSizeList(t)) return true;
  return t.children?.some((c) => needsNormalising(c.type)) ?? false;
}

/** JS values into what arrow's builders take: bigint for int64, numbers for narrower ints (also nested), arrays for vectors. */
function normaliseFor(v: unknown, t: arrow.DataType): unknown {
  if (v === null || v === undefined) return null;
  if (arrow.DataType.isInt(t) && t.bitWidth === 64) return typeof v === 'bigint' ? v : BigInt(Math.trunc(v as number));
  if (arrow.DataType.isInt(t)) return typeof v === 'bigint' ? Number(v) : v;
  if (arrow.DataType.isFixedSizeList(t)) return vectorToArray(v);
  if (arrow.DataType.isList(t)) {
    const el = t.children[0]!.type;
    return needsNormalising(el) ? Array.from(v as ArrayLike<unknown>, (x) => normaliseFor(x, el)) : v;
  }
  if (arrow.DataType.isStruct(t)) {
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const f of t.children) out[f.name] = normaliseFor(o[f.name], f.type);
    return out;
  }
  return v;
}

function vectorToArray(v: unknown): ArrayLike<number> {
  if (v && typeof v === 'object' && 'toArray' in v && typeof (v as { toArray: unknown }).toArray === 'function') return (v as { toArray(): ArrayLike<number> }).toArray();
  return v as ArrayLike<number>;
}

/** Reads row i as a plain JS value (int64 → number when safe, else bigint; date → Date; timestamp → Date). */
export function valueAt(d: AnyData, i: number): unknown {
  if (!isValidAt(d, i)) return null;
  const t = d.type;
  switch (t.typeId) {
    case arrow.Type.Int: {
      const v = (d.values as ArrayLike<number | bigint>)[i]!;
      if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v;
      return v;
    }
    case arrow.Type.Float:
      return (d.values as Float64Array)[i]!;
    case arrow.Type.Bool:
      return boolAt(d, i);
    case arrow.Type.Date:
      return new Date(arrow.makeVector(d).get(i) as number);
    case arrow.Type.Timestamp: {
      const us = (d.values as unknown as BigInt64Array)[i]!;
      const unit = (t as arrow.Timestamp).unit;
      const ms = unit === arrow.TimeUnit.MICROSECOND ? Number(us / 1000n) : unit === arrow.TimeUnit.NANOSECOND ? Number(us / 1_000_000n) : unit === arrow.TimeUnit.SECOND ? Number(us) * 1000 : Number(us);
      return new Date(ms);
    }
    default: {
      const v = arrow.makeVector(d).get(i);
      return plain(v, t);
    }
  }
}

function plain(v: unknown, t: arrow.DataType): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  if (arrow.DataType.isFixedSizeList(t)) return Array.from(v as ArrayLike<number>);
  if (arrow.DataType.isList(t)) {
    const el = t.children[0]!.type;
    const arr = (v as arrow.Vector).toArray ? Array.from((v as arrow.Vector).toArray() as ArrayLike<unknown>) : (v as unknown[]);
    return arr.map((x) => plain(x, el));
  }
  if (arrow.DataType.isStruct(t)) {
    const o: Record<string, unknown> = {};
    const row = v as Record<string, unknown>;
    for (const f of t.children) o[f.name] = plain(row[f.name], f.type);
    return o;
  }
  if (arrow.DataType.isDate(t)) return new Date(v as number);
  return v;
}

/** Reads the (valid) vector cell i of a vector column as a user-facing object. */
export type VectorDecoder = (d: AnyData, i: number) => unknown;

let vectorDecoder: VectorDecoder | null = null;

/**
 * Installs how `collect()` returns vector cells (kindling/ml installs one that returns its
 * DenseVector/SparseVector at import; ts/src stays independent of ts/ml). Without one, vector
 * cells come back as plain arrays (dense) or `{ type, size, indices, values }` (VectorUDT
 * struct). Internal paths (show, concat, take) keep reading plain values through valueAt.
 */
export function setVectorDecoder(decoder: VectorDecoder | null): void {
  vectorDecoder = decoder;
}

/** Row i of a column as collect() returns it: valueAt, except vector cells go through the installed decoder. */
export function rowValueAt(d: AnyData, i: number): unknown {
  if (vectorDecoder !== null && isVectorType(d.type)) return isValidAt(d, i) ? vectorDecoder(d, i) : null;
  return valueAt(d, i);
}

/** Rows of a batch as plain objects (Spark's Row as a JS object keyed by column name). */
export function batchRows(batch: arrow.RecordBatch): Record<string, unknown>[] {
  const cols = batch.schema.fields.map((f, j) => ({ name: f.name, data: batch.data.children[j]! as AnyData }));
  const out: Record<string, unknown>[] = new Array(batch.numRows);
  for (let i = 0; i < batch.numRows; i++) {
    const row: Record<string, unknown> = {};
    for (const c of cols) row[c.name] = rowValueAt(c.data, i);
    out[i] = row;
  }
  return out;
}

/** Concatenates Data of one type into one contiguous Data. */
export function concatData(type: arrow.DataType, parts: readonly AnyData[]): AnyData {
  const nonEmpty = parts.filter((p) => p.length > 0);
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  if (nonEmpty.length === 0) return parts[0] ?? fromValues(type, []);
  const length = nonEmpty.reduce((s, p) => s + p.length, 0);
  const anyNull = nonEmpty.some((p) => p.nullCount > 0);
  let bitmap: Uint8Array | null = null;
  if (anyNull) {
    bitmap = new Uint8Array((length + 7) >> 3);
    let o = 0;
    for (const p of nonEmpty) {
      for (let i = 0; i < p.length; i++, o++) if (isValidAt(p, i)) bitmap[o >> 3]! |= 1 << (o & 7);
    }
  }
  if (isFixedWidth(type)) {
    const Ctor = (nonEmpty[0]!.values as unknown as { constructor: new (n: number) => { set(a: ArrayLike<unknown>, o: number): void } }).constructor;
    const stride = nonEmpty[0]!.stride;
    const out = new Ctor(length * stride);
    let o = 0;
    for (const p of nonEmpty) {
      out.set((p.values as unknown as { subarray(a: number, b: number): ArrayLike<unknown> }).subarray(0, p.length * stride), o);
      o += p.length * stride;
    }
    return makePrimitive(type, out as never, bitmap);
  }
  if (arrow.DataType.isBool(type)) {
    const bits = new Uint8Array((length + 7) >> 3);
    let o = 0;
    for (const p of nonEmpty) for (let i = 0; i < p.length; i++, o++) if (boolAt(p, i)) bits[o >> 3]! |= 1 << (o & 7);
    return makeBool(bits, length, bitmap);
  }
  if (arrow.DataType.isUtf8(type) || arrow.DataType.isBinary(type)) {
    let bytes = 0;
    for (const p of nonEmpty) bytes += p.valueOffsets[p.length]! - p.valueOffsets[0]!;
    const offsets = new Int32Array(length + 1);
    const data = new Uint8Array(bytes);
    let o = 0;
    let b = 0;
    for (const p of nonEmpty) {
      const off = p.valueOffsets as Int32Array;
      const base = off[0]!;
      data.set((p.values as Uint8Array).subarray(base, off[p.length]!), b);
      for (let i = 0; i < p.length; i++) offsets[o + i + 1] = b + off[i + 1]! - base;
      o += p.length;
      b += off[p.length]! - base;
    }
    const nullCount = bitmap ? countNulls(bitmap, length) : 0;
    return arrow.makeData({ type: type as arrow.Utf8, length, valueOffsets: offsets, data, nullBitmap: nullCount > 0 ? bitmap! : undefined, nullCount });
  }
  if (arrow.DataType.isFixedSizeList(type)) {
    // arrow-js slices a FixedSizeList's child with it: child row i * listSize is parent row i
    const child = concatData(type.children[0]!.type, nonEmpty.map((p) => p.children[0]!.slice(0, p.length * type.listSize)));
    const nullCount = bitmap ? countNulls(bitmap, length) : 0;
    return arrow.makeData({ type, length, child, nullBitmap: nullCount > 0 ? bitmap! : undefined, nullCount } as never);
  }
  // General path (lists, structs, dictionaries, dates with BigInt ms …): through JS values.
  const values: unknown[] = [];
  for (const p of nonEmpty) for (let i = 0; i < p.length; i++) values.push(valueAt(p, i));
  if (arrow.DataType.isDictionary(type)) return fromValues(type.dictionary, values);
  return fromValues(type, values);
}

export function isFixedWidth(t: arrow.DataType): boolean {
  return arrow.DataType.isInt(t) || arrow.DataType.isFloat(t) || (arrow.DataType.isDate(t) && t.unit === arrow.DateUnit.DAY) || arrow.DataType.isTimestamp(t);
}

/** Rows `indices` of a column (indices may repeat; -1 gives a null row, used by outer joins). */
export function takeData(d: AnyData, indices: Int32Array): AnyData {
  const n = indices.length;
  const t = d.type;
  const hasNull = d.nullCount > 0 || indices.some((x) => x < 0);
  let bitmap: Uint8Array | null = null;
  let nulls = 0;
  if (hasNull) {
    bitmap = new Uint8Array((n + 7) >> 3);
    for (let i = 0; i < n; i++) {
      const j = indices[i]!;
      if (j >= 0 && isValidAt(d, j)) bitmap[i >> 3]! |= 1 << (i & 7);
      else nulls++;
    }
  }
  if (isFixedWidth(t)) {
    const src = d.values as unknown as { [i: number]: unknown; constructor: new (n: number) => { [i: number]: unknown } };
    const stride = d.stride;
    const out = new src.constructor(n * stride);
    if (stride === 1) {
      for (let i = 0; i < n; i++) {
        const j = indices[i]!;
        if (j >= 0) out[i] = src[j];
      }
    } else {
      for (let i = 0; i < n; i++) {
        const j = indices[i]!;
        if (j >= 0) for (let s = 0; s < stride; s++) out[i * stride + s] = src[j * stride + s];
      }
    }
    return makePrimitive(t, out as never, bitmap, nulls);
  }
  if (arrow.DataType.isBool(t)) {
    const bits = new Uint8Array((n + 7) >> 3);
    for (let i = 0; i < n; i++) {
      const j = indices[i]!;
      if (j >= 0 && boolAt(d, j)) bits[i >> 3]! |= 1 << (i & 7);
    }
    return makeBool(bits, n, bitmap, nulls);
  }
  if (arrow.DataType.isUtf8(t) || arrow.DataType.isBinary(t)) {
    const off = d.valueOffsets as Int32Array;
    const src = d.values as Uint8Array;
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      const j = indices[i]!;
      if (j >= 0) bytes += off[j + 1]! - off[j]!;
    }
    const offsets = new Int32Array(n + 1);
    const data = new Uint8Array(bytes);
    let b = 0;
    for (let i = 0; i < n; i++) {
      const j = indices[i]!;
      if (j >= 0) {
        const s = off[j]!;
        const e = off[j + 1]!;
        if (e - s < 16) for (let k = s; k < e; k++) data[b++] = src[k]!;
        else {
          data.set(src.subarray(s, e), b);
          b += e - s;
        }
      }
      offsets[i + 1] = b;
    }
    return arrow.makeData({ type: t as arrow.Utf8, length: n, valueOffsets: offsets, data, nullBitmap: nulls > 0 ? bitmap! : undefined, nullCount: nulls });
  }
  if (arrow.DataType.isDictionary(t)) {
    const codes = takeData(arrow.makeData({ type: t.indices, length: d.length, data: d.values, nullBitmap: d.nullBitmap, nullCount: d.nullCount, offset: d.offset } as never), indices);
    return arrow.makeData({ type: t, length: n, data: codes.values, nullBitmap: codes.nullBitmap, nullCount: codes.nullCount, dictionary: d.dictionary } as never);
  }
  if (arrow.DataType.isFixedSizeList(t)) {
    const size = t.listSize;
    const childIdx = new Int32Array(n * size);
    for (let i = 0; i < n; i++) {
      const j = indices[i]!;
      // the child is sliced with the parent (arrow-js): parent row j starts at child row j * size
      for (let s = 0; s < size; s++) childIdx[i * size + s] = j >= 0 ? j * size + s : -1;
    }
    const child = takeData(d.children[0]!, childIdx);
    return arrow.makeData({ type: t, length: n, child, nullBitmap: nulls > 0 ? bitmap! : undefined, nullCount: nulls } as never);
  }
  if (arrow.DataType.isStruct(t)) {
    const children = t.children.map((_, c) => {
      const ch = d.children[c]!;
      const idx = new Int32Array(n);
      for (let i = 0; i < n; i++) idx[i] = indices[i]! >= 0 ? d.offset - ch.offset + indices[i]! : -1;
      return takeData(ch, idx);
    });
    return arrow.makeData({ type: t, length: n, children, nullBitmap: nulls > 0 ? bitmap! : undefined, nullCount: nulls } as never);
  }
  const values: unknown[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const j = indices[i]!;
    values[i] = j >= 0 ? valueAt(d, j) : null;
  }
  return fromValues(t, values);
}

export function takeBatch(batch: arrow.RecordBatch, indices: Int32Array): arrow.RecordBatch {
  return makeBatch(batch.schema, batch.schema.fields.map((_, j) => takeData(batch.data.children[j]! as AnyData, indices)), indices.length);
}

export function makeBatch(schema: arrow.Schema, columns: readonly AnyData[], numRows?: number): arrow.RecordBatch {
  const length = numRows ?? columns[0]?.length ?? 0;
  for (let j = 0; j < columns.length; j++) {
    if (columns[j]!.length !== length) throw Errors.schema(`makeBatch: column ${schema.fields[j]?.name} has ${columns[j]!.length} rows, expected ${length}`);
  }
  const data = arrow.makeData({ type: new arrow.Struct(schema.fields), length, children: columns as AnyData[], nullCount: 0 });
  return new arrow.RecordBatch(schema, data);
}

/** The batch with the columns `cols` appended under `fields` (the batch's own columns as they are). */
export function appendColumns(b: arrow.RecordBatch, fields: readonly arrow.Field[], cols: readonly AnyData[]): arrow.RecordBatch {
  return makeBatch(new arrow.Schema([...b.schema.fields, ...fields]), [...(b.data.children as AnyData[]), ...cols], b.numRows);
}

/** The batch with one nullable column `name` (of `col`'s type) appended. */
export function appendColumn(b: arrow.RecordBatch, name: string, col: AnyData): arrow.RecordBatch {
  return appendColumns(b, [new arrow.Field(name, col.type, true)], [col]);
}

export function emptyBatch(schema: arrow.Schema): arrow.RecordBatch {
  return makeBatch(schema, schema.fields.map((f) => fromValues(f.type, [])), 0);
}

export function concatBatches(schema: arrow.Schema, batches: readonly arrow.RecordBatch[]): arrow.RecordBatch {
  if (batches.length === 1) return batches[0]!;
  if (batches.length === 0) return emptyBatch(schema);
  const n = batches.reduce((s, b) => s + b.numRows, 0);
  return makeBatch(schema, schema.fields.map((f, j) => concatData(f.type, batches.map((b) => b.data.children[j]! as AnyData))), n);
}

export function sliceBatch(batch: arrow.RecordBatch, start: number, end: number): arrow.RecordBatch {
  return batch.slice(start, end);
}

/** Indices of rows where a boolean column is true (null counts as false, as Spark's filter). */
export function selectionOf(mask: AnyData): Int32Array {
  const n = mask.length;
  const out = new Int32Array(n);
  let k = 0;
  const bits = mask.values as Uint8Array;
  const off = mask.offset;
  const nulls = mask.nullCount > 0;
  for (let i = 0; i < n; i++) {
    const b = off + i;
    if ((bits[b >> 3]! >> (b & 7)) & 1 && (!nulls || isValidAt(mask, i))) out[k++] = i;
  }
  return out.subarray(0, k);
}
