/**
 * Spark's LinearRegressionParams (shared by LinearRegression and LinearRegressionModel), with
 * Spark's names, docs and defaults; linear-regression-params.ts is generated from it
 * (`npx tsx scripts/gen-params.ts`). regParam and fitIntercept are GLR's too.
 */
import { ParamValidators as V } from '../param/params.js';
import { SharedParams } from '../param/shared-params.table.js';
import { param, paramFamily, withDefault } from '../param/spec.js';
import { PredictorParamsTable } from '../predictor/predictor-params.table.js';

const S = SharedParams.params;

export const regParam = param.number('regularization parameter (>= 0)', { default: 0.0, validate: V.gtEq(0) });
export const fitIntercept = param.boolean('whether to fit an intercept term', { default: true });

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
