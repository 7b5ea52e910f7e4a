/**
 * RegressionEvaluator and RegressionMetrics, as Spark (SPARK_DEFINITIONS.md §7), from one
 * partition summary of weighted sums (`regressionSummary`, merged with Chan's formulas):
 *   mse = Σw(p−y)²/Σw, rmse = √mse, mae = Σw|p−y|/Σw,
 *   var (explained variance) = Σw(p−ȳ)²/Σw,
 *   r2 = 1 − SSerr/SStot, or 1 − SSerr/Σw·y² with throughOrigin.
 * SStot = Σw(y−ȳ)² with ȳ the weighted mean: the definition kindling follows
 * (SPARK_DEFINITIONS.md §7) and scikit-learn's weighted r2_score. Spark's RegressionMetrics code
 * computes variance(y)·(Σw − 1) from its summarizer, which is the same number when every weight
 * is 1 and differs by the factor (Σw − 1)/(Σw − Σw²/Σw) otherwise.
 * Rows of weight 0 are skipped (as Spark's summarizer). NaN predictions or labels give NaN.
 * No rows (or all weights 0) fail, as Spark's summarizer ("Nothing has been added").
 */
import { Errors } from '../../src/errors.js';
import type { AnyData } from '../../src/dataframe/batch.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import type { Summary } from '../../src/exec/task.js';
import { Evaluator } from '../stage.js';
import { MLWritable } from '../ml-writable.js';
import { RegressionEvaluatorParamsMixin, type RegressionEvaluatorParamsOptions } from './evaluator-params.js';
import { checkNumeric, foldPartitions, partitionsWithOffsets, readDoubles, readWeights, weightColumnOf } from './common.js';
import { register } from '../persist.js';
import { REGRESSION_METRICS } from './evaluator-params.table.js';

export { REGRESSION_METRICS };
export type RegressionMetricName = (typeof REGRESSION_METRICS)[number];

export interface RegressionPartition {
  prediction: Float64Array;
  label: Float64Array;
  weight: Float64Array | null;
}

/** Weighted sums over (prediction, label) rows; means and M2 merge with Chan's formulas. */
export interface RegressionStats {
  /** Σw and Σw². */
  weightSum: number;
  weightSqSum: number;
  rows: number;
  /** Weighted mean and M2 = Σw(y−ȳ)² of the label. */
  meanY: number;
  m2Y: number;
  /** Weighted mean of the prediction. */
  meanP: number;
  /** Σw(y−p)², Σw|y−p|, Σw·y², Σw·p². */
  sqErr: number;
  absErr: number;
  sqY: number;
  sqP: number;
}

export const regressionSummary: Summary<RegressionStats, RegressionPartition, null> = {
  zero: () => ({ weightSum: 0, weightSqSum: 0, rows: 0, meanY: 0, m2Y: 0, meanP: 0, sqErr: 0, absErr: 0, sqY: 0, sqP: 0 }),
  add(s, part) {
    const { prediction: p, label: y, weight } = part;
    for (let i = 0; i < y.length; i++) {
      const w = weight ? weight[i]! : 1;
      if (w === 0) continue;
      const yi = y[i]!;
      const pi = p[i]!;
      const W = s.weightSum + w;
      const dy = yi - s.meanY;
      s.meanY += (w * dy) / W;
      s.m2Y += w * dy * (yi - s.meanY);
      s.meanP += (w * (pi - s.meanP)) / W;
      s.weightSum = W;
      s.weightSqSum += w * w;
      s.rows++;
      const e = yi - pi;
      s.sqErr += w * e * e;
      s.absErr += w * Math.abs(e);
      s.sqY += w * yi * yi;
      s.sqP += w * pi * pi;
    }
    return s;
  },
  merge(a, b) {
    if (b.weightSum === 0) return a;
    if (a.weightSum === 0) return b;
    const W = a.weightSum + b.weightSum;
    const dy = b.meanY - a.meanY;
    return {
      weightSum: W,
      weightSqSum: a.weightSqSum + b.weightSqSum,
      rows: a.rows + b.rows,
      meanY: a.meanY + (dy * b.weightSum) / W,
      m2Y: a.m2Y + b.m2Y + (dy * dy * a.weightSum * b.weightSum) / W,
      meanP: a.meanP + ((b.meanP - a.meanP) * b.weightSum) / W,
      sqErr: a.sqErr + b.sqErr,
      absErr: a.absErr + b.absErr,
      sqY: a.sqY + b.sqY,
      sqP: a.sqP + b.sqP,
    };
  },
};

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
    const predName = this.getPredictionCol();
    const labelName = this.getLabelCol();
    const predIdx = checkNumeric(api, schema, 'predictionCol', predName);
    const labelIdx = checkNumeric(api, schema, 'labelCol', labelName);
    const weightName = weightColumnOf(this.getWeightCol());
    const weightIdx = weightName === null ? -1 : checkNumeric(api, schema, 'weightCol', weightName);
    const parts = (await partitionsWithOffsets(df)).map(({ batch, rowBase }) => ({
      prediction: readDoubles(api, batch.data.children[predIdx]! as AnyData, predName, rowBase),
      label: readDoubles(api, batch.data.children[labelIdx]! as AnyData, labelName, rowBase),
      weight: weightIdx >= 0 ? readWeights(api, batch.data.children[weightIdx]! as AnyData, weightName!, rowBase) : null,
    }));
    const stats = foldPartitions(regressionSummary, parts, null);
    if (stats.weightSum === 0) {
      throw Errors.schema(`${api}: ${stats.rows === 0 && parts.every((p) => p.label.length === 0) ? 'the DataFrame is empty' : 'every row has weight 0'}; there is nothing to evaluate (Spark: Nothing has been added to this summarizer)`);
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
