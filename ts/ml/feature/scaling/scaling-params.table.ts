/**
 * The param tables of the scaling and discretising stages (Spark's MinMaxScalerParams,
 * MaxAbsScalerParams, RobustScalerParams, Normalizer, Bucketizer, QuantileDiscretizerBase,
 * VarianceThresholdSelectorParams, and kindling's MeanNormalizer); scaling-params.ts is
 * generated from them (`npx tsx scripts/gen-params.ts`). StandardScaler's params are in
 * feature-params.table.ts.
 */
import { SharedParams, uidOutputCol } from '../../param/shared-params.table.js';
import { ParamValidators as V } from '../../param/params.js';
import { param, paramFamily } from '../../param/spec.js';

const relativeError = param.number('the relative target precision for the approximate quantile algorithm. Must be in the range [0, 1]', {
  default: 0.001,
  validate: V.inRange(0, 1),
});

/** Strictly increasing, at least 3 split points, no NaN (Spark's Bucketizer.checkSplits). */
const splitsValid = (v: unknown): string | null =>
  Array.isArray(v) && v.length >= 3 && v.every((x, i) => typeof x === 'number' && !Number.isNaN(x) && (i === 0 || x > (v[i - 1] as number)))
    ? null
    : 'an array of at least 3 strictly increasing numbers (no NaN)';

export const MinMaxScalerParamsTable = paramFamily('MinMaxScalerParams', {
  doc: "Spark's MinMaxScalerParams, shared by MinMaxScaler and MinMaxScalerModel.",
  params: {
    inputCol: SharedParams.params.inputCol,
    outputCol: uidOutputCol,
    min: param.number('Lower bound of the output feature range', { default: 0.0, validate: V.inRange(-Infinity, Infinity) }),
    max: param.number('Upper bound of the output feature range', { default: 1.0, validate: V.inRange(-Infinity, Infinity) }),
  },
});

export const MaxAbsScalerParamsTable = paramFamily('MaxAbsScalerParams', {
  doc: "Spark's MaxAbsScalerParams, shared by MaxAbsScaler and MaxAbsScalerModel.",
  params: { inputCol: SharedParams.params.inputCol, outputCol: uidOutputCol },
});

export const MeanNormalizerParamsTable = paramFamily('MeanNormalizerParams', {
  doc: "kindling's MeanNormalizer (no Spark stage): (x - mean) / (max - min) per feature.",
  params: { inputCol: SharedParams.params.inputCol, outputCol: uidOutputCol },
});

export const RobustScalerParamsTable = paramFamily('RobustScalerParams', {
  doc: "Spark's RobustScalerParams, shared by RobustScaler and RobustScalerModel.",
  params: {
    inputCol: SharedParams.params.inputCol,
    outputCol: uidOutputCol,
    lower: param.number('Lower quantile to calculate quantile range', { default: 0.25, validate: V.inRange(0, 1, false, false) }),
    upper: param.number('Upper quantile to calculate quantile range', { default: 0.75, validate: V.inRange(0, 1, false, false) }),
    withCentering: param.boolean('Whether to center data with median', { default: false }),
    withScaling: param.boolean('Whether to scale the data to quantile range', { default: true }),
    relativeError,
  },
});

export const NormalizerParamsTable = paramFamily('NormalizerParams', {
  doc: "The params of Spark's Normalizer.",
  params: {
    inputCol: SharedParams.params.inputCol,
    outputCol: uidOutputCol,
    p: param.number('the p norm value.', { default: 2.0, validate: V.gtEq(1) }),
  },
});

export const BinarizerParamsTable = paramFamily('BinarizerParams', {
  doc: "The params of Spark's Binarizer.",
  params: {
    inputCol: SharedParams.params.inputCol,
    outputCol: uidOutputCol,
    inputCols: SharedParams.params.inputCols,
    outputCols: param.of<string[]>('string[]', 'output column names', { validate: V.strArray(true) }),
    threshold: param.number('Param for threshold used to binarize continuous features. The features greater than the threshold, will be binarized to 1.0. The features equal to or less than the threshold, will be binarized to 0.0', { default: 0.0, validate: (v) => (typeof v === 'number' && !Number.isNaN(v) ? null : 'a number') }),
    thresholds: param.of<number[]>(
      'number[]',
      'Param for array of threshold used to binarize continuous features. This is for multiple columns input. If transforming multiple columns and thresholds is not set, but threshold is set, then threshold will be applied across all columns.',
      { validate: (v) => (Array.isArray(v) && v.every((x) => typeof x === 'number' && !Number.isNaN(x)) ? null : 'an array of numbers'), copyOnGet: true },
    ),
  },
});

const bucketHandleInvalid = param.oneOf(
  ['skip', 'error', 'keep'],
  'how to handle invalid entries containing NaN values. Values outside the splits will always be treated as errors' +
    'Options are skip (filter out rows with invalid values), error (throw an error), or keep (keep invalid values in a special additional bucket).',
  { default: 'error' },
);

export const BucketizerParamsTable = paramFamily('BucketizerParams', {
  doc: "The params of Spark's Bucketizer.",
  params: {
    inputCol: SharedParams.params.inputCol,
    outputCol: uidOutputCol,
    inputCols: SharedParams.params.inputCols,
    outputCols: param.of<string[]>('string[]', 'output column names', { validate: V.strArray(true) }),
    splits: param.of<number[]>(
      'number[]',
      'Split points for mapping continuous features into buckets. With n+1 splits, there are n buckets. A bucket defined by splits x,y ' +
        'holds values in the range [x,y) except the last bucket, which also includes y. The splits should be of length >= 3 and strictly ' +
        'increasing. Values at -inf, inf must be explicitly provided to cover all Double values; otherwise, values outside the splits ' +
        'specified will be treated as errors.',
      { validate: splitsValid, copyOnGet: true },
    ),
    splitsArray: param.of<number[][]>(
      'number[][]',
      'The array of split points for mapping continuous features into buckets for multiple columns. For each input column, with n+1 ' +
        'splits, there are n buckets. A bucket defined by splits x,y holds values in the range [x,y) except the last bucket, which also ' +
        'includes y. The splits should be of length >= 3 and strictly increasing. Values at -inf, inf must be explicitly provided to ' +
        'cover all Double values; otherwise, values outside the splits specified will be treated as errors.',
      { validate: (v) => (Array.isArray(v) && v.length > 0 && v.every((s) => splitsValid(s) === null) ? null : 'a non-empty array of valid splits arrays'), copyOnGet: true },
    ),
    handleInvalid: bucketHandleInvalid,
  },
});

export const QuantileDiscretizerParamsTable = paramFamily('QuantileDiscretizerParams', {
  doc: "Spark's QuantileDiscretizerBase params.",
  params: {
    inputCol: SharedParams.params.inputCol,
    outputCol: uidOutputCol,
    inputCols: SharedParams.params.inputCols,
    outputCols: param.of<string[]>('string[]', 'output column names', { validate: V.strArray(true) }),
    numBuckets: param.number('Number of buckets (quantiles, or categories) into which data points are grouped. Must be >= 2.', { default: 2, validate: V.int(2) }),
    numBucketsArray: param.of<number[]>(
      'number[]',
      'Array of number of buckets (quantiles, or categories) into which data points are grouped. This is for multiple columns input. ' +
        'If transforming multiple columns and numBucketsArray is not set, but numBuckets is set, then numBuckets will be applied across all columns.',
      { validate: V.numArray((x) => Number.isInteger(x) && x >= 2, 'an array of integers >= 2'), copyOnGet: true },
    ),
    relativeError,
    handleInvalid: param.oneOf(
      ['skip', 'error', 'keep'],
      'how to handle invalid entries. Options are skip (filter out rows with invalid values), error (throw an error), or keep ' +
        '(keep invalid values in a special additional bucket).',
      { default: 'error' },
    ),
  },
});

export const VarianceThresholdSelectorParamsTable = paramFamily('VarianceThresholdSelectorParams', {
  doc: "Spark's VarianceThresholdSelectorParams, shared by VarianceThresholdSelector and its model.",
  params: {
    featuresCol: SharedParams.params.featuresCol,
    outputCol: uidOutputCol,
    varianceThreshold: param.number(
      'Param for variance threshold. Features with a variance not greater than this threshold will be removed. The default value is 0.0.',
      { default: 0.0, validate: V.gtEq(0) },
    ),
  },
});
