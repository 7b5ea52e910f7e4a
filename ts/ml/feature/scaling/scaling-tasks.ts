/**
 * Executor code of the scalers (StandardScaler, MinMaxScaler, MaxAbsScaler, MeanNormalizer,
 * RobustScaler's transform, VarianceThresholdSelector's and PCA's fits) and Normalizer:
 *   - `colStatsOf`: per-feature count / mean / M2 / min / max / nnz of a vector column, one
 *     native fold per partition (ts/src/kernels/colstats.ts), merged with Chan et al.'s formulas;
 *     a null row or a vector of another size is reported as data and named over the whole
 *     DataFrame on the driver (ml/data/checked-summary.ts);
 *   - `affineTransform`: Spark's StandardScalerModel.getTransformFunc generalised to
 *     y = (x - shift) * scale + offset per feature; with no shift and no offset a sparse vector
 *     stays sparse (its stored values scaled), otherwise the output is dense, or Spark's
 *     `compressed` form (MinMaxScaler);
 *   - `normalizeTransform`: Spark's mllib Normalizer: x / ||x||_p, a zero vector unchanged,
 *     dense stays dense and sparse stays sparse.
 * Null rows give null outputs.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import { isValidAt, type AnyData, appendColumn } from '../../../src/dataframe/batch.js';
import { defineTask, type Summary } from '../../../src/exec/task.js';
import { affineRowsRaw, colStatsAddRaw, colStatsMerge, colStatsZero, type Affine, type ColStats } from '../../../src/kernels/colstats.js';
import { denseVectorColumn, isDenseVectorType, vectorAt, vectorColumn } from '../../linalg/columns.js';
import { DenseVector, SparseVector, Vectors, type Vector } from '../../linalg/vectors.js';
import { batchSummary, columnOf, vectorRowsOf, type BatchRead, type RowMajor, type SizeMismatch } from '../../data/checked-summary.js';

/** How a vector of another size than the earlier rows' is worded (fit), for the column described as `what`. */
export function sizeMismatchOf(what: string): SizeMismatch {
  return (size, dim) => ({ what, why: `has size ${size}, but earlier rows have size ${dim}` });
}

/** The scalers' wording of their input column. */
export const INPUT_VECTORS = 'the input vector column';
export const vectorSizeMismatch: SizeMismatch = sizeMismatchOf(INPUT_VECTORS);

const colStatsInner: Summary<ColStats, RowMajor, unknown> = {
  zero: () => colStatsZero(0),
  add: (s, { x, n, d }) => (n === 0 ? s : colStatsMerge(s, colStatsAddRaw(colStatsZero(d), x, n, d))),
  merge: colStatsMerge,
};

/** Which vector column the statistics are of, and how the stage words it in a bad row's error. */
export interface ColStatsBroadcast {
  inputCol: string;
  what: string;
}

function readRows(batch: arrow.RecordBatch, b: ColStatsBroadcast): BatchRead<RowMajor> {
  const r = vectorRowsOf(batch, b.inputCol, { what: b.what, isNull: 'is null', sizeMismatch: sizeMismatchOf(b.what) });
  return { part: r, size: r.d };
}

/**
 * The column statistics of the vector column `inputCol`, per partition (run with `aggregateRows`,
 * through `fitColStats`): the fit of every scaler, StandardScaler's and PCA's mean included.
 */
export const colStatsOf = batchSummary('feature.scalingColStats', colStatsInner, readRows);

/** Sample variance per feature (n - 1; 0 for one row), as Spark's Summarizer `variance`. */
export function sampleVariance(s: ColStats): Float64Array {
  return Float64Array.from(s.m2, (m) => (s.n > 1 ? Math.max(m / (s.n - 1), 0) : 0));
}

// ----- transforms -------------------------------------------------------------------------------

/** 'keep': sparse stays sparse when there is no shift or offset, dense stays dense; 'dense'; 'compressed': Spark's Vector.compressed. */
export type OutputForm = 'keep' | 'dense' | 'compressed';

export interface AffineBroadcast extends Affine {
  api: string;
  inputCol: string;
  outputCol: string;
  d: number;
  form: OutputForm;
}

function checkSize(api: string, size: number, d: number): void {
  if (size !== d) throw Errors.schema(`${api}: vectors of size ${size}, the model was fitted on size ${d}`);
}

/** One vector through the affine map (Spark's getTransformFunc). */
export function affineVector(v: Vector, a: AffineBroadcast): Vector {
  checkSize(a.api, v.size, a.d);
  if (v instanceof SparseVector && a.form === 'keep' && !a.shift && !a.offset) {
    if (!a.scale) return v;
    return new SparseVector(a.d, Int32Array.from(v.indices), Float64Array.from(v.values, (x, k) => x * a.scale![v.indices[k]!]!));
  }
  const y = new DenseVector(affineRowsRaw(Float64Array.from(v.toArray()), 1, a.d, a));
  return a.form === 'compressed' ? y.compressed : y;
}


function validityOf(col: AnyData): boolean[] | null {
  return col.nullCount > 0 ? Array.from({ length: col.length }, (_, i) => isValidAt(col, i)) : null;
}

/** Appends the scaled vectors: a dense column through one native call, other rows one by one (StandardScaler's task too). */
export function affineBatch(b: arrow.RecordBatch, a: AffineBroadcast): arrow.RecordBatch {
  const col = columnOf(b, a.inputCol);
  const n = b.numRows;
  if (isDenseVectorType(col.type) && a.form !== 'compressed') {
    checkSize(a.api, col.type.listSize, a.d);
    const x = col.children[0]!.values as Float64Array;
    return appendColumn(b, a.outputCol, denseVectorColumn(affineRowsRaw(x, n, a.d, a), a.d, validityOf(col)));
  }
  const vs: Array<Vector | null> = [];
  for (let i = 0; i < n; i++) {
    const v = vectorAt(col, i);
    vs.push(v === null ? null : affineVector(v, a));
  }
  return appendColumn(b, a.outputCol, vectorColumn(vs, 'struct'));
}

export const affineTransform = defineTask<arrow.RecordBatch, AffineBroadcast, arrow.RecordBatch>('feature.scalingAffine', (b, a) => affineBatch(b, a));

export interface NormalizeBroadcast {
  inputCol: string;
  outputCol: string;
  p: number;
}

/** Spark's mllib Normalizer.transform of one vector. */
export function normalizeVector(v: Vector, p: number): Vector {
  const norm = Vectors.norm(v, p);
  if (norm === 0) return v;
  if (v instanceof SparseVector) return new SparseVector(v.size, Int32Array.from(v.indices), Float64Array.from(v.values, (x) => x / norm));
  return new DenseVector(Float64Array.from(v.toArray(), (x) => x / norm));
}

/** Appends the p-normalised vectors (a dense column stays a dense column). */
export const normalizeTransform = defineTask<arrow.RecordBatch, NormalizeBroadcast, arrow.RecordBatch>('feature.normalize', (b, nb) => {
  const col = columnOf(b, nb.inputCol);
  const vs: Array<Vector | null> = [];
  for (let i = 0; i < b.numRows; i++) {
    const v = vectorAt(col, i);
    vs.push(v === null ? null : normalizeVector(v, nb.p));
  }
  // a dense column with no valid row passes through as it is (its type is the output's)
  const out = !isDenseVectorType(col.type) ? vectorColumn(vs, 'struct') : vs.some((v) => v !== null) ? vectorColumn(vs, 'dense') : col;
  return appendColumn(b, nb.outputCol, out);
});

