/**
 * MaxAbsScaler (Spark's ml.feature.MaxAbsScaler): divides each feature by its largest absolute
 * value, maxAbs = max(|min|, |max|) from the column statistics (scaling-tasks.ts), so values
 * fall in [-1, 1]; a feature with maxAbs 0 is left unchanged (scale 1, as Spark). Sparse
 * vectors stay sparse, dense stay dense (Spark's getTransformFunc with scale only). The model
 * keeps maxAbs in Spark's `compressed` form. Persisted
 * as Spark's MaxAbsScalerModel (data: maxAbs).
 */
import type * as arrow from 'apache-arrow';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { DenseVector, type Vector } from '../../linalg/vectors.js';
import { MLWritable } from '../../ml-writable.js';
import { getAndSetParams, register } from '../../persist.js';
import { Estimator, Model, type FitOptions } from '../../stage.js';
import { fitColStats, loadVectorData, saveVectorData, vectorOutputSchema } from './scaling-common.js';
import { MaxAbsScalerParamsMixin, type MaxAbsScalerParamsOptions } from './scaling-params.js';
import { affineTransform, affineVector, type AffineBroadcast } from './scaling-tasks.js';

export type MaxAbsScalerOptions = MaxAbsScalerParamsOptions;

export class MaxAbsScaler extends MLWritable(MaxAbsScalerParamsMixin(Estimator<MaxAbsScalerModel>)) {
  constructor(options?: MaxAbsScalerOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return vectorOutputSchema(this.stageName, schema, this.getInputCol(), this.getOutputCol());
  }

  protected async fitImpl(df: DataFrame, _options: FitOptions): Promise<MaxAbsScalerModel> {
    const s = await fitColStats(`${this.stageName}.fit`, df, this.getInputCol());
    const maxAbs = Float64Array.from(s.min, (lo, j) => Math.max(Math.abs(lo), Math.abs(s.max[j]!)));
    const model = new MaxAbsScalerModel({ maxAbs: new DenseVector(maxAbs).compressed }, this.uid);
    this.copyValues(model);
    return model;
  }
}

export class MaxAbsScalerModel extends MLWritable(MaxAbsScalerParamsMixin(Model)) {
  maxAbs: Vector;

  constructor(state?: { maxAbs: Vector } & MaxAbsScalerOptions, uid?: string) {
    super(uid);
    this.maxAbs = state?.maxAbs ?? new DenseVector([]);
    if (state) {
      const { maxAbs: _a, ...opts } = state;
      this.setParams(opts as Record<string, unknown>);
    }
  }

  override copy(extra?: Parameters<Model['copy']>[0]): this {
    const that = super.copy(extra);
    that.maxAbs = this.maxAbs;
    that.parent = this.parent;
    return that;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return vectorOutputSchema(this.stageName, schema, this.getInputCol(), this.getOutputCol());
  }

  private broadcast(api: string): AffineBroadcast {
    const scale = Float64Array.from(this.maxAbs.toArray(), (m) => (m === 0 ? 1 : 1 / m));
    return { api, inputCol: this.getInputCol(), outputCol: this.getOutputCol(), d: scale.length, shift: null, scale, offset: null, form: 'keep' };
  }

  /** One row as Spark's MaxAbsScalerModel transforms it. */
  scale(v: Vector): Vector {
    return affineVector(v, this.broadcast(this.stageName));
  }

  protected transformImpl(df: DataFrame): DataFrame {
    return df.mapInArrow(affineTransform, this.transformSchema(df.schema), this.broadcast(`${this.stageName}.transform`));
  }
}

register('org.apache.spark.ml.feature.MaxAbsScaler', MaxAbsScaler);
register('org.apache.spark.ml.feature.MaxAbsScalerModel', MaxAbsScalerModel, {
  save: (m, path, ctx) => saveVectorData(m, path, ctx, { maxAbs: m.maxAbs }),
  async load(path, metadata, ctx) {
    const [maxAbs] = await loadVectorData(path, ctx.api, 'MaxAbsScalerModel', ['maxAbs']);
    const model = new MaxAbsScalerModel({ maxAbs: maxAbs! }, metadata.uid);
    getAndSetParams(model, metadata, { api: ctx.api });
    return model;
  },
});
