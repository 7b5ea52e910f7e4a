/**
 * `kindling/ml`: Params, Estimator/Transformer/Model, Pipeline, persistence, feature,
 * classification, regression, clustering, frequent patterns, evaluation, tuning, and (later)
 * the MLOps pieces.
 */
export { Param, ParamMap, Params, ParamValidators, randomUid, type Validator, type ParamValue } from './param/params.js';
export type { ParamsOptions } from './param/spec.js';
export { javaStringHash } from './param/shared-params.table.js';
export { PipelineStage, Transformer, Estimator, Model, Evaluator, type FitOptions, type ProgressEvent } from './stage.js';

// Linear algebra (importing it makes collect() return DenseVector/SparseVector for vector columns).
export * from './linalg/index.js';
// Feature engineering: every ml.feature stage, ML attributes.
export * from './feature/index.js';
export * from './predictor/index.js';
export * from './classification/index.js';
export * from './regression/index.js';
export * from './evaluation/index.js';

// Pipelines, Spark ML persistence, model selection.
export { MLWritable, type Writable, type Readable } from './ml-writable.js';
export { Pipeline, PipelineModel, type PipelineOptions } from './pipeline.js';
export {
  MLWriter, MLReader, DefaultParamsWriter, DefaultParamsReader, register, loadAs, saveStage, loadStage, readMetadata, writeMetadata,
  getAndSetParams, encodeParams, writeData, readData, sparkClassOf, registeredClass, isPersistable, getUidMap, stagePath,
  parseSparkJson, toSparkJson, JsonDouble, SPARK_VERSION, KINDLING_VERSION_KEY, KINDLING_FEATURE_NS, kindlingVersion,
  type Metadata, type StageIO, type WriteContext, type ReadContext, type ParamsCtor, type MetadataOptions, type JsonKind,
} from './persist.js';
export * from './tuning/index.js';
export {
  KMeans, updateCenters as kmeansUpdateCenters,
  type KMeansOptions, type KMeansInitMode, type KMeansSolver, type CenterUpdate,
} from './clustering/kmeans.js';
export { KMeansModel, KMeansSummary, type KMeansModelOptions } from './clustering/kmeans-model.js';
export { ClusteringSummary } from './clustering/clustering-summary.js';

// Frequent pattern mining: FPGrowth / FPGrowthModel, PrefixSpan.
export * from './fpm/index.js';

// Topic models and graph clustering: LDA (online variational Bayes / EM), PowerIterationClustering.
export {
  LDA, LDAModel, LocalLDAModel, DistributedLDAModel, GAMMA_SHAPE as LDA_GAMMA_SHAPE,
  type LDAOptions, type LocalLDAState, type EmGraphState,
} from './clustering/lda.js';
export {
  ldaPackDocs, ldaOnlineStats, ldaBoundStats, ldaEmState, ldaEmStats, ldaEmGraph, computePTopic as ldaComputePTopic, sampleCount as ldaSampleCount,
  type DocsSpec, type OnlineStats, type OnlineBroadcast, type BoundStats, type BoundBroadcast, type EmBroadcast, type EmStats, type EmGraphPart,
} from './clustering/lda-tasks.js';
export type { DocBlock } from './clustering/lda-docs.js';
export { learningRate as ldaLearningRate, updateLambda as ldaUpdateLambda, updateAlpha as ldaUpdateAlpha } from './clustering/lda-online.js';
export {
  digamma, trigamma, lgamma, dirichletExpectation, logSumExp, variationalTopicInference, topicExpectations, topicsBound as ldaTopicsBound, Rng,
  type TopicInference,
} from './clustering/lda-math.js';
export { PowerIterationClustering, kMeans1d, powerIteration as picPowerIteration, type PowerIterationClusteringOptions, type PicInitMode, type PicGraph } from './clustering/power-iteration-clustering.js';
export {
  BisectingKMeans, BisectingKMeansModel, BisectingKMeansSummary, bisectStepSummary,
  type BisectingKMeansOptions, type BisectingKMeansModelOptions, type ClusteringTreeNode, type BisectStats, type BisectPartition, type BisectBroadcast,
} from './clustering/bisecting-kmeans.js';
export {
  GaussianMixture, GaussianMixtureModel, GaussianMixtureSummary, MultivariateGaussian, gmmMStep, GMM_MAX_NUM_FEATURES,
  type GaussianMixtureOptions, type GaussianMixtureModelOptions, type GaussianMixtureInit, type GmmRegularization, type GmmPseudoInverse, type GmmCollapse, type MixtureState,
} from './clustering/gaussian-mixture.js';
export { gmmStepZero, gmmStepAdd, gmmStepMerge, gmmPosteriors, type GmmStepStats, type GmmComponents } from '../src/kernels/gmm.js';

// MLflow models: packaging (MLmodel directories), loading, custom models, scoring.
export { saveModel, inferSignature, type SaveModelOptions } from './models/save-model.js';
export { loadModel, LoadedModel, type LoadModelOptions } from './models/load-model.js';
export { saveCustomModel, customSignature, type CustomModel, type CustomModelRef, type ModelContext, type SaveCustomModelOptions } from './models/custom-model.js';
export { resolveModelUri, registerModelUriScheme, type ModelUriResolver } from './models/model-uri.js';
export { readMLmodel, type MLmodelFile } from './models/mlmodel.js';
export { parseScoringInput, enforceSignature, type TableInput } from './models/scoring-input.js';
export type { ModelSignature, ColSpec, ColumnType } from './models/signature.js';
export { serveModel, DEFAULT_MAX_BODY_BYTES, type ServeOptions, type ScoringServer } from './serving/scoring-server.js';
// MLOps: MLflow-compatible tracking and model registry (`tracking.startRun`, `tracking.MlflowClient`, …).
export * as tracking from './tracking/index.js';

