/**
 * AFTSurvivalRegression (Spark's ml.regression, 3.x: the Weibull accelerated failure time model;
 * the model is aft-survival-regression-model.ts, the executor side aft-survival-regression-tasks.ts).
 *
 * The fit, as Spark's train / trainImpl:
 *   1. the rows are packed once on the executors with their censors (`aftPack`; the first bad
 *      row is named over the whole DataFrame);
 *   2. one statistics pass gives each feature's mean and unbiased std (predictor-tasks.ts
 *      `trainingStats`, unweighted: AFT has no instance weights);
 *   3. Spark's L-BFGS (ts/ml/optim/minimize.ts: Breeze's LBFGS(maxIter, 10, tol)) minimises the
 *      mean AFT loss over parameters [β (features divided by std), intercept, log σ] from zeros —
 *      Spark 3.x's order — each evaluation ONE treeAggregate of `aftLossGrad` over the blocks
 *      (aggregationDepth), with Spark's virtual centring of the features when fitting an
 *      intercept (the intercept of the centred problem is moved back at the end);
 *   4. coefficients β_j / std_j (0 for a constant feature), intercept, scale = exp(log σ).
 * A fit that stops before converging (maxIter, or a line search that failed twice, where Spark
 * also returns the last iterate) emits a KINDLING_AFT_NOT_CONVERGED warning.
 */
import type * as arrow from 'apache-arrow';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { checkFeaturesColumn } from '../data/features.js';
import { checkNumeric } from '../data/schema-checks.js';
import { MLWritable } from '../ml-writable.js';
import { minimize } from '../optim/minimize.js';
import { register } from '../persist.js';
import { featureVariance, prepareLabeled } from '../predictor/predictor.js';
import { trainingStats } from '../predictor/predictor-tasks.js';
import { Estimator, type FitOptions } from '../stage.js';
import { AFTSurvivalRegressionParamsMixin, type AFTSurvivalRegressionParamsOptions } from './aft-survival-regression-params.js';
import { AFTSurvivalRegressionModel, aftOutputSchema, quantilesColOf } from './aft-survival-regression-model.js';
import { aftLossGrad, aftPack, type AftLossBroadcast } from './aft-survival-regression-tasks.js';

export type { AFTSurvivalRegressionParamsOptions };

export class AFTSurvivalRegression extends MLWritable(AFTSurvivalRegressionParamsMixin(Estimator<AFTSurvivalRegressionModel>)) {
  constructor(options?: AFTSurvivalRegressionParamsOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  /** Spark's validateAndTransformSchema (fitting): features a vector, censor and label numeric; the model's output columns. */
  transformSchema(schema: arrow.Schema): arrow.Schema {
    const api = this.stageName;
    checkFeaturesColumn(api, schema, this.getFeaturesCol());
    checkNumeric(api, schema, 'censorCol', this.getCensorCol());
    checkNumeric(api, schema, 'labelCol', this.getLabelCol());
    return aftOutputSchema(api, schema, { predictionCol: this.getPredictionCol(), quantilesCol: quantilesColOf(this), numQuantiles: this.getQuantileProbabilities().length });
  }

  protected async fitImpl(df: DataFrame, options: FitOptions): Promise<AFTSurvivalRegressionModel> {
    const api = this.stageName;
    // features, labels and censors packed on the executors together (`aftPack` wraps packInstances)
    const { data } = await prepareLabeled(api, df, {
      featuresCol: this.getFeaturesCol(),
      labelCol: this.getLabelCol(),
      kind: 'regression',
      emptyMessage: 'a survival fit needs at least one row',
      pack: { task: aftPack, extra: { censorCol: this.getCensorCol() } },
    });
    try {
      const session = df.session;
      const depth = this.getAggregationDepth();
      const d = data.d;
      const stats = await session.treeAggregate(trainingStats, data, { d, numClasses: 0 }, { depth });
      const std = featureVariance(stats).map(Math.sqrt);
      const invStd = std.map((s) => (s !== 0 ? 1 / s : 0));
      const scaledMean = stats.mean.map((m, j) => m * invStd[j]!);
      const fitIntercept = this.getFitIntercept();
      if (!fitIntercept && std.some((s, j) => s === 0 && stats.mean[j] !== 0)) {
        process.emitWarning(
          `${api} (${this.uid}): fitting without an intercept on data with a constant nonzero column; the model has zero coefficients for constant nonzero columns, as Spark's (this differs from R survival::survreg)`,
          { type: 'KindlingWarning', code: 'KINDLING_AFT_CONSTANT_COLUMN' },
        );
      }
      const count = stats.count;
      const maxIter = this.getMaxIter();
      const result = await minimize(
        async (x, grad) => {
          const b: AftLossBroadcast = { coef: x, invStd, scaledMean, fitIntercept };
          const s = await session.treeAggregate(aftLossGrad, data, b, { depth });
          for (let j = 0; j < grad.length; j++) grad[j] = s.grad[j]! / count;
          return s.loss / count;
        },
        new Float64Array(d + 2),
        {
          maxIter,
          tol: this.getTol(),
          onIteration: (iteration, value) => options.onProgress?.({ stage: this.uid, kind: 'iteration', current: iteration, total: maxIter, message: `loss ${value}` }),
        },
      );
      if (!result.converged) {
        process.emitWarning(
          `${api} (${this.uid}): L-BFGS stopped after ${result.iterations} iterations without converging (${result.reason}); the model holds the last iterate, as Spark's`,
          { type: 'KindlingWarning', code: 'KINDLING_AFT_NOT_CONVERGED' },
        );
      }
      const solution = result.x;
      if (fitIntercept) {
        let adapt = 0;
        for (let j = 0; j < d; j++) adapt += solution[j]! * scaledMean[j]!;
        solution[d] = solution[d]! - adapt;
      }
      const coefficients = Float64Array.from({ length: d }, (_, j) => (std[j] !== 0 ? solution[j]! / std[j]! : 0));
      const model = this.copyValues(new AFTSurvivalRegressionModel(undefined, this.uid));
      return model.setState({ coefficients, intercept: solution[d]!, scale: Math.exp(solution[d + 1]!) }).setParent(this);
    } finally {
      data.release();
    }
  }
}

register('org.apache.spark.ml.regression.AFTSurvivalRegression', AFTSurvivalRegression);
