/**
 * Vector columns in Arrow form (ARCHITECTURE.md, "Data"):
 *   - dense: `FixedSizeList<Float64>[d]`, one contiguous buffer of n * d doubles (what kernels
 *     read, without a copy: `denseVectorValues`);
 *   - Spark's VectorUDT struct {type: int8, size: int32, indices: list<int32>, values:
 *     list<double>} with type 1 = dense (size and indices null) and type 0 = sparse, so vectors
 *     round-trip with Spark-written Parquet.
 * `vectorColumn` picks the dense form when every vector is dense and of one size, else the
 * struct. Importing this module installs the decoder that makes `DataFrame.collect()` return
 * DenseVector/SparseVector objects for vector columns.
 *
 * Row addressing follows arrow-js: a FixedSizeList's child and a struct's children are sliced
 * with their parent, so parent row i is child row i * d (dense) or i (struct).
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import { isValidAt, setVectorDecoder, type AnyData } from '../../src/dataframe/batch.js';
import { isVectorType, sparkTypeName, Types } from '../../src/dataframe/types.js';
import { DenseVector, SparseVector, isVector, type Vector } from './vectors.js';

/** True for a dense vector column type (FixedSizeList<Float64>). */
export function isDenseVectorType(t: arrow.DataType): t is arrow.FixedSizeList {
  return arrow.DataType.isFixedSizeList(t) && isVectorType(t);
}

/** True for Spark's VectorUDT struct type. */
export function isVectorStructType(t: arrow.DataType): t is arrow.Struct {
  return arrow.DataType.isStruct(t) && isVectorType(t);
}

function bitmapOf(valid: ArrayLike<boolean>): { bitmap: Uint8Array; nulls: number } {
  const n = valid.length;
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (valid[i]) bitmap[i >> 3]! |= 1 << (i & 7);
    else nulls++;
  }
  return { bitmap, nulls };
}

/** A dense vector column (FixedSizeList<Float64>[dim]) over n * dim row-major values (no copy). */
export function denseVectorColumn(values: Float64Array, dim: number, validity?: ArrayLike<boolean> | null): AnyData {
  const api = 'denseVectorColumn';
  if (!(values instanceof Float64Array)) throw Errors.invalidArg(api, 'values', 'a Float64Array', values);
  if (!Number.isInteger(dim) || dim < 1) throw Errors.outOfRange(api, 'dim', 'an integer >= 1', dim);
  if (values.length % dim !== 0) throw Errors.outOfRange(api, 'values.length', `a multiple of dim = ${dim}`, values.length);
  const n = values.length / dim;
  const child = arrow.makeData({ type: new arrow.Float64(), length: n * dim, data: values, nullCount: 0 });
  let nullBitmap: Uint8Array | undefined;
  let nullCount = 0;
  if (validity) {
    if (validity.length !== n) throw Errors.outOfRange(api, 'validity.length', `the number of rows (${n})`, validity.length);
    const b = bitmapOf(validity);
    if (b.nulls > 0) {
      nullBitmap = b.bitmap;
      nullCount = b.nulls;
    }
  }
  return arrow.makeData({ type: Types.vector(dim), length: n, child, nullBitmap, nullCount } as never) as AnyData;
}

/** Spark's VectorUDT struct column from vectors (null rows allowed). */
export function vectorStructColumn(vectors: ReadonlyArray<Vector | null | undefined>): AnyData {
  const n = vectors.length;
  const st = Types.vectorStruct();
  let nIdx = 0;
  let nVal = 0;
  for (let r = 0; r < n; r++) {
    const v = vectors[r];
    if (v === null || v === undefined) continue;
    if (!isVector(v)) throw Errors.invalidArg('vectorStructColumn', `vectors[${r}]`, 'a DenseVector, SparseVector or null', v);
    nVal += v.values.length;
    if (v instanceof SparseVector) nIdx += v.indices.length;
  }
  const types = new Int8Array(n);
  const sizes = new Int32Array(n);
  const sizeValid = new Array<boolean>(n).fill(false);
  const idxValid = new Array<boolean>(n).fill(false);
  const rowValid = new Array<boolean>(n).fill(false);
  const idxOffsets = new Int32Array(n + 1);
  const valOffsets = new Int32Array(n + 1);
  const idxValues = new Int32Array(nIdx);
  const valValues = new Float64Array(nVal);
  let pi = 0;
  let pv = 0;
  for (let r = 0; r < n; r++) {
    const v = vectors[r];
    if (v !== null && v !== undefined) {
      rowValid[r] = true;
      if (v instanceof SparseVector) {
        types[r] = 0;
        sizes[r] = v.size;
        sizeValid[r] = true;
        idxValid[r] = true;
        idxValues.set(v.indices, pi);
        pi += v.indices.length;
      } else types[r] = 1;
      valValues.set(v.values, pv);
      pv += v.values.length;
    }
    idxOffsets[r + 1] = pi;
    valOffsets[r + 1] = pv;
  }
  const [fType, fSize, fIdx, fVal] = st.children as [arrow.Field, arrow.Field, arrow.Field<arrow.List>, arrow.Field<arrow.List>];
  const sizeB = bitmapOf(sizeValid);
  const idxB = bitmapOf(idxValid);
  const rowB = bitmapOf(rowValid);
  const opt = (b: { bitmap: Uint8Array; nulls: number }) => (b.nulls > 0 ? { nullBitmap: b.bitmap, nullCount: b.nulls } : { nullCount: 0 });
  const children = [
    arrow.makeData({ type: fType.type as arrow.Int8, length: n, data: types, nullCount: 0 }),
    arrow.makeData({ type: fSize.type as arrow.Int32, length: n, data: sizes, ...opt(sizeB) }),
    arrow.makeData({ type: fIdx.type, length: n, valueOffsets: idxOffsets, child: arrow.makeData({ type: new arrow.Int32(), length: nIdx, data: idxValues, nullCount: 0 }), ...opt(idxB) } as never),
    arrow.makeData({ type: fVal.type, length: n, valueOffsets: valOffsets, child: arrow.makeData({ type: new arrow.Float64(), length: nVal, data: valValues, nullCount: 0 }), ...opt(rowB) } as never),
  ];
  return arrow.makeData({ type: st, length: n, children, ...opt(rowB) } as never) as AnyData;
}

/**
 * A vector column from vectors: `FixedSizeList<Float64>[d]` when every non-null vector is a
 * DenseVector of one size d (and there is at least one), else Spark's VectorUDT struct.
 * `form` forces one of the two ('dense' densifies sparse vectors; all must have one size).
 */
export function vectorColumn(vectors: ReadonlyArray<Vector | null | undefined>, form: 'auto' | 'dense' | 'struct' = 'auto'): AnyData {
  const api = 'vectorColumn';
  if (!Array.isArray(vectors)) throw Errors.invalidArg(api, 'vectors', 'an array of vectors', vectors);
  let dim = -1;
  let allDense = true;
  for (let r = 0; r < vectors.length; r++) {
    const v = vectors[r];
    if (v === null || v === undefined) continue;
    if (!isVector(v)) throw Errors.invalidArg(api, `vectors[${r}]`, 'a DenseVector, SparseVector or null', v);
    if (v instanceof SparseVector) allDense = false;
    if (dim < 0) dim = v.size;
    else if (v.size !== dim) {
      if (form === 'dense') throw Errors.outOfRange(api, `vectors[${r}].size`, `the size of the first vector (${dim}) for a dense column`, v.size);
      allDense = false;
    }
  }
  const dense = form === 'dense' || (form === 'auto' && allDense && dim > 0);
  if (!dense) return vectorStructColumn(vectors);
  if (dim < 1) throw Errors.invalidArg(api, 'vectors', 'at least one non-null vector of size >= 1 for a dense column', vectors);
  const values = new Float64Array(vectors.length * dim);
  const valid = new Array<boolean>(vectors.length);
  for (let r = 0; r < vectors.length; r++) {
    const v = vectors[r];
    valid[r] = v !== null && v !== undefined;
    if (!valid[r]) continue;
    if (v instanceof DenseVector) values.set(v.values, r * dim);
    else (v as SparseVector).foreachActive((i: number, x: number) => {
      values[r * dim + i] = x;
    });
  }
  return denseVectorColumn(values, dim, valid);
}

/** Row i of a vector column (either form) as a Vector, or null. Dense rows are copied. */
export function vectorAt(d: AnyData, i: number): Vector | null {
  if (!isValidAt(d, i)) return null;
  const t = d.type;
  if (isDenseVectorType(t)) {
    const dim = t.listSize;
    const vs = d.children[0]!.values as Float64Array;
    return new DenseVector(vs.slice(i * dim, (i + 1) * dim));
  }
  if (isVectorStructType(t)) {
    const [ty, sz, ix, vl] = d.children as AnyData[];
    const vOff = vl!.valueOffsets as Int32Array;
    const vData = vl!.children[0]!.values as Float64Array;
    const values = vData.slice(vOff[i]!, vOff[i + 1]!);
    if ((ty!.values as Int8Array)[i] === 1) return new DenseVector(values);
    const iOff = ix!.valueOffsets as Int32Array;
    const iData = ix!.children[0]!.values as Int32Array;
    const size = (sz!.values as Int32Array)[i]!;
    return new SparseVector(size, iData.slice(iOff[i]!, iOff[i + 1]!), values);
  }
  throw Errors.schema(`vectorAt: expected a vector column, got ${sparkTypeName(t)}`);
}

/** Every row of a vector column as Vector objects (null for null rows). */
export function vectorsFromColumn(d: AnyData): Array<Vector | null> {
  const out = new Array<Vector | null>(d.length);
  for (let i = 0; i < d.length; i++) out[i] = vectorAt(d, i);
  return out;
}

/** Size of vector row i (the row must be valid). */
export function vectorSizeAt(d: AnyData, i: number): number {
  const t = d.type;
  if (isDenseVectorType(t)) return t.listSize;
  const [ty, sz, , vl] = d.children as AnyData[];
  if ((ty!.values as Int8Array)[i] === 1) {
    const off = vl!.valueOffsets as Int32Array;
    return off[i + 1]! - off[i]!;
  }
  return (sz!.values as Int32Array)[i]!;
}

/** Element j of vector row i (the row must be valid; j is checked against the row's size). */
export function vectorElementAt(api: string, d: AnyData, i: number, j: number): number {
  const t = d.type;
  if (isDenseVectorType(t)) {
    if (j >= t.listSize) throw Errors.outOfRange(api, 'vector index', `an index < the vector size ${t.listSize}`, j);
    return (d.children[0]!.values as Float64Array)[i * t.listSize + j]!;
  }
  const [ty, sz, ix, vl] = d.children as AnyData[];
  const vOff = vl!.valueOffsets as Int32Array;
  const vData = vl!.children[0]!.values as Float64Array;
  if ((ty!.values as Int8Array)[i] === 1) {
    const n = vOff[i + 1]! - vOff[i]!;
    if (j >= n) throw Errors.outOfRange(api, 'vector index', `an index < the vector size ${n}`, j);
    return vData[vOff[i]! + j]!;
  }
  const size = (sz!.values as Int32Array)[i]!;
  if (j >= size) throw Errors.outOfRange(api, 'vector index', `an index < the vector size ${size}`, j);
  const iOff = ix!.valueOffsets as Int32Array;
  const iData = ix!.children[0]!.values as Int32Array;
  let lo = iOff[i]!;
  let hi = iOff[i + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = iData[mid]!;
    if (m === j) return vData[vOff[i]! + (mid - iOff[i]!)]!;
    if (m < j) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

export interface DenseValues {
  /** n * dim row-major values (null rows are zeros). */
  values: Float64Array;
  rows: number;
  dim: number;
  /** False where the row is null; null when every row is valid. */
  valid: Uint8Array | null;
  /** True when `values` is a view of the column's own buffer (no copy was made). */
  zeroCopy: boolean;
}

/**
 * The contiguous n * d values of a vector column, for kernels: a zero-copy view of a dense
 * (FixedSizeList) column, or a densified copy of a VectorUDT struct column whose vectors all
 * have one size (`dim` may be given to check it, and is required for an all-null column).
 */
export function denseVectorValues(d: AnyData, dim?: number): DenseValues {
  const api = 'denseVectorValues';
  const t = d.type;
  const n = d.length;
  let valid: Uint8Array | null = null;
  if (d.nullCount > 0) {
    valid = new Uint8Array(n);
    for (let i = 0; i < n; i++) valid[i] = isValidAt(d, i) ? 1 : 0;
  }
  if (isDenseVectorType(t)) {
    if (dim !== undefined && dim !== t.listSize) throw Errors.outOfRange(api, 'dim', `the column's vector size ${t.listSize}`, dim);
    const all = d.children[0]!.values as Float64Array;
    const values = all.length === n * t.listSize ? all : all.subarray(0, n * t.listSize);
    return { values, rows: n, dim: t.listSize, valid, zeroCopy: true };
  }
  if (!isVectorStructType(t)) throw Errors.schema(`${api}: expected a vector column, got ${sparkTypeName(t)}`);
  let size = dim ?? -1;
  for (let i = 0; i < n; i++) {
    if (valid && !valid[i]) continue;
    const s = vectorSizeAt(d, i);
    if (size < 0) size = s;
    else if (s !== size) throw Errors.badRow(api, 'the vector column', i, `has size ${s}, but earlier rows have size ${size}; vectors of one column must have one size here`);
  }
  if (size < 0) size = 0;
  const values = new Float64Array(n * size);
  const [ty, , ix, vl] = d.children as AnyData[];
  const vOff = vl!.valueOffsets as Int32Array;
  const vData = vl!.children[0]!.values as Float64Array;
  const iOff = ix!.valueOffsets as Int32Array;
  const iData = ix!.children[0]?.values as Int32Array | undefined;
  const types = ty!.values as Int8Array;
  for (let i = 0; i < n; i++) {
    if (valid && !valid[i]) continue;
    const base = i * size;
    if (types[i] === 1) values.set(vData.subarray(vOff[i]!, vOff[i + 1]!), base);
    else for (let k = iOff[i]!, p = vOff[i]!; k < iOff[i + 1]!; k++, p++) values[base + iData![k]!] = vData[p]!;
  }
  return { values, rows: n, dim: size, valid, zeroCopy: false };
}

// collect() returns DenseVector / SparseVector for vector cells once kindling/ml is loaded.
setVectorDecoder(vectorAt);
