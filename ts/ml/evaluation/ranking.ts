/**
 * RankingEvaluator, as Spark's mllib RankingMetrics (docs/formats/SPARK_DEFINITIONS.md §8): per query (a predicted ranking and a set of relevant labels), then the mean over all
 * queries; a query with no relevant labels contributes 0 and still counts.
 *   precision@k = hits in the top k / k;  recall@k = hits in the top k / |labels|;
 *   AP = Σ over hits at rank i of (hits so far / i), divided by |labels| (MAP takes
 *   k = max(|prediction|, |labels|)); AP@k restricts to the top k and divides by min(|labels|, k);
 *   NDCG@k with binary gains 1/log(rank + 1), the ideal DCG over min(|labels|, k) positions.
 * The per-query metrics (RankingMetrics) and their sums are a partition summary folded on the
 * executors (ranking-tasks.ts). No
 * queries give NaN (the mean of nothing, as Spark's RDD.mean()). A NaN or ±Infinity element of
 * a prediction or label array fails, naming the row.
 */
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { Evaluator } from '../stage.js';
import { MLWritable } from '../ml-writable.js';
import { RankingEvaluatorParamsMixin, type RankingEvaluatorParamsOptions } from './evaluator-params.js';
import { aggregateRows } from '../data/checked-summary.js';
import { checkNumericArray } from '../data/schema-checks.js';
import { rankingStats } from './ranking-tasks.js';
import { register } from '../persist.js';
import { RANKING_METRICS } from './evaluator-params.table.js';

export { RANKING_METRICS };
export type RankingMetricName = (typeof RANKING_METRICS)[number];

export type RankingEvaluatorOptions = RankingEvaluatorParamsOptions;

/** Persisted as Spark's DefaultParamsWriter does (metadata only). */
export class RankingEvaluator extends MLWritable(RankingEvaluatorParamsMixin(Evaluator)) {
  constructor(options?: RankingEvaluatorOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

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
