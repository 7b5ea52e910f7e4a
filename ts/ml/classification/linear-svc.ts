/**
 * LinearSVC (Spark's ml.classification.LinearSVC): a linear support vector machine for two
 * classes, fitted on the hinge loss with an L2 penalty (the model and its summaries are
 * linear-svc-model.ts). The objective is logistic-regression-objective.ts's with
 * the `hinge` loss (Spark's HingeBlockAggregator: max(0, 1 − (2y − 1)·m)), one class of
 * coefficients, the standardised space and — with fitIntercept — the intercept fitted against
 * centred features, starting from 0, as Spark 3.x. Spark minimises it with Breeze's OWL-QN whose
 * L1 weights are all 0 (so its backtracking line search, not L-BFGS's strong-Wolfe one): a
 * Float64Array of zero weights asks ml/optim/minimize.ts for the same algorithm. The hinge is not smooth: the search may stop near the
 * optimum without meeting tol; only reaching maxIter counts as not converged (a KindlingWarning,
 * code KINDLING_LINEARSVC_NOT_CONVERGED, and summary.converged false).
 * Labels must be 0 or 1 and there must be exactly 2 classes (Spark's message).
 */
import type * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { MLWritable } from '../ml-writable.js';
import { minimize } from '../optim/minimize.js';
import { Estimator, type FitOptions } from '../stage.js';
import { checkPredictorSchema, featureVariance, prepareLabeled } from '../predictor/predictor.js';
import { register } from '../persist.js';
import { LinearSVCParamsMixin, type LinearSVCParamsOptions } from './linear-svc-params.js';
import { LinearSVCModel, LinearSVCTrainingSummary } from './linear-svc-model.js';
import { glmObjective, toOriginalSpace, type GlmObjectiveSpec } from './logistic-regression-objective.js';
import { warn } from './logistic-regression.js';
import { logisticSummaryStats, type LogisticSummaryBroadcast } from './logistic-regression-tasks.js';
import { BinaryClassificationMetrics } from '../evaluation/binary-classification.js';
import { MulticlassMetrics } from '../evaluation/multiclass-classification.js';

export type LinearSVCOptions = LinearSVCParamsOptions;

export class LinearSVC extends MLWritable(LinearSVCParamsMixin(Estimator<LinearSVCModel>)) {
  constructor(options?: LinearSVCOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    checkPredictorSchema(this.stageName, schema, { featuresCol: this.getFeaturesCol(), labelCol: this.getLabelCol(), weightCol: this.getWeightCol() });
    return this.copyValues(new LinearSVCModel(undefined, this.uid)).transformSchema(schema);
  }

  protected async fitImpl(df: DataFrame, options: FitOptions): Promise<LinearSVCModel> {
    const api = this.stageName;
    const { data, numClasses, stats } = await prepareLabeled(api, df, { featuresCol: this.getFeaturesCol(), labelCol: this.getLabelCol(), weightCol: this.getWeightCol(), kind: 'classification', stats: true });
    try {
      if (numClasses !== 2) throw Errors.schema(`${api}: LinearSVC only supports binary classification. ${numClasses} classes detected in ${this.getLabelCol()}`);
      const d = data.d;
      const fitIntercept = this.getFitIntercept();
      const featuresStd = featureVariance(stats!).map(Math.sqrt);
      const spec: GlmObjectiveSpec = {
        data,
        kind: 'hinge',
        k: 1,
        fitIntercept,
        fitWithMean: fitIntercept,
        featuresMean: stats!.mean,
        featuresStd,
        penalty: { regParam: this.getRegParam(), elasticNetParam: 0, standardization: this.getStandardization(), featuresStd, k: 1 },
        aggregationDepth: this.getAggregationDepth(),
      };
      const maxIter = this.getMaxIter();
      const result = await minimize(glmObjective(spec), new Float64Array(d + (fitIntercept ? 1 : 0)), {
        maxIter,
        tol: this.getTol(),
        l1: new Float64Array(d + (fitIntercept ? 1 : 0)),
        onIteration: (iteration, value) => options.onProgress?.({ stage: this.uid, kind: 'iteration', current: iteration, total: maxIter, message: `objective ${value}` }),
      });
      const converged = result.reason !== 'max iterations';
      if (!converged) warn(`${api} (${this.uid}): LinearSVC did not converge within maxIter = ${maxIter} iterations (objective ${result.value}); raise maxIter or tol`, 'KINDLING_LINEARSVC_NOT_CONVERGED');
      const { coef, intercept } = toOriginalSpace(result.x, spec);
      const model = this.copyValues(new LinearSVCModel(undefined, this.uid)).setData(coef, intercept[0]!);
      model.setParent(this);
      // the training summary's metrics: one pass over the packed blocks (logistic-regression-tasks.ts logisticSummaryStats)
      const { model: sm, scoreCol, cols } = model.summaryModel();
      const b: LogisticSummaryBroadcast = { family: 'linearSVC', state: sm.scoringOf().state, numClasses: 2, thresholds: null, binary: true };
      const ss = await df.session.treeAggregate(logisticSummaryStats, data, b, { depth: this.getAggregationDepth() });
      const summary = new LinearSVCTrainingSummary(sm.transform(df), scoreCol, cols, new MulticlassMetrics(ss.confusion), new BinaryClassificationMetrics(ss.scores!, 1000), result.objectiveHistory, converged);
      return model.setSummary(summary);
    } finally {
      data.release();
    }
  }
}

register('org.apache.spark.ml.classification.LinearSVC', LinearSVC);
