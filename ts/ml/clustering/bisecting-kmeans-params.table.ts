/** The param table of Spark's BisectingKMeansParams (BisectingKMeans and its model); bisecting-kmeans-params.ts is generated from it. */
import { ParamValidators as V } from '../param/params.js';
import { SharedParams, sparkSeed } from '../param/shared-params.table.js';
import { param, paramFamily, withDefault } from '../param/spec.js';

const S = SharedParams.params;

export const BisectingKMeansParamsTable = paramFamily('BisectingKMeansParams', {
  doc: "Spark's BisectingKMeansParams, shared by BisectingKMeans and BisectingKMeansModel.",
  params: {
    featuresCol: S.featuresCol,
    predictionCol: S.predictionCol,
    k: param.number('The desired number of leaf clusters. Must be > 1.', { default: 4, validate: V.intGt(1) }),
    maxIter: withDefault(S.maxIter, 20),
    seed: sparkSeed('org.apache.spark.ml.clustering.BisectingKMeans'),
    minDivisibleClusterSize: param.number('The minimum number of points (if >= 1.0) or the minimum proportion of points (if < 1.0) of a divisible cluster.', {
      default: 1.0,
      validate: V.gt(0),
    }),
    distanceMeasure: S.distanceMeasure,
    weightCol: S.weightCol,
  },
});
