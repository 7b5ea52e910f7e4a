/**
 * The param tables of the categorical stages (ml.feature): Spark's StringIndexer, IndexToString,
 * OneHotEncoder, FeatureHasher and VectorIndexer params, and kindling's own encoders
 * (CountEncoder, OrdinalEncoder, WeightOfEvidenceEncoder, RareLabelEncoder; docs/CATEGORICAL.md).
 * categorical-params.ts is generated from them.
 */
import { ParamValidators as V } from '../../param/params.js';
import { SharedParams, uidOutputCol } from '../../param/shared-params.table.js';
import { param, paramFamily } from '../../param/spec.js';

const S = SharedParams.params;
const outputCols = param.of<string[]>('string[]', 'output column names', { validate: V.strArray(true) });
const handleInvalid3 = (doc: string) => param.oneOf(['skip', 'error', 'keep'], doc, { default: 'error' });
/** inputCol/outputCol or inputCols/outputCols, as Spark's StringIndexer and OneHotEncoder. */
const inOut = { inputCol: S.inputCol, outputCol: uidOutputCol, inputCols: S.inputCols, outputCols };

export const StringIndexerParamsTable = paramFamily('StringIndexerParams', {
  doc: "Spark's StringIndexerBase params, shared by StringIndexer and StringIndexerModel.",
  params: {
    ...inOut,
    handleInvalid: handleInvalid3(
      "How to handle invalid data (unseen labels or NULL values). Options are 'skip' (filter out rows with invalid data), error (throw an error), or 'keep' (put invalid data in a special additional bucket, at index numLabels).",
    ),
    stringOrderType: param.oneOf(
      ['frequencyDesc', 'frequencyAsc', 'alphabetDesc', 'alphabetAsc'],
      'How to order labels of string column. The first label after ordering is assigned an index of 0. Supported options: frequencyDesc, frequencyAsc, alphabetDesc, alphabetAsc. Default is frequencyDesc. In case of equal frequency when under frequencyDesc/Asc, the strings are further sorted alphabetically',
      { default: 'frequencyDesc' },
    ),
  },
});

export const IndexToStringParamsTable = paramFamily('IndexToStringParams', {
  doc: "The params of Spark's IndexToString.",
  params: {
    inputCol: S.inputCol,
    outputCol: uidOutputCol,
    labels: param.of<string[]>('string[]', 'Optional array of labels specifying index-string mapping. If not provided or if empty, then metadata from inputCol is used instead.', { validate: V.strArray(), optional: true }),
  },
});

export const OneHotEncoderParamsTable = paramFamily('OneHotEncoderParams', {
  doc: "Spark's OneHotEncoderBase params, shared by OneHotEncoder and OneHotEncoderModel.",
  params: {
    ...inOut,
    handleInvalid: param.oneOf(
      ['keep', 'error'],
      "How to handle invalid data during transform. Options are 'keep' (invalid data presented as an extra categorical feature) or error (throw an error). Note that this Param is only used during transform; during fitting, invalid data will result in an error.",
      { default: 'error' },
    ),
    dropLast: param.boolean('whether to drop the last category', { default: true }),
  },
});

export const FeatureHasherParamsTable = paramFamily('FeatureHasherParams', {
  doc: "The params of Spark's FeatureHasher.",
  params: {
    inputCols: S.inputCols,
    outputCol: uidOutputCol,
    numFeatures: param.number('Number of features. Should be greater than 0.', { default: 262144, validate: V.int(1, 2 ** 31 - 1, 'an integer > 0') }),
    categoricalCols: param.of<string[]>('string[]', 'numeric columns to treat as categorical', { validate: V.strArray(), optional: true }),
  },
});

export const VectorIndexerParamsTable = paramFamily('VectorIndexerParams', {
  doc: "Spark's VectorIndexerParams, shared by VectorIndexer and VectorIndexerModel.",
  params: {
    inputCol: S.inputCol,
    outputCol: uidOutputCol,
    maxCategories: param.number(
      'Threshold for the number of values a categorical feature can take (>= 2). If a feature is found to have > maxCategories values, then it is declared continuous.',
      { default: 20, validate: V.int(2, 2 ** 31 - 1, 'an integer >= 2') },
    ),
    handleInvalid: handleInvalid3(
      "How to handle invalid data (unseen labels or NULL values). Options are 'skip' (filter out rows with invalid data), 'error' (throw an error), or 'keep' (put invalid data in a special additional bucket, at index of the number of categories of the feature).",
    ),
  },
});

const encoderInvalid = handleInvalid3(
  "How to handle invalid data (unseen categories or NULL values). Options are 'skip' (filter out rows with invalid data), 'error' (throw an error), or 'keep' (give them the encoder's value for an unknown category).",
);

export const CountEncoderParamsTable = paramFamily('CountEncoderParams', {
  doc: "kindling's CountEncoder (count or frequency encoding), shared by CountEncoder and CountEncoderModel.",
  params: {
    ...inOut,
    handleInvalid: encoderInvalid,
    normalize: param.boolean('whether to output the fraction of rows of each category (frequency encoding) instead of its count', { default: false }),
  },
});

export const OrdinalEncoderParamsTable = paramFamily('OrdinalEncoderParams', {
  doc: "kindling's OrdinalEncoder, shared by OrdinalEncoder and OrdinalEncoderModel.",
  params: {
    ...inOut,
    handleInvalid: encoderInvalid,
    categoryOrders: param.of<string[][]>(
      'string[][]',
      'the categories of each input column in their order (category i gets index i); a column with an empty list gets its distinct values in alphabetical order at fit',
      { validate: (v) => (Array.isArray(v) && v.every((a) => Array.isArray(a) && a.every((s) => typeof s === 'string')) ? null : 'an array of string arrays'), optional: true },
    ),
  },
});

export const WeightOfEvidenceEncoderParamsTable = paramFamily('WeightOfEvidenceEncoderParams', {
  doc: "kindling's WeightOfEvidenceEncoder, shared by WeightOfEvidenceEncoder and WeightOfEvidenceEncoderModel.",
  params: {
    ...inOut,
    labelCol: S.labelCol,
    handleInvalid: encoderInvalid,
    smoothing: param.number('additive smoothing a of the positive and negative counts of each category (>= 0); a > 0 keeps a category with no positives or no negatives finite', { default: 0.5, validate: V.gtEq(0) }),
  },
});

export const RareLabelEncoderParamsTable = paramFamily('RareLabelEncoderParams', {
  doc: "kindling's RareLabelEncoder, shared by RareLabelEncoder and RareLabelEncoderModel.",
  params: {
    ...inOut,
    handleInvalid: encoderInvalid,
    tolerance: param.number('the minimum fraction of rows a category needs to be kept; rarer categories are replaced (in [0, 1])', { default: 0.05, validate: V.inRange(0, 1) }),
    replacement: param.string('the label that replaces rare categories', { default: 'Rare', validate: V.str() }),
    minCategories: param.number('a column with at most this many distinct categories is left as it is (>= 0)', { default: 10, validate: V.int(0) }),
  },
});
