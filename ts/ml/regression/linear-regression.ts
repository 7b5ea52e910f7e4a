/**
 * LinearRegression (Spark's ml.regression.LinearRegression); the model and its persistence are
 * linear-regression-model.ts, the summary linear-regression-summary.ts.
 *
 * Training, as Spark's LinearRegression.train:
 *   - loss 'huber' refuses the normal solver and any L1 part (Spark's messages);
 *   - squared error with solver 'normal', or 'auto' with at most 4096 features: one pass of
 *     normal-equation statistics (linear-regression-tasks.ts `wlsStats`) and Spark's
 *     WeightedLeastSquares (linear-regression-wls.ts: standardised features and label, Cholesky,
 *     OWL-QN over the normal equations with an L1 part); its summary has standard errors, t and
 *     p-values;
 *   - otherwise L-BFGS (OWL-QN with an L1 part; L-BFGS-B for Huber's σ > 0) from optim/minimize.ts
 *     after one statistics pass (predictor-tasks.ts: Spark's Summarizer, unbiased weighted std):
 *       squared error: Spark's LeastSquaresAggregator in the standardised space — features / std,
 *       label / yStd, intercept solved analytically through the means — each evaluation ONE
 *       `glmLossGradPass(kind 'squared')` (optim/loss-tasks.ts) over the blocks, with the kernel's
 *       coefficients yStd·β_j/std_j and intercept yStd·(ȳ/yStd − Σβ_j μ_j/std_j), the loss
 *       divided by yStd² and Σw; penalty regParam / yStd (optim/regularization.ts);
 *       huber: Spark's HuberAggregator (linear-regression-tasks.ts `huberLossGrad`) over
 *       (β, intercept, σ) from 1s, σ bounded below, penalty regParam;
 *     a constant label (std 0): coefficients 0 and intercept = mean with fitIntercept (Spark's
 *     warning), an error with regularisation and no intercept.
 *   - A fit that stops at maxIter warns (KINDLING_LINEAR_REGRESSION_NOT_CONVERGED).
 */
import type * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import type { Instances } from '../data/instances.js';
import { MLWritable } from '../ml-writable.js';
import { register } from '../persist.js';
import { Estimator, type FitOptions } from '../stage.js';
import { minimize } from '../optim/minimize.js';
import { glmLossGradPass } from '../optim/loss-tasks.js';
import { addL2, l1Weights, type PenaltySpec } from '../optim/regularization.js';
import { checkPredictorSchema, featureVariance, labelVariance, prepareLabeled } from '../predictor/predictor.js';
import { trainingStats, type TrainingStats } from '../predictor/predictor-tasks.js';
import { LinearRegressionParamsMixin, type LinearRegressionParamsOptions } from './linear-regression-params.js';
import { LinearRegressionModel } from './linear-regression-model.js';
import { linearRegressionSummary, type LinearRegressionTrainingSummary } from './linear-regression-summary.js';
import { huberLossGrad, wlsStats, type HuberBroadcast } from './linear-regression-tasks.js';
import { solveWls } from './linear-regression-wls.js';

export type LinearRegressionOptions = LinearRegressionParamsOptions;

/** Spark's WeightedLeastSquares.MAX_NUM_FEATURES: 'auto' takes the normal solver up to this many features. */
export const MAX_NORMAL_FEATURES = 4096;

interface Fitted {
  coefficients: Float64Array;
  intercept: number;
  scale: number;
  diagInvAtWA: Float64Array;
  objectiveHistory: number[];
  notConverged: boolean;
}

function warn(message: string, code = 'KINDLING_LINEAR_REGRESSION'): void {
  process.emitWarning(message, { type: 'KindlingWarning', code });
}

export class LinearRegression extends MLWritable(LinearRegressionParamsMixin(Estimator<LinearRegressionModel>)) {
  constructor(options?: LinearRegressionOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    checkPredictorSchema(this.stageName, schema, { featuresCol: this.getFeaturesCol(), labelCol: this.getLabelCol(), weightCol: this.getWeightCol() });
    return new LinearRegressionModel(undefined, this.uid).setFeaturesCol(this.getFeaturesCol()).setPredictionCol(this.getPredictionCol()).transformSchema(schema);
  }

  protected async fitImpl(df: DataFrame, options: FitOptions): Promise<LinearRegressionModel> {
    const api = this.stageName;
    if (this.getLoss() === 'huber') {
      if (this.getSolver() === 'normal') throw Errors.invalidArg(api, 'solver', "auto or l-bfgs (LinearRegression with huber loss doesn't support normal solver, please change solver to auto or l-bfgs.)", 'normal');
      if (this.getElasticNetParam() !== 0) {
        throw Errors.invalidArg(api, 'elasticNetParam', `0.0 (LinearRegression with huber loss only supports L2 regularization, but got elasticNetParam = ${this.getElasticNetParam()}.)`, this.getElasticNetParam());
      }
    }
    const { data } = await prepareLabeled(api, df, { featuresCol: this.getFeaturesCol(), labelCol: this.getLabelCol(), weightCol: this.getWeightCol(), kind: 'regression' });
    let fitted: Fitted;
    try {
      const d = data.d;
      const solver = this.getSolver();
      const normal = this.getLoss() === 'squaredError' && ((solver === 'auto' && d <= MAX_NORMAL_FEATURES) || solver === 'normal');
      fitted = normal ? await this.trainWithNormal(data) : await this.trainWithLbfgs(data, options);
    } finally {
      data.release();
    }
    if (fitted.notConverged) {
      warn(`${api} (${this.uid}): the optimiser stopped at maxIter = ${this.getMaxIter()} before converging (tol = ${this.getTol()})`, 'KINDLING_LINEAR_REGRESSION_NOT_CONVERGED');
    }
    const model = this.copyValues(new LinearRegressionModel(undefined, this.uid)).setData(fitted.coefficients, fitted.intercept, fitted.scale);
    model.setParent(this);
    const { model: sm, predictionCol } = model.summaryModel();
    const summary = await linearRegressionSummary(
      sm.transform(df),
      { predictionCol, labelCol: this.getLabelCol(), featuresCol: this.getFeaturesCol() },
      model.summaryData(),
      fitted.diagInvAtWA,
      { objectiveHistory: fitted.objectiveHistory, converged: !fitted.notConverged },
    );
    return model.setSummary(summary as LinearRegressionTrainingSummary);
  }

  private async trainWithNormal(data: Instances): Promise<Fitted> {
    const stats = await data.session.treeAggregate(wlsStats, data, { d: data.d }, { depth: this.getAggregationDepth() });
    const s = await solveWls(stats, {
      api: this.stageName,
      fitIntercept: this.getFitIntercept(),
      regParam: this.getRegParam(),
      elasticNetParam: this.getElasticNetParam(),
      standardizeFeatures: this.getStandardization(),
      standardizeLabel: true,
      solver: 'auto',
      maxIter: this.getMaxIter(),
      tol: this.getTol(),
    });
    return { coefficients: s.coefficients, intercept: s.intercept, scale: 1, diagInvAtWA: s.diagInvAtWA, objectiveHistory: s.objectiveHistory, notConverged: s.notConverged === true };
  }

  private async trainWithLbfgs(data: Instances, options: FitOptions): Promise<Fitted> {
    const api = this.stageName;
    const d = data.d;
    const stats: TrainingStats = await data.session.treeAggregate(trainingStats, data, { d, numClasses: 0 }, { depth: this.getAggregationDepth() });
    if (!(stats.weightSum > 0)) throw Errors.schema(`${api}: the rows of column ${this.getLabelCol()} have a total weight of ${stats.weightSum}; a fit needs a positive total weight`);
    const fitIntercept = this.getFitIntercept();
    const yMean = stats.labelMean;
    const rawYStd = Math.sqrt(labelVariance(stats));
    const featuresStd = featureVariance(stats).map(Math.sqrt);
    const featuresMean = stats.mean;
    const none = [0];
    if (rawYStd === 0) {
      if (fitIntercept || yMean === 0) {
        warn(
          yMean === 0
            ? `${api}: Mean and standard deviation of the label are zero, so the coefficients and the intercept will all be zero; as a result, training is not needed.`
            : `${api}: The standard deviation of the label is zero, so the coefficients will be zeros and the intercept will be the mean of the label; as a result, training is not needed.`,
        );
        return { coefficients: new Float64Array(d), intercept: yMean, scale: 1, diagInvAtWA: new Float64Array([0]), objectiveHistory: none, notConverged: false };
      }
      if (this.getRegParam() !== 0) throw Errors.schema(`${api}: The standard deviation of the label is zero. Model cannot be regularized.`);
      warn(`${api}: The standard deviation of the label is zero. Consider setting fitIntercept=true.`);
    }
    const yStd = rawYStd > 0 ? rawYStd : Math.abs(yMean);
    if (!fitIntercept && featuresStd.some((s, j) => s === 0 && featuresMean[j] !== 0)) {
      warn(
        `${api}: Fitting LinearRegressionModel without intercept on dataset with constant nonzero column, Spark MLlib outputs zero coefficients for constant nonzero columns. This behavior is the same as R glmnet but different from LIBSVM.`,
      );
    }
    const huber = this.getLoss() === 'huber';
    const effectiveRegParam = huber ? this.getRegParam() : this.getRegParam() / yStd;
    const penalty: PenaltySpec = { regParam: effectiveRegParam, elasticNetParam: this.getElasticNetParam(), standardization: this.getStandardization(), featuresStd, k: 1 };
    const depth = this.getAggregationDepth();
    const onIteration = (iteration: number, value: number) =>
      options.onProgress?.({ stage: this.uid, kind: 'iteration', current: iteration, total: this.getMaxIter(), message: `objective ${value}` });
    const effective = (beta: Float64Array) => {
      const coef = new Float64Array(d);
      for (let j = 0; j < d; j++) coef[j] = featuresStd[j]! !== 0 ? beta[j]! / featuresStd[j]! : 0;
      return coef;
    };

    if (!huber) {
      const f = async (beta: Float64Array, grad: Float64Array): Promise<number> => {
        const ce = effective(beta);
        let offset = 0;
        if (fitIntercept) {
          let s = 0;
          for (let j = 0; j < d; j++) s += ce[j]! * featuresMean[j]!;
          offset = yMean / yStd - s;
        }
        const kcoef = ce.map((c) => c * yStd);
        const r = await glmLossGradPass(data, 'squared', 1, kcoef, Float64Array.of(offset * yStd), depth);
        const w = r.weightSum;
        const gInt = r.grad[d]!;
        for (let j = 0; j < d; j++) {
          const sj = featuresStd[j]!;
          grad[j] = sj !== 0 ? (r.grad[j]! - (fitIntercept ? featuresMean[j]! * gInt : 0)) / (yStd * sj * w) : 0;
        }
        return r.loss / (yStd * yStd * w) + addL2(beta, grad, penalty);
      };
      const l1 = l1Weights(penalty, false);
      const res = await minimize(f, new Float64Array(d), { maxIter: this.getMaxIter(), tol: this.getTol(), m: 10, l1: l1 === 0 ? undefined : l1, onIteration });
      const coefficients = new Float64Array(d);
      for (let j = 0; j < d; j++) coefficients[j] = featuresStd[j]! !== 0 ? (res.x[j]! * yStd) / featuresStd[j]! : 0;
      let intercept = 0;
      if (fitIntercept) {
        intercept = yMean;
        for (let j = 0; j < d; j++) intercept -= coefficients[j]! * featuresMean[j]!;
      }
      return { coefficients, intercept, scale: 1, diagInvAtWA: new Float64Array([0]), objectiveHistory: res.objectiveHistory, notConverged: !res.converged };
    }

    // Huber: parameters (β scaled, [intercept], σ)
    const dim = fitIntercept ? d + 2 : d + 1;
    const f = async (x: Float64Array, grad: Float64Array): Promise<number> => {
      const b: HuberBroadcast = { d, coef: effective(x), intercept: fitIntercept ? x[d]! : 0, sigma: x[dim - 1]!, epsilon: this.getEpsilon() };
      const r = await data.session.treeAggregate(huberLossGrad, data, b, { depth });
      const w = r.weightSum;
      for (let j = 0; j < d; j++) grad[j] = featuresStd[j]! !== 0 ? r.grad[j]! / (featuresStd[j]! * w) : 0;
      if (fitIntercept) grad[d] = r.grad[d]! / w;
      grad[dim - 1] = r.grad[d + 1]! / w;
      return r.loss / w + addL2(x, grad, penalty);
    };
    const lower = new Float64Array(dim).fill(-Number.MAX_VALUE);
    lower[dim - 1] = Number.MIN_VALUE;
    const upper = new Float64Array(dim).fill(Number.MAX_VALUE);
    const res = await minimize(f, new Float64Array(dim).fill(1), { maxIter: this.getMaxIter(), tol: this.getTol(), m: 10, lower, upper, onIteration });
    return {
      coefficients: effective(res.x),
      intercept: fitIntercept ? res.x[d]! : 0,
      scale: res.x[dim - 1]!,
      diagInvAtWA: new Float64Array([0]),
      objectiveHistory: res.objectiveHistory,
      notConverged: !res.converged,
    };
  }
}

register('org.apache.spark.ml.regression.LinearRegression', LinearRegression);
