/**
 * Spark's NaiveBayesParams (ml.classification.NaiveBayes, shared by NaiveBayes and
 * NaiveBayesModel): SPARK_DEFINITIONS.md §12. naive-bayes-params.ts is generated from it.
 */
import { ParamValidators as V } from '../param/params.js';
import { SharedParams } from '../param/shared-params.table.js';
import { param, paramFamily } from '../param/spec.js';
import { ProbabilisticClassifierParamsTable } from '../predictor/predictor-params.table.js';

const S = SharedParams.params;

export const NaiveBayesParamsTable = paramFamily('NaiveBayesParams', {
  doc: "Spark's NaiveBayesParams, shared by NaiveBayes and NaiveBayesModel.",
  base: ProbabilisticClassifierParamsTable,
  params: {
    smoothing: param.number('The smoothing parameter, should be >= 0, default is 1.0', { default: 1.0, validate: V.gtEq(0) }),
    modelType: param.oneOf(
      ['multinomial', 'bernoulli', 'gaussian', 'complement'],
      'The model type which is a string (case-sensitive). Supported options: multinomial (default), complement, bernoulli and gaussian.',
      { default: 'multinomial' },
    ),
    weightCol: S.weightCol,
  },
});
