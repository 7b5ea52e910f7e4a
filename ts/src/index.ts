/** kindling: Spark MLlib and MLflow for TypeScript. The engine entry point (`kindling`). */
export { KindlingError, KindlingTypeError, KindlingRangeError, type ErrorCode } from './errors.js';
export { simdLevel, capabilities, type SimdLevel, type NativeCapabilities } from './native.js';
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
export { Session, SessionBuilder, parseMaster, type ParsedMaster } from './session.js';
export type { ExecutorBackend, SummaryTask } from './exec/backend.js';
export { InlineBackend, LocalBackend } from './exec/pool.js';
export { treeAggregate, type AggregateOptions } from './exec/aggregate.js';
export { summaryRef, treeMerge, type Summary, type SummaryRef } from './exec/summary.js';
export { encodeSummary, decodeSummary, encodeError, decodeError, type WireError } from './exec/wire.js';
export { momentsSummary, MOMENTS_MODULE, type ColumnPartition } from './kernels/moments.js';
export { groupAggSummary, GROUP_AGG_MODULE, type GroupAggPartition } from './kernels/group-agg.js';
export { kmeansStepSummary, KMEANS_STEP_MODULE, type KMeansPartition, type KMeansBroadcast } from './kernels/distance.js';
export { DataFrame, GroupedData, DataFrameNaFunctions } from './dataframe/dataframe.js';
export { Column, col, column, lit, when, functions, type Expr, type Literal } from './dataframe/column.js';
export { DataFrameReader } from './dataframe/reader.js';
export { DataFrameWriter } from './dataframe/writer.js';
export { Types, sparkTypeName, parseTypeName, isVectorType } from './dataframe/types.js';
export { parseSchema } from './dataframe/schema-ddl.js';
export type { DataSource, ScanOptions, PushedFilter } from './io/source.js';
export { hashGroup, hashGroupI32, hashGroupI64, hashGroupF64, hashGroupStrings, hashGroupRows, hashGroupJs, GroupTable, GroupTableJs,
  type KeyKind, type KeyColumn, type GroupIds, type GroupTableLike } from './kernels/hash-group.js';
export { hashJoin, hashJoinJs, JoinTable, JoinTableJs, type JoinMode, type JoinOptions, type JoinProbe, type JoinResult, type JoinTableLike } from './kernels/join.js';
export { argsort, argsortI32, argsortI64, argsortF64, argsortJs, argsortStrings, argsortMulti, argsortMultiJs,
  type ArgsortOptions, type SortKey, type SortValues } from './kernels/sort.js';
export { murmur3Column, murmur3ColumnJs, sparkHash, sparkHashJs, partitionIds, partitionIdsJs, scatterRows, scatterRowsJs, hashPartition,
  type HashColumn, type HashPartitioning, type Scatter } from './kernels/partition.js';
