/**
 * StandardScaler's fit on the executors (docs/formats/SPARK_DEFINITIONS.md §3): Spark takes the mean and the
 * unbiased std from its column Summarizer, unweighted (StandardScaler has no weightCol). Here
 * `scalerStatsSummary` folds a partition's vectors into count, mean and M2 per feature (the native
 * column statistics kernel, ts/src/kernels/colstats.ts) and merges with Chan et al.'s formulas;
 * `scalerStats` runs it over a DataFrame's partitions, reading the vector column where the
 * partition is: a null row, or a vector whose size differs from the earlier rows', is reported
 * as data and named over the whole DataFrame on the driver (evaluation/common.ts).
 * The transform (`scalerTransform`, and `scaleVector` for one row) is the scalers' affine task
 * (scaling-tasks.ts `affineBatch`, the native affine map) with Spark's shift and scale.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import { defineTask, type Summary } from '../../../src/exec/task.js';
import type { Vector } from '../../linalg/vectors.js';
import { batchSummary, vectorRowsOf, type BatchRead } from '../../data/checked-summary.js';
import { colStatsOfRows, type Affine } from '../../../src/kernels/colstats.js';
import { affineBatch, affineVector, type AffineBroadcast } from './scaling-tasks.js';

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

/** The count, mean and M2 of n x d rows: one native fold (ts/src/kernels/colstats.ts: block means, then block M2s, merged by Chan et al.). */
function statsOfRows({ x, n, d }: VectorRows): ScalerStats {
  if (n === 0) return { n: 0, mean: new Float64Array(0), m2: new Float64Array(0) };
  if (d === 0) return { n, mean: new Float64Array(0), m2: new Float64Array(0) };
  const s = colStatsOfRows(x, n, d);
  return { n: s.n, mean: s.mean.slice(), m2: s.m2.slice() };
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

/** Spark's StandardScalerModel.getTransformFunc as an affine map: shift by the mean (withMean), multiply by 1 / std, 0 where std is 0 (withStd). */
export function scalingAffine(s: Scaling): Affine {
  return { shift: s.withMean ? s.mean : null, scale: s.withStd ? Float64Array.from(s.std, (sd) => (sd === 0 ? 0 : 1 / sd)) : null, offset: null };
}

export interface ScaleBroadcast extends Scaling {
  api: string;
  inputCol: string;
  outputCol: string;
}

/** The scaling as the scalers' affine task runs it: withMean gives dense vectors, else sparse stays sparse (scaling-tasks.ts). */
function affineOf(sc: ScaleBroadcast): AffineBroadcast {
  return { api: sc.api, inputCol: sc.inputCol, outputCol: sc.outputCol, d: sc.std.length, ...scalingAffine(sc), form: sc.withMean ? 'dense' : 'keep' };
}

/** Spark's StandardScalerModel on one vector (the size must be the fitted one). */
export function scaleVector(v: Vector, s: Scaling): Vector {
  return affineVector(v, affineOf({ ...s, api: 'StandardScalerModel', inputCol: '', outputCol: '' }));
}

/** Appends the scaled vectors (a dense column stays dense; null rows stay null). */
export const scalerTransform = defineTask<arrow.RecordBatch, ScaleBroadcast, arrow.RecordBatch>('feature.scalerTransform', (b, sc) => affineBatch(b, affineOf(sc)));
