/**
 * VarianceThresholdSelector (Spark's ml.feature.VarianceThresholdSelector): keeps the features
 * whose sample variance (n - 1, Spark's Summarizer) is greater than varianceThreshold (default
 * 0.0); a feature whose max equals its min counts as variance 0 (Spark's peak-to-peak guard).
 * The fit is the column statistics summary (scaling-tasks.ts); the model's selectedFeatures are
 * sorted, and its transform keeps those features: dense stays dense, sparse stays sparse.
 * Persisted as Spark's VarianceThresholdSelectorModel (data: selectedFeatures).
 */
import * as arrow from 'apache-arrow';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { MLWritable } from '../../ml-writable.js';
import { register } from '../../persist.js';
import { Estimator, type FitOptions } from '../../stage.js';
import { fitColStats } from '../scaling/scaling-common.js';
import { SelectorModel, registerSelectorModel, selectorOutputSchema, type SelectorState } from './selector-model.js';
import { VarianceThresholdSelectorParamsMixin, type VarianceThresholdSelectorParamsOptions } from '../scaling/scaling-params.js';
import { sampleVariance } from '../scaling/scaling-tasks.js';

export type VarianceThresholdSelectorOptions = VarianceThresholdSelectorParamsOptions;


export class VarianceThresholdSelector extends MLWritable(VarianceThresholdSelectorParamsMixin(Estimator<VarianceThresholdSelectorModel>)) {
  constructor(options?: VarianceThresholdSelectorOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return selectorOutputSchema(this.stageName, schema, this.getFeaturesCol(), this.getOutputCol(), null);
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

export class VarianceThresholdSelectorModel extends MLWritable(VarianceThresholdSelectorParamsMixin(SelectorModel)) {
  constructor(state?: SelectorState & VarianceThresholdSelectorOptions, uid?: string) {
    super(uid);
    this.init(state);
  }
}

register('org.apache.spark.ml.feature.VarianceThresholdSelector', VarianceThresholdSelector);
registerSelectorModel('org.apache.spark.ml.feature.VarianceThresholdSelectorModel', VarianceThresholdSelectorModel);
