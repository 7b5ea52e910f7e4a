/**
 * IterativeImputer's transform on the executors (iterative-imputer.ts): each row's missing
 * values (null, NaN or missingValue) start at the fitted column means, then every fitted step
 * (feature, intercept, coefficients over the other features), in fit order, predicts the
 * feature where the row misses it from the row's current values: scikit-learn's
 * IterativeImputer.transform replaying its imputation_sequence_. Outputs keep the input types.
 */
import * as arrow from 'apache-arrow';
import { makePrimitive, type AnyData, appendColumns } from '../../../src/dataframe/batch.js';
import { castColumn } from '../../../src/dataframe/eval.js';
import { defineTask } from '../../../src/exec/task.js';
import { columnOf } from '../../data/checked-summary.js';
import { doublesWithNulls } from './imputer-tasks.js';

/** One regression of the chain: feature `feature` = intercept + Σ coef[k] x[k] over the other features (coef[feature] = 0). */
export interface ImputationStep {
  feature: number;
  intercept: number;
  coef: Float64Array;
}

export interface ChainBroadcast {
  api: string;
  inputCols: string[];
  outputCols: string[];
  missingValue: number;
  means: Float64Array;
  steps: ImputationStep[];
}

/** Runs the chain over n x d row-major values with their missing mask (1 = missing); fills x in place. */
export function applyChain(x: Float64Array, missing: Uint8Array, n: number, d: number, means: Float64Array, steps: readonly ImputationStep[]): void {
  for (let i = 0; i < n * d; i++) if (missing[i]) x[i] = means[i % d]!;
  for (const s of steps) {
    for (let i = 0; i < n; i++) {
      if (!missing[i * d + s.feature]) continue;
      let v = s.intercept;
      for (let k = 0; k < d; k++) if (k !== s.feature) v += s.coef[k]! * x[i * d + k]!;
      x[i * d + s.feature] = v;
    }
  }
}

/** The n x d values of the input columns and their missing mask (null, NaN or missingValue). */
export function readMatrix(api: string, b: arrow.RecordBatch, cols: readonly string[], missingValue: number): { x: Float64Array; missing: Uint8Array } {
  const n = b.numRows;
  const d = cols.length;
  const x = new Float64Array(n * d);
  const missing = new Uint8Array(n * d);
  cols.forEach((c, j) => {
    const { values, valid } = doublesWithNulls(api, columnOf(b, c));
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (!valid(i) || v !== v || v === missingValue) missing[i * d + j] = 1;
      else x[i * d + j] = v;
    }
  });
  return { x, missing };
}

export const iterativeImpute = defineTask<arrow.RecordBatch, ChainBroadcast, arrow.RecordBatch>('feature.iterativeImpute', (b, cb) => {
  const n = b.numRows;
  const d = cb.inputCols.length;
  const { x, missing } = readMatrix(cb.api, b, cb.inputCols, cb.missingValue);
  applyChain(x, missing, n, d, cb.means, cb.steps);
  const outs = cb.inputCols.map((c, j) => {
    const col = Float64Array.from({ length: n }, (_, i) => x[i * d + j]!);
    return castColumn(cb.api, makePrimitive(new arrow.Float64(), col, null, 0) as AnyData, columnOf(b, c).type);
  });
  const fields = cb.outputCols.map((c, j) => new arrow.Field(c, outs[j]!.type, true));
  return appendColumns(b, fields, outs);
});
