/**
 * The params of kindling's MultivariateRegressor and MultivariateRegressionModel (no Spark
 * counterpart): Spark's PredictorParams with a vector (or array of numbers) label, and the
 * regressor fitted to each target. multivariate-regressor-params.ts is generated from it.
 */
import { param, paramFamily } from '../param/spec.js';
import { PredictorParamsTable } from '../predictor/predictor-params.table.js';
import { Estimator } from '../stage.js';

export const MultivariateRegressorParamsTable = paramFamily('MultivariateRegressorParams', {
  doc: "kindling's MultivariateRegressorParams, shared by MultivariateRegressor and MultivariateRegressionModel.",
  base: PredictorParamsTable,
  typeImports: { Estimator: '../stage.js' },
  params: {
    regressor: param.of<Estimator>('Estimator', 'the regressor fitted to each component of the label (an Estimator whose model appends a numeric prediction column, e.g. LinearRegression)', {
      validate: (v) => (v instanceof Estimator ? null : 'an Estimator'),
    }),
  },
});
