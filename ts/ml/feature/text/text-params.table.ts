/**
 * The param tables of the text features (Spark's ml.feature Tokenizer, RegexTokenizer,
 * StopWordsRemover, NGram, HashingTF, CountVectorizer, IDF); text-params.ts is generated from
 * them. Docs and defaults are PySpark's (pyspark/ml/feature.py).
 */
import { SharedParams, uidOutputCol } from '../../param/shared-params.table.js';
import { ParamValidators as V } from '../../param/params.js';
import { param, paramFamily } from '../../param/spec.js';
import { stopWordsOf } from './stop-words.js';

const io = { inputCol: SharedParams.params.inputCol, outputCol: uidOutputCol };

export const TokenizerParamsTable = paramFamily('TokenizerParams', {
  doc: "The params of Spark's Tokenizer.",
  params: io,
});

export const RegexTokenizerParamsTable = paramFamily('RegexTokenizerParams', {
  doc: "The params of Spark's RegexTokenizer.",
  params: {
    ...io,
    minTokenLength: param.number('minimum token length (>= 0)', { default: 1, validate: V.int(0, 2 ** 31 - 1, 'integer >= 0') }),
    gaps: param.boolean('whether regex splits on gaps (True) or matches tokens (False)', { default: true }),
    pattern: param.string('regex pattern (Java dialect) used for tokenizing', { default: '\\s+', validate: V.str() }),
    toLowercase: param.boolean('whether to convert all characters to lowercase before tokenizing', { default: true }),
  },
});

export const StopWordsRemoverParamsTable = paramFamily('StopWordsRemoverParams', {
  doc: "The params of Spark's StopWordsRemover (one column, or several with inputCols/outputCols).",
  params: {
    inputCol: SharedParams.params.inputCol,
    outputCol: uidOutputCol,
    inputCols: SharedParams.params.inputCols,
    outputCols: param.of<string[]>('string[]', 'output column names', { validate: V.strArray(true) }),
    stopWords: param.of<string[]>('string[]', 'The words to be filtered out', { default: stopWordsOf('english'), validate: V.strArray(), copyOnGet: true }),
    caseSensitive: param.boolean('whether to do a case sensitive comparison over the stop words', { default: false }),
    locale: param.string('Locale of the input for case insensitive matching. Ignored when caseSensitive is true.', {
      default: 'en_US',
      validate: (v) => (typeof v === 'string' && /^[a-z]{2,3}(_[A-Z]{2})?$/.test(v) ? null : 'a locale such as en_US'),
    }),
  },
});

export const NGramParamsTable = paramFamily('NGramParams', {
  doc: "The params of Spark's NGram.",
  params: {
    ...io,
    n: param.number('number of elements per n-gram (>=1)', { default: 2, validate: V.int(1, 2 ** 31 - 1, 'integer >= 1') }),
  },
});

export const HashingTFParamsTable = paramFamily('HashingTFParams', {
  doc: "The params of Spark's HashingTF.",
  params: {
    ...io,
    numFeatures: param.number('Number of features. Should be greater than 0.', { default: 1 << 18, validate: V.int(1, 2 ** 31 - 1, 'integer in [1, 2147483647]') }),
    binary: param.boolean(
      'If True, all non zero counts are set to 1. This is useful for discrete probabilistic models that model binary events rather than integer counts. Default False.',
      { default: false },
    ),
  },
});

export const CountVectorizerParamsTable = paramFamily('CountVectorizerParams', {
  doc: "Spark's CountVectorizerParams, shared by CountVectorizer and CountVectorizerModel.",
  params: {
    ...io,
    minTF: param.number(
      "Filter to ignore rare words in a document. For each document, terms with frequency/count less than the given threshold are ignored. If this is an integer >= 1, then this specifies a count (of times the term must appear in the document); if this is a double in [0,1), then this specifies a fraction (out of the document's token count). Note that the parameter is only used in transform of CountVectorizerModel and does not affect fitting. Default 1.0",
      { default: 1, validate: V.gtEq(0) },
    ),
    minDF: param.number(
      'Specifies the minimum number of different documents a term must appear in to be included in the vocabulary. If this is an integer >= 1, this specifies the number of documents the term must appear in; if this is a double in [0,1), then this specifies the fraction of documents. Default 1.0',
      { default: 1, validate: V.gtEq(0) },
    ),
    maxDF: param.number(
      'Specifies the maximum number of different documents a term could appear in to be included in the vocabulary. A term that appears more than the threshold will be ignored. If this is an integer >= 1, this specifies the maximum number of documents the term could appear in; if this is a double in [0,1), then this specifies the maximum fraction of documents the term could appear in. Default (2^63) - 1',
      { default: 9223372036854775807, validate: V.gtEq(0) },
    ),
    vocabSize: param.number('max size of the vocabulary. Default 1 << 18.', { default: 1 << 18, validate: V.int(1, 2 ** 31 - 1, 'integer in [1, 2147483647]') }),
    binary: param.boolean(
      'Binary toggle to control the output vector values. If True, all nonzero counts (after minTF filter applied) are set to 1. This is useful for discrete probabilistic models that model binary events rather than integer counts. Default False',
      { default: false },
    ),
  },
});

export const IDFParamsTable = paramFamily('IDFParams', {
  doc: "Spark's IDFBase params, shared by IDF and IDFModel.",
  params: {
    ...io,
    minDocFreq: param.number('minimum number of documents in which a term should appear for filtering', { default: 0, validate: V.int(0, 2 ** 31 - 1, 'integer >= 0') }),
  },
});
