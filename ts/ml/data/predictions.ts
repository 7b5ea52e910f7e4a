/**
 * A model's transform as a narrow operator on the executors (DataFrame.mapInArrow with a task):
 * each partition's feature vectors are read and checked once (features.ts), the model's predict
 * function labels them, and an int prediction column is appended. The batch-side half
 * (`appendPrediction`) runs inside a model's predict task; the driver-side half
 * (`withPredictions`) declares the output schema. A bad row is named by its row number: over
 * the whole DataFrame in the first partition, and as "row r of partition p" elsewhere (an
 * executor cannot know how many rows earlier partitions hold).
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import { makeBatch, type AnyData } from '../../src/dataframe/batch.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import type { PartitionTask } from '../../src/exec/task.js';
import type { RowChecks } from '../../src/kernels/validate-rows.js';
import { checkFeaturesColumn, readFeatures, type BadRow } from './features.js';

/** What every predict task needs about its input: the features column and the model's dimension. */
export interface PredictInput {
  api: string;
  featuresCol: string;
  isArray: boolean;
  /** The model's number of features. */
  d: number;
  checks: RowChecks;
}

/** The error of a bad row of partition `partition` (see the module comment). */
export function badRowError(api: string, bad: BadRow, partition: number): Error {
  return Errors.badRow(api, partition === 0 ? bad.what : `partition ${partition} of ${bad.what}`, bad.row, bad.why);
}

/** The batch with an int column appended: `predict(x, n)` labels the n checked rows of x (n x d). */
export function appendPrediction(batch: arrow.RecordBatch, input: PredictInput, partition: number, name: string, predict: (x: Float64Array, n: number) => Int32Array): arrow.RecordBatch {
  const n = batch.numRows;
  let labels: Int32Array = new Int32Array(n);
  if (n > 0) {
    const f = readFeatures(batch, input.featuresCol, input.isArray, input.checks);
    if ('bad' in f) throw badRowError(input.api, f.bad, partition);
    if (f.dim !== input.d) throw badRowError(input.api, { row: 0, what: `column ${input.featuresCol}`, why: `has ${f.dim} features, but the model was fitted on ${input.d}` }, partition);
    labels = predict(f.x, n);
  }
  const schema = new arrow.Schema([...batch.schema.fields, new arrow.Field(name, new arrow.Int32(), false)]);
  const pred = arrow.makeData({ type: new arrow.Int32(), length: n, data: labels, nullCount: 0 }) as AnyData;
  return makeBatch(schema, [...(batch.data.children as AnyData[]), pred], n);
}

/** `df` with the prediction column `outSchema` declares, computed by `task` on the executors. */
export function withPredictions<B extends { input: PredictInput }>(df: DataFrame, task: PartitionTask<arrow.RecordBatch, B, arrow.RecordBatch>, broadcast: B, outSchema: arrow.Schema): DataFrame {
  return df.mapInArrow(task, outSchema, broadcast);
}

/** The PredictInput of a model over `df`'s schema (checks the features column now). */
export function predictInput(api: string, df: DataFrame, featuresCol: string, d: number, checks: RowChecks): PredictInput {
  return { api, featuresCol, isArray: checkFeaturesColumn(api, df.schema, featuresCol).isArray, d, checks };
}
