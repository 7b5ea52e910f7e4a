/**
 * The classifiers of `kindling/ml` (Spark's ml.classification, plus MultilabelClassifier, which
 * Spark lacks): docs/ARCHITECTURE.md, "Supervised learning". Each family adds its export lines below.
 */
export { FMClassifier, type FMClassifierOptions } from './fm-classifier.js';
export { FMClassificationModel, FMClassificationTrainingSummary } from './fm-classifier-model.js';
export { MultilayerPerceptronClassifier, type MultilayerPerceptronClassifierOptions } from './multilayer-perceptron.js';
export {
  MultilayerPerceptronClassificationModel, MultilayerPerceptronClassificationTrainingSummary, type MultilayerPerceptronClassificationModelOptions,
} from './multilayer-perceptron-model.js';
export { LogisticRegression, type LogisticRegressionOptions } from './logistic-regression.js';
export { LogisticRegressionModel, type LogisticRegressionModelOptions } from './logistic-regression-model.js';
export { ClassificationSummary, BinaryClassificationSummary, type SummaryColumns, type TrainingSummaryPart } from './classification-summary.js';
export {
  LogisticRegressionSummary, LogisticRegressionTrainingSummary,
  BinaryLogisticRegressionSummary, BinaryLogisticRegressionTrainingSummary,
} from './logistic-regression-summary.js';
import './logistic-regression-persistence.js';
export { LinearSVC, type LinearSVCOptions } from './linear-svc.js';
export { LinearSVCModel, LinearSVCTrainingSummary, type LinearSVCModelOptions } from './linear-svc-model.js';
export { NaiveBayes, type NaiveBayesParamsOptions } from './naive-bayes.js';
export { NaiveBayesModel, type NaiveBayesModelOptions } from './naive-bayes-model.js';
export { balancedClassWeights, withClassWeights, resample, classCounts, type ResampleOptions, type ClassCounts } from './class-balance.js';
export { OneVsRest, OneVsRestModel, type OneVsRestOptions, type OneVsRestModelState } from './one-vs-rest.js';
export { MultilabelClassifier, MultilabelClassificationModel, KINDLING_CLASSIFICATION_NS, type MultilabelClassifierOptions, type MultilabelClassificationModelState } from './multilabel-classifier.js';
