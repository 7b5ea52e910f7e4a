/**
 * The executor side of IsotonicRegression (isotonic-regression.ts):
 *   - `isotonicPoints`: the fit's one pass — each partition's labels, feature values (a numeric
 *     column, or element featureIndex of a vector column, as Spark's extractWeightedLabeledPoints)
 *     and weights read and checked once (Spark's checkRegressionLabels / checkNonNegativeWeights
 *     messages; features must be finite), made unique per feature value and merged by feature
 *     (isotonic-regression-pav.ts); the lowest bad row is named over the whole DataFrame
 *     (ml/data/checked-summary.ts);
 *   - `isotonicPredictTask`: the model's transform, Spark's predict of each row's feature value.
 */
import * as arrow from 'apache-arrow';
import { appendColumns, isValidAt, type AnyData } from '../../src/dataframe/batch.js';
import { castColumn, numericValues } from '../../src/dataframe/eval.js';
import { Types } from '../../src/dataframe/types.js';
import { defineSummary, defineTask } from '../../src/exec/task.js';
import { batchSummary, columnOf, RowError } from '../data/checked-summary.js';
import { readLabels, readWeights, type BadRow } from '../data/features.js';
import { badRowError } from '../data/predictions.js';
import { vectorElementAt } from '../linalg/columns.js';
import { doubleColumn } from '../predictor/scoring-tasks.js';
import { isotonicPredict, uniqueMerge, uniqueOf, uniqueZero, type IsotonicFunction, type UniquePoints } from './isotonic-regression-pav.js';

/** Where the feature value of a row is: a numeric column, or element `featureIndex` of a vector column. */
export interface FeatureSpec {
  featuresCol: string;
  isVector: boolean;
  featureIndex: number;
}

/**
 * The feature value of each row of a batch, or the first row without one: null, NaN, an index
 * past the vector's size, and (when `finite`) ±Infinity.
 */
export function readFeatureValues(batch: arrow.RecordBatch, spec: FeatureSpec, finite: boolean): { x: Float64Array } | { bad: BadRow } {
  const name = spec.featuresCol;
  const what = `column ${name}`;
  const col = columnOf(batch, name);
  const n = col.length;
  let x: Float64Array;
  if (spec.isVector) {
    x = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (!isValidAt(col, i)) return { bad: { row: i, what, why: 'is null: Features MUST NOT be Null or NaN' } };
      try {
        x[i] = vectorElementAt('IsotonicRegression', col, i, spec.featureIndex);
      } catch {
        return { bad: { row: i, what, why: `has no element at featureIndex ${spec.featureIndex}; the vectors are shorter` } };
      }
    }
  } else {
    const dd = arrow.DataType.isFloat(col.type) && col.type.precision === arrow.Precision.DOUBLE ? col : castColumn('featuresCol', col, Types.double());
    x = (numericValues(dd) as Float64Array).subarray(0, n);
    if (dd.nullCount > 0) for (let i = 0; i < n; i++) if (!isValidAt(dd, i)) return { bad: { row: i, what, why: 'is null: Features MUST NOT be Null or NaN' } };
  }
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (Number.isNaN(v)) return { bad: { row: i, what, why: 'is NaN: Features MUST NOT be Null or NaN' } };
    if (finite && !Number.isFinite(v)) return { bad: { row: i, what, why: `is ${v}: an isotonic fit needs finite feature values` } };
  }
  return { x };
}

export interface IsotonicFitBroadcast extends FeatureSpec {
  labelCol: string;
  weightCol: string | null;
}

interface LabeledPoints {
  x: Float64Array;
  y: Float64Array;
  w: Float64Array | null;
  n: number;
}

const uniquePoints = defineSummary<UniquePoints, LabeledPoints, IsotonicFitBroadcast>('isotonic.unique', {
  zero: uniqueZero,
  add: (s, p) => uniqueMerge(s, uniqueOf(p.x, p.y, p.w, p.n)),
  merge: uniqueMerge,
});

/** The fit's pass (module comment): merged unique points, or the lowest bad row. */
export const isotonicPoints = batchSummary<UniquePoints, LabeledPoints, IsotonicFitBroadcast>('isotonic.points', uniquePoints, (batch, b) => {
  const l = readLabels(batch, b.labelCol, { kind: 'regression' });
  const f = readFeatureValues(batch, b, true);
  const w = b.weightCol !== null ? readWeights(batch, b.weightCol) : null;
  const bads = [l, f, w].flatMap((r) => (r !== null && 'bad' in r ? [r.bad] : []));
  if (bads.length > 0) throw new RowError(bads.reduce((a, c) => (c.row < a.row ? c : a)), -1);
  return { part: { x: (f as { x: Float64Array }).x, y: (l as { y: Float64Array }).y, w: w !== null ? (w as { w: Float64Array }).w : null, n: batch.numRows } };
});

export interface IsotonicPredictBroadcast extends FeatureSpec {
  api: string;
  predictionCol: string;
  fn: IsotonicFunction;
}

/** Appends Spark's prediction of each row's feature value (±Infinity: the end predictions). */
export const isotonicPredictTask = defineTask<arrow.RecordBatch, IsotonicPredictBroadcast, arrow.RecordBatch>('isotonic.predict', (batch, b, ctx) => {
  const r = readFeatureValues(batch, b, false);
  if ('bad' in r) throw badRowError(b.api, r.bad, ctx.partition, ctx.rowBase);
  const out = new Float64Array(r.x.length);
  for (let i = 0; i < out.length; i++) out[i] = isotonicPredict(b.fn, r.x[i]!);
  return appendColumns(batch, [new arrow.Field(b.predictionCol, new arrow.Float64(), false)], [doubleColumn(out) as AnyData]);
});
