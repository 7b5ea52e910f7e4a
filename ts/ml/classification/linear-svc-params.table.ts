/**
 * Spark's LinearSVCParams (ml.classification.LinearSVC), shared by LinearSVC and LinearSVCModel;
 * linear-svc-params.ts is generated from it. LinearSVC is a Classifier, not a probabilistic one:
 * its base is ClassifierParams (no probabilityCol, no thresholds); its threshold applies to the
 * raw margin (any real number, default 0).
 */
import { ParamValidators as V } from '../param/params.js';
import { SharedParams } from '../param/shared-params.table.js';
import { param, paramFamily, withDefault } from '../param/spec.js';
import { ClassifierParamsTable } from '../predictor/predictor-params.table.js';

const S = SharedParams.params;

export const LinearSVCParamsTable = paramFamily('LinearSVCParams', {
  doc: "Spark's LinearSVCParams, shared by LinearSVC and LinearSVCModel.",
  base: ClassifierParamsTable,
  params: {
    regParam: param.number('regularization parameter (>= 0)', { default: 0, validate: V.gtEq(0) }),
    maxIter: withDefault(S.maxIter, 100),
    fitIntercept: param.boolean('whether to fit an intercept term', { default: true }),
    tol: withDefault(S.tol, 1e-6),
    standardization: param.boolean('whether to standardize the training features before fitting the model', { default: true }),
    weightCol: S.weightCol,
    threshold: param.number(
      'The threshold in binary classification applied to the linear model prediction.  This threshold can be any real number, where Inf will make all predictions 0.0 and -Inf will make all predictions 1.0.',
      { default: 0, validate: (v) => (typeof v === 'number' && !Number.isNaN(v) ? null : 'a number (not NaN)') },
    ),
    aggregationDepth: S.aggregationDepth,
    maxBlockSizeInMB: param.number(
      'Maximum memory in MB for stacking input data into blocks. Data is stacked within partitions. If more than remaining data size in a partition then it is adjusted to the data size. Default 0.0 represents choosing optimal value, depends on specific algorithm. Must be >= 0.',
      { default: 0, validate: V.gtEq(0) },
    ),
  },
});
