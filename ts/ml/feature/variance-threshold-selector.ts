/**
 * VarianceThresholdSelector (Spark's ml.feature.VarianceThresholdSelector): keeps the features
 * whose sample variance (n - 1, Spark's Summarizer) is greater than varianceThreshold (default
 * 0.0); a feature whose max equals its min counts as variance 0 (Spark's peak-to-peak guard).
 * The fit is the column statistics summary (scaling-tasks.ts); the model's selectedFeatures are
 * sorted, and its transform keeps those features: dense stays dense, sparse stays sparse.
 * Persisted as Spark's VarianceThresholdSelectorModel (data: selectedFeatures).
 */
import * as arrow from 'apache-arrow';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { Types } from '../../src/dataframe/types.js';
import { checkVector } from '../data/schema-checks.js';
import { Errors } from '../../src/errors.js';
import { isDenseVectorType } from '../linalg/columns.js';
import type { Vector } from '../linalg/vectors.js';
import { MLWritable } from '../ml-writable.js';
import { getAndSetParams, register } from '../persist.js';
import { Estimator, Model, type FitOptions } from '../stage.js';
import { fitColStats, loadIntArrayData, saveIntArrayData } from './scaling-common.js';
import { VarianceThresholdSelectorParamsMixin, type VarianceThresholdSelectorParamsOptions } from './scaling-params.js';
import { sampleVariance, sliceTransform, sliceVector, type SliceBroadcast } from './scaling-tasks.js';

export type VarianceThresholdSelectorOptions = VarianceThresholdSelectorParamsOptions;

function schemaOf(api: string, schema: arrow.Schema, featuresCol: string, outputCol: string, k: number | null): arrow.Schema {
  const t = schema.fields[checkVector(api, schema, 'featuresCol', featuresCol)]!.type;
  if (schema.fields.some((f) => f.name.toLowerCase() === outputCol.toLowerCase())) throw Errors.schema(`${api}: Output column ${outputCol} already exists.`);
  const out = isDenseVectorType(t) && k !== null && k > 0 ? Types.vector(k) : Types.vectorStruct();
  return new arrow.Schema([...schema.fields, new arrow.Field(outputCol, out, true)]);
}

export class VarianceThresholdSelector extends MLWritable(VarianceThresholdSelectorParamsMixin(Estimator<VarianceThresholdSelectorModel>)) {
  constructor(options?: VarianceThresholdSelectorOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return schemaOf(this.stageName, schema, this.getFeaturesCol(), this.getOutputCol(), null);
  }

  protected async fitImpl(df: DataFrame, _options: FitOptions): Promise<VarianceThresholdSelectorModel> {
    const s = await fitColStats(`${this.stageName}.fit`, df, this.getFeaturesCol());
    const variance = sampleVariance(s);
    const threshold = this.getVarianceThreshold();
    const selected: number[] = [];
    for (let j = 0; j < s.d; j++) if ((s.max[j] === s.min[j] ? 0 : variance[j]!) > threshold) selected.push(j);
    const model = new VarianceThresholdSelectorModel({ selectedFeatures: selected, numFeatures: s.d }, this.uid);
    this.copyValues(model);
    return model;
  }
}

export class VarianceThresholdSelectorModel extends MLWritable(VarianceThresholdSelectorParamsMixin(Model)) {
  selectedFeatures: number[];
  /** The input vector size seen by the fit (-1 after a load: Spark does not save it). */
  numFeatures: number;

  constructor(state?: { selectedFeatures: number[]; numFeatures?: number } & VarianceThresholdSelectorOptions, uid?: string) {
    super(uid);
    this.selectedFeatures = state?.selectedFeatures ?? [];
    this.numFeatures = state?.numFeatures ?? -1;
    if (state) {
      const { selectedFeatures: _s, numFeatures: _n, ...opts } = state;
      this.setParams(opts as Record<string, unknown>);
    }
  }

  override copy(extra?: Parameters<Model['copy']>[0]): this {
    const that = super.copy(extra);
    that.selectedFeatures = this.selectedFeatures;
    that.numFeatures = this.numFeatures;
    that.parent = this.parent;
    return that;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return schemaOf(this.stageName, schema, this.getFeaturesCol(), this.getOutputCol(), this.selectedFeatures.length);
  }

  private broadcast(api: string, schema?: arrow.Schema): SliceBroadcast {
    let d = this.numFeatures;
    const t = schema?.fields.find((f) => f.name === this.getFeaturesCol())?.type;
    if (d < 0 && t && isDenseVectorType(t)) d = t.listSize;
    return { api, inputCol: this.getFeaturesCol(), outputCol: this.getOutputCol(), d, indices: this.selectedFeatures };
  }

  /** One row as Spark's VarianceThresholdSelectorModel transforms it. */
  select(v: Vector): Vector {
    return sliceVector(v, this.broadcast(this.stageName));
  }

  protected transformImpl(df: DataFrame): DataFrame {
    return df.mapInArrow(sliceTransform, this.transformSchema(df.schema), this.broadcast(`${this.stageName}.transform`, df.schema));
  }
}

register('org.apache.spark.ml.feature.VarianceThresholdSelector', VarianceThresholdSelector);
register('org.apache.spark.ml.feature.VarianceThresholdSelectorModel', VarianceThresholdSelectorModel, {
  save: (m, path, ctx) => saveIntArrayData(m, path, ctx, 'selectedFeatures', m.selectedFeatures),
  async load(path, metadata, ctx) {
    const selectedFeatures = await loadIntArrayData(path, ctx.api, 'VarianceThresholdSelectorModel', 'selectedFeatures');
    const model = new VarianceThresholdSelectorModel({ selectedFeatures }, metadata.uid);
    getAndSetParams(model, metadata, { api: ctx.api });
    return model;
  },
});
