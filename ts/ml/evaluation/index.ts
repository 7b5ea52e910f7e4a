/**
 * Spark's ml.evaluation evaluators (SPARK_DEFINITIONS.md §4–8), each with its metrics class
 * and the partition summaries it folds.
 */
export {
  BinaryClassificationEvaluator, BinaryClassificationMetrics, binaryScoreSummary, areaUnderCurve,
  type BinaryClassificationEvaluatorOptions, type BinaryMetricName, type BinaryScorePartition, type BinaryScoreStats,
} from './binary-classification.js';
export {
  MulticlassClassificationEvaluator, MulticlassMetrics, confusionSummary, MULTICLASS_METRICS,
  type MulticlassClassificationEvaluatorOptions, type MulticlassMetricName, type ConfusionPartition, type ConfusionStats,
} from './multiclass-classification.js';
export {
  MultilabelClassificationEvaluator, MultilabelMetrics, multilabelSummary, multisetIntersect, multisetDiff, MULTILABEL_METRICS,
  type MultilabelClassificationEvaluatorOptions, type MultilabelMetricName, type MultilabelStats, type LabelSetsPartition,
} from './multilabel-classification.js';
export {
  RegressionEvaluator, RegressionMetrics, regressionSummary, REGRESSION_METRICS,
  type RegressionEvaluatorOptions, type RegressionMetricName, type RegressionPartition, type RegressionStats,
} from './regression.js';
export {
  RankingEvaluator, RankingMetrics, rankingSummary, RANKING_METRICS,
  type RankingEvaluatorOptions, type RankingMetricName, type RankingPartition, type RankingStats, type RankingBroadcast,
} from './ranking.js';
export {
  ClusteringEvaluator, clusterStatsSummary, silhouetteSummary, pointSilhouette,
  type ClusteringEvaluatorOptions, type SilhouetteDistance, type ClusterPartition, type ClusterStats, type SilhouetteStats, type SilhouetteBroadcast,
} from './clustering.js';
export { foldPartitions } from './common.js';
