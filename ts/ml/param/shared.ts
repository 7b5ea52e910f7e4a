/**
 * Params shared by many stages, with Spark's names, docs and defaults (ml.param.shared),
 * declared once here: `readonly featuresCol = shared.featuresCol(this)`.
 */
import { ParamValidators as V, type Param, type Params, type Validator } from './params.js';

type Declare = <T>(name: string, doc: string, opts?: { default?: T; validate?: Validator<T> }) => Param<T>;
const declare = (owner: Params): Declare => (owner as unknown as { param: Declare }).param.bind(owner);

/** Java's String.hashCode (Spark's default seed is the class name's hash). */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

export const shared = {
  featuresCol: (o: Params, dflt = 'features') => declare(o)<string>('featuresCol', 'features column name', { default: dflt, validate: V.nonEmptyStr() }),
  labelCol: (o: Params, dflt = 'label') => declare(o)<string>('labelCol', 'label column name', { default: dflt, validate: V.nonEmptyStr() }),
  predictionCol: (o: Params, dflt = 'prediction') => declare(o)<string>('predictionCol', 'prediction column name', { default: dflt, validate: V.nonEmptyStr() }),
  probabilityCol: (o: Params) =>
    declare(o)<string>('probabilityCol', 'Column name for predicted class conditional probabilities. Note: Not all models output well-calibrated probability estimates! These probabilities should be treated as confidences, not precise probabilities', { default: 'probability', validate: V.nonEmptyStr() }),
  rawPredictionCol: (o: Params) => declare(o)<string>('rawPredictionCol', 'raw prediction (a.k.a. confidence) column name', { default: 'rawPrediction', validate: V.nonEmptyStr() }),
  weightCol: (o: Params) => declare(o)<string>('weightCol', 'weight column name. If this is not set or empty, we treat all instance weights as 1.0', { validate: V.str() }),
  inputCol: (o: Params) => declare(o)<string>('inputCol', 'input column name', { validate: V.nonEmptyStr() }),
  inputCols: (o: Params) => declare(o)<string[]>('inputCols', 'input column names', { validate: V.strArray(true) }),
  outputCol: (o: Params, dflt?: string) => declare(o)<string>('outputCol', 'output column name', { default: dflt, validate: V.nonEmptyStr() }),
  outputCols: (o: Params) => declare(o)<string[]>('outputCols', 'output column names', { validate: V.strArray(true) }),
  maxIter: (o: Params, dflt?: number) => declare(o)<number>('maxIter', 'maximum number of iterations (>= 0)', { default: dflt, validate: V.int(0) }),
  tol: (o: Params, dflt?: number) => declare(o)<number>('tol', 'the convergence tolerance for iterative algorithms (>= 0)', { default: dflt, validate: V.gtEq(0) }),
  /** Spark's default seed: the hash of the Scala class name, e.g. 'org.apache.spark.ml.clustering.KMeans'. */
  seed: (o: Params, sparkClass: string) => declare(o)<number>('seed', 'random seed', { default: javaStringHash(sparkClass), validate: V.int(-(2 ** 53), 2 ** 53, 'an integer') }),
  aggregationDepth: (o: Params) => declare(o)<number>('aggregationDepth', 'suggested depth for treeAggregate (>= 2)', { default: 2, validate: V.int(2) }),
  handleInvalid: (o: Params, doc: string, allowed: readonly string[], dflt: string) => declare(o)<string>('handleInvalid', doc, { default: dflt, validate: V.inArray(allowed) }),
  metricName: (o: Params, doc: string, allowed: readonly string[], dflt: string) => declare(o)<string>('metricName', doc, { default: dflt, validate: V.inArray(allowed) }),
};
