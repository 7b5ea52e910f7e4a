/**
 * The param tables of Spark's ml.regression linear models: LinearRegressionParams and
 * GeneralizedLinearRegressionBase (each shared by the estimator and its model), with Spark's
 * names, docs and defaults; linear-regression-params.ts is generated from them
 * (`npx tsx scripts/gen-params.ts`).
 */
import { ParamValidators as V } from '../param/params.js';
import { SharedParams } from '../param/shared-params.table.js';
import { param, paramFamily, withDefault } from '../param/spec.js';
import { PredictorParamsTable } from '../predictor/predictor-params.table.js';

const S = SharedParams.params;

const regParam = param.number('regularization parameter (>= 0)', { default: 0.0, validate: V.gtEq(0) });
const fitIntercept = param.boolean('whether to fit an intercept term', { default: true });

export const LinearRegressionParamsTable = paramFamily('LinearRegressionParams', {
  doc: "Spark's LinearRegressionParams, shared by LinearRegression and LinearRegressionModel.",
  base: PredictorParamsTable,
  params: {
    regParam,
    elasticNetParam: param.number(
      'the ElasticNet mixing parameter, in range [0, 1]. For alpha = 0, the penalty is an L2 penalty. For alpha = 1, it is an L1 penalty',
      { default: 0.0, validate: V.inRange(0, 1) },
    ),
    maxIter: withDefault(S.maxIter, 100),
    tol: withDefault(S.tol, 1e-6),
    fitIntercept,
    standardization: param.boolean('whether to standardize the training features before fitting the model', { default: true }),
    weightCol: S.weightCol,
    solver: param.oneOf(['auto', 'normal', 'l-bfgs'], 'The solver algorithm for optimization. Supported options: auto, normal, l-bfgs. (Default auto)', { default: 'auto' }),
    aggregationDepth: S.aggregationDepth,
    loss: param.oneOf(['squaredError', 'huber'], 'The loss function to be optimized. Supported options: squaredError, huber. (Default squaredError)', { default: 'squaredError' }),
    epsilon: param.number('The shape parameter to control the amount of robustness. Must be > 1.0. Only valid when loss is huber', { default: 1.35, validate: V.gt(1) }),
    maxBlockSizeInMB: param.number(
      'Maximum memory in MB for stacking input data into blocks. Data is stacked within partitions. If more than remaining data size in a partition then it is adjusted to the data size. Default 0.0 represents choosing optimal value, depends on specific algorithm. Must be >= 0.',
      { default: 0.0, validate: V.gtEq(0) },
    ),
  },
});

export const GLR_FAMILIES = ['gaussian', 'binomial', 'poisson', 'gamma', 'tweedie'] as const;
export const GLR_LINKS = ['identity', 'log', 'inverse', 'logit', 'probit', 'cloglog', 'sqrt'] as const;

export const GeneralizedLinearRegressionParamsTable = paramFamily('GeneralizedLinearRegressionParams', {
  doc: "Spark's GeneralizedLinearRegressionBase, shared by GeneralizedLinearRegression and GeneralizedLinearRegressionModel.",
  base: PredictorParamsTable,
  params: {
    family: param.oneOf(
      GLR_FAMILIES,
      'The name of family which is a description of the error distribution to be used in the model. Supported options: gaussian, binomial, poisson, gamma and tweedie.',
      { default: 'gaussian', caseInsensitive: true },
    ),
    variancePower: param.number(
      'The power in the variance function of the Tweedie distribution which characterizes the relationship between the variance and mean of the distribution. Only applicable for the Tweedie family. Supported values: 0 and [1, Inf).',
      { default: 0.0, validate: (v) => (typeof v === 'number' && Number.isFinite(v) && (v === 0 || v >= 1) ? null : 'a number that is 0 or >= 1') },
    ),
    link: param.oneOf(
      GLR_LINKS,
      'The name of link function which provides the relationship between the linear predictor and the mean of the distribution function. Supported options: identity, log, inverse, logit, probit, cloglog and sqrt.',
      { optional: true, caseInsensitive: true },
    ),
    linkPower: param.number('The index in the power link function. Only applicable to the Tweedie family.', {
      validate: (v) => (typeof v === 'number' && Number.isFinite(v) ? null : 'a finite number'),
      optional: true,
    }),
    linkPredictionCol: param.string('link prediction (linear predictor) column name', { validate: V.str(), optional: true }),
    offsetCol: param.string('The offset column name. If this is not set or empty, we treat all instance offsets as 0.0', { validate: V.str(), optional: true }),
    fitIntercept,
    maxIter: withDefault(S.maxIter, 25),
    tol: withDefault(S.tol, 1e-6),
    regParam,
    weightCol: S.weightCol,
    solver: param.oneOf(['irls'], 'The solver algorithm for optimization. Supported options: irls.', { default: 'irls' }),
    aggregationDepth: S.aggregationDepth,
  },
});
