/**
 * LogisticRegression (Spark's ml.classification.LogisticRegression, SPARK_DEFINITIONS.md §13):
 * binomial and multinomial (softmax) logistic regression with elastic-net penalty and box
 * bounds; the model is logistic-regression-model.ts.
 *
 * The fit, as Spark's train():
 *   - `prepareLabeled` packs features, labels and weights on the executors and runs the statistics
 *     pass (feature means and unbiased weighted std, the weighted class histogram); numClasses is
 *     the label's nominal attribute, else the largest label + 1 (Spark: the histogram's length);
 *   - family: 'binomial' needs 1 or 2 classes, 'multinomial' always softmax, 'auto' multinomial
 *     above 2 classes; thresholds, when set, must have numClasses values; bounds are checked for
 *     shape (1 or numClasses rows x numFeatures) and order;
 *   - one class only (the histogram has one non-zero count) with fitIntercept and no bounds: no
 *     training, as Spark: coefficients 0, intercept +∞ (binomial with 2 classes) or −∞ (binomial
 *     with 1 class), multinomial +∞ for that class and 0 elsewhere; objectiveHistory [0]; a
 *     KindlingWarning says so (Spark logs it);
 *   - the objective (logistic-regression-objective.ts) in the standardised space with the
 *     intercept fitted against centred features (Spark 3.x's block aggregators), initial
 *     intercepts log(count_1 / count_0) (binomial) or log1p(count_c) − mean (multinomial);
 *     minimised by L-BFGS, OWL-QN when regParam · elasticNetParam > 0, L-BFGS-B with bounds
 *     (ml/optim/minimize.ts, Breeze's as Spark calls them: history 10, maxIter, tol);
 *   - multinomial without penalty and bounds: coefficients centred over the classes per feature
 *     (Spark, after glmnet); multinomial with an intercept and no bounds: intercepts centred;
 *   - a fit that stops at maxIter before meeting tol emits a KindlingWarning (code
 *     KINDLING_LOGISTIC_NOT_CONVERGED) and its summary has converged = false (a line search that
 *     fails twice in a row ends the iterations as in Breeze, which Spark accepts as the result);
 *   - the summary (logistic-regression-summary.ts): binary for at most 2 classes; its metrics from
 *     one pass over the packed training blocks (logisticSummaryStats), its predictions the
 *     model's (lazy) transform of the training DataFrame.
 * maxBlockSizeInMB is accepted and saved; kindling's blocks are its packed partitions.
 */
import type * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import type { GlmLossKind } from '../../src/kernels/glm.js';
import { MLWritable } from '../ml-writable.js';
import { minimize } from '../optim/minimize.js';
import { l1Weights, type PenaltySpec } from '../optim/regularization.js';
import { Estimator, type FitOptions } from '../stage.js';
import { checkPredictorSchema, featureVariance, prepareLabeled } from '../predictor/predictor.js';
import type { Instances } from '../data/instances.js';
import type { TrainingStats } from '../predictor/predictor-tasks.js';
import { LogisticRegressionParamsMixin, type LogisticRegressionParamsOptions } from './logistic-regression-params.js';
import { LogisticThresholdsMixin } from './logistic-regression-thresholds.js';
import { LogisticRegressionModel } from './logistic-regression-model.js';
import { BinaryLogisticRegressionTrainingSummary, LogisticRegressionTrainingSummary } from './logistic-regression-summary.js';
import { boundArrays, checkBoundParams, checkBoundShapes, usingBounds, type BoundParams } from './logistic-regression-bounds.js';
import { glmObjective, toCentred, toOriginalSpace, type GlmObjectiveSpec } from './logistic-regression-objective.js';
import { logisticSummaryStats, type LogisticState, type LogisticSummaryBroadcast } from './logistic-regression-tasks.js';
import { BinaryClassificationMetrics } from '../evaluation/binary-classification.js';
import { MulticlassMetrics } from '../evaluation/multiclass-classification.js';

export type LogisticRegressionOptions = LogisticRegressionParamsOptions;

/** Emits a KindlingWarning (Node prints it to stderr; process.on('warning') can catch it). */
export function warn(msg: string, code: string): void {
  process.emitWarning(msg, { type: 'KindlingWarning', code });
}

export class LogisticRegression extends MLWritable(LogisticThresholdsMixin(LogisticRegressionParamsMixin(Estimator<LogisticRegressionModel>))) {
  constructor(options?: LogisticRegressionOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  /** @internal The bound params that are set. */
  boundParams(): BoundParams {
    return {
      lowerBoundsOnCoefficients: this.get(this.lowerBoundsOnCoefficients),
      upperBoundsOnCoefficients: this.get(this.upperBoundsOnCoefficients),
      lowerBoundsOnIntercepts: this.get(this.lowerBoundsOnIntercepts),
      upperBoundsOnIntercepts: this.get(this.upperBoundsOnIntercepts),
    };
  }

  /** Spark's validateAndTransformSchema (fitting): the params' interplay, the input columns, and the model's output columns. */
  transformSchema(schema: arrow.Schema): arrow.Schema {
    const api = this.stageName;
    this.checkThresholdConsistency(api);
    checkBoundParams(api, this.boundParams(), this.getElasticNetParam(), this.getFitIntercept());
    checkPredictorSchema(api, schema, { featuresCol: this.getFeaturesCol(), labelCol: this.getLabelCol(), weightCol: this.getWeightCol() });
    return this.copyValues(new LogisticRegressionModel(undefined, this.uid)).transformSchema(schema);
  }

  /** Spark's checkMultinomial. */
  private isMultinomialFor(api: string, numClasses: number): boolean {
    const family = this.getFamily().toLowerCase();
    if (family === 'binomial') {
      if (numClasses !== 1 && numClasses !== 2) throw Errors.invalidArg(api, 'family', `'multinomial' or 'auto' for column ${this.getLabelCol()} (Binomial family only supports 1 or 2 outcome classes but found ${numClasses}.)`, this.getFamily());
      return false;
    }
    return family === 'multinomial' || numClasses > 2;
  }

  protected async fitImpl(df: DataFrame, options: FitOptions): Promise<LogisticRegressionModel> {
    const api = this.stageName;
    const { data, numClasses, stats } = await prepareLabeled(api, df, {
      featuresCol: this.getFeaturesCol(),
      labelCol: this.getLabelCol(),
      weightCol: this.getWeightCol(),
      kind: 'classification',
      stats: true,
    });
    try {
      return await this.train(df, data, numClasses, stats!, options);
    } finally {
      data.release();
    }
  }

  private async train(df: DataFrame, data: Instances, numClasses: number, stats: TrainingStats, options: FitOptions): Promise<LogisticRegressionModel> {
    const api = this.stageName;
    const d = data.d;
    const multinomial = this.isMultinomialFor(api, numClasses);
    const k = multinomial ? numClasses : 1;
    const bounds = this.boundParams();
    const bounded = usingBounds(bounds);
    if (bounded) checkBoundShapes(api, bounds, k, d);
    const thresholds = this.get(this.thresholds);
    if (thresholds !== undefined && thresholds.length !== numClasses) {
      throw Errors.invalidArg(api, 'thresholds', `${numClasses} values (LogisticRegression.train() called with non-matching numClasses and thresholds.length. numClasses=${numClasses}, but thresholds has length ${thresholds.length})`, thresholds);
    }
    const histogram = stats.classCounts;
    const fitIntercept = this.getFitIntercept();
    const nonZero = histogram.filter((h) => h !== 0).length;
    const model = this.copyValues(new LogisticRegressionModel(undefined, this.uid));

    if (fitIntercept && nonZero === 1 && !bounded) {
      warn(`${api} (${this.uid}): All labels are the same value and fitIntercept=true, so the coefficients will be zeros. Training is not needed.`, 'KINDLING_LOGISTIC_CONSTANT_LABEL');
      let label = 0;
      for (let c = 1; c < histogram.length; c++) if (histogram[c]! > histogram[label]!) label = c;
      const intercept = new Float64Array(k);
      if (multinomial) intercept[label] = Infinity;
      else intercept[0] = numClasses === 2 ? Infinity : -Infinity;
      model.setData({ coef: new Float64Array(k * d), intercept, numFeatures: d, numClasses, isMultinomial: multinomial });
      return this.withSummary(df, data, model, numClasses, [0], true);
    }
    if (!fitIntercept && nonZero === 1) {
      warn(`${api} (${this.uid}): All labels belong to a single class and fitIntercept=false. It's a dangerous ground, so the algorithm may not converge.`, 'KINDLING_LOGISTIC_CONSTANT_LABEL');
    }
    const featuresMean = stats.mean;
    const featuresStd = featureVariance(stats).map(Math.sqrt);
    if (!fitIntercept && featuresStd.some((s, j) => s === 0 && featuresMean[j] !== 0)) {
      warn(
        `${api} (${this.uid}): Fitting LogisticRegressionModel without intercept on dataset with constant nonzero column, Spark MLlib outputs zero coefficients for constant nonzero columns. This behavior is the same as R glmnet but different from LIBSVM.`,
        'KINDLING_LOGISTIC_CONSTANT_COLUMN',
      );
    }
    const penalty: PenaltySpec = { regParam: this.getRegParam(), elasticNetParam: this.getElasticNetParam(), standardization: this.getStandardization(), featuresStd, k };
    const allInf = (v: { toArray(): ArrayLike<number> } | undefined, sign: number) => v === undefined || Array.from(v.toArray()).every((x) => x === sign * Infinity);
    const fitWithMean = fitIntercept && allInf(bounds.lowerBoundsOnIntercepts, -1) && allInf(bounds.upperBoundsOnIntercepts, 1);
    const kind: GlmLossKind = multinomial ? 'multinomial' : 'binomial';
    const spec: GlmObjectiveSpec = { data, kind, k, fitIntercept, fitWithMean, featuresMean, featuresStd, penalty, aggregationDepth: this.getAggregationDepth() };

    // Spark's createInitialSolution
    const n = k * d + (fitIntercept ? k : 0);
    let x0: Float64Array = new Float64Array(n);
    if (fitIntercept && multinomial) {
      const raw = Array.from(histogram, (h) => Math.log1p(h));
      const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
      raw.forEach((r, c) => (x0[k * d + c] = r - mean));
    } else if (fitIntercept) {
      const b0 = Math.log(histogram[1]! / histogram[0]!);
      // one class under bounds (Spark trains then, from ±∞): start from 0 instead of an infinite intercept
      x0[d] = Number.isFinite(b0) ? b0 : 0;
    }
    const box = bounded ? boundArrays(bounds, k, d, fitIntercept, featuresStd) : null;
    if (box) for (let i = 0; i < n; i++) x0[i] = Math.min(Math.max(x0[i]!, box.lower[i]!), box.upper[i]!);
    x0 = toCentred(x0, spec);

    const l1 = l1Weights(penalty, fitIntercept);
    const maxIter = this.getMaxIter();
    const result = await minimize(glmObjective(spec), x0, {
      maxIter,
      tol: this.getTol(),
      ...(l1 !== 0 ? { l1 } : {}),
      ...(box ? { lower: box.lower, upper: box.upper } : {}),
      onIteration: (iteration, value) => options.onProgress?.({ stage: this.uid, kind: 'iteration', current: iteration, total: maxIter, message: `objective ${value}` }),
    });
    // a line search that fails twice in a row ends Breeze's iterations too (Spark keeps the state): only maxIter counts as not converged
    const converged = result.reason !== 'max iterations';
    if (!converged) {
      warn(`${api} (${this.uid}): LogisticRegression did not converge within maxIter = ${maxIter} iterations (objective ${result.value}); raise maxIter or tol`, 'KINDLING_LOGISTIC_NOT_CONVERGED');
    }
    const { coef, intercept } = toOriginalSpace(result.x, spec);
    if (multinomial && !bounded) {
      if (penalty.regParam === 0) {
        for (let j = 0; j < d; j++) {
          let s = 0;
          for (let c = 0; c < k; c++) s += coef[c * d + j]!;
          for (let c = 0; c < k; c++) coef[c * d + j] = coef[c * d + j]! - s / k;
        }
      }
      if (fitIntercept) {
        const mean = intercept.reduce((a, b) => a + b, 0) / k;
        for (let c = 0; c < k; c++) intercept[c] = intercept[c]! - mean;
      }
    }
    model.setData({ coef, intercept, numFeatures: d, numClasses, isMultinomial: multinomial });
    return this.withSummary(df, data, model, numClasses, result.objectiveHistory, converged);
  }

  /** The training summary: its metrics from one pass over the packed training blocks, scored as the model's transform scores them. */
  private async withSummary(df: DataFrame, data: Instances, model: LogisticRegressionModel, numClasses: number, history: number[], converged: boolean): Promise<LogisticRegressionModel> {
    model.setParent(this);
    const { model: sm, cols } = model.summaryModel();
    const predictions = sm.transform(df);
    const binary = numClasses <= 2;
    const { state } = sm.scoringOf() as { state: LogisticState };
    const b: LogisticSummaryBroadcast = { family: 'logistic', state, numClasses: sm.numClasses, thresholds: sm.thresholdsFor(this.stageName), binary };
    const stats = await df.session.treeAggregate(logisticSummaryStats, data, b, { depth: this.getAggregationDepth() });
    const multi = new MulticlassMetrics(stats.confusion);
    const summary = binary
      ? BinaryLogisticRegressionTrainingSummary.ofMetrics(predictions, cols, multi, new BinaryClassificationMetrics(stats.scores!, 1000), history, converged)
      : LogisticRegressionTrainingSummary.ofMetrics(predictions, cols, multi, history, converged);
    return model.setSummary(summary);
  }
}
