/**
 * The regressors of `kindling/ml` (Spark's ml.regression, plus the multivariate wrapper):
 * docs/ARCHITECTURE.md, "Supervised learning". Each family adds its export lines below.
 */
export {};
// LinearRegression (issue 15, linreg)
export { LinearRegression, type LinearRegressionOptions } from './linear-regression.js';
export { LinearRegressionModel, type LinearRegressionModelOptions } from './linear-regression-model.js';
export { LinearRegressionSummary, LinearRegressionTrainingSummary } from './linear-regression-summary.js';
// GeneralizedLinearRegression (issue 15, linreg)
export { GeneralizedLinearRegression, type GeneralizedLinearRegressionOptions } from './generalized-linear-regression.js';
export { GeneralizedLinearRegressionModel, type GeneralizedLinearRegressionModelOptions } from './generalized-linear-regression-model.js';
export { GeneralizedLinearRegressionSummary, GeneralizedLinearRegressionTrainingSummary } from './generalized-linear-regression-summary.js';
// MultivariateRegressor (issue 15, linreg)
export { MultivariateRegressor, MultivariateRegressionModel, KINDLING_REGRESSION_NS, type MultivariateRegressorOptions } from './multivariate-regressor.js';
export { FMRegressor, type FMRegressorOptions } from './fm-regressor.js';
export { FMRegressionModel, FMRegressionTrainingSummary } from './fm-regressor-model.js';
export { IsotonicRegression, IsotonicRegressionModel, type IsotonicRegressionModelOptions, type IsotonicRegressionParamsOptions } from './isotonic-regression.js';
export { AFTSurvivalRegression, type AFTSurvivalRegressionParamsOptions } from './aft-survival-regression.js';
export { AFTSurvivalRegressionModel, type AFTSurvivalRegressionModelOptions } from './aft-survival-regression-model.js';
