/**
 * The executor side of MultivariateRegressor (multivariate-regressor.ts):
 *   - `multivariateTargets`: each row's label vector (a vector column or an array of numbers)
 *     split into k double columns, one per target; a null label, a non-finite value or a size
 *     other than k names its row;
 *   - `multivariateAssemble`: the k per-target prediction columns joined into one dense vector.
 */
import * as arrow from 'apache-arrow';
import { appendColumns, type AnyData } from '../../src/dataframe/batch.js';
import { Types } from '../../src/dataframe/types.js';
import { defineTask } from '../../src/exec/task.js';
import { doublesOf, RowError } from '../data/checked-summary.js';
import { readFeatures } from '../data/features.js';
import { badRowError } from '../data/predictions.js';
import { denseVectorColumn } from '../linalg/columns.js';
import { doubleColumn } from '../predictor/scoring-tasks.js';

export interface TargetsBroadcast {
  api: string;
  labelCol: string;
  isArray: boolean;
  k: number;
  /** Output column names, one per target. */
  outCols: string[];
}

export const multivariateTargets = defineTask<arrow.RecordBatch, TargetsBroadcast, arrow.RecordBatch>('ml.multivariate.targets', (batch, b, ctx) => {
  const n = batch.numRows;
  const cols: Float64Array[] = b.outCols.map(() => new Float64Array(n));
  if (n > 0) {
    const f = readFeatures(batch, b.labelCol, b.isArray, {});
    if (f.dim >= 0 && f.dim !== b.k && !('bad' in f && f.bad.row === 0)) {
      throw badRowError(b.api, { row: 0, what: `label column ${b.labelCol}`, why: `has ${f.dim} values, but the first label has ${b.k}; every label must have one size` }, ctx.partition, ctx.rowBase);
    }
    if ('bad' in f) throw badRowError(b.api, { ...f.bad, what: `label column ${b.labelCol}` }, ctx.partition, ctx.rowBase);
    for (let r = 0; r < n; r++) for (let i = 0; i < b.k; i++) cols[i]![r] = f.x[r * b.k + i]!;
  }
  return appendColumns(batch, b.outCols.map((c) => new arrow.Field(c, new arrow.Float64(), false)), cols.map(doubleColumn));
});

export interface AssembleBroadcast {
  api: string;
  inCols: string[];
  outCol: string;
}

export const multivariateAssemble = defineTask<arrow.RecordBatch, AssembleBroadcast, arrow.RecordBatch>('ml.multivariate.assemble', (batch, b, ctx) => {
  const n = batch.numRows;
  const k = b.inCols.length;
  const values = new Float64Array(n * k);
  if (n > 0) {
    b.inCols.forEach((c, i) => {
      let v: Float64Array;
      try {
        v = doublesOf(batch, c);
      } catch (err) {
        if (err instanceof RowError) throw badRowError(b.api, { ...err.bad, why: `${err.bad.why.replace(/; evaluators need.*$/, '')} (the prediction of target ${i})` }, ctx.partition, ctx.rowBase);
        throw err;
      }
      for (let r = 0; r < n; r++) values[r * k + i] = v[r]!;
    });
  }
  return appendColumns(batch, [new arrow.Field(b.outCol, Types.vector(k), false)], [denseVectorColumn(values, k) as AnyData]);
});
