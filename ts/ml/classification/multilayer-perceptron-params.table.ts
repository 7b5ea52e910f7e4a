/**
 * Spark's MultilayerPerceptronParams (ml.classification.MultilayerPerceptronClassifier), shared by
 * MultilayerPerceptronClassifier and its model; multilayer-perceptron-params.ts is generated from it.
 */
import { isVector } from '../linalg/vectors.js';
import { ParamValidators as V } from '../param/params.js';
import { SharedParams, sparkSeed } from '../param/shared-params.table.js';
import { param, paramFamily, withDefault } from '../param/spec.js';
import { ProbabilisticClassifierParamsTable } from '../predictor/predictor-params.table.js';

const S = SharedParams.params;

export const MLP_CLASS = 'org.apache.spark.ml.classification.MultilayerPerceptronClassifier';

export const MultilayerPerceptronParamsTable = paramFamily('MultilayerPerceptronParams', {
  doc: "Spark's MultilayerPerceptronParams, shared by MultilayerPerceptronClassifier and MultilayerPerceptronClassificationModel.",
  base: ProbabilisticClassifierParamsTable,
  typeImports: { Vector: '../linalg/vectors.js' },
  params: {
    layers: param.of<number[]>(
      'number[]',
      'Sizes of layers from input layer to output layer. E.g., Array(780, 100, 10) means 780 inputs, one hidden layer with 100 neurons and output layer of 10 neurons.',
      {
        // Spark: t.forall(ParamValidators.gt(0)) && t.length > 1
        validate: (v) => (Array.isArray(v) && v.length > 1 && v.every((x) => Number.isInteger(x) && x > 0 && x <= 2 ** 31 - 1) ? null : 'an array of at least 2 integers > 0'),
        copyOnGet: true,
      },
    ),
    solver: param.oneOf(['l-bfgs', 'gd'], 'The solver algorithm for optimization. Supported options: l-bfgs, gd. (Default l-bfgs)', { default: 'l-bfgs' }),
    initialWeights: param.of<import('../linalg/vectors.js').Vector>('Vector', 'The initial weights of the model', {
      validate: (v) => (isVector(v) ? null : 'a vector (DenseVector or SparseVector)'),
    }),
    blockSize: param.number(
      'block size for stacking input data in matrices. Data is stacked within partitions. If block size is more than remaining data in a partition then it is adjusted to the size of this data.',
      { default: 128, validate: V.intGt(0) },
    ),
    maxIter: withDefault(S.maxIter, 100),
    tol: withDefault(S.tol, 1e-6),
    stepSize: param.number('Step size to be used for each iteration of optimization (> 0)', { default: 0.03, validate: V.gt(0) }),
    seed: sparkSeed(MLP_CLASS),
  },
});
