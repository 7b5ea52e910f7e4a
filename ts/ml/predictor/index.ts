/**
 * The supervised core of `kindling/ml` (Spark's Predictor / PredictionModel API): the params
 * families, the model mixins, the scoring tasks and the training-data preparation every
 * classifier and regressor builds on — exported so users can write their own families.
 */
export {
  ClassificationModelMixin, ProbabilisticClassificationModelMixin, RegressionModelMixin, appendOutputFields,
  type ClassificationModelApi, type ProbabilisticClassificationModelApi, type RegressionModelApi,
} from '../predictor/prediction-models.js';
export { ProbabilisticClassifierParamsMixin, ClassifierParamsMixin, PredictorParamsMixin, type ProbabilisticClassifierParams, type ClassifierParams, type PredictorParams } from '../predictor/predictor-params.js';
export { defineClassifierScoring, defineRegressorScoring, type ClassifierScorer, type RegressorScorer, type ClassifierScoring, type RegressorScoring } from '../predictor/scoring-tasks.js';
export { prepareLabeled, checkPredictorSchema, featureVariance, labelVariance, type Labeled, type LabeledOptions } from '../predictor/predictor.js';
export type { TrainingStats } from '../predictor/predictor-tasks.js';
