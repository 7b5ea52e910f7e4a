/**
 * RobustScaler (Spark's ml.feature.RobustScaler): removes the median and scales by the
 * quantile range [lower, upper] (defaults 0.25, 0.75), both taken per feature from Spark's
 * QuantileSummaries with relativeError (default 0.001; robust-scaler-tasks.ts):
 *   range = q(upper) - q(lower), median = q(0.5);
 * transform: Spark's getTransformFunc with shift = median (withCentering, default false) and
 * scale = 1 / range, 0 where range is 0 (withScaling, default true): centring gives dense
 * vectors, scaling alone keeps sparse vectors sparse. lower must be < upper. Persisted as
 * Spark's RobustScalerModel (data: range, median).
 */
import type * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { sketchQuery } from '../../../src/dataframe/quantile.js';
import { aggregateRows } from '../../data/checked-summary.js';
import { DenseVector, type Vector } from '../../linalg/vectors.js';
import { MLWritable } from '../../ml-writable.js';
import { getAndSetParams, register } from '../../persist.js';
import { Estimator, Model, type FitOptions } from '../../stage.js';
import { loadVectorData, saveVectorData, vectorOutputSchema } from './scaling-common.js';
import { RobustScalerParamsMixin, type RobustScalerParamsOptions } from './scaling-params.js';
import { affineTransform, affineVector, vectorSizeMismatch, type AffineBroadcast } from './scaling-tasks.js';
import { robustSketches } from './robust-scaler-tasks.js';

export type RobustScalerOptions = RobustScalerParamsOptions;

function schemaOf(stage: { stageName: string; getInputCol(): string; getOutputCol(): string; getLower(): number; getUpper(): number }, schema: arrow.Schema): arrow.Schema {
  if (!(stage.getLower() < stage.getUpper())) throw Errors.invalidArg(stage.stageName, 'lower', `a value < upper (${stage.getUpper()})`, stage.getLower());
  return vectorOutputSchema(stage.stageName, schema, stage.getInputCol(), stage.getOutputCol());
}

export class RobustScaler extends MLWritable(RobustScalerParamsMixin(Estimator<RobustScalerModel>)) {
  constructor(options?: RobustScalerOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return schemaOf(this, schema);
  }

  protected async fitImpl(df: DataFrame, _options: FitOptions): Promise<RobustScalerModel> {
    const api = `${this.stageName}.fit`;
    const inputCol = this.getInputCol();
    const { value } = await aggregateRows(api, df, robustSketches, [inputCol], { inputCol, relativeError: this.getRelativeError() }, vectorSizeMismatch);
    if (value.sketches.length === 0) throw Errors.schema(`${api}: the DataFrame has no rows to fit on`);
    const d = value.sketches.length;
    const range = new Float64Array(d);
    const median = new Float64Array(d);
    value.sketches.forEach((s, j) => {
      const q = sketchQuery(s, [this.getLower(), this.getUpper(), 0.5]);
      if (q === null) throw Errors.schema(`${api}: feature ${j} of column ${inputCol} is NaN in every row; it has no quantiles`);
      range[j] = q[1]! - q[0]!;
      median[j] = q[2]!;
    });
    // as Spark: the model keeps both in their `compressed` form
    const model = new RobustScalerModel({ range: new DenseVector(range).compressed, median: new DenseVector(median).compressed }, this.uid);
    this.copyValues(model);
    return model;
  }
}

export class RobustScalerModel extends MLWritable(RobustScalerParamsMixin(Model)) {
  range: Vector;
  median: Vector;

  constructor(state?: { range: Vector; median: Vector } & RobustScalerOptions, uid?: string) {
    super(uid);
    this.range = state?.range ?? new DenseVector([]);
    this.median = state?.median ?? new DenseVector([]);
    if (state) {
      const { range: _r, median: _m, ...opts } = state;
      this.setParams(opts as Record<string, unknown>);
    }
  }

  override copy(extra?: Parameters<Model['copy']>[0]): this {
    const that = super.copy(extra);
    that.range = this.range;
    that.median = this.median;
    that.parent = this.parent;
    return that;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return schemaOf(this, schema);
  }

  private broadcast(api: string): AffineBroadcast {
    const center = this.getWithCentering();
    const scale = this.getWithScaling() ? Float64Array.from(this.range.toArray(), (r) => (r === 0 ? 0 : 1 / r)) : null;
    const shift = center ? Float64Array.from(this.median.toArray()) : null;
    return { api, inputCol: this.getInputCol(), outputCol: this.getOutputCol(), d: this.range.size, shift, scale, offset: null, form: center ? 'dense' : 'keep' };
  }

  /** One row as Spark's RobustScalerModel transforms it. */
  scale(v: Vector): Vector {
    return affineVector(v, this.broadcast(this.stageName));
  }

  protected transformImpl(df: DataFrame): DataFrame {
    return df.mapInArrow(affineTransform, this.transformSchema(df.schema), this.broadcast(`${this.stageName}.transform`));
  }
}

register('org.apache.spark.ml.feature.RobustScaler', RobustScaler);
register('org.apache.spark.ml.feature.RobustScalerModel', RobustScalerModel, {
  save: (m, path, ctx) => saveVectorData(m, path, ctx, { range: m.range, median: m.median }),
  async load(path, metadata, ctx) {
    const [range, median] = await loadVectorData(path, ctx.api, 'RobustScalerModel', ['range', 'median']);
    const model = new RobustScalerModel({ range: range!, median: median! }, metadata.uid);
    getAndSetParams(model, metadata, { api: ctx.api });
    return model;
  },
});
