/**
 * The param tables of ml.feature: Spark's StandardScalerParams (StandardScaler and its model)
 * and the params of VectorAssembler; feature-params.ts is generated from them.
 */
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

export const VectorAssemblerParamsTable = paramFamily('VectorAssemblerParams', {
  doc: "The params of Spark's VectorAssembler.",
  params: {
    inputCols: SharedParams.params.inputCols,
    outputCol: uidOutputCol,
    handleInvalid: param.oneOf(
      ['skip', 'error', 'keep'],
      "Param for how to handle invalid data (NULL and NaN values). Options are 'skip' (filter out rows with invalid data), " +
        "'error' (throw an error), or 'keep' (return relevant number of NaN in the output). Column lengths are taken from the " +
        'size of ML Attribute Group, which can be set using `VectorSizeHint` in a pipeline before `VectorAssembler`. Column ' +
        "lengths can also be inferred from first rows of the data since it is safe to do so but only in case of 'error' or 'skip'.",
      { default: 'error' },
    ),
  },
});
