/**
 * Spark's AFTSurvivalRegressionParams (shared by AFTSurvivalRegression and
 * AFTSurvivalRegressionModel), with Spark's names, docs and defaults;
 * aft-survival-regression-params.ts is generated from it (`npx tsx scripts/gen-params.ts`).
 */
import { ParamValidators as V } from '../param/params.js';
import { SharedParams } from '../param/shared-params.table.js';
import { param, paramFamily, withDefault } from '../param/spec.js';
import { PredictorParamsTable } from '../predictor/predictor-params.table.js';

const S = SharedParams.params;

export const AFTSurvivalRegressionParamsTable = paramFamily('AFTSurvivalRegressionParams', {
  doc: "Spark's AFTSurvivalRegressionParams, shared by AFTSurvivalRegression and AFTSurvivalRegressionModel.",
  base: PredictorParamsTable,
  params: {
    censorCol: param.string('censor column name', { default: 'censor', validate: V.nonEmptyStr() }),
    quantileProbabilities: param.of<number[]>('number[]', 'quantile probabilities array', {
      default: [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99],
      validate: (v) => (Array.isArray(v) && v.length > 0 && v.every((q) => typeof q === 'number' && q > 0 && q < 1) ? null : 'a non-empty array of numbers in (0, 1)'),
      copyOnGet: true,
    }),
    quantilesCol: param.string('quantiles column name', { validate: V.str(), optional: true }),
    fitIntercept: param.boolean('whether to fit an intercept term', { default: true }),
    maxIter: withDefault(S.maxIter, 100),
    tol: withDefault(S.tol, 1e-6),
    aggregationDepth: S.aggregationDepth,
    maxBlockSizeInMB: param.number(
      'Maximum memory in MB for stacking input data into blocks. Data is stacked within partitions. If more than remaining data size in a partition then it is adjusted to the data size. Default 0.0 represents choosing optimal value, depends on specific algorithm. Must be >= 0.',
      { default: 0.0, validate: V.gtEq(0) },
    ),
  },
});
