/**
 * The regressors of `kindling/ml` (Spark's ml.regression, plus the multivariate wrapper):
 * docs/ARCHITECTURE.md, "Supervised learning". Each family adds its export lines below.
 */
export {};
export { FMRegressor, type FMRegressorOptions } from './fm-regressor.js';
export { FMRegressionModel, FMRegressionTrainingSummary } from './fm-regressor-model.js';
