/**
 * Spark's FactorizationMachinesParams (ml.regression.FMRegressor.scala) as the FMClassifier family
 * (ProbabilisticClassifierParams + the FM params); the FMRegressor family
 * (ts/ml/regression/fm-regressor-params.table.ts) takes the same specs, `FactorizationMachinesSpecs`.
 * fm-classifier-params.ts is generated from it.
 */
import { ParamValidators as V } from '../param/params.js';
import { SharedParams, sparkSeed } from '../param/shared-params.table.js';
import { param, paramFamily, withDefault } from '../param/spec.js';
import { ProbabilisticClassifierParamsTable } from '../predictor/predictor-params.table.js';

const S = SharedParams.params;

export const FM_CLASSIFIER_CLASS = 'org.apache.spark.ml.classification.FMClassifier';
export const FM_REGRESSOR_CLASS = 'org.apache.spark.ml.regression.FMRegressor';

/** Spark's FactorizationMachinesParams, without the seed (its default is the class name's hash). */
export const FactorizationMachinesSpecs = {
  factorSize: param.number('Dimensionality of the factor vectors, which are used to get pairwise interactions between variables', { default: 8, validate: V.intGt(0) }),
  fitIntercept: param.boolean('whether to fit an intercept term', { default: true }),
  fitLinear: param.boolean('whether to fit linear term (aka 1-way term)', { default: true }),
  regParam: param.number('regularization parameter (>= 0)', { default: 0.0, validate: V.gtEq(0) }),
  miniBatchFraction: param.number('fraction of the input data set that should be used for one iteration of gradient descent', { default: 1.0, validate: V.inRange(0, 1, false, true) }),
  initStd: param.number('standard deviation of initial coefficients', { default: 0.01, validate: V.gt(0) }),
  maxIter: withDefault(S.maxIter, 100),
  stepSize: param.number('Step size to be used for each iteration of optimization (> 0)', { default: 1.0, validate: V.gt(0) }),
  tol: withDefault(S.tol, 1e-6),
  solver: param.oneOf(['gd', 'adamW'], 'The solver algorithm for optimization. Supported options: gd, adamW. (Default adamW)', { default: 'adamW' }),
  weightCol: S.weightCol,
} as const;

export const FMClassifierParamsTable = paramFamily('FMClassifierParams', {
  doc: "Spark's FMClassifierParams (FactorizationMachinesParams and ProbabilisticClassifierParams), shared by FMClassifier and FMClassificationModel.",
  base: ProbabilisticClassifierParamsTable,
  params: { ...FactorizationMachinesSpecs, seed: sparkSeed(FM_CLASSIFIER_CLASS) },
});
