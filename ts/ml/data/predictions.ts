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
import { type AnyData, appendColumns } from '../../src/dataframe/batch.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import type { PartitionTask, TaskContext } from '../../src/exec/task.js';
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

/** The error of a bad row of partition `partition` whose first row is `rowBase` over the DataFrame, when known (see the module comment). */
export function badRowError(api: string, bad: BadRow, partition: number, rowBase?: number): Error {
  if (rowBase !== undefined || partition === 0) return Errors.badRow(api, bad.what, (rowBase ?? 0) + bad.row, bad.why);
  return Errors.badRow(api, `partition ${partition} of ${bad.what}`, bad.row, bad.why);
}

/**
 * The batch with the columns `fields` appended: `compute(x, n)` turns the n checked rows of x
 * (n x d, row-major; empty when n = 0) into one column per field.
 */
export function appendComputed(batch: arrow.RecordBatch, input: PredictInput, ctx: TaskContext, fields: readonly arrow.Field[], compute: (x: Float64Array, n: number) => AnyData[]): arrow.RecordBatch {
  const n = batch.numRows;
  let x: Float64Array = new Float64Array(0);
  if (n > 0) {
    const f = readFeatures(batch, input.featuresCol, input.isArray, input.checks);
    // the first row's size against the model's comes before any later row's check
    if (f.dim >= 0 && f.dim !== input.d && !('bad' in f && f.bad.row === 0)) {
      throw badRowError(input.api, { row: 0, what: `column ${input.featuresCol}`, why: `has ${f.dim} features, but the model was fitted on ${input.d}` }, ctx.partition, ctx.rowBase);
    }
    if ('bad' in f) throw badRowError(input.api, f.bad, ctx.partition, ctx.rowBase);
    x = f.x;
  }
  return appendColumns(batch, fields, compute(x, n));
}

/** An int column of labels (no nulls). */
export function labelColumn(labels: Int32Array): AnyData {
  return arrow.makeData({ type: new arrow.Int32(), length: labels.length, data: labels, nullCount: 0 }) as AnyData;
}

/** The batch with an int column appended: `predict(x, n)` labels the n checked rows of x (n x d). */
export function appendPrediction(batch: arrow.RecordBatch, input: PredictInput, ctx: TaskContext, name: string, predict: (x: Float64Array, n: number) => Int32Array): arrow.RecordBatch {
  return appendComputed(batch, input, ctx, [new arrow.Field(name, new arrow.Int32(), false)], (x, n) => [labelColumn(n > 0 ? predict(x, n) : new Int32Array(0))]);
}

/** `df` with the columns `outSchema` declares, computed by `task` on the executors. */
export function withPredictions<B extends { input: PredictInput }>(df: DataFrame, task: PartitionTask<arrow.RecordBatch, B, arrow.RecordBatch>, broadcast: B, outSchema: arrow.Schema): DataFrame {
  return df.mapInArrow(task, outSchema, broadcast);
}

/** The PredictInput of a model over `df`'s schema (checks the features column now). */
export function predictInput(api: string, df: DataFrame, featuresCol: string, d: number, checks: RowChecks): PredictInput {
  return { api, featuresCol, isArray: checkFeaturesColumn(api, df.schema, featuresCol).isArray, d, checks };
}
