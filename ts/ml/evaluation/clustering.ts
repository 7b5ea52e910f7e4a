/**
 * ClusteringEvaluator: the silhouette as Spark computes it (docs/formats/SPARK_DEFINITIONS.md §4), in
 * O(N·k·d) from per-cluster sums, in two partition summaries run one after the other on the
 * executors (clustering-tasks.ts):
 *   1. `clusterStatsSummary`: per cluster id, Σw·x and Σw (and Σw·‖x‖² for squaredEuclidean;
 *      for cosine the sums are of x/‖x‖);
 *   2. `silhouetteSummary` (the cluster sums broadcast): per point, the mean distance to each
 *      cluster from those sums —
 *        squaredEuclidean: ‖x‖² + Σw‖c‖²/W − 2·x·Σw·c/W   (SQUARED Euclidean distances:
 *                          not scikit-learn's Euclidean silhouette),
 *        cosine:           1 − (x/‖x‖)·Σw·(c/‖c‖)/W       (distance 1 − cos, as scikit-learn);
 *      a = the own-cluster mean rescaled by W/(W − w) to leave the point out, b = the smallest
 *      mean over the other clusters, s = 1 − a/b (a < b), b/a − 1 (a > b), 0 (equal), and 0 for a
 *      point alone in its cluster; the score is Σw·s / Σw.
 * featuresCol is a vector column (dense or VectorUDT struct, one size) or an array of numbers;
 * predictionCol is numeric (cluster ids are compared as doubles). Fewer than two clusters
 * (including an empty DataFrame) fail, as Spark's assertion. Unlike Spark, which lets NaN
 * features (or a zero vector with cosine) make the means that involve them NaN and the points
 * near them score a silent 0, a NaN or ±Infinity feature, a squared norm that overflows, a
 * zero vector under cosine and a NaN or ±Infinity cluster id fail, naming the row (issue 10).
 */
import { Errors } from '../../src/errors.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { Evaluator } from '../stage.js';
import { MLWritable } from '../ml-writable.js';
import type { ParamValue } from '../param/params.js';
import { ClusteringEvaluatorParamsMixin, type ClusteringEvaluatorParams, type ClusteringEvaluatorParamsOptions } from './evaluator-params.js';
import { aggregateRows } from '../data/checked-summary.js';
import { checkFeaturesColumn } from '../data/features.js';
import { checkNumeric, checkWeightCol } from '../data/schema-checks.js';
import { clusterStats, pointSizeMismatch, silhouetteStats, type ClusterColumns } from './clustering-tasks.js';
import { register } from '../persist.js';

export type SilhouetteDistance = ParamValue<ClusteringEvaluatorParams['distanceMeasure']>;

export type ClusteringEvaluatorOptions = ClusteringEvaluatorParamsOptions;

/** Persisted as Spark's DefaultParamsWriter does (metadata only). */
export class ClusteringEvaluator extends MLWritable(ClusteringEvaluatorParamsMixin(Evaluator)) {
  constructor(options?: ClusteringEvaluatorOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  override isLargerBetter(): boolean {
    return true;
  }

  protected async evaluateImpl(df: DataFrame): Promise<number> {
    const api = this.stageName;
    const schema = df.schema;
    const featName = this.getFeaturesCol();
    const { isArray } = checkFeaturesColumn(api, schema, featName);
    const predictionCol = this.getPredictionCol();
    checkNumeric(api, schema, 'predictionCol', predictionCol);
    const weightCol = checkWeightCol(api, schema, this.getWeightCol());
    const cols: ClusterColumns = { featuresCol: featName, isArray, predictionCol, weightCol, measure: this.getDistanceMeasure() };
    const names = [featName, predictionCol, weightCol];
    const { value: clusters } = await aggregateRows(api, df, clusterStats, names, cols, pointSizeMismatch(featName, isArray));
    if (clusters.ids.length < 2) {
      throw Errors.schema(`${api}: Number of clusters must be greater than one (the silhouette needs at least two clusters; found ${clusters.ids.length})`);
    }
    const { value: s } = await aggregateRows(api, df, silhouetteStats, names, { ...cols, clusters });
    return s.scoreSum / s.weightSum;
  }

  override toString(): string {
    return `ClusteringEvaluator: uid=${this.uid}, metricName=${this.getMetricName()}, distanceMeasure=${this.getDistanceMeasure()}`;
  }
}

register('org.apache.spark.ml.evaluation.ClusteringEvaluator', ClusteringEvaluator);
