/**
 * FMRegressor (Spark 3.x ml.regression.FMRegressor): a factorization machine with the squared
 * loss, fitted by Spark's mini-batch gradient descent with the adamW (default) or gd updater
 * (classification/factorization-machines.ts; the fit is classification/factorization-machines-train.ts).
 * With miniBatchFraction 1 (the default) every step is Spark's, the initial factors being
 * java.util.Random(seed)'s; below 1 the sampled rows differ from Spark's (the JVM's XORShiftRandom
 * stream is not reproduced). The model and persistence are in fm-regressor-model.ts.
 */
import type * as arrow from 'apache-arrow';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { MLWritable } from '../ml-writable.js';
import { register } from '../persist.js';
import { checkPredictorSchema } from '../predictor/predictor.js';
import { Estimator, type FitOptions } from '../stage.js';
import { splitCoefficients } from '../classification/factorization-machines.js';
import { fmTrain } from '../classification/factorization-machines-train.js';
import { FMRegressionModel, FMRegressionTrainingSummary } from './fm-regressor-model.js';
import { FMRegressorParamsMixin, type FMRegressorParamsOptions } from './fm-regressor-params.js';

export type FMRegressorOptions = FMRegressorParamsOptions;

export class FMRegressor extends MLWritable(FMRegressorParamsMixin(Estimator<FMRegressionModel>)) {
  /** Tests: initial coefficients in Spark's layout instead of the seeded draw. Not a Spark param. */
  private initialCoefficients: Float64Array | null = null;

  constructor(options?: FMRegressorOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  /** @internal Fixes the initial coefficients (tests). */
  setInitialCoefficients(coef: Float64Array | null): this {
    this.initialCoefficients = coef;
    return this;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    checkPredictorSchema(this.stageName, schema, { featuresCol: this.getFeaturesCol(), labelCol: this.getLabelCol() });
    return this.copyValues(new FMRegressionModel()).transformSchema(schema);
  }

  override copy(extra?: Parameters<FMRegressor['copyValues']>[1]): this {
    const that = super.copy(extra);
    that.initialCoefficients = this.initialCoefficients;
    return that;
  }

  protected async fitImpl(df: DataFrame, options: FitOptions): Promise<FMRegressionModel> {
    const { shape, result } = await fmTrain(
      this.stageName,
      df,
      {
        uid: this.uid,
        featuresCol: this.getFeaturesCol(),
        labelCol: this.getLabelCol(),
        factorSize: this.getFactorSize(),
        fitIntercept: this.getFitIntercept(),
        fitLinear: this.getFitLinear(),
        regParam: this.getRegParam(),
        miniBatchFraction: this.getMiniBatchFraction(),
        initStd: this.getInitStd(),
        maxIter: this.getMaxIter(),
        stepSize: this.getStepSize(),
        tol: this.getTol(),
        solver: this.getSolver(),
        seed: this.getSeed(),
        initialCoefficients: this.initialCoefficients,
      },
      'squared',
      options,
    );
    const { intercept, linear, factors } = splitCoefficients(result.coef, shape);
    const model = this.copyValues(new FMRegressionModel(undefined, this.uid)).setData({ intercept, linear, factors, d: shape.d, k: shape.k });
    model.setParent(this);
    const sm = model.getPredictionCol() === '' ? model.copy().setPredictionCol('prediction') : model;
    model.setSummary(new FMRegressionTrainingSummary(sm.transform(df), sm.getPredictionCol(), this.getLabelCol(), result.objectiveHistory));
    return model;
  }
}

register('org.apache.spark.ml.regression.FMRegressor', FMRegressor);
