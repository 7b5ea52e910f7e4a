/**
 * Spark's LogisticRegressionParams (ml.classification.LogisticRegression; defaults as
 * SPARK_DEFINITIONS.md §13), shared by LogisticRegression and LogisticRegressionModel;
 * logistic-regression-params.ts is generated from it (`npx tsx scripts/gen-params.ts`).
 * threshold / thresholds follow Spark's consistency rules in the classes (logistic-regression-model.ts).
 */
import { ParamValidators as V } from '../param/params.js';
import { SharedParams } from '../param/shared-params.table.js';
import { param, paramFamily, withDefault } from '../param/spec.js';
import { ProbabilisticClassifierParamsTable } from '../predictor/predictor-params.table.js';
import { isMatrixValue, isVectorValue } from './logistic-regression-bounds.js';

const S = SharedParams.params;

export const LOGISTIC_FAMILIES = ['auto', 'binomial', 'multinomial'] as const;

export const LogisticRegressionParamsTable = paramFamily('LogisticRegressionParams', {
  doc: "Spark's LogisticRegressionParams, shared by LogisticRegression and LogisticRegressionModel.",
  base: ProbabilisticClassifierParamsTable,
  typeImports: { Matrix: '../linalg/matrices.js', Vector: '../linalg/vectors.js' },
  params: {
    regParam: param.number('regularization parameter (>= 0)', { default: 0, validate: V.gtEq(0) }),
    elasticNetParam: param.number(
      'the ElasticNet mixing parameter, in range [0, 1]. For alpha = 0, the penalty is an L2 penalty. For alpha = 1, it is an L1 penalty',
      { default: 0, validate: V.inRange(0, 1) },
    ),
    maxIter: withDefault(S.maxIter, 100),
    fitIntercept: param.boolean('whether to fit an intercept term', { default: true }),
    tol: withDefault(S.tol, 1e-6),
    standardization: param.boolean('whether to standardize the training features before fitting the model', { default: true }),
    weightCol: S.weightCol,
    threshold: param.number(
      'Threshold in binary classification prediction, in range [0, 1]. If threshold and thresholds are both set, they must match.e.g. if threshold is p, then thresholds must be equal to [1-p, p].',
      { default: 0.5, validate: V.inRange(0, 1) },
    ),
    aggregationDepth: S.aggregationDepth,
    maxBlockSizeInMB: param.number(
      'Maximum memory in MB for stacking input data into blocks. Data is stacked within partitions. If more than remaining data size in a partition then it is adjusted to the data size. Default 0.0 represents choosing optimal value, depends on specific algorithm. Must be >= 0.',
      { default: 0, validate: V.gtEq(0) },
    ),
    family: param.oneOf(LOGISTIC_FAMILIES, 'The name of family which is a description of the label distribution to be used in the model. Supported options: auto, binomial, multinomial.', {
      default: 'auto',
      caseInsensitive: true,
    }),
    lowerBoundsOnCoefficients: param.of<import('../linalg/matrices.js').Matrix>('Matrix', 'The lower bounds on coefficients if fitting under bound constrained optimization.', {
      validate: isMatrixValue,
      optional: true,
    }),
    upperBoundsOnCoefficients: param.of<import('../linalg/matrices.js').Matrix>('Matrix', 'The upper bounds on coefficients if fitting under bound constrained optimization.', {
      validate: isMatrixValue,
      optional: true,
    }),
    lowerBoundsOnIntercepts: param.of<import('../linalg/vectors.js').Vector>('Vector', 'The lower bounds on intercepts if fitting under bound constrained optimization.', {
      validate: isVectorValue,
      optional: true,
    }),
    upperBoundsOnIntercepts: param.of<import('../linalg/vectors.js').Vector>('Vector', 'The upper bounds on intercepts if fitting under bound constrained optimization.', {
      validate: isVectorValue,
      optional: true,
    }),
  },
});
