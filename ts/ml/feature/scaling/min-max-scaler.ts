/**
 * MinMaxScaler (Spark's ml.feature.MinMaxScaler): rescales each feature to [min, max] (defaults
 * 0 and 1) from its column minimum and maximum:
 *   y = (x - originalMin) * (max - min) / (originalMax - originalMin) + min,
 * a constant feature (originalMax = originalMin) becomes 0.5 * (max + min), NaN stays NaN, and
 * each output row is Spark's `Vectors.dense(values).compressed` (a VectorUDT column, sparse when
 * that is smaller). min must be < max. The fit is the column statistics summary
 * (scaling-tasks.ts) run on the executors; the model persists as Spark's MinMaxScalerModel
 * (data: originalMin, originalMax).
 */
import type * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { DenseVector, type Vector } from '../../linalg/vectors.js';
import { MLWritable } from '../../ml-writable.js';
import { getAndSetParams, register } from '../../persist.js';
import { Estimator, Model, type FitOptions } from '../../stage.js';
import { fitColStats, loadVectorData, saveVectorData, vectorOutputSchema } from './scaling-common.js';
import { MinMaxScalerParamsMixin, type MinMaxScalerParamsOptions } from './scaling-params.js';
import { affineTransform, affineVector, type AffineBroadcast } from './scaling-tasks.js';

export type MinMaxScalerOptions = MinMaxScalerParamsOptions;

function schemaOf(stage: { stageName: string; getInputCol(): string; getOutputCol(): string; getMin(): number; getMax(): number }, schema: arrow.Schema): arrow.Schema {
  if (!(stage.getMin() < stage.getMax())) throw Errors.invalidArg(stage.stageName, 'min', `a value < max (${stage.getMax()})`, stage.getMin());
  return vectorOutputSchema(stage.stageName, schema, stage.getInputCol(), stage.getOutputCol(), true);
}

export class MinMaxScaler extends MLWritable(MinMaxScalerParamsMixin(Estimator<MinMaxScalerModel>)) {
  constructor(options?: MinMaxScalerOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return schemaOf(this, schema);
  }

  protected async fitImpl(df: DataFrame, _options: FitOptions): Promise<MinMaxScalerModel> {
    const s = await fitColStats(`${this.stageName}.fit`, df, this.getInputCol());
    // as Spark: the model keeps the statistics' `compressed` form
    const model = new MinMaxScalerModel({ originalMin: new DenseVector(s.min.slice()).compressed, originalMax: new DenseVector(s.max.slice()).compressed }, this.uid);
    this.copyValues(model);
    return model;
  }
}

export class MinMaxScalerModel extends MLWritable(MinMaxScalerParamsMixin(Model)) {
  originalMin: Vector;
  originalMax: Vector;

  constructor(state?: { originalMin: Vector; originalMax: Vector } & MinMaxScalerOptions, uid?: string) {
    super(uid);
    this.originalMin = state?.originalMin ?? new DenseVector([]);
    this.originalMax = state?.originalMax ?? new DenseVector([]);
    if (state) {
      const { originalMin: _a, originalMax: _b, ...opts } = state;
      this.setParams(opts as Record<string, unknown>);
    }
  }

  override copy(extra?: Parameters<Model['copy']>[0]): this {
    const that = super.copy(extra);
    that.originalMin = this.originalMin;
    that.originalMax = this.originalMax;
    that.parent = this.parent;
    return that;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return schemaOf(this, schema);
  }

  /** Spark's (x - originalMin) * scale + min per feature, with scale 0 and offset (max + min) / 2 for a constant feature. */
  private broadcast(api: string): AffineBroadcast {
    const min = this.getMin();
    const max = this.getMax();
    const lo = Float64Array.from(this.originalMin.toArray());
    const hi = this.originalMax.toArray();
    const scale = Float64Array.from(lo, (l, j) => (hi[j]! - l !== 0 ? (max - min) / (hi[j]! - l) : 0));
    const offset = Float64Array.from(scale, (s) => (s !== 0 ? min : 0.5 * (max + min)));
    return { api, inputCol: this.getInputCol(), outputCol: this.getOutputCol(), d: lo.length, shift: lo, scale, offset, form: 'compressed' };
  }

  /** One row as Spark's MinMaxScalerModel transforms it. */
  scale(v: Vector): Vector {
    return affineVector(v, this.broadcast(this.stageName));
  }

  protected transformImpl(df: DataFrame): DataFrame {
    return df.mapInArrow(affineTransform, this.transformSchema(df.schema), this.broadcast(`${this.stageName}.transform`));
  }
}

register('org.apache.spark.ml.feature.MinMaxScaler', MinMaxScaler);
register('org.apache.spark.ml.feature.MinMaxScalerModel', MinMaxScalerModel, {
  jsonKinds: { min: 'double', max: 'double' },
  save: (m, path, ctx) => saveVectorData(m, path, ctx, { originalMin: m.originalMin, originalMax: m.originalMax }),
  async load(path, metadata, ctx) {
    const [originalMin, originalMax] = await loadVectorData(path, ctx.api, 'MinMaxScalerModel', ['originalMin', 'originalMax']);
    const model = new MinMaxScalerModel({ originalMin: originalMin!, originalMax: originalMax! }, metadata.uid);
    getAndSetParams(model, metadata, { api: ctx.api });
    return model;
  },
});
