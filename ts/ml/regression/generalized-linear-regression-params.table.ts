/**
 * Spark's GeneralizedLinearRegressionBase params (shared by GeneralizedLinearRegression and its
 * model), with Spark's names, docs and defaults (family and link case-insensitive, link and
 * linkPower without a default); generalized-linear-regression-params.ts is generated from it.
 */
import { ParamValidators as V } from '../param/params.js';
import { SharedParams } from '../param/shared-params.table.js';
import { param, paramFamily, withDefault } from '../param/spec.js';
import { PredictorParamsTable } from '../predictor/predictor-params.table.js';
import { fitIntercept, regParam } from './linear-regression-params.table.js';

const S = SharedParams.params;

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
