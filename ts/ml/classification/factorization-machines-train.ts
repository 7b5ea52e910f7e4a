/**
 * The fit FMClassifier and FMRegressor share (Spark's FactorizationMachines.trainImpl): pack the
 * features and labels once on the executors (labels checked as Spark's
 * checkClassificationLabels(labelCol, Some(2)) / checkRegressionLabels; features finite, as
 * checkNonNanVectors), draw Spark's initial coefficients, and run Spark's mini-batch gradient
 * descent with the AdamW or SquaredL2 updater (factorization-machines.ts), each iteration one
 * treeAggregate of `fmGradient` (factorization-machines-tasks.ts) over the kept blocks.
 * Weights are not read: Spark's FM fit ignores weightCol (its summary uses it).
 */
import { Errors } from '../../src/errors.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { checkPredictorSchema, prepareLabeled } from '../predictor/predictor.js';
import type { FitOptions } from '../stage.js';
import { fmCoefficientSize, fmInitialCoefficients, fmUpdater, miniBatchSGD, type FMLoss, type FMShape, type FMSolver, type SGDResult } from './factorization-machines.js';
import { fmGradient, type FMGradientBroadcast } from './factorization-machines-tasks.js';

export interface FMTrainParams {
  uid: string;
  featuresCol: string;
  labelCol: string;
  factorSize: number;
  fitIntercept: boolean;
  fitLinear: boolean;
  regParam: number;
  miniBatchFraction: number;
  initStd: number;
  maxIter: number;
  stepSize: number;
  tol: number;
  solver: FMSolver;
  seed: number;
  /** Tests: the initial coefficients (Spark's layout) instead of the seeded draw. */
  initialCoefficients?: Float64Array | null;
}

export interface FMTrained {
  shape: FMShape;
  result: SGDResult;
}

export async function fmTrain(api: string, df: DataFrame, p: FMTrainParams, loss: FMLoss, options: FitOptions): Promise<FMTrained> {
  checkPredictorSchema(api, df.schema, { featuresCol: p.featuresCol, labelCol: p.labelCol });
  const classify = loss === 'logistic';
  // Spark's checkClassificationLabels(labelCol, Some(2)): FMClassifier is binary, whatever the metadata says
  const { data } = await prepareLabeled(api, df, {
    featuresCol: p.featuresCol,
    labelCol: p.labelCol,
    kind: classify ? 'classification' : 'regression',
    numClasses: classify ? { value: 2, from: 'FMClassifier is a binary classifier: labels 0 and 1' } : undefined,
  });
  try {
    const shape: FMShape = { d: data.d, k: p.factorSize, fitIntercept: p.fitIntercept, fitLinear: p.fitLinear };
    let coef0: Float64Array;
    if (p.initialCoefficients) {
      const size = fmCoefficientSize(shape);
      if (p.initialCoefficients.length !== size) throw Errors.invalidArg(api, 'initialCoefficients', `${size} coefficients (factors, linear, intercept)`, `${p.initialCoefficients.length}`);
      coef0 = p.initialCoefficients.slice();
    } else {
      coef0 = fmInitialCoefficients(shape, p.seed, p.initStd);
    }
    if (data.n * p.miniBatchFraction < 1) {
      // Spark's GradientDescent warns the same
      process.emitWarning(`${api} (${p.uid}): the miniBatchFraction ${p.miniBatchFraction} is too small for ${data.n} rows: an iteration may sample no row`, { type: 'KindlingWarning', code: 'KINDLING_FM_MINIBATCH_TOO_SMALL' });
    }
    const source = { ...data.source(), rowBases: data.rowBases };
    const result = await miniBatchSGD(
      async (coef, iteration) => {
        const b: FMGradientBroadcast = { ...shape, coef, loss, fraction: p.miniBatchFraction, iteration };
        return df.session.treeAggregate(fmGradient, source, b);
      },
      coef0,
      {
        updater: fmUpdater(p.solver, coef0.length),
        stepSize: p.stepSize,
        maxIter: p.maxIter,
        regParam: p.regParam,
        tol: p.tol,
        onIteration: (i, value) => options.onProgress?.({ stage: p.uid, kind: 'iteration', current: i, total: p.maxIter, message: `objective ${value}` }),
      },
    );
    if (result.objectiveHistory.length === 0) {
      throw Errors.schema(`${api}: no row was sampled in any iteration (miniBatchFraction = ${p.miniBatchFraction} of ${data.n} rows); raise miniBatchFraction`);
    }
    if (!result.converged) {
      process.emitWarning(`${api} (${p.uid}): ${p.solver} did not converge within maxIter = ${p.maxIter} iterations (tol = ${p.tol}); the model holds the last iterate`, {
        type: 'KindlingWarning',
        code: 'KINDLING_FM_NOT_CONVERGED',
      });
    }
    return { shape, result };
  } finally {
    data.release();
  }
}
