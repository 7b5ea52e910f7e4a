/**
 * FMClassifier (Spark 3.x ml.classification.FMClassifier): a factorization machine with the
 * logistic loss on labels 0/1 (Spark's checkClassificationLabels(labelCol, Some(2))), fitted by
 * Spark's mini-batch gradient descent with the adamW (default) or gd updater
 * (factorization-machines.ts; the fit itself is factorization-machines-train.ts). With
 * miniBatchFraction 1 (the default) every step is Spark's — the initial factors are
 * java.util.Random(seed)'s, bit for bit — so the model matches Spark's up to floating-point
 * summation order; below 1 the rows sampled differ (the JVM's XORShiftRandom stream is not
 * reproduced). weightCol is accepted and used only by the summary, as in Spark.
 * The model, its summary and persistence are in fm-classifier-model.ts.
 */
import type * as arrow from 'apache-arrow';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { MLWritable } from '../ml-writable.js';
import { register } from '../persist.js';
import { checkPredictorSchema } from '../predictor/predictor.js';
import { Estimator, type FitOptions } from '../stage.js';
import { splitCoefficients } from './factorization-machines.js';
import { fmTrain } from './factorization-machines-train.js';
import { FMClassificationModel, FMClassificationTrainingSummary } from './fm-classifier-model.js';
import { FMClassifierParamsMixin, type FMClassifierParamsOptions } from './fm-classifier-params.js';

export type FMClassifierOptions = FMClassifierParamsOptions;

export class FMClassifier extends MLWritable(FMClassifierParamsMixin(Estimator<FMClassificationModel>)) {
  /** Tests: initial coefficients in Spark's layout (factors, linear, intercept) instead of the seeded draw. Not a Spark param. */
  private initialCoefficients: Float64Array | null = null;

  constructor(options?: FMClassifierOptions, uid?: string) {
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
    return this.copyValues(new FMClassificationModel()).transformSchema(schema);
  }

  override copy(extra?: Parameters<FMClassifier['copyValues']>[1]): this {
    const that = super.copy(extra);
    that.initialCoefficients = this.initialCoefficients;
    return that;
  }

  protected async fitImpl(df: DataFrame, options: FitOptions): Promise<FMClassificationModel> {
    const api = this.stageName;
    const { shape, result } = await fmTrain(
      api,
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
      'logistic',
      options,
    );
    const { intercept, linear, factors } = splitCoefficients(result.coef, shape);
    const model = this.copyValues(new FMClassificationModel(undefined, this.uid)).setData({ intercept, linear, factors, d: shape.d, k: shape.k });
    model.setParent(this);
    // Spark's findSummaryModel: the summary needs probability and prediction columns
    const sm = model.copy();
    if (sm.getProbabilityCol() === '') sm.setProbabilityCol('probability');
    if (sm.getPredictionCol() === '') sm.setPredictionCol('prediction');
    const w = this.getWeightCol() ?? '';
    model.setSummary(new FMClassificationTrainingSummary(sm.transform(df), sm.getProbabilityCol(), sm.getPredictionCol(), this.getLabelCol(), w, result.objectiveHistory));
    return model;
  }
}

register('org.apache.spark.ml.classification.FMClassifier', FMClassifier);
