/**
 * Spark's ml.evaluation evaluators (docs/formats/SPARK_DEFINITIONS.md §4–8), each with its metrics class,
 * and beside it (`*-tasks.ts`) the partition summaries it runs on the executors.
 */
export { BinaryClassificationEvaluator, BinaryClassificationMetrics, areaUnderCurve, type BinaryClassificationEvaluatorOptions, type BinaryMetricName } from './binary-classification.js';
export { binaryScoreSummary, binaryScoreStats, type BinaryScorePartition, type BinaryScoreStats } from './binary-classification-tasks.js';
export {
  MulticlassClassificationEvaluator, MulticlassMetrics, MULTICLASS_METRICS, type MulticlassClassificationEvaluatorOptions, type MulticlassMetricName,
} from './multiclass-classification.js';
export { confusionSummary, confusionStats, type ConfusionPartition, type ConfusionStats } from './multiclass-classification-tasks.js';
export {
  MultilabelClassificationEvaluator, MultilabelMetrics, MULTILABEL_METRICS, type MultilabelClassificationEvaluatorOptions, type MultilabelMetricName,
} from './multilabel-classification.js';
export { multilabelSummary, multilabelStats, multisetIntersect, multisetDiff, type MultilabelStats, type LabelSetsPartition } from './multilabel-classification-tasks.js';
export { RegressionEvaluator, RegressionMetrics, REGRESSION_METRICS, type RegressionEvaluatorOptions, type RegressionMetricName } from './regression.js';
export { regressionSummary, regressionStats, type RegressionPartition, type RegressionStats } from './regression-tasks.js';
export { RankingEvaluator, RANKING_METRICS, type RankingEvaluatorOptions, type RankingMetricName } from './ranking.js';
export { RankingMetrics, rankingSummary, rankingStats, type RankingPartition, type RankingStats, type RankingBroadcast } from './ranking-tasks.js';
export { ClusteringEvaluator, type ClusteringEvaluatorOptions, type SilhouetteDistance } from './clustering.js';
export {
  clusterStatsSummary, clusterStats, silhouetteSummary, silhouetteStats, pointSilhouette,
  type ClusterPartition, type ClusterStats, type SilhouetteStats, type SilhouetteBroadcast,
} from './clustering-tasks.js';
