/**
 * Shared params for hand-written stages (a test's or a user's own Params class), declared from
 * the one table of shared params (shared-params.table.ts):
 * `readonly featuresCol = shared.featuresCol(this)`. kindling's own stages take them through
 * their generated params mixins instead.
 */
import { ParamValidators as V, type Param, type Params } from './params.js';
import { SharedParams, javaStringHash, sparkSeed } from './shared-params.table.js';
import { param, withDefault, type ParamSpec } from './spec.js';

export { javaStringHash };

const S = SharedParams.params;

function declare<T>(owner: Params, spec: ParamSpec<T>, dflt?: T): Param<T> {
  return (owner as unknown as { declareParam(s: ParamSpec<T>): Param<T> }).declareParam(dflt === undefined ? spec : withDefault(spec, dflt));
}

export const shared = {
  featuresCol: (o: Params, dflt?: string) => declare(o, S.featuresCol, dflt),
  labelCol: (o: Params, dflt?: string) => declare(o, S.labelCol, dflt),
  predictionCol: (o: Params, dflt?: string) => declare(o, S.predictionCol, dflt),
  probabilityCol: (o: Params) => declare(o, S.probabilityCol),
  rawPredictionCol: (o: Params) => declare(o, S.rawPredictionCol),
  weightCol: (o: Params) => declare(o, S.weightCol),
  inputCol: (o: Params) => declare(o, S.inputCol),
  inputCols: (o: Params) => declare(o, S.inputCols),
  outputCol: (o: Params, dflt?: string) => declare(o, S.outputCol, dflt),
  outputCols: (o: Params) => declare(o, S.outputCols),
  maxIter: (o: Params, dflt?: number) => declare(o, S.maxIter, dflt),
  tol: (o: Params, dflt?: number) => declare(o, S.tol, dflt),
  /** Spark's default seed: the hash of the Scala class name, e.g. 'org.apache.spark.ml.clustering.KMeans'. */
  seed: (o: Params, sparkClass: string) => declare(o, sparkSeed(sparkClass)),
  aggregationDepth: (o: Params) => declare(o, S.aggregationDepth),
  handleInvalid: (o: Params, doc: string, allowed: readonly string[], dflt: string) =>
    declare(o, { ...param.string(doc, { default: dflt, validate: V.inArray(allowed) }), name: 'handleInvalid' }),
  metricName: (o: Params, doc: string, allowed: readonly string[], dflt: string) =>
    declare(o, { ...param.string(doc, { default: dflt, validate: V.inArray(allowed) }), name: 'metricName' }),
};
