/**
 * MultilabelClassifierParams (kindling's MultilabelClassifier, which Spark lacks; shared by the
 * estimator and its model): the base binary classifier, the columns, numLabels. The estimator
 * adds the shared parallelism. multilabel-classifier-params.ts is generated from it.
 */
import { ParamValidators as V } from '../param/params.js';
import { SharedParams } from '../param/shared-params.table.js';
import { param, paramFamily } from '../param/spec.js';
import { Estimator } from '../stage.js';

const S = SharedParams.params;

export const MultilabelClassifierParamsTable = paramFamily('MultilabelClassifierParams', {
  doc: "kindling's MultilabelClassifierParams (binary relevance), shared by MultilabelClassifier and MultilabelClassificationModel.",
  typeImports: { Estimator: '../stage.js' },
  params: {
    classifier: param.of<Estimator>('Estimator', 'base binary classification algorithm, fitted once per label', { validate: (v) => (v instanceof Estimator ? null : 'an Estimator (a classifier)') }),
    featuresCol: S.featuresCol,
    labelCol: param.string('label column name: an array of label indices (array<double> or array<int>) per row', { default: 'labels', validate: V.nonEmptyStr() }),
    predictionCol: param.string('prediction column name: the array<double> of the labels predicted for a row', { default: 'prediction', validate: V.str() }),
    probabilityCol: param.string(
      "column name of the per-label probabilities P(label) (a vector of numLabels; the sub-models' probability of class 1). Empty (the default): no such column",
      { default: '', validate: V.str() },
    ),
    numLabels: param.number('the number of labels (>= 1); unset: the largest label in labelCol + 1', { validate: V.int(1, 2 ** 31 - 1, 'an integer >= 1'), optional: true }),
  },
});
