/**
 * The table of params shared by many stages, with Spark's names, docs and defaults
 * (ml.param.shared): each becomes a mixin of its own (`HasMaxIterMixin`, Spark's HasMaxIter) in
 * the generated shared-params.ts. A family takes one as it is (`featuresCol: SharedParams.params.featuresCol`)
 * or with its own default (`withDefault(SharedParams.params.maxIter, 20)`, `sparkSeed(…)`).
 */
import { ParamValidators as V } from './params.js';
import { param, sharedParamTable, withDefault, withDefaultOf, type ParamSpec } from './spec.js';

export const SharedParams = sharedParamTable("Params shared by many stages (Spark's ml.param.shared).", {
  featuresCol: param.string('features column name', { default: 'features', validate: V.nonEmptyStr() }),
  labelCol: param.string('label column name', { default: 'label', validate: V.nonEmptyStr() }),
  predictionCol: param.string('prediction column name', { default: 'prediction', validate: V.nonEmptyStr() }),
  probabilityCol: param.string(
    'Column name for predicted class conditional probabilities. Note: Not all models output well-calibrated probability estimates! These probabilities should be treated as confidences, not precise probabilities',
    { default: 'probability', validate: V.nonEmptyStr() },
  ),
  rawPredictionCol: param.string('raw prediction (a.k.a. confidence) column name', { default: 'rawPrediction', validate: V.nonEmptyStr() }),
  weightCol: param.string('weight column name. If this is not set or empty, we treat all instance weights as 1.0', { validate: V.str(), optional: true }),
  inputCol: param.string('input column name', { validate: V.nonEmptyStr() }),
  inputCols: param.of<string[]>('string[]', 'input column names', { validate: V.strArray(true) }),
  outputCol: param.string('output column name', { validate: V.nonEmptyStr() }),
  maxIter: param.number('maximum number of iterations (>= 0)', { validate: V.int(0) }),
  tol: param.number('the convergence tolerance for iterative algorithms (>= 0)', { validate: V.gtEq(0) }),
  seed: param.number('random seed', { validate: V.int(-(2 ** 53), 2 ** 53, 'an integer') }),
  distanceMeasure: param.oneOf(['euclidean', 'cosine'], "The distance measure. Supported options: 'euclidean' and 'cosine'.", { default: 'euclidean' }),
  aggregationDepth: param.number('suggested depth for treeAggregate (>= 2)', { default: 2, validate: V.int(2) }),
  parallelism: param.number('the number of threads to use when running parallel algorithms (>= 1)', { default: 1, validate: V.int(1) }),
  collectSubModels: param.boolean(
    'whether to collect a list of sub-models trained during tuning. If set to false, then only the single best sub-model will be available after fitting. If set to true, then all sub-models will be available. Warning: For large models, collecting all sub-models can cause OOMs on the Spark driver',
    { default: false },
  ),
});

/** Java's String.hashCode (Spark's default seed is the class name's hash). */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** The seed param with Spark's default: the hash of the Scala class name, e.g. 'org.apache.spark.ml.clustering.KMeans'. */
export function sparkSeed(sparkClass: string): ParamSpec<number> {
  return withDefault(SharedParams.params.seed, javaStringHash(sparkClass));
}

/** The outputCol param with Spark's HasOutputCol default: `<uid>__output`. */
export const uidOutputCol: ParamSpec<string> = withDefaultOf(SharedParams.params.outputCol, (owner) => `${owner.uid}__output`);
