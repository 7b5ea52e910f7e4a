/**
 * PCA's fit and transform on the executors (pca.ts).
 *
 *   - `pcaGram`: the centred Gram matrix of a partition, sum over rows of (x - mean)(x - mean)^T
 *     (upper triangle, row-major d x d), and the sums of x - mean, with the mean of the whole
 *     column broadcast, by the native kernel (ts/src/kernels/gram.ts): the second pass of Spark's
 *     RowMatrix.computeCovariance (its first pass is the column mean, here the scalers'
 *     column-statistics summary, scaling-tasks.ts `colStatsOf`). Null rows and vectors of another size are
 *     reported as data and named over the whole DataFrame (data/checked-summary.ts); so is a
 *     NaN or infinite element (the covariance would be NaN).
 *   - `pcaProject`: Spark's PCAModel.transform, pc^T x (no centring), a dense vector of size k
 *     for dense and sparse inputs; a null row stays null.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import { isValidAt, type AnyData, appendColumn } from '../../../src/dataframe/batch.js';
import { defineTask, type Summary } from '../../../src/exec/task.js';
import { gramAddRaw } from '../../../src/kernels/gram.js';
import { denseVectorColumn, isDenseVectorType, vectorAt } from '../../linalg/columns.js';
import { SparseVector } from '../../linalg/vectors.js';
import { FEATURES } from '../scaling/standard-scaler-tasks.js';
import { sizeMismatchOf } from '../scaling/scaling-tasks.js';
import { batchSummary, columnOf, failRow, vectorRowsOf, type BatchRead, type RowMajor } from '../../data/checked-summary.js';

export interface GramBroadcast {
  inputCol: string;
  mean: Float64Array;
}

/** Sum of (x - mean)(x - mean)^T over the rows seen (upper triangle filled, d x d row-major), and of x - mean. */
export interface Gram {
  d: number;
  gram: Float64Array;
  sums: Float64Array;
}

const gramSummary: Summary<Gram, RowMajor, GramBroadcast> = {
  zero: (b) => ({ d: b.mean.length, gram: new Float64Array(b.mean.length * b.mean.length), sums: new Float64Array(b.mean.length) }),
  add: (s, rows, b) => {
    // the native kernel (ts/src/kernels/gram.ts); the rows were checked by readRows
    if (rows.n > 0) gramAddRaw(rows.x.subarray(0, rows.n * rows.d), rows.d, b.mean, s.gram, s.sums);
    return s;
  },
  merge: (a, b) => {
    for (let i = 0; i < a.gram.length; i++) a.gram[i] += b.gram[i]!;
    for (let i = 0; i < a.sums.length; i++) a.sums[i] += b.sums[i]!;
    return a;
  },
};

const WHAT = FEATURES;
export const pcaSizeMismatch = sizeMismatchOf(FEATURES);

function readRows(batch: arrow.RecordBatch, b: GramBroadcast): BatchRead<RowMajor> {
  const rows = vectorRowsOf(batch, b.inputCol, { what: WHAT, isNull: 'is null', sizeMismatch: pcaSizeMismatch });
  if (rows.n > 0 && rows.d !== b.mean.length) failRow(0, WHAT, `has size ${rows.d}, but earlier rows have size ${b.mean.length}`, rows.d);
  for (let k = 0; k < rows.n * rows.d; k++) {
    const v = rows.x[k]!;
    if (v - v !== 0) failRow(Math.floor(k / rows.d), WHAT, `has ${v} at position ${k % rows.d}; PCA needs finite values`, rows.d);
  }
  return { part: rows, size: rows.d };
}

export const pcaGram = batchSummary('feature.pcaGram', gramSummary, readRows);

// ----- PCAModel.transform -----------------------------------------------------------------------

export interface ProjectBroadcast {
  api: string;
  inputCol: string;
  outputCol: string;
  /** d x k, column-major (Spark's pc). */
  pc: Float64Array;
  d: number;
  k: number;
}

/** Appends pc^T x for each row (dense, size k). */
export const pcaProject = defineTask<arrow.RecordBatch, ProjectBroadcast, arrow.RecordBatch>('feature.pcaProject', (b, p) => {
  const col = columnOf(b, p.inputCol);
  const n = b.numRows;
  const { d, k, pc } = p;
  const y = new Float64Array(n * k);
  const size = isDenseVectorType(col.type) ? col.type.listSize : -1;
  if (size >= 0 && size !== d) throw Errors.outOfRange(p.api, 'vector size', `${d} (the fitted size)`, size);
  const xs = size >= 0 ? ((col.children[0]! as AnyData).values as Float64Array) : null;
  const valid: boolean[] = [];
  for (let i = 0; i < n; i++) {
    valid.push(isValidAt(col, i));
    if (!valid[i]) continue;
    if (xs) {
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += pc[c * d + j]! * xs[i * d + j]!;
        y[i * k + c] = s;
      }
      continue;
    }
    const v = vectorAt(col, i)!;
    if (v.size !== d) throw Errors.outOfRange(p.api, 'vector size', `${d} (the fitted size)`, v.size);
    if (v instanceof SparseVector) {
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let t = 0; t < v.indices.length; t++) s += pc[c * d + v.indices[t]!]! * v.values[t]!;
        y[i * k + c] = s;
      }
    } else {
      const a = v.toArray();
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += pc[c * d + j]! * a[j]!;
        y[i * k + c] = s;
      }
    }
  }
  const out = denseVectorColumn(y, k, col.nullCount > 0 ? valid : null);
  return appendColumn(b, p.outputCol, out);
});
