/**
 * Spark's FMRegressorParams (FactorizationMachinesParams over PredictorParams), shared by
 * FMRegressor and FMRegressionModel; the FM specs are in
 * ts/ml/classification/fm-classifier-params.table.ts. fm-regressor-params.ts is generated from it.
 */
import { sparkSeed } from '../param/shared-params.table.js';
import { paramFamily } from '../param/spec.js';
import { PredictorParamsTable } from '../predictor/predictor-params.table.js';
import { FM_REGRESSOR_CLASS, FactorizationMachinesSpecs } from '../classification/fm-classifier-params.table.js';

export const FMRegressorParamsTable = paramFamily('FMRegressorParams', {
  doc: "Spark's FMRegressorParams (FactorizationMachinesParams over PredictorParams), shared by FMRegressor and FMRegressionModel.",
  base: PredictorParamsTable,
  params: { ...FactorizationMachinesSpecs, seed: sparkSeed(FM_REGRESSOR_CLASS) },
});
