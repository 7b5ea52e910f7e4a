/** The param table of Spark's KMeansParams (KMeans and KMeansModel); kmeans-params.ts is generated from it. */
import { ParamValidators as V } from '../param/params.js';
import { SharedParams, sparkSeed } from '../param/shared-params.table.js';
import { param, paramFamily, withDefault } from '../param/spec.js';

const S = SharedParams.params;

export const KMeansParamsTable = paramFamily('KMeansParams', {
  doc: "Spark's KMeansParams, shared by KMeans and KMeansModel.",
  params: {
    featuresCol: S.featuresCol,
    predictionCol: S.predictionCol,
    k: param.number('The number of clusters to create. Must be > 1.', { default: 2, validate: V.intGt(1) }),
    maxIter: withDefault(S.maxIter, 20),
    tol: withDefault(S.tol, 1e-4),
    seed: sparkSeed('org.apache.spark.ml.clustering.KMeans'),
    initMode: param.oneOf(['random', 'k-means||'], "The initialization algorithm. Supported options: 'random' and 'k-means||'.", { default: 'k-means||' }),
    initSteps: param.number('The number of steps for k-means|| initialization mode. Must be > 0.', { default: 2, validate: V.intGt(0) }),
    distanceMeasure: S.distanceMeasure,
    weightCol: S.weightCol,
    /** Spark 3.4+: accepted and saved; kindling always runs its native row solver. */
    solver: param.oneOf(['auto', 'row', 'block'], 'The solver algorithm for optimization. Supported options: auto, row, block. (Default auto)', { default: 'auto' }),
    /** Spark 3.4+: accepted and saved; no effect in kindling. */
    maxBlockSizeInMB: param.number(
      'Maximum memory in MB for stacking input data into blocks. Data is stacked within partitions. If more than remaining data size in a partition then it is adjusted to the data size. Default 0.0 represents choosing optimal value, depends on specific algorithm. Must be >= 0.',
      { default: 0, validate: V.gtEq(0) },
    ),
  },
});
