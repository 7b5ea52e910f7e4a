/**
 * The worker entry: the composition root of the executors (docs/ARCHITECTURE.md, "Layers").
 * It sits above ts/src and ts/ml, so every built-in task can live beside its algorithm while
 * ts/src never imports ts/ml. Every executor thread loads it first (a `local[N]` pool's threads
 * through Piscina; the driver's own thread when it runs a small job, or on `local`): it
 * registers the built-in tasks below by their refs, and its default export is the pool threads'
 * task function. User tasks are not listed here: they load by module URL (exec/task.ts).
 */
import { registerTasks, type Task } from './src/exec/task.js';
import { stageTask } from './src/dataframe/stage-task.js';
import { hashAggSummary } from './src/dataframe/hash-agg.js';
import { denseAggSummary } from './src/dataframe/dense-agg.js';
import { gatherRows, packInstances } from './ml/data/instances-tasks.js';
import { trainingStats } from './ml/predictor/predictor-tasks.js';
import { kmeansInitCosts, kmeansPick, kmeansPredict, kmeansStats, kmeansUpdateCosts } from './ml/clustering/kmeans-tasks.js';
import { gmmDataStats, gmmPredict, gmmSampleDraw, gmmSizes, gmmStats } from './ml/clustering/gmm-tasks.js';
import { bisectInitAssignments, bisectLeafStats, bisectPredict, bisectStepSummary } from './ml/clustering/bisecting-kmeans-tasks.js';
import { picIndexVertices, picMultiply, picNormalize, picPackEdges, picVertexIds } from './ml/clustering/power-iteration-clustering-tasks.js';
import { ldaBoundStats, ldaEmGraph, ldaEmState, ldaEmStats, ldaOnlineStats, ldaPackDocs, ldaTransform } from './ml/clustering/lda-tasks.js';
import { fpGrowthItems, fpGrowthMine, fpGrowthPredict, fpGrowthTrees } from './ml/fpm/fpgrowth-tasks.js';
import { prefixSpanEncode, prefixSpanItems, prefixSpanLocal, prefixSpanPrefix, prefixSpanProject } from './ml/fpm/prefixspan-tasks.js';
import { binaryScoreStats } from './ml/evaluation/binary-classification-tasks.js';
import { confusionStats } from './ml/evaluation/multiclass-classification-tasks.js';
import { multilabelStats } from './ml/evaluation/multilabel-classification-tasks.js';
import { regressionStats } from './ml/evaluation/regression-tasks.js';
import { rankingStats } from './ml/evaluation/ranking-tasks.js';
import { clusterStats, silhouetteStats } from './ml/evaluation/clustering-tasks.js';
import { scalerTransform } from './ml/feature/scaling/standard-scaler-tasks.js';
import { vectorAssemble } from './ml/feature/vectors/vector-assembler-tasks.js';
import { customModelScore } from './ml/models/custom-model-task.js';
// issue 14, area vectors/word2vec
import { interaction, vectorMap, vectorSizeHint } from './ml/feature/vectors/vectors-tasks.js';
import { w2vEncode, w2vKeep, w2vTrain, w2vTransform, w2vVocab } from './ml/feature/text/word2vec-tasks.js';
// feature: imputation and selection (issue 14, f14-select)
import { imputeColumns, imputerStats, indicateMissing, sampleImpute } from './ml/feature/imputation/imputer-tasks.js';
import { pcaGram, pcaProject } from './ml/feature/selection/pca-tasks.js';
import { selectFeatures, selectorStats } from './ml/feature/selection/selector-tasks.js';
import { iterativeImpute } from './ml/feature/imputation/iterative-imputer-tasks.js';
// categorical features (issue 14)
import { categoryLookup, indexToStringTask } from './ml/feature/categorical/categorical-tasks.js';
import { oneHotMaxes, oneHotTransform } from './ml/feature/categorical/one-hot-encoder-tasks.js';
import { featureHash } from './ml/feature/categorical/feature-hasher-tasks.js';
import { vectorIndexerStats, vectorIndexerTransform } from './ml/feature/categorical/vector-indexer-tasks.js';
// text features (issue 14, area text)
import { ngramTransform, regexTokenizerTransform, stopWordsTransform, tokenizerTransform } from './ml/feature/text/text-tasks.js';
import { hashingTFTransform } from './ml/feature/text/hashing-tf.js';
import { countVectorizerTransform, termCounts } from './ml/feature/text/count-vectorizer-tasks.js';
import { docFreqStats, idfTransform } from './ml/feature/text/idf-tasks.js';
// --- scaling (issue 14)
import { affineTransform, colStatsOf, normalizeTransform } from './ml/feature/scaling/scaling-tasks.js';
import { binarizeTransform } from './ml/feature/scaling/binarizer-tasks.js';
import { robustSketches } from './ml/feature/scaling/robust-scaler-tasks.js';
import { bucketizeTransform } from './ml/feature/scaling/bucketizer-tasks.js';
// --- end scaling
// linear models' loss-and-gradient pass (issue 15, optim)
import { glmLossGradSummary } from './ml/optim/loss-tasks.js';
// linear regression, GLR (issue 15, linreg)
import { huberLossGrad, linearRegressionScoring, wlsStats } from './ml/regression/linear-regression-tasks.js';
import { multivariateAssemble, multivariateTargets } from './ml/regression/multivariate-regressor-tasks.js';
import { glrAppendOffset, glrNullStats, glrPredict, glrResiduals, glrSummaryStats, glrWlsStats } from './ml/regression/generalized-linear-regression-tasks.js';
import { glrScoring } from './ml/regression/generalized-linear-regression-model.js';
// issue 15: MultilayerPerceptronClassifier, FMClassifier, FMRegressor
import { fmClassifierScoring, fmGradient, fmRegressorScoring } from './ml/classification/factorization-machines-tasks.js';
import { mlpGradient, mlpScoring } from './ml/classification/multilayer-perceptron-tasks.js';
// regression: isotonic and AFT survival (issue 15)
import { isotonicPoints, isotonicPredictTask } from './ml/regression/isotonic-regression-tasks.js';
import { aftLossGrad, aftPack, aftScoring, aftTransform } from './ml/regression/aft-survival-regression-tasks.js';
import { logisticScoring, logisticSummaryStats } from './ml/classification/logistic-regression-tasks.js';
import { linearSVCScoring } from './ml/classification/linear-svc-tasks.js';
// classification: NaiveBayes, OneVsRest, MultilabelClassifier (issue 15, nb)
import { naiveBayesScoring, naiveBayesStats } from './ml/classification/naive-bayes-tasks.js';
import { oneVsRestCombine } from './ml/classification/one-vs-rest-tasks.js';
import { multilabelCombine, multilabelLabelStats } from './ml/classification/multilabel-classifier-tasks.js';

/** Every built-in task, by family. */
export const BUILTIN_TASKS: readonly Task[] = [
  // DataFrame engine: stages, group-by routes
  stageTask, hashAggSummary, denseAggSummary,
  // ML training data (prepared once on the executors)
  packInstances, gatherRows, trainingStats,
  // clustering
  kmeansStats, kmeansInitCosts, kmeansUpdateCosts, kmeansPick, kmeansPredict,
  gmmDataStats, gmmSampleDraw, gmmStats, gmmSizes, gmmPredict,
  bisectInitAssignments, bisectStepSummary, bisectLeafStats, bisectPredict,
  picPackEdges, picVertexIds, picIndexVertices, picMultiply, picNormalize,
  ldaPackDocs, ldaOnlineStats, ldaBoundStats, ldaEmState, ldaEmStats, ldaEmGraph, ldaTransform,
  // frequent patterns
  fpGrowthItems, fpGrowthTrees, fpGrowthMine, fpGrowthPredict,
  prefixSpanItems, prefixSpanEncode, prefixSpanPrefix, prefixSpanProject, prefixSpanLocal,
  // evaluators
  binaryScoreStats, confusionStats, multilabelStats, regressionStats, rankingStats, clusterStats, silhouetteStats,
  // feature fits
  scalerTransform, vectorAssemble,
  // MLflow models: a custom model's predict (asUdf)
  customModelScore,
  // issue 14, area vectors/word2vec: vector transformers
  vectorMap, vectorSizeHint, interaction,
  w2vVocab, w2vEncode, w2vKeep, w2vTrain, w2vTransform,
  // feature: imputation and selection (issue 14, f14-select)
  imputerStats, imputeColumns, indicateMissing, sampleImpute,
  pcaGram, pcaProject, selectorStats, selectFeatures, iterativeImpute,
  // categorical features (issue 14)
  categoryLookup, indexToStringTask, oneHotMaxes, oneHotTransform, featureHash, vectorIndexerStats, vectorIndexerTransform,
  // text features (issue 14, area text)
  tokenizerTransform, regexTokenizerTransform, stopWordsTransform, ngramTransform, hashingTFTransform,
  termCounts, countVectorizerTransform, docFreqStats, idfTransform,
  // --- scaling (issue 14)
  colStatsOf, affineTransform, normalizeTransform, binarizeTransform, robustSketches, bucketizeTransform,
  // --- end scaling
  // linear models' loss-and-gradient pass (issue 15, optim)
  glmLossGradSummary,
  // linear regression, GLR (issue 15, linreg)
  wlsStats, huberLossGrad, linearRegressionScoring.task,
  glrWlsStats, glrPredict, glrSummaryStats, glrNullStats, glrResiduals, glrAppendOffset, glrScoring.task,
  multivariateTargets, multivariateAssemble,
  // issue 15: MultilayerPerceptronClassifier, FMClassifier, FMRegressor
  fmGradient, fmClassifierScoring.task, fmRegressorScoring.task, mlpGradient, mlpScoring.task,
  // regression: isotonic and AFT survival (issue 15)
  isotonicPoints, isotonicPredictTask,
  aftPack, aftLossGrad, aftTransform, aftScoring.task,
  // LogisticRegression and LinearSVC transforms (issue 15, logreg)
  logisticScoring.task, logisticSummaryStats, linearSVCScoring.task,
  // classification: NaiveBayes, OneVsRest, MultilabelClassifier (issue 15, nb)
  naiveBayesStats, naiveBayesScoring.task,
  oneVsRestCombine, multilabelLabelStats, multilabelCombine,
];

registerTasks(BUILTIN_TASKS);

export { default } from './src/exec/pool-worker.js';
