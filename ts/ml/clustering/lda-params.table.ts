/** The param table of Spark's LDAParams (LDA, LocalLDAModel, DistributedLDAModel); lda-params.ts is generated from it. */
import { ParamValidators as V } from '../param/params.js';
import { SharedParams, sparkSeed } from '../param/shared-params.table.js';
import { param, paramFamily, withDefault } from '../param/spec.js';

const S = SharedParams.params;

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
