/**
 * StandardScaler's fit on the executors (SPARK_DEFINITIONS.md §3): Spark takes the mean and the
 * unbiased std from its column Summarizer, unweighted (StandardScaler has no weightCol). Here
 * `scalerStatsSummary` folds a partition's vectors into count, mean and M2 per feature (two
 * passes over the rows: mean, then squared deviations) and merges with Chan et al.'s formulas;
 * `scalerStats` runs it over a DataFrame's partitions, reading the vector column where the
 * partition is: a null row, or a vector whose size differs from the earlier rows', is reported
 * as data and named over the whole DataFrame on the driver (evaluation/common.ts).
 */
import type * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import { isValidAt } from '../../src/dataframe/batch.js';
import type { Summary } from '../../src/exec/task.js';
import { denseVectorValues, isDenseVectorType, vectorSizeAt } from '../linalg/columns.js';
import { batchSummary, columnOf, failRow, type BatchRead } from '../data/checked-summary.js';

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
  const col = columnOf(batch, b.inputCol);
  const n = col.length;
  if (n === 0) return { part: { x: new Float64Array(0), n: 0, d: 0 } };
  for (let i = 0; i < n; i++) if (!isValidAt(col, i)) failRow(i, WHAT, 'is null');
  let d = isDenseVectorType(col.type) ? col.type.listSize : -1;
  if (d < 0) {
    for (let i = 0; i < n; i++) {
      const size = vectorSizeAt(col, i);
      if (d < 0) d = size;
      else if (size !== d) failRow(i, WHAT, scalerSizeMismatch(size, d).why, d);
    }
  }
  return { part: { x: denseVectorValues(col, d).values, n, d }, size: d };
}

/** The fit's statistics of each partition, read where the partition is. */
export const scalerStats = batchSummary('feature.standardScalerStats', scalerStatsSummary, readVectors);
