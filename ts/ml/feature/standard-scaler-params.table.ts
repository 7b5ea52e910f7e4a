/** The param table of Spark's StandardScalerParams (StandardScaler and its model); standard-scaler-params.ts is generated from it. */
import { SharedParams, uidOutputCol } from '../param/shared-params.table.js';
import { param, paramFamily } from '../param/spec.js';

export const StandardScalerParamsTable = paramFamily('StandardScalerParams', {
  doc: "Spark's StandardScalerParams, shared by StandardScaler and StandardScalerModel.",
  params: {
    inputCol: SharedParams.params.inputCol,
    outputCol: uidOutputCol,
    withMean: param.boolean('Whether to center data with mean', { default: false }),
    withStd: param.boolean('Whether to scale the data to unit standard deviation', { default: true }),
  },
});
