/**
 * IDF's executor code (Spark's mllib IDF.DocumentFrequencyAggregator and IDFModel.transform):
 *   - `docFreqStats`: a partition summary of the number of documents and, per term, the number
 *     of documents where it is > 0 (Spark's DocumentFrequencyAggregator: not negative values), folded by the native docFreq kernels
 *     (ts/src/kernels/text.ts) straight from the column's buffers: a dense column's values, or
 *     the sparse rows of a VectorUDT column (dense rows inside it become sparse rows); a null
 *     vector or a size differing from the earlier rows' is a bad row named over the DataFrame;
 *   - `idfTransform`: each vector times idf, element-wise; a sparse vector keeps its indices (no
 *     copy of them), a dense one stays dense.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import { isValidAt, type AnyData, appendColumn } from '../../../src/dataframe/batch.js';
import { defineTask, type Summary } from '../../../src/exec/task.js';
import { docFreqDenseRaw, docFreqSparseRaw, type SparseRows } from '../../../src/kernels/text.js';
import { batchSummary, columnOf, failRow, type BatchRead } from '../../data/checked-summary.js';
import { denseVectorColumn, isDenseVectorType, vectorAt, vectorColumn } from '../../linalg/columns.js';
import { DenseVector, SparseVector, type Vector } from '../../linalg/vectors.js';
import { refuseNulls, sparseRowsColumn, type RowSite } from './text-columns.js';

/** Documents seen, and per term the documents where it is > 0. */
export interface DocFreqStats {
  n: number;
  df: Float64Array;
}

export function docFreqMerge(a: DocFreqStats, b: DocFreqStats): DocFreqStats {
  if (b.n === 0) return a;
  if (a.n === 0) return b;
  if (a.df.length !== b.df.length) throw Errors.schema(`IDF: vectors of sizes ${a.df.length} and ${b.df.length} in one column`);
  const df = Float64Array.from(a.df, (x, j) => x + b.df[j]!);
  return { n: a.n + b.n, df };
}

/** A partition's vectors, as the kernels read them. */
export type VectorPart = { n: number; d: number; x: Float64Array } | { n: number; d: number; rows: SparseRows };

export const docFreqSummary: Summary<DocFreqStats, VectorPart, unknown> = {
  zero: () => ({ n: 0, df: new Float64Array(0) }),
  add: (s, p) => {
    if (p.n === 0) return s;
    const df = new Float64Array(p.d);
    if ('x' in p) docFreqDenseRaw(p.x, p.d, df);
    else if (docFreqSparseRaw(p.rows, p.d, df) >= 0) throw Errors.schema('IDF: a sparse vector holds an index outside its size');
    return docFreqMerge(s, { n: p.n, df });
  },
  merge: docFreqMerge,
};

const WHAT = 'the features column';

export function idfSizeMismatch(size: number, dim: number): { what: string; why: string } {
  return { what: WHAT, why: `has size ${size}, but earlier rows have size ${dim}` };
}

/** The struct's children: type (int8), size (int32), indices and values (lists). */
function structParts(col: AnyData) {
  const [type, size, indices, values] = col.children as AnyData[];
  const n = col.length;
  return {
    type: type!.values as Int8Array,
    size: size!,
    idxOffsets: (indices!.valueOffsets as Int32Array).subarray(0, n + 1),
    idx: indices!.children[0]!.values as Int32Array,
    valOffsets: (values!.valueOffsets as Int32Array).subarray(0, n + 1),
    val: values!.children[0]!.values as Float64Array,
  };
}

/** True when every row of a VectorUDT column is sparse and its indices and values share offsets. */
function allSparse(col: AnyData): boolean {
  const s = structParts(col);
  for (let i = 0; i < col.length; i++) if (s.type[i] !== 0) return false;
  for (let i = 0; i <= col.length; i++) if (s.idxOffsets[i] !== s.valOffsets[i]) return false;
  return true;
}

/** Row offsets starting at 0 (a sliced column's offsets start further on). */
function rebased(offsets: Int32Array): Int32Array {
  const lo = offsets[0]!;
  if (lo === 0) return offsets;
  const out = new Int32Array(offsets.length);
  for (let i = 0; i < offsets.length; i++) out[i] = offsets[i]! - lo;
  return out;
}

/** A vector column's rows: dense values in place, or the sparse rows of a VectorUDT column. */
export function readVectorPart(batch: arrow.RecordBatch, inputCol: string): BatchRead<VectorPart> {
  const col = columnOf(batch, inputCol);
  const n = col.length;
  if (col.nullCount > 0) for (let i = 0; i < n; i++) if (!isValidAt(col, i)) failRow(i, WHAT, 'is null');
  if (isDenseVectorType(col.type)) {
    const d = col.type.listSize;
    const x = (col.children[0]!.values as Float64Array).subarray(0, n * d);
    return { part: { n, d, x }, size: n > 0 ? d : -1 };
  }
  if (n === 0) return { part: { n: 0, d: 0, x: new Float64Array(0) }, size: -1 };
  const s = structParts(col);
  let d = -1;
  for (let i = 0; i < n; i++) {
    const size = s.type[i] === 0 ? (s.size.values as Int32Array)[i]! : s.valOffsets[i + 1]! - s.valOffsets[i]!;
    if (d < 0) d = size;
    else if (size !== d) {
      const m = idfSizeMismatch(size, d);
      failRow(i, m.what, m.why, d);
    }
  }
  let rows: SparseRows;
  if (allSparse(col)) {
    const lo = s.idxOffsets[0]!;
    const hi = s.idxOffsets[n]!;
    rows = { rowOffsets: s.idxOffsets, indices: s.idx, values: s.val };
    if (lo !== 0 || s.idx.length !== s.val.length) rows = { rowOffsets: rebased(s.idxOffsets), indices: s.idx.subarray(lo, hi), values: s.val.subarray(lo, hi) };
  } else {
    const rowOffsets = new Int32Array(n + 1);
    const idx: number[] = [];
    const val: number[] = [];
    for (let i = 0; i < n; i++) {
      if (s.type[i] === 0) {
        for (let k = s.idxOffsets[i]!; k < s.idxOffsets[i + 1]!; k++) idx.push(s.idx[k]!);
      } else for (let j = 0; j < d; j++) idx.push(j);
      for (let k = s.valOffsets[i]!; k < s.valOffsets[i + 1]!; k++) val.push(s.val[k]!);
      rowOffsets[i + 1] = idx.length;
    }
    rows = { rowOffsets, indices: Int32Array.from(idx), values: Float64Array.from(val) };
  }
  for (let k = 0; k < rows.indices.length; k++) {
    const j = rows.indices[k]!;
    if (j < 0 || j >= d) {
      let i = 0;
      while (rows.rowOffsets[i + 1]! <= k) i++;
      failRow(i, WHAT, `holds index ${j}, outside its size ${d}`, d);
    }
  }
  return { part: { n, d, rows }, size: d };
}

export const docFreqStats = batchSummary('feature.idfDocFreq', docFreqSummary, (batch, b: { inputCol: string }) => readVectorPart(batch, b.inputCol));

export interface IdfBroadcast {
  api: string;
  inputCol: string;
  outputCol: string;
  idf: Float64Array;
}

/** Spark's IDFModel.transform of one vector. */
export function idfVector(v: Vector, idf: Float64Array): Vector {
  if (v instanceof SparseVector) return new SparseVector(v.size, Int32Array.from(v.indices), Float64Array.from(v.values, (x, k) => x * idf[v.indices[k]!]!));
  return new DenseVector(Float64Array.from(v.values, (x, j) => x * idf[j]!));
}

export const idfTransform = defineTask<arrow.RecordBatch, IdfBroadcast, arrow.RecordBatch>('feature.idfTransform', (b, t, ctx) => {
  const col = columnOf(b, t.inputCol);
  const site: RowSite = { api: t.api, column: t.inputCol, ctx };
  refuseNulls(col, site);
  const n = b.numRows;
  const d = t.idf.length;
  const wrong = (size: number) => Errors.outOfRange(t.api, `the vector size of column ${t.inputCol}`, `${d} (the size IDF was fitted on)`, size);
  let out: AnyData;
  if (isDenseVectorType(col.type)) {
    if (col.type.listSize !== d) throw wrong(col.type.listSize);
    const x = col.children[0]!.values as Float64Array;
    const y = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) y[i * d + j] = x[i * d + j]! * t.idf[j]!;
    out = denseVectorColumn(y, d);
  } else if (n > 0 && allSparse(col)) {
    // all sparse: same indices, values times idf
    const s = structParts(col);
    const sizes = s.size.values as Int32Array;
    for (let i = 0; i < n; i++) if (sizes[i] !== d) throw wrong(sizes[i]!);
    const lo = s.idxOffsets[0]!;
    const indices = s.idx.subarray(lo, s.idxOffsets[n]);
    const values = new Float64Array(indices.length);
    const idf = t.idf;
    for (let k = 0; k < indices.length; k++) values[k] = s.val[lo + k]! * idf[indices[k]!]!;
    const rowOffsets = rebased(s.idxOffsets);
    out = sparseRowsColumn(d, { rowOffsets, indices, values });
  } else {
    const vs: Vector[] = [];
    for (let i = 0; i < n; i++) {
      const v = vectorAt(col, i)!;
      if (v.size !== d) throw wrong(v.size);
      vs.push(idfVector(v, t.idf));
    }
    out = vectorColumn(vs, 'struct');
  }
  return appendColumn(b, t.outputCol, out);
});
