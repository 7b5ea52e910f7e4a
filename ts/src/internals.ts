/**
 * `kindling/internals`: the engine's building blocks, for benchmarks, tests and contributors —
 * not the user API (no stability promise between minor versions). Kernel wrappers with their
 * JS reference twins (kernels/), the executor backends and job functions (exec/), the wire
 * codecs, and the built-in task definitions' helpers. See CONTRIBUTING.md.
 */
export type { NumericArray, Validity } from './validate.js';
export {
  moments, mergeMoments, zeroMoments, sampleVariance, populationVariance, sparkMin, sparkMax, momentsJs,
  type Moments,
} from './kernels/moments.js';
export {
  groupAggZero, groupAggAdd, groupAggMerge, groupAggResult, groupAggAddJs,
  type GroupAggState, type GroupAggResult,
} from './kernels/group-agg.js';
export {
  murmur3Batch, murmur3BatchJs, murmur3BytesJs, murmur3String, packStrings, nonNegativeMod, hashInt, hashLong,
  SPARK_HASH_SEED, type PackedStrings,
} from './kernels/hash.js';
export {
  pairwiseDistances, pairwiseDistancesJs, kmeansStepZero, kmeansStepAdd, kmeansStepAddJs, kmeansStepMerge,
  type DistanceMeasure, type KMeansStepStats, type KMeansStepOptions,
} from './kernels/distance.js';
export { hashGroup, hashGroupI32, hashGroupI64, hashGroupF64, hashGroupStrings, hashGroupRows, hashGroupJs, GroupTable, GroupTableJs,
  type KeyKind, type KeyColumn, type GroupIds, type GroupTableLike } from './kernels/hash-group.js';
export { hashJoin, hashJoinJs, JoinTable, JoinTableJs, type JoinMode, type JoinOptions, type JoinProbe, type JoinResult, type JoinTableLike } from './kernels/join.js';
export { argsort, argsortI32, argsortI64, argsortF64, argsortJs, argsortStrings, argsortMulti, argsortMultiJs,
  type ArgsortOptions, type SortKey, type SortValues } from './kernels/sort.js';
export { murmur3Column, murmur3ColumnJs, sparkHash, sparkHashJs, partitionIds, partitionIdsJs, scatterRows, scatterRowsJs, hashPartition,
  type HashColumn, type HashPartitioning, type Scatter } from './kernels/partition.js';
export type { ExecutorBackend, TaskSpec, TaskInput, BlockId, KeptRef } from './exec/backend.js';
export { InlineBackend } from './exec/inline-backend.js';
export { PoolBackend } from './exec/pool-backend.js';
export { aggregateJob, mapJob, keepJob, treeMerge, valuesSource } from './exec/jobs.js';
export { defineSummary, defineTask, registerTasks, resolveTask, BUILTIN_MODULE } from './exec/task.js';
export { encodeSummary, decodeSummary, encodeError, decodeError, type WireError } from './exec/wire.js';
export {
  gmmStepZero, gmmStepAdd, gmmStepMerge, gmmPosteriors, gmmPosteriorsJs, gmmStepAddJs, choleskyLower, GMM_EPSILON,
  type GmmStepStats, type GmmComponents,
} from './kernels/gmm.js';
export { firstBadRow, firstBadRowJs, firstBadWeight, firstBadWeightJs, explainRow, type RowChecks } from './kernels/validate-rows.js';
// issue 14, area word2vec
export { word2vecTrain, word2vecTrainRaw, word2vecTrainJs, huffmanTree, expTable, type HuffmanTree, type TrainPass } from './kernels/word2vec.js';
// selection (issue 14): PCA's Gram kernel
export { gramAdd, gramAddJs } from './kernels/gram.js';
