/**
 * What the scaling stages share: the schema check of a vector-in, vector-out stage, the column
 * statistics fit (colStatsOf over the executors), and Spark's model data layout for models whose
 * data is one row of vectors (MinMaxScalerModel originalMin/originalMax, MaxAbsScalerModel
 * maxAbs, RobustScalerModel range/median; docs/formats/SPARK_MODEL_FORMAT.md) or of int arrays
 * (VarianceThresholdSelectorModel selectedFeatures).
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import { makeBatch, type AnyData } from '../../../src/dataframe/batch.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { Types } from '../../../src/dataframe/types.js';
import type { ColStats } from '../../../src/kernels/colstats.js';
import { aggregateRows } from '../../data/checked-summary.js';
import { checkVector } from '../../data/schema-checks.js';
import { vectorAt, vectorColumn } from '../../linalg/columns.js';
import type { Vector } from '../../linalg/vectors.js';
import type { Params } from '../../param/params.js';
import { firstRow, readData, writeData, writeMetadata, type WriteContext } from '../../persist.js';
import { colStatsOf, INPUT_VECTORS, sizeMismatchOf } from './scaling-tasks.js';

/** The output schema of a stage appending `outputCol` to the vector column `inputCol` (its type, or Spark's VectorUDT struct when `struct`). */
export function vectorOutputSchema(api: string, schema: arrow.Schema, inputCol: string, outputCol: string, struct = false): arrow.Schema {
  const t = schema.fields[checkVector(api, schema, 'inputCol', inputCol)]!.type;
  if (schema.fields.some((f) => f.name.toLowerCase() === outputCol.toLowerCase())) throw Errors.schema(`${api}: Output column ${outputCol} already exists.`);
  return new arrow.Schema([...schema.fields, new arrow.Field(outputCol, struct ? Types.vectorStruct() : t, true)]);
}

/**
 * The column statistics of `inputCol` over the DataFrame, a bad row named as a row of `what`.
 * An empty DataFrame is an error naming the stage, unless `allowEmpty` (the caller words it).
 */
export async function fitColStats(api: string, df: DataFrame, inputCol: string, what = INPUT_VECTORS, allowEmpty = false): Promise<ColStats> {
  const { value } = await aggregateRows(api, df, colStatsOf, [inputCol], { inputCol, what }, sizeMismatchOf(what));
  if (value.n === 0 && !allowEmpty) throw Errors.schema(`${api}: the DataFrame has no rows to fit on`);
  return value;
}

/** Writes metadata and one data row of vectors (each in its own form, dense or sparse), in the given column order. */
export async function saveVectorData(model: Params, path: string, ctx: Pick<WriteContext, 'api'>, vectors: Record<string, Vector>): Promise<void> {
  await writeMetadata(model, path, ctx);
  const names = Object.keys(vectors);
  const columns = names.map((k) => vectorColumn([vectors[k]!]));
  const schema = new arrow.Schema(names.map((k, i) => new arrow.Field(k, columns[i]!.type, true)));
  await writeData(path, { schema, batches: [makeBatch(schema, columns, 1)] });
}

/** Reads the vectors `names` (as stored: dense or sparse) from the first data row of a saved model. */
export async function loadVectorData(path: string, api: string, what: string, names: readonly string[]): Promise<Vector[]> {
  const row = firstRow(await readData(path, 'data', api), api, path, what);
  return names.map((name) => {
    const i = row.schema.fields.findIndex((f) => f.name === name);
    const v = i < 0 ? null : vectorAt(row.data.children[i]! as AnyData, 0);
    if (!v) throw Errors.load(`${api}: the ${what} at ${path} lacks ${name}`);
    return v;
  });
}

