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
