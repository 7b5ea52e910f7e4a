/**
 * Spark's IsotonicRegressionBase (shared by IsotonicRegression and IsotonicRegressionModel), with
 * Spark's names, docs and defaults; isotonic-regression-params.ts is generated from it
 * (`npx tsx scripts/gen-params.ts`). The features column is a double column, or a vector column
 * read at featureIndex.
 */
import { ParamValidators as V } from '../param/params.js';
import { SharedParams } from '../param/shared-params.table.js';
import { param, paramFamily } from '../param/spec.js';
import { PredictorParamsTable } from '../predictor/predictor-params.table.js';

export const IsotonicRegressionParamsTable = paramFamily('IsotonicRegressionParams', {
  doc: "Spark's IsotonicRegressionBase, shared by IsotonicRegression and IsotonicRegressionModel.",
  base: PredictorParamsTable,
  params: {
    weightCol: SharedParams.params.weightCol,
    isotonic: param.boolean('whether the output sequence should be isotonic/increasing (true) or antitonic/decreasing (false)', { default: true }),
    featureIndex: param.number('The index of the feature if featuresCol is a vector column, no effect otherwise (>= 0)', { default: 0, validate: V.int(0) }),
  },
});
