/**
 * RankingEvaluator, as Spark's mllib RankingMetrics (SPARK_DEFINITIONS.md §8): per query (a predicted ranking and a set of relevant labels), then the mean over all
 * queries; a query with no relevant labels contributes 0 and still counts.
 *   precision@k = hits in the top k / k;  recall@k = hits in the top k / |labels|;
 *   AP = Σ over hits at rank i of (hits so far / i), divided by |labels| (MAP takes
 *   k = max(|prediction|, |labels|)); AP@k restricts to the top k and divides by min(|labels|, k);
 *   NDCG@k with binary gains 1/log(rank + 1), the ideal DCG over min(|labels|, k) positions.
 * The per-query metrics (RankingMetrics) and their sums are a partition summary folded on the
 * executors (ranking-tasks.ts). No
 * queries give NaN (the mean of nothing, as Spark's RDD.mean()).
 */
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { ParamValidators as V } from '../param/params.js';
import { shared } from '../param/shared.js';
import { Evaluator } from '../stage.js';
import { aggregateRows, checkNumericArray } from './common.js';
import { rankingStats } from './ranking-tasks.js';
import { MLWriter, loadAs, register } from '../persist.js';

export const RANKING_METRICS = ['meanAveragePrecision', 'meanAveragePrecisionAtK', 'precisionAtK', 'ndcgAtK', 'recallAtK'] as const;
export type RankingMetricName = (typeof RANKING_METRICS)[number];

export interface RankingEvaluatorOptions {
  predictionCol?: string;
  labelCol?: string;
  metricName?: RankingMetricName;
  k?: number;
}

export class RankingEvaluator extends Evaluator {
  /** Spark ML persistence (metadata only, as Spark's DefaultParamsWriter). */
  write(): MLWriter {
    return new MLWriter(this);
  }

  save(path: string): Promise<void> {
    return this.write().save(path);
  }

  static load(path: string): Promise<RankingEvaluator> {
    return loadAs(RankingEvaluator, path);
  }

  readonly predictionCol = shared.predictionCol(this);
  readonly labelCol = shared.labelCol(this);
  readonly metricName = shared.metricName(this, `metric name in evaluation (${RANKING_METRICS.join('|')})`, RANKING_METRICS, 'meanAveragePrecision');
  readonly k = this.param<number>('k', 'The ranking position value used in (meanAveragePrecisionAtK|precisionAtK|ndcgAtK|recallAtK). Must be > 0. The default value is 10.', {
    default: 10,
    validate: V.intGt(0),
  });

  constructor(options?: RankingEvaluatorOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  getMetricName(): RankingMetricName { return this.getOrDefault(this.metricName) as RankingMetricName; }
  setMetricName(value: RankingMetricName): this { return this.set(this.metricName, value); }
  getK(): number { return this.getOrDefault(this.k); }
  setK(value: number): this { return this.set(this.k, value); }
  getPredictionCol(): string { return this.getOrDefault(this.predictionCol); }
  setPredictionCol(value: string): this { return this.set(this.predictionCol, value); }
  getLabelCol(): string { return this.getOrDefault(this.labelCol); }
  setLabelCol(value: string): this { return this.set(this.labelCol, value); }

  override isLargerBetter(): boolean {
    return true;
  }

  protected async evaluateImpl(df: DataFrame): Promise<number> {
    const api = this.stageName;
    const schema = df.schema;
    const predictionCol = this.getPredictionCol();
    const labelCol = this.getLabelCol();
    checkNumericArray(api, schema, 'predictionCol', predictionCol);
    checkNumericArray(api, schema, 'labelCol', labelCol);
    const cols = { predictionCol, labelCol, metricName: this.getMetricName(), k: this.getK() };
    const { value } = await aggregateRows(api, df, rankingStats, [predictionCol, labelCol], cols);
    return value.sum / value.count;
  }

  override toString(): string {
    return `RankingEvaluator: uid=${this.uid}, metricName=${this.getMetricName()}, k=${this.getK()}`;
  }
}

register('org.apache.spark.ml.evaluation.RankingEvaluator', RankingEvaluator);
