/**
 * Spark's LinearRegressionSummary and LinearRegressionTrainingSummary. Spark computes each field
 * lazily from the predictions DataFrame; kindling runs the two passes once when the summary is
 * made (`linearRegressionSummary`): RegressionMetrics of (prediction, label, weight) — through
 * the origin without an intercept, as Spark — with the row count, and the min/max of the
 * weighted residuals (devianceResiduals). Then, as Spark's:
 *   r2adj = 1 − (1 − r2)(n − i)/(n − p − i), i = 1 with an intercept;
 *   degreesOfFreedom = n − p − i;
 *   coefficientStandardErrors = √(diagInvAtWA · RSS / degreesOfFreedom), RSS = Σw(y − ŷ)²
 *   (normal solver only: the diagonal of (AᵀWA)⁻¹ from WeightedLeastSquares);
 *   tValues = estimate / standard error (coefficients, then the intercept);
 *   pValues = 2(1 − T_dof(|t|)) (ts/ml/stat/distributions.ts).
 */
import { inspect } from 'node:util';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { functions as F } from '../../src/dataframe/column.js';
import { KindlingError } from '../../src/errors.js';
import { RegressionEvaluator, type RegressionMetrics } from '../evaluation/regression.js';
import { tPValue } from '../stat/distributions.js';

export interface LinearSummaryModel {
  readonly coefficientsArray: Float64Array;
  readonly interceptValue: number;
  readonly fitIntercept: boolean;
  readonly weightCol: string | null;
}

function unavailable(what: string): KindlingError {
  return new KindlingError('ERR_KINDLING_UNSUPPORTED', `LinearRegressionSummary: No ${what} available for this LinearRegressionModel (only the normal solver, or 'auto' choosing it, gives the inverse of AᵀWA; Spark: UnsupportedOperationException)`);
}

export class LinearRegressionSummary {
  constructor(
    /** The DataFrame with the model's predictions. */
    readonly predictions: DataFrame,
    readonly predictionCol: string,
    readonly labelCol: string,
    readonly featuresCol: string,
    private readonly model: LinearSummaryModel,
    private readonly metrics: RegressionMetrics,
    /** Rows of the predictions DataFrame. */
    readonly numInstances: number,
    /** The weighted residuals' min and max (Spark's devianceResiduals). */
    readonly devianceResiduals: number[],
    private readonly diagInvAtWA: Float64Array,
  ) {}

  /** Σw(ŷ − ȳ)²/Σw (Spark's explained variance). */
  get explainedVariance(): number {
    return this.metrics.explainedVariance;
  }

  get meanAbsoluteError(): number {
    return this.metrics.meanAbsoluteError;
  }

  get meanSquaredError(): number {
    return this.metrics.meanSquaredError;
  }

  get rootMeanSquaredError(): number {
    return this.metrics.rootMeanSquaredError;
  }

  /** R² (through the origin without an intercept, as Spark). */
  get r2(): number {
    return this.metrics.r2;
  }

  /** Adjusted R². */
  get r2adj(): number {
    const i = this.model.fitIntercept ? 1 : 0;
    const n = this.numInstances;
    return 1 - ((1 - this.r2) * (n - i)) / (n - this.model.coefficientsArray.length - i);
  }

  /** label − prediction, in a column named residuals. */
  get residuals(): DataFrame {
    return this.predictions.select(F.col(this.labelCol).minus(F.col(this.predictionCol)).alias('residuals'));
  }

  get degreesOfFreedom(): number {
    return this.numInstances - this.model.coefficientsArray.length - (this.model.fitIntercept ? 1 : 0);
  }

  private get hasInverse(): boolean {
    return !(this.diagInvAtWA.length === 1 && this.diagInvAtWA[0] === 0);
  }

  /** Standard errors of the coefficients (then of the intercept); normal solver only. */
  get coefficientStandardErrors(): number[] {
    if (!this.hasInverse) throw unavailable('Std. Error of coefficients');
    const rss = this.metrics.meanSquaredError * this.metricsWeightSum;
    const sigma2 = rss / this.degreesOfFreedom;
    return Array.from(this.diagInvAtWA, (v) => Math.sqrt(v * sigma2));
  }

  private get metricsWeightSum(): number {
    return (this.metrics as unknown as { s: { weightSum: number } }).s.weightSum;
  }

  /** t statistics of the coefficients (then of the intercept); normal solver only. */
  get tValues(): number[] {
    if (!this.hasInverse) throw unavailable('t-statistic');
    const se = this.coefficientStandardErrors;
    const est = [...this.model.coefficientsArray, ...(this.model.fitIntercept ? [this.model.interceptValue] : [])];
    return est.map((e, i) => e / se[i]!);
  }

  /** Two-sided p-values of the t statistics (Student's t with degreesOfFreedom); normal solver only. */
  get pValues(): number[] {
    if (!this.hasInverse) throw unavailable('p-value');
    const dof = this.degreesOfFreedom;
    return this.tValues.map((t) => tPValue(t, dof));
  }

  [inspect.custom](): string {
    return `${this.constructor.name}(numInstances=${this.numInstances}, r2=${this.r2}, rootMeanSquaredError=${this.rootMeanSquaredError})`;
  }
}

/** Spark's LinearRegressionTrainingSummary: a summary of the training DataFrame and the optimiser's history. */
export class LinearRegressionTrainingSummary extends LinearRegressionSummary {
  /** The objective at each iteration (the initial value first); [0] for the normal solver. */
  objectiveHistory: number[] = [0];
  /** kindling: false when the optimiser stopped at maxIter (or its line search failed) before converging. */
  converged = true;

  /** Iterations run (objectiveHistory.length − 1). */
  get totalIterations(): number {
    return this.objectiveHistory.length - 1;
  }
}

/** The two passes over `predictions` and a summary of them (the module comment). */
export async function linearRegressionSummary(
  predictions: DataFrame,
  cols: { predictionCol: string; labelCol: string; featuresCol: string },
  model: LinearSummaryModel,
  diagInvAtWA: Float64Array,
  training: { objectiveHistory: number[]; converged: boolean } | null,
): Promise<LinearRegressionSummary> {
  const evaluator = new RegressionEvaluator({ predictionCol: cols.predictionCol, labelCol: cols.labelCol, throughOrigin: !model.fitIntercept });
  if (model.weightCol !== null) evaluator.setWeightCol(model.weightCol);
  const metrics = await evaluator.getMetrics(predictions);
  const w = model.weightCol !== null ? F.sqrt(F.col(model.weightCol)) : F.lit(1);
  const res = F.col(cols.labelCol).minus(F.col(cols.predictionCol)).multiply(w);
  const row = (await predictions.agg(F.min(res).alias('min'), F.max(res).alias('max'), F.count(F.lit(1)).alias('n')).first())!;
  const args = [predictions, cols.predictionCol, cols.labelCol, cols.featuresCol, model, metrics, Number(row.n), [Number(row.min), Number(row.max)] as number[], diagInvAtWA] as const;
  if (training === null) return new LinearRegressionSummary(...args);
  const s = new LinearRegressionTrainingSummary(...args);
  s.objectiveHistory = training.objectiveHistory;
  s.converged = training.converged;
  return s;
}
