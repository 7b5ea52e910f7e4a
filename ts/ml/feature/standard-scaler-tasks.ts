/**
 * StandardScaler's fit on the executors (docs/formats/SPARK_DEFINITIONS.md §3): Spark takes the mean and the
 * unbiased std from its column Summarizer, unweighted (StandardScaler has no weightCol). Here
 * `scalerStatsSummary` folds a partition's vectors into count, mean and M2 per feature (two
 * passes over the rows: mean, then squared deviations) and merges with Chan et al.'s formulas;
 * `scalerStats` runs it over a DataFrame's partitions, reading the vector column where the
 * partition is: a null row, or a vector whose size differs from the earlier rows', is reported
 * as data and named over the whole DataFrame on the driver (evaluation/common.ts).
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import { isValidAt, makeBatch, type AnyData } from '../../src/dataframe/batch.js';
import { defineTask, type Summary } from '../../src/exec/task.js';
import { denseVectorColumn, isDenseVectorType, vectorAt, vectorColumn } from '../linalg/columns.js';
import { DenseVector, SparseVector, type Vector } from '../linalg/vectors.js';
import { batchSummary, columnOf, vectorRowsOf, type BatchRead } from '../data/checked-summary.js';

/** Per-feature count / mean / M2 over the rows seen: a mergeable summary. */
export interface ScalerStats {
  n: number;
  mean: Float64Array;
  m2: Float64Array;
}

export function scalerStatsMerge(a: ScalerStats, b: ScalerStats): ScalerStats {
  if (b.n === 0) return a;
  if (a.n === 0) return b;
  if (a.mean.length !== b.mean.length) throw Errors.schema(`StandardScaler: vectors of sizes ${a.mean.length} and ${b.mean.length} in one column`);
  const n = a.n + b.n;
  const mean = new Float64Array(a.mean.length);
  const m2 = new Float64Array(a.mean.length);
  for (let j = 0; j < mean.length; j++) {
    const delta = b.mean[j]! - a.mean[j]!;
    mean[j] = a.mean[j]! + (delta * b.n) / n;
    m2[j] = a.m2[j]! + b.m2[j]! + (delta * delta * a.n * b.n) / n;
  }
  return { n, mean, m2 };
}

/** n vectors of size d, row-major. */
export interface VectorRows {
  x: Float64Array;
  n: number;
  d: number;
}

/** The count, mean and M2 of n x d rows: the mean first, then the squared deviations from it. */
function statsOfRows({ x, n, d }: VectorRows): ScalerStats {
  if (n === 0) return { n: 0, mean: new Float64Array(0), m2: new Float64Array(0) };
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j] /= n;
  const m2 = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const dev = x[i * d + j]! - mean[j]!;
      m2[j] += dev * dev;
    }
  }
  return { n, mean, m2 };
}

export const scalerStatsSummary: Summary<ScalerStats, VectorRows, unknown> = {
  zero: () => ({ n: 0, mean: new Float64Array(0), m2: new Float64Array(0) }),
  add: (s, rows) => scalerStatsMerge(s, statsOfRows(rows)),
  merge: scalerStatsMerge,
};

const WHAT = 'the features column';

/** How a vector whose size differs from the earlier rows' is reported. */
export function scalerSizeMismatch(size: number, dim: number): { what: string; why: string } {
  return { what: WHAT, why: `has size ${size}, but earlier rows have size ${dim}` };
}

/** A partition's vectors (dense or VectorUDT struct) row-major: every null row first, then the sizes. */
function readVectors(batch: arrow.RecordBatch, b: { inputCol: string }): BatchRead<VectorRows> {
  const { x, n, d } = vectorRowsOf(batch, b.inputCol, { what: WHAT, isNull: 'is null', sizeMismatch: scalerSizeMismatch });
  return { part: { x, n, d: Math.max(d, 0) }, size: d };
}

/** The fit's statistics of each partition, read where the partition is. */
export const scalerStats = batchSummary('feature.standardScalerStats', scalerStatsSummary, readVectors);

// ----- StandardScalerModel.transform ----------------------------------------------------------

/** What scaling a vector needs: the fitted std and mean, and Spark's withMean / withStd. */
export interface Scaling {
  std: Float64Array;
  mean: Float64Array;
  withMean: boolean;
  withStd: boolean;
}

/** Spark's StandardScalerModel on one vector: x - mean (withMean), then / std (withStd; 0 where std is 0); sparse stays sparse without withMean. */
export function scaleVector(v: Vector, s: Scaling): Vector {
  const d = s.std.length;
  if (!s.withMean && v instanceof SparseVector) {
    if (!s.withStd) return v;
    const values = Float64Array.from(v.values, (x, k) => {
      const sd = s.std[v.indices[k]!]!;
      return sd === 0 ? 0 : x / sd;
    });
    return new SparseVector(d, Int32Array.from(v.indices), values);
  }
  const a = Float64Array.from(v.toArray());
  for (let j = 0; j < d; j++) {
    let x = a[j]!;
    if (s.withMean) x -= s.mean[j]!;
    if (s.withStd) x = s.std[j] === 0 ? 0 : x / s.std[j]!;
    a[j] = x;
  }
  return new DenseVector(a);
}

export interface ScaleBroadcast extends Scaling {
  api: string;
  inputCol: string;
  outputCol: string;
}

/** Appends the scaled vectors (a dense column stays dense; null rows stay null). */
export const scalerTransform = defineTask<arrow.RecordBatch, ScaleBroadcast, arrow.RecordBatch>('feature.scalerTransform', (b, sc) => {
  const col = columnOf(b, sc.inputCol);
  const n = b.numRows;
  const d = sc.std.length;
  let out: AnyData;
  if (isDenseVectorType(col.type)) {
    if (col.type.listSize !== d) throw Errors.schema(`${sc.api}: vectors of size ${col.type.listSize}, the model was fitted on size ${d}`);
    const x = (col.children[0]!.values as Float64Array).subarray(0, n * d);
    const y = new Float64Array(n * d);
    const inv = Float64Array.from(sc.std, (s) => (s === 0 ? 0 : 1 / s));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        let v = x[i * d + j]!;
        if (sc.withMean) v -= sc.mean[j]!;
        if (sc.withStd) v = sc.std[j] === 0 ? 0 : v * inv[j]!;
        y[i * d + j] = v;
      }
    }
    const valid = col.nullCount > 0 ? Array.from({ length: n }, (_, i) => isValidAt(col, i)) : null;
    out = denseVectorColumn(y, d, valid);
  } else {
    const vs: Array<Vector | null> = [];
    for (let i = 0; i < n; i++) {
      const v = vectorAt(col, i);
      if (v !== null && v.size !== d) throw Errors.outOfRange(sc.api, 'vector size', `${d} (the fitted size)`, v.size);
      vs.push(v === null ? null : scaleVector(v, sc));
    }
    out = vectorColumn(vs, 'struct');
  }
  const schema = new arrow.Schema([...b.schema.fields, new arrow.Field(sc.outputCol, out.type, true)]);
  return makeBatch(schema, [...(b.data.children as AnyData[]), out], n);
});
