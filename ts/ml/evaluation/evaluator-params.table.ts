/**
 * The param tables of the evaluators (Spark's ml.evaluation), each with its own closed list of
 * metric names; evaluator-params.ts is generated from them.
 */
import { ParamValidators as V } from '../param/params.js';
import { SharedParams } from '../param/shared-params.table.js';
import { param, paramFamily } from '../param/spec.js';

const S = SharedParams.params;

export const BINARY_METRICS = ['areaUnderROC', 'areaUnderPR'] as const;
export const MULTICLASS_METRICS = [
  'f1', 'accuracy', 'weightedPrecision', 'weightedRecall', 'weightedTruePositiveRate', 'weightedFalsePositiveRate', 'weightedFMeasure',
  'truePositiveRateByLabel', 'falsePositiveRateByLabel', 'precisionByLabel', 'recallByLabel', 'fMeasureByLabel', 'logLoss', 'hammingLoss',
] as const;
export const MULTILABEL_METRICS = [
  'subsetAccuracy', 'accuracy', 'hammingLoss', 'precision', 'recall', 'f1Measure',
  'precisionByLabel', 'recallByLabel', 'f1MeasureByLabel', 'microPrecision', 'microRecall', 'microF1Measure',
] as const;
export const REGRESSION_METRICS = ['mse', 'rmse', 'r2', 'mae', 'var'] as const;
export const RANKING_METRICS = ['meanAveragePrecision', 'meanAveragePrecisionAtK', 'precisionAtK', 'ndcgAtK', 'recallAtK'] as const;

/** Spark's metric-name doc: `metric name in evaluation (a|b|c)`. */
const metricDoc = (names: readonly string[]) => `metric name in evaluation (${names.join('|')})`;
const byLabel = (names: readonly string[]) => names.filter((m) => m.endsWith('ByLabel')).join('|');

export const BinaryClassificationEvaluatorParamsTable = paramFamily('BinaryClassificationEvaluatorParams', {
  doc: "The params of Spark's BinaryClassificationEvaluator.",
  params: {
    rawPredictionCol: S.rawPredictionCol,
    labelCol: S.labelCol,
    weightCol: S.weightCol,
    metricName: param.oneOf(BINARY_METRICS, metricDoc(BINARY_METRICS), { default: 'areaUnderROC' }),
    numBins: param.number('Number of bins to down-sample the curves (ROC curve, PR curve) in area computation. If 0, no down-sampling will occur. Must be >= 0.', {
      default: 1000,
      validate: V.int(0),
    }),
  },
});

export const MulticlassClassificationEvaluatorParamsTable = paramFamily('MulticlassClassificationEvaluatorParams', {
  doc: "The params of Spark's MulticlassClassificationEvaluator.",
  params: {
    predictionCol: S.predictionCol,
    labelCol: S.labelCol,
    weightCol: S.weightCol,
    probabilityCol: S.probabilityCol,
    metricName: param.oneOf(MULTICLASS_METRICS, metricDoc(MULTICLASS_METRICS), { default: 'f1' }),
    metricLabel: param.number(`The class whose metric will be computed in (${byLabel(MULTICLASS_METRICS)}). Must be >= 0. The default value is 0.`, {
      default: 0,
      validate: V.gtEq(0),
    }),
    beta: param.number('The beta value, which controls precision vs recall weighting, used in (weightedFMeasure|fMeasureByLabel). Must be > 0. The default value is 1.', {
      default: 1,
      validate: V.gt(0),
    }),
    eps: param.number('log-loss is undefined for p=0 or p=1, so probabilities are clipped to max(eps, min(1 - eps, p)).', {
      default: 1e-15,
      validate: V.inRange(0, 0.5, false, false),
    }),
  },
});

export const MultilabelClassificationEvaluatorParamsTable = paramFamily('MultilabelClassificationEvaluatorParams', {
  doc: "The params of Spark's MultilabelClassificationEvaluator.",
  params: {
    predictionCol: S.predictionCol,
    labelCol: S.labelCol,
    metricName: param.oneOf(MULTILABEL_METRICS, metricDoc(MULTILABEL_METRICS), { default: 'f1Measure' }),
    metricLabel: param.number(`The class whose metric will be computed in (${byLabel(MULTILABEL_METRICS)}). Must be >= 0. The default value is 0.`, {
      default: 0,
      validate: V.gtEq(0),
    }),
  },
});

export const RegressionEvaluatorParamsTable = paramFamily('RegressionEvaluatorParams', {
  doc: "The params of Spark's RegressionEvaluator.",
  params: {
    predictionCol: S.predictionCol,
    labelCol: S.labelCol,
    weightCol: S.weightCol,
    metricName: param.oneOf(REGRESSION_METRICS, metricDoc(REGRESSION_METRICS), { default: 'rmse' }),
    throughOrigin: param.boolean('Whether the regression is through the origin.', { default: false }),
  },
});

export const RankingEvaluatorParamsTable = paramFamily('RankingEvaluatorParams', {
  doc: "The params of Spark's RankingEvaluator.",
  params: {
    predictionCol: S.predictionCol,
    labelCol: S.labelCol,
    metricName: param.oneOf(RANKING_METRICS, metricDoc(RANKING_METRICS), { default: 'meanAveragePrecision' }),
    k: param.number('The ranking position value used in (meanAveragePrecisionAtK|precisionAtK|ndcgAtK|recallAtK). Must be > 0. The default value is 10.', {
      default: 10,
      validate: V.intGt(0),
    }),
  },
});

export const ClusteringEvaluatorParamsTable = paramFamily('ClusteringEvaluatorParams', {
  doc: "The params of Spark's ClusteringEvaluator.",
  params: {
    featuresCol: S.featuresCol,
    predictionCol: S.predictionCol,
    weightCol: S.weightCol,
    metricName: param.oneOf(['silhouette'], metricDoc(['silhouette']), { default: 'silhouette' }),
    distanceMeasure: param.oneOf(['squaredEuclidean', 'cosine'], "distance measure in evaluation. Supported options: 'squaredEuclidean', 'cosine'", {
      default: 'squaredEuclidean',
    }),
  },
});
