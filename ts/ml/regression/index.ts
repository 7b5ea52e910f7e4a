/**
 * The regressors of `kindling/ml` (Spark's ml.regression, plus the multivariate wrapper):
 * docs/ARCHITECTURE.md, "Supervised learning". Each family adds its export lines below.
 */
export {};
// LinearRegression (issue 15, linreg)
export { LinearRegression, type LinearRegressionOptions } from './linear-regression.js';
export { LinearRegressionModel, type LinearRegressionModelOptions } from './linear-regression-model.js';
export { LinearRegressionSummary, LinearRegressionTrainingSummary } from './linear-regression-summary.js';
