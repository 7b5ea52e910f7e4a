/**
 * The params of Spark's Word2Vec and Word2VecModel (Word2VecBase), with Spark's docs and defaults;
 * word2vec-params.ts is generated from this table (`npm run gen:params`).
 */
import { ParamValidators as V } from '../../param/params.js';
import { SharedParams, sparkSeed, uidOutputCol } from '../../param/shared-params.table.js';
import { param, paramFamily, withDefault } from '../../param/spec.js';

export const Word2VecParamsTable = paramFamily('Word2VecParams', {
  doc: "Spark's Word2VecBase, shared by Word2Vec and Word2VecModel.",
  params: {
    inputCol: SharedParams.params.inputCol,
    outputCol: uidOutputCol,
    vectorSize: param.number('the dimension of codes after transforming from words (> 0)', { default: 100, validate: V.intGt(0) }),
    windowSize: param.number('the window size (context words from [-window, window]) (> 0)', { default: 5, validate: V.intGt(0) }),
    numPartitions: param.number('number of partitions for sentences of words (> 0)', { default: 1, validate: V.intGt(0) }),
    minCount: param.number("the minimum number of times a token must appear to be included in the word2vec model's vocabulary (>= 0)", { default: 5, validate: V.int(0) }),
    maxSentenceLength: param.number(
      'Maximum length (in words) of each sentence in the input data. Any sentence longer than this threshold will be divided into chunks up to the size (> 0)',
      { default: 1000, validate: V.intGt(0) },
    ),
    maxIter: withDefault(SharedParams.params.maxIter, 1),
    stepSize: param.number('Step size to be used for each iteration of optimization (> 0)', { default: 0.025, validate: V.gt(0) }),
    seed: sparkSeed('org.apache.spark.ml.feature.Word2Vec'),
  },
});
