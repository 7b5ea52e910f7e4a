/**
 * The param tables of ml.clustering: Spark's KMeansParams, GaussianMixtureParams,
 * BisectingKMeansParams, LDAParams and PowerIterationClusteringParams (each shared by the
 * estimator and its models); clustering-params.ts is generated from them.
 */
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

export const LDA_CLASS = 'org.apache.spark.ml.clustering.LDA';

export const OPTIMIZERS = ['online', 'em'] as const;

export const LDAParamsTable = paramFamily('LDAParams', {
  doc: "Spark's LDAParams, shared by LDA and its models.",
  params: {
    featuresCol: S.featuresCol,
    maxIter: withDefault(S.maxIter, 20),
    seed: sparkSeed(LDA_CLASS),
    checkpointInterval: param.number(
      'set checkpoint interval (>= 1) or disable checkpoint (-1). E.g. 10 means that the cache will get checkpointed every 10 iterations. Note: this setting will be ignored if the checkpoint directory is not set in the SparkContext.',
      { default: 10, validate: (v) => (Number.isInteger(v) && (v === -1 || v >= 1) ? null : 'an integer >= 1, or -1 to disable checkpoints') },
    ),
    k: param.number('The number of topics (clusters) to infer. Must be > 1.', { default: 10, validate: V.intGt(1) }),
    docConcentration: param.of<number[]>(
      'number[]',
      'Concentration parameter (commonly named "alpha") for the prior placed on documents\' distributions over topics ("theta").',
      { validate: V.numArray((x) => Number.isFinite(x) && x >= 0, 'an array of numbers >= 0'), copyOnGet: true },
    ),
    topicConcentration: param.number('Concentration parameter (commonly named "beta" or "eta") for the prior placed on topic\' distributions over terms.', {
      validate: (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? null : 'a number >= 0'),
    }),
    /** Case-insensitive, as Spark: 'EM' is accepted at run time and kept as given (the type asks for the canonical names). */
    optimizer: param.oneOf(OPTIMIZERS, `Optimizer or inference algorithm used to estimate the LDA model. Currently supported (case-insensitive): ${OPTIMIZERS.join(', ')}`, {
      default: 'online',
      caseInsensitive: true,
    }),
    topicDistributionCol: param.string(
      'Output column with estimates of the topic mixture distribution for each document (often called "theta" in the literature).  Returns a vector of zeros for an empty document.',
      { default: 'topicDistribution', validate: V.str() },
    ),
    learningOffset: param.number('(For online optimizer) A (positive) learning parameter that downweights early iterations. Larger values make early iterations count less.', {
      default: 1024,
      validate: V.gt(0),
    }),
    learningDecay: param.number('(For online optimizer) Learning rate, set as an exponential decay rate. This should be between (0.5, 1.0] to guarantee asymptotic convergence.', {
      default: 0.51,
      validate: V.gt(0),
    }),
    subsamplingRate: param.number('(For online optimizer) Fraction of the corpus to be sampled and used in each iteration of mini-batch gradient descent, in range (0, 1].', {
      default: 0.05,
      validate: V.inRange(0, 1, false, true),
    }),
    optimizeDocConcentration: param.boolean(
      '(For online optimizer only, currently) Indicates whether the docConcentration (Dirichlet parameter for document-topic distribution) will be optimized during training.',
      { default: true },
    ),
    keepLastCheckpoint: param.boolean(
      '(For EM optimizer) If using checkpointing, this indicates whether to keep the last checkpoint. If false, then the checkpoint will be deleted. Deleting the checkpoint can cause failures if a data partition is lost, so set this bit with care.',
      { default: true },
    ),
  },
});

export const PowerIterationClusteringParamsTable = paramFamily('PowerIterationClusteringParams', {
  doc: "Spark's PowerIterationClusteringParams.",
  params: {
    k: param.number('The number of clusters to create. Must be > 1.', { default: 2, validate: V.intGt(1) }),
    maxIter: withDefault(S.maxIter, 20),
    initMode: param.oneOf(
      ['random', 'degree'],
      "The initialization algorithm. This can be either 'random' to use a random vector as vertex properties, or 'degree' to use a normalized sum of similarities with other vertices.  Supported options: 'random' and 'degree'.",
      { default: 'random' },
    ),
    srcCol: param.string('Name of the input column for source vertex IDs.', { default: 'src', validate: V.nonEmptyStr() }),
    dstCol: param.string('Name of the input column for destination vertex IDs.', { default: 'dst', validate: V.nonEmptyStr() }),
    weightCol: S.weightCol,
  },
});
