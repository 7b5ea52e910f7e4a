/**
 * RegressionEvaluator and RegressionMetrics, as Spark (docs/formats/SPARK_DEFINITIONS.md §7), from one
 * partition summary of weighted sums folded on the executors (regression-tasks.ts):
 *   mse = Σw(p−y)²/Σw, rmse = √mse, mae = Σw|p−y|/Σw,
 *   var (explained variance) = Σw(p−ȳ)²/Σw,
 *   r2 = 1 − SSerr/SStot, or 1 − SSerr/Σw·y² with throughOrigin.
 * SStot = Σw(y−ȳ)² with ȳ the weighted mean: the definition kindling follows
 * (docs/formats/SPARK_DEFINITIONS.md §7) and scikit-learn's weighted r2_score. Spark's RegressionMetrics code
 * computes variance(y)·(Σw − 1) from its summarizer, which is the same number when every weight
 * is 1 and differs by the factor (Σw − 1)/(Σw − Σw²/Σw) otherwise.
 * Rows of weight 0 are skipped (as Spark's summarizer). A NaN or ±Infinity prediction or label
 * fails, naming the row (Spark returns NaN).
 * No rows (or all weights 0) fail, as Spark's summarizer ("Nothing has been added").
 */
import { Errors } from '../../src/errors.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { Evaluator } from '../stage.js';
import { MLWritable } from '../ml-writable.js';
import { RegressionEvaluatorParamsMixin, type RegressionEvaluatorParamsOptions } from './evaluator-params.js';
import { aggregateRows } from '../data/checked-summary.js';
import { checkNumeric, checkWeightCol } from '../data/schema-checks.js';
import { regressionStats, type RegressionStats } from './regression-tasks.js';
import { register } from '../persist.js';
import { REGRESSION_METRICS } from './evaluator-params.table.js';

export { REGRESSION_METRICS };
export type RegressionMetricName = (typeof REGRESSION_METRICS)[number];

/** Spark's mllib RegressionMetrics over merged sums. */
export class RegressionMetrics {
  constructor(
    private readonly s: RegressionStats,
    readonly throughOrigin = false,
  ) {
    if (s.weightSum === 0) throw Errors.schema('RegressionMetrics: no rows with a positive weight to evaluate (Spark: Nothing has been added to this summarizer)');
  }

  get meanSquaredError(): number {
    return this.s.sqErr / this.s.weightSum;
  }

  get rootMeanSquaredError(): number {
    return Math.sqrt(this.meanSquaredError);
  }

  get meanAbsoluteError(): number {
    return this.s.absErr / this.s.weightSum;
  }

  /** Σw(p−ȳ)²/Σw, computed as Spark: (Σw·p² + ȳ²·Σw − 2·ȳ·p̄·Σw)/Σw. */
  get explainedVariance(): number {
    const { sqP, meanY, meanP, weightSum: W } = this.s;
    return (sqP + meanY * meanY * W - 2 * meanY * meanP * W) / W;
  }

  /** SStot = Σw(y − ȳ)² (the weighted M2 of the labels). */
  private get ssTot(): number {
    return Math.max(this.s.m2Y, 0);
  }

  get r2(): number {
    return this.throughOrigin ? 1 - this.s.sqErr / this.s.sqY : 1 - this.s.sqErr / this.ssTot;
  }

  get count(): number {
    return this.s.rows;
  }
}

export type RegressionEvaluatorOptions = RegressionEvaluatorParamsOptions;

/** Persisted as Spark's DefaultParamsWriter does (metadata only). */
export class RegressionEvaluator extends MLWritable(RegressionEvaluatorParamsMixin(Evaluator)) {
  constructor(options?: RegressionEvaluatorOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  /** Only r2 and var grow with quality. */
  override isLargerBetter(): boolean {
    const m = this.getMetricName();
    return m === 'r2' || m === 'var';
  }

  async getMetrics(df: DataFrame): Promise<RegressionMetrics> {
    const api = this.stageName;
    const schema = df.schema;
    const predictionCol = this.getPredictionCol();
    const labelCol = this.getLabelCol();
    checkNumeric(api, schema, 'predictionCol', predictionCol);
    checkNumeric(api, schema, 'labelCol', labelCol);
    const weightCol = checkWeightCol(api, schema, this.getWeightCol());
    const cols = { predictionCol, labelCol, weightCol };
    const { value: stats, rows } = await aggregateRows(api, df, regressionStats, [predictionCol, labelCol, weightCol], cols);
    if (stats.weightSum === 0) {
      throw Errors.schema(`${api}: ${rows === 0 ? 'the DataFrame is empty' : 'every row has weight 0'}; there is nothing to evaluate (Spark: Nothing has been added to this summarizer)`);
    }
    return new RegressionMetrics(stats, this.getThroughOrigin());
  }

  protected async evaluateImpl(df: DataFrame): Promise<number> {
    const m = await this.getMetrics(df);
    switch (this.getMetricName()) {
      case 'rmse': return m.rootMeanSquaredError;
      case 'mse': return m.meanSquaredError;
      case 'r2': return m.r2;
      case 'mae': return m.meanAbsoluteError;
      case 'var': return m.explainedVariance;
    }
  }

  override toString(): string {
    return `RegressionEvaluator: uid=${this.uid}, metricName=${this.getMetricName()}, throughOrigin=${this.getThroughOrigin()}`;
  }
}

register('org.apache.spark.ml.evaluation.RegressionEvaluator', RegressionEvaluator);
