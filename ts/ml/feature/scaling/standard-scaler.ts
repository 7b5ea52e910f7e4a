/**
 * StandardScaler (Spark's ml.feature.StandardScaler): learns per-feature mean and standard
 * deviation, then scales vectors to unit standard deviation and/or zero mean.
 *
 *   - fit: one pass per partition, on the executors, folding count, mean and M2 per feature (a
 *     mergeable summary, Chan et al. merge: standard-scaler-tasks.ts), the corrected sample
 *     standard deviation sqrt(M2 / (n - 1)) as Spark's Summarizer (docs/formats/SPARK_DEFINITIONS.md §3);
 *     a single row gives std 0.
 *   - transform: withStd scales by 1/std, and a feature with std 0 becomes 0.0 (as Spark);
 *     withMean subtracts the mean first and always gives dense vectors; without withMean a sparse
 *     vector stays sparse (only its non-zeros are scaled).
 *   - defaults as Spark: withMean false, withStd true; output column `<uid>__output`.
 *   - persistence: org.apache.spark.ml.feature.StandardScaler / StandardScalerModel, model data
 *     `std`, `mean` (VectorUDT) in data/.
 * Null feature vectors are an error naming the row over the whole DataFrame; vectors of
 * different sizes too.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import { makeBatch, type AnyData } from '../../../src/dataframe/batch.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { denseVectorColumn, vectorAt } from '../../linalg/columns.js';
import { DenseVector, type Vector } from '../../linalg/vectors.js';
import { MLWritable } from '../../ml-writable.js';
import { readData, register, writeData, writeMetadata, getAndSetParams } from '../../persist.js';
import { Estimator, Model, type FitOptions } from '../../stage.js';
import { StandardScalerParamsMixin, type StandardScalerParamsOptions } from '../feature-params.js';
import { checkVector } from '../../data/schema-checks.js';
import { FEATURES, scaleVector, scalerTransform, type ScaleBroadcast, type Scaling } from './standard-scaler-tasks.js';
import { fitColStats } from './scaling-common.js';


export type StandardScalerOptions = StandardScalerParamsOptions;

function checkInput(api: string, schema: arrow.Schema, inputCol: string, outputCol: string): arrow.Schema {
  const t = schema.fields[checkVector(api, schema, 'inputCol', inputCol)]!.type;
  if (schema.fields.some((f) => f.name.toLowerCase() === outputCol.toLowerCase())) throw Errors.schema(`${api}: output column ${outputCol} already exists`);
  return new arrow.Schema([...schema.fields, new arrow.Field(outputCol, t, true)]);
}

export class StandardScaler extends MLWritable(StandardScalerParamsMixin(Estimator<StandardScalerModel>)) {
  constructor(options?: StandardScalerOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return checkInput(this.stageName, schema, this.getInputCol(), this.getOutputCol());
  }

  protected async fitImpl(df: DataFrame, _options: FitOptions): Promise<StandardScalerModel> {
    const api = `${this.stageName}.fit`;
    const inputCol = this.getInputCol();
    const stats = await fitColStats(api, df, inputCol, FEATURES);
    const std = new Float64Array(stats.mean.length);
    for (let j = 0; j < std.length; j++) std[j] = stats.n > 1 ? Math.sqrt(Math.max(stats.m2[j]! / (stats.n - 1), 0)) : 0;
    const model = new StandardScalerModel({ std: new DenseVector(std), mean: new DenseVector(stats.mean) }, this.uid);
    this.copyValues(model);
    return model;
  }
}

export class StandardScalerModel extends MLWritable(StandardScalerParamsMixin(Model)) {
  std: DenseVector;
  mean: DenseVector;

  constructor(state?: { std: DenseVector; mean: DenseVector } & StandardScalerOptions, uid?: string) {
    super(uid);
    this.std = state?.std ?? new DenseVector([]);
    this.mean = state?.mean ?? new DenseVector([]);
    if (state) {
      const { std: _s, mean: _m, ...opts } = state;
      this.setParams(opts as Record<string, unknown>);
    }
  }

  override copy(extra?: Parameters<Model['copy']>[0]): this {
    const that = super.copy(extra);
    that.std = this.std;
    that.mean = this.mean;
    that.parent = this.parent;
    return that;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return checkInput(this.stageName, schema, this.getInputCol(), this.getOutputCol());
  }

  /** The scaled vector (Spark's StandardScalerModel.transform of one row). */
  scale(v: Vector): Vector {
    return this.rowScaler()(v);
  }

  /** `scale` with the fitted scaling read once, for scoring many rows one at a time (ts/ml/models/row-path.ts). */
  rowScaler(): (v: Vector) => Vector {
    const d = this.std.size;
    const s = this.scaling();
    return (v) => {
      if (v.size !== d) throw Errors.outOfRange(this.stageName, 'vector size', `${d} (the fitted size)`, v.size);
      return scaleVector(v, s);
    };
  }

  private scaling(): Scaling {
    return { std: Float64Array.from(this.std.toArray()), mean: Float64Array.from(this.mean.toArray()), withMean: this.getOrDefault(this.withMean), withStd: this.getOrDefault(this.withStd) };
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const api = `${this.stageName}.transform`;
    const b: ScaleBroadcast = { api, inputCol: this.getInputCol(), outputCol: this.getOutputCol(), ...this.scaling() };
    return df.mapInArrow(scalerTransform, this.transformSchema(df.schema), b);
  }
}

register('org.apache.spark.ml.feature.StandardScaler', StandardScaler);
register('org.apache.spark.ml.feature.StandardScalerModel', StandardScalerModel, {
  async save(model, path, ctx) {
    await writeMetadata(model, path, ctx);
    const schema = new arrow.Schema([new arrow.Field('std', new arrow.FixedSizeList(model.std.size, new arrow.Field('element', new arrow.Float64(), false)), true), new arrow.Field('mean', new arrow.FixedSizeList(model.mean.size, new arrow.Field('element', new arrow.Float64(), false)), true)]);
    const batch = makeBatch(schema, [denseVectorColumn(Float64Array.from(model.std.toArray()), model.std.size), denseVectorColumn(Float64Array.from(model.mean.toArray()), model.mean.size)], 1);
    await writeData(path, { schema, batches: [batch] });
  },
  async load(path, metadata, ctx) {
    const table = await readData(path, 'data', ctx.api);
    const row = table.batches.find((b) => b.numRows > 0);
    if (!row) throw Errors.load(`${ctx.api}: the StandardScalerModel at ${path} has no data row`);
    const std = vectorAt(row.data.children[row.schema.fields.findIndex((f) => f.name === 'std')]! as AnyData, 0);
    const mean = vectorAt(row.data.children[row.schema.fields.findIndex((f) => f.name === 'mean')]! as AnyData, 0);
    if (!std || !mean) throw Errors.load(`${ctx.api}: the StandardScalerModel at ${path} lacks std or mean`);
    const model = new StandardScalerModel({ std: new DenseVector(std.toArray()), mean: new DenseVector(mean.toArray()) }, metadata.uid);
    getAndSetParams(model, metadata, { api: ctx.api });
    return model;
  },
});
