/**
 * UnivariateFeatureSelector (Spark 3.1+'s ml.feature.UnivariateFeatureSelector): keeps the
 * features whose univariate test against the label scores best.
 *
 *   - scoring by (featureType, labelType), both required: categorical/categorical → Pearson's
 *     chi-squared test of independence on the contingency table (ChiSquareTest; dof (r-1)(c-1),
 *     a one-row or one-column table gives statistic 0, p-value 1); continuous/categorical → the
 *     one-way ANOVA F test (ANOVATest, scikit-learn's f_classif); continuous/continuous → the
 *     F test of the correlation (FValueTest, f_regression: F = r² / (1 - r²) (n - 2)). The
 *     per-partition statistics are one executor pass (selector-tasks.ts: distinct values and labels
 *     by the native hash-group kernel, the counts and sums in JS); p-values are
 *     Spark's 1 - cdf (selection-pvalues.ts).
 *   - selectionMode (default numTopFeatures) with selectionThreshold (default by mode: 50, 0.1
 *     for percentile, 0.05 for fpr / fdr / fwe): numTopFeatures keeps the threshold lowest
 *     p-values, percentile the floor(numFeatures * threshold) lowest (ties by feature index), fpr
 *     p < threshold, fdr the Benjamini-Hochberg procedure (the largest rank i with
 *     p_(i) <= threshold * i / numFeatures and everything ranked before it), fwe p < threshold /
 *     numFeatures (Bonferroni). `selectedFeatures` is sorted ascending.
 *   - the model's transform appends the selected entries (dense stays dense, sparse stays sparse).
 *   - persistence: org.apache.spark.ml.feature.UnivariateFeatureSelector / …Model, data/
 *     `selectedFeatures` array<int>.
 */
import * as arrow from 'apache-arrow';
import { Errors, KindlingError } from '../../../src/errors.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { MLWritable } from '../../ml-writable.js';
import { register } from '../../persist.js';
import { Estimator, type FitOptions } from '../../stage.js';
import { aggregateRows } from '../../data/checked-summary.js';
import { checkNumeric } from '../../data/schema-checks.js';
import { UnivariateFeatureSelectorParamsMixin, type UnivariateFeatureSelectorParamsOptions } from './selection-params.js';
import { sparkChiSquaredPValue, sparkFPValue } from '../../stat/distributions.js';
import { selectorSizeMismatch, selectorStats, type Scoring, type SelectorStats } from './selector-tasks.js';
import { SelectorModel, registerSelectorModel, selectorOutputSchema, type SelectorState } from './selector-model.js';

export type UnivariateFeatureSelectorOptions = UnivariateFeatureSelectorParamsOptions;
export type SelectionMode = 'numTopFeatures' | 'percentile' | 'fpr' | 'fdr' | 'fwe';

/** One feature's test: its statistic, degrees of freedom and p-value. */
export interface FeatureTest {
  featureIndex: number;
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
}

/** Spark's ChiSquareTest per feature, from the contingency counts. */
export function chiSquaredTests(s: SelectorStats): FeatureTest[] {
  const tables = Array.from({ length: s.d }, () => new Map<number, Map<number, number>>());
  const labelsOf = Array.from({ length: s.d }, () => new Map<number, number>());
  for (let t = 0; t < s.cj.length; t++) {
    const j = s.cj[t]!;
    const row = tables[j]!.get(s.cx[t]!) ?? new Map<number, number>();
    row.set(s.cy[t]!, (row.get(s.cy[t]!) ?? 0) + s.cn[t]!);
    tables[j]!.set(s.cx[t]!, row);
    labelsOf[j]!.set(s.cy[t]!, (labelsOf[j]!.get(s.cy[t]!) ?? 0) + s.cn[t]!);
  }
  return tables.map((rows, j) => {
    const cols = labelsOf[j]!;
    const dof = (rows.size - 1) * (cols.size - 1);
    if (dof === 0) return { featureIndex: j, statistic: 0, degreesOfFreedom: 0, pValue: 1 };
    let stat = 0;
    for (const row of rows.values()) {
      let rowSum = 0;
      for (const c of row.values()) rowSum += c;
      for (const [y, colSum] of cols) {
        const expected = (rowSum * colSum) / s.n;
        const o = row.get(y) ?? 0;
        stat += ((o - expected) * (o - expected)) / expected;
      }
    }
    return { featureIndex: j, statistic: stat, degreesOfFreedom: dof, pValue: sparkChiSquaredPValue(stat, dof) };
  });
}

/** Spark's ANOVATest (f_classif) per feature, from per-label counts, sums and sums of squares. */
export function anovaTests(s: SelectorStats): FeatureTest[] {
  const d = s.d;
  const L = s.labels.length;
  return Array.from({ length: d }, (_, j) => {
    let sum = 0;
    let sumsq = 0;
    let between = 0;
    for (let r = 0; r < L; r++) {
      sum += s.sums[r * d + j]!;
      sumsq += s.sumsq[r * d + j]!;
      between += (s.sums[r * d + j]! * s.sums[r * d + j]!) / s.counts[r * d + j]!;
    }
    const sqSumOverN = (sum * sum) / s.n;
    const ssTot = sumsq - sqSumOverN;
    const ssbn = between - sqSumOverN;
    const sswn = ssTot - ssbn;
    const dfbn = L - 1;
    const dfwn = s.n - L;
    const f = ssbn / dfbn / (sswn / dfwn);
    return { featureIndex: j, statistic: f, degreesOfFreedom: dfbn, pValue: sparkFPValue(f, dfbn, dfwn) };
  });
}

/** Spark's FValueTest (f_regression) per feature: F = r² / (1 - r²) (n - 2). */
export function fRegressionTests(s: SelectorStats): FeatureTest[] {
  const n = s.n;
  const dof = n - 2;
  const yMean = s.sy / n;
  const yVar = s.syy / n - yMean * yMean;
  return Array.from({ length: s.d }, (_, j) => {
    const xMean = s.sx[j]! / n;
    const cov = s.sxy[j]! / n - xMean * yMean;
    const xVar = s.sxx[j]! / n - xMean * xMean;
    const r = cov / Math.sqrt(xVar * yVar);
    const f = ((r * r) / (1 - r * r)) * dof;
    return { featureIndex: j, statistic: f, degreesOfFreedom: dof, pValue: sparkFPValue(f, 1, dof) };
  });
}

/** The selected feature indices, ascending (Spark's selectIndicesFromPValues). */
export function selectByPValue(tests: FeatureTest[], mode: SelectionMode, threshold: number): number[] {
  const numFeatures = tests.length;
  const byP = (a: FeatureTest, b: FeatureTest) => {
    const pa = Number.isNaN(a.pValue) ? Infinity : a.pValue;
    const pb = Number.isNaN(b.pValue) ? Infinity : b.pValue;
    return pa - pb || (Number.isNaN(a.pValue) ? 1 : 0) - (Number.isNaN(b.pValue) ? 1 : 0) || a.featureIndex - b.featureIndex;
  };
  const sorted = [...tests].sort(byP);
  let picked: FeatureTest[];
  switch (mode) {
    case 'numTopFeatures':
      picked = sorted.slice(0, Math.trunc(threshold));
      break;
    case 'percentile':
      picked = sorted.slice(0, Math.trunc(numFeatures * threshold));
      break;
    case 'fpr':
      picked = tests.filter((t) => t.pValue < threshold);
      break;
    case 'fdr': {
      const f = threshold / numFeatures;
      let maxIndex = -1;
      sorted.forEach((t, i) => {
        if (t.pValue <= f * (i + 1)) maxIndex = i;
      });
      picked = sorted.slice(0, maxIndex + 1);
      break;
    }
    case 'fwe':
      picked = tests.filter((t) => t.pValue < threshold / numFeatures);
      break;
  }
  return picked.map((t) => t.featureIndex).sort((a, b) => a - b);
}

const DEFAULT_THRESHOLD: Record<SelectionMode, number> = { numTopFeatures: 50, percentile: 0.1, fpr: 0.05, fdr: 0.05, fwe: 0.05 };


export class UnivariateFeatureSelector extends MLWritable(UnivariateFeatureSelectorParamsMixin(Estimator<UnivariateFeatureSelectorModel>)) {
  constructor(options?: UnivariateFeatureSelectorOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    const api = this.stageName;
    checkNumeric(api, schema, 'labelCol', this.getLabelCol());
    return selectorOutputSchema(api, schema, this.getFeaturesCol(), this.getOutputCol(), null);
  }

  /** The scoring of (featureType, labelType), or Spark's errors. */
  private scoring(api: string): Scoring {
    const ft = this.getFeatureType();
    const lt = this.getLabelType();
    if (ft === undefined || lt === undefined) throw new KindlingError('ERR_KINDLING_INVALID_ARG', `${api}: featureType and labelType need to be set`);
    if (ft === 'categorical' && lt === 'categorical') return 'chi2';
    if (ft === 'continuous' && lt === 'categorical') return 'anova';
    if (ft === 'continuous' && lt === 'continuous') return 'fregression';
    throw new KindlingError('ERR_KINDLING_INVALID_ARG', `${api}: Unsupported combination: featureType=${ft}, labelType=${lt}`);
  }

  /** selectionThreshold, or the mode's default; checked as Spark's fit checks it. */
  private threshold(api: string, mode: SelectionMode): number {
    const t = this.getSelectionThreshold() ?? DEFAULT_THRESHOLD[mode];
    if (mode === 'numTopFeatures') {
      if (!(t >= 1 && Number.isInteger(t))) throw Errors.outOfRange(api, 'selectionThreshold', 'a positive integer for selection mode numTopFeatures', t);
    } else if (!(t >= 0 && t <= 1)) throw Errors.outOfRange(api, 'selectionThreshold', `a number in [0, 1] for selection mode ${mode}`, t);
    return t;
  }

  protected async fitImpl(df: DataFrame, _options: FitOptions): Promise<UnivariateFeatureSelectorModel> {
    const api = `${this.stageName}.fit`;
    const scoring = this.scoring(api);
    const mode = this.getSelectionMode();
    const threshold = this.threshold(api, mode);
    const b = { featuresCol: this.getFeaturesCol(), labelCol: this.getLabelCol(), scoring, api };
    const { value: s } = await aggregateRows(api, df, selectorStats, [b.featuresCol, b.labelCol], b, selectorSizeMismatch);
    if (s.n === 0) throw Errors.schema(`${api}: the DataFrame has no rows to fit on`);
    const tests = scoring === 'chi2' ? chiSquaredTests(s) : scoring === 'anova' ? anovaTests(s) : fRegressionTests(s);
    const model = new UnivariateFeatureSelectorModel({ selectedFeatures: selectByPValue(tests, mode, threshold), numFeatures: s.d }, this.uid);
    this.copyValues(model);
    return model;
  }
}

export class UnivariateFeatureSelectorModel extends MLWritable(UnivariateFeatureSelectorParamsMixin(SelectorModel)) {
  constructor(state?: SelectorState & UnivariateFeatureSelectorOptions, uid?: string) {
    super(uid);
    this.init(state);
  }
}

register('org.apache.spark.ml.feature.UnivariateFeatureSelector', UnivariateFeatureSelector);
registerSelectorModel('org.apache.spark.ml.feature.UnivariateFeatureSelectorModel', UnivariateFeatureSelectorModel);
