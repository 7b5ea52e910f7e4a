/** The param table of Spark's GaussianMixtureParams (GaussianMixture and its model); gaussian-mixture-params.ts is generated from it. */
import { ParamValidators as V } from '../param/params.js';
import { SharedParams, sparkSeed } from '../param/shared-params.table.js';
import { param, paramFamily, withDefault } from '../param/spec.js';

const S = SharedParams.params;

export const GaussianMixtureParamsTable = paramFamily('GaussianMixtureParams', {
  doc: "Spark's GaussianMixtureParams, shared by GaussianMixture and GaussianMixtureModel.",
  params: {
    featuresCol: S.featuresCol,
    predictionCol: S.predictionCol,
    probabilityCol: S.probabilityCol,
    k: param.number('Number of independent Gaussians in the mixture model. Must be > 1.', { default: 2, validate: V.intGt(1) }),
    maxIter: withDefault(S.maxIter, 100),
    tol: withDefault(S.tol, 0.01),
    seed: sparkSeed('org.apache.spark.ml.clustering.GaussianMixture'),
    weightCol: S.weightCol,
    aggregationDepth: S.aggregationDepth,
  },
});
