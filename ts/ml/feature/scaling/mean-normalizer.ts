/**
 * MeanNormalizer / MeanNormalizerModel: mean normalisation, a kindling stage with no Spark
 * counterpart (issue 14: "mean normalisation (centre and divide by range)"):
 *   y = (x - mean) / (max - min) per feature, from the column statistics (scaling-tasks.ts);
 * a constant feature (max = min) becomes 0.0, as StandardScaler maps a zero-std feature; the
 * output is dense (centring fills in the zeros of a sparse vector, as Spark's withMean).
 * Persisted in Spark's layout under kindling's own class names
 * `org.kindling.ml.feature.MeanNormalizer` / `org.kindling.ml.feature.MeanNormalizerModel` (the
 * `org.kindling.` prefix test/ml/persist.test.ts uses for classes of kindling's own; Spark cannot
 * load them; data: mean, originalMin, originalMax).
 */
import type * as arrow from 'apache-arrow';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { DenseVector, type Vector } from '../../linalg/vectors.js';
import { MLWritable } from '../../ml-writable.js';
import { getAndSetParams, register, KINDLING_FEATURE_NS } from '../../persist.js';
import { Estimator, Model, type FitOptions } from '../../stage.js';
import { fitColStats, loadVectorData, saveVectorData, vectorOutputSchema } from './scaling-common.js';
import { MeanNormalizerParamsMixin, type MeanNormalizerParamsOptions } from './scaling-params.js';
import { affineTransform, affineVector, type AffineBroadcast } from './scaling-tasks.js';

export type MeanNormalizerOptions = MeanNormalizerParamsOptions;

export class MeanNormalizer extends MLWritable(MeanNormalizerParamsMixin(Estimator<MeanNormalizerModel>)) {
  constructor(options?: MeanNormalizerOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return vectorOutputSchema(this.stageName, schema, this.getInputCol(), this.getOutputCol());
  }

  protected async fitImpl(df: DataFrame, _options: FitOptions): Promise<MeanNormalizerModel> {
    const s = await fitColStats(`${this.stageName}.fit`, df, this.getInputCol());
    const model = new MeanNormalizerModel({ mean: new DenseVector(s.mean.slice()), originalMin: new DenseVector(s.min.slice()), originalMax: new DenseVector(s.max.slice()) }, this.uid);
    this.copyValues(model);
    return model;
  }
}

export class MeanNormalizerModel extends MLWritable(MeanNormalizerParamsMixin(Model)) {
  mean: DenseVector;
  originalMin: DenseVector;
  originalMax: DenseVector;

  constructor(state?: { mean: DenseVector; originalMin: DenseVector; originalMax: DenseVector } & MeanNormalizerOptions, uid?: string) {
    super(uid);
    this.mean = state?.mean ?? new DenseVector([]);
    this.originalMin = state?.originalMin ?? new DenseVector([]);
    this.originalMax = state?.originalMax ?? new DenseVector([]);
    if (state) {
      const { mean: _m, originalMin: _a, originalMax: _b, ...opts } = state;
      this.setParams(opts as Record<string, unknown>);
    }
  }

  override copy(extra?: Parameters<Model['copy']>[0]): this {
    const that = super.copy(extra);
    that.mean = this.mean;
    that.originalMin = this.originalMin;
    that.originalMax = this.originalMax;
    that.parent = this.parent;
    return that;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return vectorOutputSchema(this.stageName, schema, this.getInputCol(), this.getOutputCol());
  }

  private broadcast(api: string): AffineBroadcast {
    const hi = this.originalMax.toArray();
    const scale = Float64Array.from(this.originalMin.toArray(), (lo, j) => (hi[j]! - lo !== 0 ? 1 / (hi[j]! - lo) : 0));
    return { api, inputCol: this.getInputCol(), outputCol: this.getOutputCol(), d: scale.length, shift: Float64Array.from(this.mean.toArray()), scale, offset: null, form: 'dense' };
  }

  /** One row: (x - mean) / (max - min). */
  scale(v: Vector): Vector {
    return affineVector(v, this.broadcast(this.stageName));
  }

  protected transformImpl(df: DataFrame): DataFrame {
    return df.mapInArrow(affineTransform, this.transformSchema(df.schema), this.broadcast(`${this.stageName}.transform`));
  }
}

register(`${KINDLING_FEATURE_NS}.MeanNormalizer`, MeanNormalizer);
register(`${KINDLING_FEATURE_NS}.MeanNormalizerModel`, MeanNormalizerModel, {
  save: (m, path, ctx) => saveVectorData(m, path, ctx, { mean: m.mean, originalMin: m.originalMin, originalMax: m.originalMax }),
  async load(path, metadata, ctx) {
    const [mean, lo, hi] = await loadVectorData(path, ctx.api, 'MeanNormalizerModel', ['mean', 'originalMin', 'originalMax']);
    const model = new MeanNormalizerModel({ mean: new DenseVector(mean!.toArray()), originalMin: new DenseVector(lo!.toArray()), originalMax: new DenseVector(hi!.toArray()) }, metadata.uid);
    getAndSetParams(model, metadata, { api: ctx.api });
    return model;
  },
});
