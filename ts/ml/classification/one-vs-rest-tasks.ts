/**
 * The executor side of OneVsRestModel.transform (Spark's ml.classification.OneVsRestModel): each
 * binary sub-model has appended its rawPrediction under a temporary column (one-vs-rest-models.ts
 * `transformEach`); `oneVsRestCombine` reads them once per partition, makes Spark's rawPrediction
 * vector (element c = sub-model c's rawPrediction[1]) and prediction (its argmax, the first of
 * equal values), and drops the temporary columns.
 */
import * as arrow from 'apache-arrow';
import { makeBatch, type AnyData } from '../../src/dataframe/batch.js';
import { defineTask } from '../../src/exec/task.js';
import { denseVectorColumn, vectorElementAt } from '../linalg/columns.js';
import { argmaxRows, classifierFields, doubleColumn } from '../predictor/scoring-tasks.js';

export interface CombineBroadcast {
  /** The sub-models' temporary rawPrediction columns, class order. */
  tmpCols: string[];
  /** Output column names ('' leaves one out). */
  rawPredictionCol: string;
  predictionCol: string;
}

/** The batch without the columns `drop`, with `fields` / `cols` appended. */
export function replaceColumns(batch: arrow.RecordBatch, drop: readonly string[], fields: readonly arrow.Field[], cols: readonly AnyData[]): arrow.RecordBatch {
  const gone = new Set(drop);
  const keep = batch.schema.fields.map((f, j) => [f, j] as const).filter(([f]) => !gone.has(f.name));
  const schema = new arrow.Schema([...keep.map(([f]) => f), ...fields], batch.schema.metadata);
  return makeBatch(schema, [...keep.map(([, j]) => batch.data.children[j] as AnyData), ...cols], batch.numRows);
}

/** Element `j` of each of the n vectors of the column `name`. */
export function vectorElements(batch: arrow.RecordBatch, name: string, j: number): Float64Array {
  const d = batch.data.children[batch.schema.fields.findIndex((f) => f.name === name)] as AnyData;
  const out = new Float64Array(batch.numRows);
  for (let i = 0; i < batch.numRows; i++) out[i] = vectorElementAt('OneVsRestModel.transform', d, i, j);
  return out;
}

export const oneVsRestCombine = defineTask<arrow.RecordBatch, CombineBroadcast, arrow.RecordBatch>('classification.oneVsRestCombine', (batch, b) => {
  const n = batch.numRows;
  const k = b.tmpCols.length;
  const raw = new Float64Array(n * k);
  b.tmpCols.forEach((name, c) => {
    const v = vectorElements(batch, name, 1);
    for (let i = 0; i < n; i++) raw[i * k + c] = v[i]!;
  });
  const cols: AnyData[] = [];
  if (b.rawPredictionCol !== '') cols.push(denseVectorColumn(raw, k));
  if (b.predictionCol !== '') cols.push(doubleColumn(argmaxRows(raw, n, k)));
  return replaceColumns(batch, b.tmpCols, classifierFields({ numClasses: k, rawPredictionCol: b.rawPredictionCol, probabilityCol: '', predictionCol: b.predictionCol }), cols);
});
