/**
 * The param tables every supervised stage builds on, as Spark's ml package has them:
 * PredictorParams (featuresCol, labelCol, predictionCol), ClassifierParams (+ rawPredictionCol)
 * and ProbabilisticClassifierParams (+ probabilityCol, thresholds). A family names one as its
 * `base` (`paramFamily('LogisticRegressionParams', { base: ProbabilisticClassifierParamsTable, … })`);
 * predictor-params.ts is generated from them.
 *
 * As in Spark, a model's output column params may be set to '' to leave that column out
 * (ProbabilisticClassificationModel.transform skips an empty rawPredictionCol/probabilityCol).
 */
import { ParamValidators as V, type Validator } from '../param/params.js';
import { SharedParams } from '../param/shared-params.table.js';
import { param, paramFamily, type ParamSpec } from '../param/spec.js';

const S = SharedParams.params;

/** An output column param that may be '' (no such column). */
function skippable(spec: ParamSpec<string>): ParamSpec<string> {
  return { ...spec, validate: V.str() };
}

/** Spark's HasThresholds check: values >= 0, at most one of them 0 (its length is checked against numClasses where that is known). */
const thresholdsValidator: Validator<number[]> = (v) =>
  Array.isArray(v) && v.length > 0 && v.every((t) => typeof t === 'number' && t >= 0) && v.filter((t) => t === 0).length <= 1
    ? null
    : 'a non-empty array of numbers >= 0 with at most one 0';

export const PredictorParamsTable = paramFamily('PredictorParams', {
  doc: "Spark's PredictorParams: the columns every Predictor and PredictionModel reads and writes.",
  params: {
    featuresCol: S.featuresCol,
    labelCol: S.labelCol,
    predictionCol: skippable(S.predictionCol),
  },
});

export const ClassifierParamsTable = paramFamily('ClassifierParams', {
  doc: "Spark's ClassifierParams: a Predictor's params and the raw prediction column.",
  base: PredictorParamsTable,
  params: {
    rawPredictionCol: skippable(S.rawPredictionCol),
  },
});

export const ProbabilisticClassifierParamsTable = paramFamily('ProbabilisticClassifierParams', {
  doc: "Spark's ProbabilisticClassifierParams: a Classifier's params, the probability column and the per-class thresholds.",
  base: ClassifierParamsTable,
  params: {
    probabilityCol: skippable(S.probabilityCol),
    thresholds: param.of<number[]>(
      'number[]',
      "Thresholds in multi-class classification to adjust the probability of predicting each class. Array must have length equal to the number of classes, with values > 0 excepting that at most one value may be 0. The class with largest value p/t is predicted, where p is the original probability of that class and t is the class's threshold",
      { validate: thresholdsValidator, optional: true },
    ),
  },
});
