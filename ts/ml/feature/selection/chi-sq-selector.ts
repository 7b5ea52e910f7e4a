/**
 * ChiSqSelector (Spark's ml.feature.ChiSqSelector, the older chi-squared selector): keeps the
 * categorical features whose chi-squared test of independence against the (categorical) label
 * scores best. The same test, p-values and selection rules as UnivariateFeatureSelector with
 * featureType = labelType = categorical (univariate-feature-selector.ts), the threshold taken
 * from the param that selectorType names: numTopFeatures (default 50), percentile (0.1), fpr,
 * fdr, fwe (0.05 each).
 *   - persistence: org.apache.spark.ml.feature.ChiSqSelector / ChiSqSelectorModel, data/
 *     `selectedFeatures` array<int>; Spark 3.0's metadata (../shared/fixtures) loads.
 */
import type * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { MLWritable } from '../../ml-writable.js';
import { register } from '../../persist.js';
import { Estimator, type FitOptions } from '../../stage.js';
import { aggregateRows } from '../../data/checked-summary.js';
import { checkNumeric } from '../../data/schema-checks.js';
import { ChiSqSelectorParamsMixin, type ChiSqSelectorParamsOptions } from './selection-params.js';
import { selectorSizeMismatch, selectorStats } from './selector-tasks.js';
import { chiSquaredTests, selectByPValue } from './univariate-feature-selector.js';
import { SelectorModel, registerSelectorModel, selectorOutputSchema, type SelectorState } from './selector-model.js';

export type ChiSqSelectorOptions = ChiSqSelectorParamsOptions;

export class ChiSqSelector extends MLWritable(ChiSqSelectorParamsMixin(Estimator<ChiSqSelectorModel>)) {
  constructor(options?: ChiSqSelectorOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    checkNumeric(this.stageName, schema, 'labelCol', this.getLabelCol());
    return selectorOutputSchema(this.stageName, schema, this.getFeaturesCol(), this.getOutputCol(), null);
  }

  protected async fitImpl(df: DataFrame, _options: FitOptions): Promise<ChiSqSelectorModel> {
    const api = `${this.stageName}.fit`;
    const type = this.getSelectorType();
    const threshold = { numTopFeatures: this.getNumTopFeatures(), percentile: this.getPercentile(), fpr: this.getFpr(), fdr: this.getFdr(), fwe: this.getFwe() }[type];
    const b = { featuresCol: this.getFeaturesCol(), labelCol: this.getLabelCol(), scoring: 'chi2' as const, api };
    const { value: s } = await aggregateRows(api, df, selectorStats, [b.featuresCol, b.labelCol], b, selectorSizeMismatch);
    if (s.n === 0) throw Errors.schema(`${api}: the DataFrame has no rows to fit on`);
    const model = new ChiSqSelectorModel({ selectedFeatures: selectByPValue(chiSquaredTests(s), type, threshold), numFeatures: s.d }, this.uid);
    this.copyValues(model);
    return model;
  }
}

export class ChiSqSelectorModel extends MLWritable(ChiSqSelectorParamsMixin(SelectorModel)) {
  constructor(state?: SelectorState & ChiSqSelectorOptions, uid?: string) {
    super(uid);
    this.init(state);
  }
}

register('org.apache.spark.ml.feature.ChiSqSelector', ChiSqSelector);
registerSelectorModel('org.apache.spark.ml.feature.ChiSqSelectorModel', ChiSqSelectorModel);
