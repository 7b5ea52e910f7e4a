/**
 * Loads the native addon (a prebuilt `prebuilds/<platform>-<arch>/*.node` when one matches,
 * else the local `build/Release`) and declares its exact signatures. Each C++ export carries
 * the same signature in a comment (native/src/binding/*.cc); scripts/check-native-sigs.mjs keeps
 * the two in sync.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Errors, KindlingError } from './errors.js';

export type SimdLevel = 'scalar' | 'avx2' | 'avx512';

/** Key layouts of the group-id / join tables (native/include/kindling/kernels/hashtable.h). */
export type NativeKeyKind = 'i32' | 'i64' | 'f64' | 'string' | 'rows32' | 'rows64';
/** Key values by kind: i32, i64, f64 values; the UTF-8 bytes of strings; the words of packed rows. */
export type NativeKeyValues = Int32Array | BigInt64Array | Float64Array | Uint8Array | Uint32Array | BigUint64Array;

/** Dense group codes in first-appearance order, and the first row of each new group. */
export interface NativeGroupIds {
  codes: Int32Array;
  firstRow: Int32Array;
}

/** Rows grouped by id: rows of id c are rows[offsets[c], offsets[c + 1]), ascending. */
export interface NativeScatter {
  offsets: Int32Array;
  rows: Int32Array;
}

/** One probe of a JoinTable: pairs (left = probe row, right = build row) and probe rows without a match. */
export interface NativeJoinProbe {
  left: Int32Array;
  right: Int32Array;
  unmatchedProbe: Int32Array;
}

/**
 * Incremental group ids (a Napi::ObjectWrap over kindling::scalar::KeyTable). `add` keeps every
 * key it has seen; `firstRow` lists the rows (of that batch) that created new groups.
 */
export interface NativeKeyTable {
  add(values: NativeKeyValues, offsets: Int32Array | null, validity: Uint8Array | null, bitOffset: number): NativeGroupIds;
  lookup(values: NativeKeyValues, offsets: Int32Array | null, validity: Uint8Array | null, bitOffset: number): Int32Array;
  size(): number;
  dispose(): void;
}

/** A hash join's build side (kindling::scalar::JoinIndex): build once, probe many batches. */
export interface NativeJoinTable {
  build(values: NativeKeyValues, offsets: Int32Array | null, validity: Uint8Array | null, bitOffset: number): void;
  probe(values: NativeKeyValues, offsets: Int32Array | null, validity: Uint8Array | null, bitOffset: number, mode: number): NativeJoinProbe;
  matchedBuild(): Uint8Array;
  buildRows(): number;
  dispose(): void;
}

/** The kernel exports; the same set exists for the active tier and for each `_variants()` entry. */
export interface NativeKernels {
  momentsF64(x: Float64Array, validity: Uint8Array | null, bitOffset: number, out: Float64Array): void;
  momentsF32(x: Float32Array, validity: Uint8Array | null, bitOffset: number, out: Float64Array): void;
  momentsI32(x: Int32Array, validity: Uint8Array | null, bitOffset: number, out: Float64Array): void;
  groupAggF64(keys: Int32Array, values: Float64Array, validity: Uint8Array | null, bitOffset: number, numGroups: number, acc: Float64Array): number;
  groupAggInitF64(numGroups: number): Float64Array;
  /** Benchmark helper: a plain multi-accumulator sum, the memory-read floor. */
  _streamSumF64(x: Float64Array): number;
  /** Test-only: throws a C++ exception of `kind` inside an export, to show the guard turns it into a coded error. */
  _nativeThrow(kind: string): void;
  murmur3Batch(bytes: Uint8Array, offsets: Int32Array, seed: number, out: Int32Array): void;
  murmur3LegacyBatch(bytes: Uint8Array, offsets: Int32Array, seed: number, out: Int32Array): void;
  pairwiseF64(x: Float64Array, d: number, centers: Float64Array, k: number, measure: number, out: Float64Array): number;
  kmeansAssignF64(x: Float64Array, weights: Float64Array | null, d: number, centers: Float64Array, k: number, measure: number, sums: Float64Array, clusterWeights: Float64Array, labels: Int32Array | null, cost: Float64Array): number;
  /** Row checks of a row-major n x d block (native/include/kindling/kernels/validate.h): -1, or the first row with a non-finite value or failing a flag (1: non-zero norm, 2: finite squared norm). */
  firstBadRowF64(x: Float64Array, d: number, flags: number): number;
  /** -1, or the first weight that is NaN, negative or +Infinity. */
  firstBadWeightF64(w: Float64Array): number;
  // --- scaling (issue 14): column statistics and the scalers' affine map (native/include/kindling/kernels/colstats.h)
  /** Statistics of the rows of x (x.length / d rows of d): out (1 + 5d) = [n, mean(d), m2(d), min(d), max(d), nnz(d)]. */
  colStatsF64(x: Float64Array, d: number, out: Float64Array): void;
  /** y = (x - shift) * scale + offset per feature over the rows of x (x.length / d rows of d). */
  affineRowsF64(x: Float64Array, d: number, shift: Float64Array, scale: Float64Array, offset: Float64Array, y: Float64Array): void;
  // --- end scaling
  // linear models (issue 15, optim): the GLM data term (native/include/kindling/kernels/glm.h)
  /** Adds the gradient of Σ w·loss over the rows (n = y.length) into grad (k*d coefficients, then k intercepts) and [Σ w·loss, Σ w] into sums; kind 0 binomial, 1 multinomial, 2 squared, 3 hinge. */
  glmLossGradF64(kind: number, x: Float64Array, y: Float64Array, w: Float64Array | null, d: number, k: number, coef: Float64Array, intercept: Float64Array, grad: Float64Array, sums: Float64Array): void;
  /** out (n x k) = the margins coef·x + intercept of n rows of d. */
  glmMarginsF64(x: Float64Array, n: number, d: number, coef: Float64Array, intercept: Float64Array, k: number, out: Float64Array): void;
  /** The Gaussian-mixture E-step (native/include/kindling/kernels/gmm.h); returns -1 or the first bad row. */
  gmmEStepF64(x: Float64Array, weights: Float64Array | null, d: number, k: number, shift: Float64Array, mixWeights: Float64Array, means: Float64Array, chol: Float64Array, logDet: Float64Array, respSum: Float64Array | null, sumX: Float64Array | null, sumXX: Float64Array | null, logLik: Float64Array | null, resp: Float64Array | null, pseudo: Uint8Array | null): number;
  hashGroupI32(keys: Int32Array, validity: Uint8Array | null, bitOffset: number): NativeGroupIds;
  hashGroupI64(keys: BigInt64Array, validity: Uint8Array | null, bitOffset: number): NativeGroupIds;
  hashGroupF64(keys: Float64Array, validity: Uint8Array | null, bitOffset: number): NativeGroupIds;
  hashGroupStrings(bytes: Uint8Array, offsets: Int32Array, validity: Uint8Array | null, bitOffset: number): NativeGroupIds;
  hashGroupRows(words: Uint32Array | BigUint64Array, width: number): NativeGroupIds;
  /** Scalar-only handles: every tier's export set has the same factories. */
  keyTableNew(kind: NativeKeyKind, width: number): NativeKeyTable;
  joinTableNew(kind: NativeKeyKind, width: number): NativeJoinTable;
  argsortI32(values: Int32Array, validity: Uint8Array | null, bitOffset: number, descending: boolean, nullsFirst: boolean, perm: Int32Array | null): Int32Array;
  argsortI64(values: BigInt64Array, validity: Uint8Array | null, bitOffset: number, descending: boolean, nullsFirst: boolean, perm: Int32Array | null): Int32Array;
  argsortF64(values: Float64Array, validity: Uint8Array | null, bitOffset: number, descending: boolean, nullsFirst: boolean, perm: Int32Array | null): Int32Array;
  murmur3ColumnI32(values: Int32Array, validity: Uint8Array | null, bitOffset: number, hashes: Int32Array): void;
  murmur3ColumnI64(values: BigInt64Array, validity: Uint8Array | null, bitOffset: number, hashes: Int32Array): void;
  murmur3ColumnF64(values: Float64Array, validity: Uint8Array | null, bitOffset: number, hashes: Int32Array): void;
  murmur3ColumnF32(values: Float32Array, validity: Uint8Array | null, bitOffset: number, hashes: Int32Array): void;
  murmur3ColumnStrings(bytes: Uint8Array, offsets: Int32Array, validity: Uint8Array | null, bitOffset: number, hashes: Int32Array): void;
  partitionIds(hashes: Int32Array, numPartitions: number): Int32Array;
  scatterRows(ids: Int32Array, numBuckets: number): NativeScatter;
  // issue 14, area word2vec
  /** One partition's Word2Vec training pass (native/include/kindling/kernels/word2vec.h): updates syn0, syn1 and the counters in place; returns the words read. */
  word2vecTrainF32(words: Int32Array, sentOff: Int32Array, codeOff: Int32Array, codes: Uint8Array, points: Int32Array, d: number, syn0: Float32Array, syn1: Float32Array, syn0Mod: Int32Array, syn1Mod: Int32Array, expTable: Float32Array, window: number, seed: number, learningRate: number, numPartitions: number, wordsBefore: number, totalWords: number): number;
  // selection (issue 14)
  /** Shifted Gram matrix (upper triangle, d x d row-major) and column sums of a row-major n x d block, added into gram and sums (native/include/kindling/kernels/gram.h). */
  gramAddF64(x: Float64Array, d: number, shift: Float64Array, gram: Float64Array, sums: Float64Array): void;
  // text features (issue 14, area text): native/src/binding/text.cc
  hashingTf(bytes: Uint8Array, strOffsets: Int32Array, validity: Uint8Array | null, bitOffset: number, listOffsets: Int32Array, numFeatures: number, binary: boolean, legacy: boolean, rowOffsets: Int32Array, indices: Int32Array, values: Float64Array): number;
  docFreqSparse(rowOffsets: Int32Array, indices: Int32Array, values: Float64Array, d: number, df: Float64Array): number;
  docFreqDense(x: Float64Array, d: number, df: Float64Array): void;
}

export interface NativeCapabilities {
  detected: SimdLevel[];
  compiled: SimdLevel[];
  active: SimdLevel;
  envValid: boolean;
}

export interface NativeAddon extends NativeKernels {
  simdLevel(): SimdLevel;
  capabilities(): NativeCapabilities;
  _variants(): Array<NativeKernels & { isa: SimdLevel }>;
}

const SIMD_VALUES: readonly string[] = ['scalar', 'avx2', 'avx512'];

/** The package root: the nearest ancestor of this module holding binding.gyp. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'binding.gyp')) && existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw Errors.load('kindling: cannot find the package root (no binding.gyp above ' + fileURLToPath(import.meta.url) + ')');
    dir = up;
  }
}

let addon: NativeAddon | undefined;

/** The addon for this thread (loaded on first use; every worker thread loads its own instance). */
export function native(): NativeAddon {
  if (addon) return addon;
  const simd = process.env.KINDLING_SIMD;
  if (simd !== undefined && simd !== '' && !SIMD_VALUES.includes(simd)) {
    throw new KindlingError('ERR_KINDLING_INVALID_ARG', `kindling: expected one of scalar, avx2, avx512 for KINDLING_SIMD, got ${JSON.stringify(simd)} (string)`);
  }
  const root = packageRoot();
  const require = createRequire(import.meta.url);
  try {
    const load = require('node-gyp-build') as (dir: string) => NativeAddon;
    addon = load(root);
  } catch (cause) {
    const tried = [join(root, 'build', 'Release', 'kindling.node'), join(root, 'prebuilds', `${process.platform}-${process.arch}`)];
    throw Errors.load(
      `kindling: could not load the native addon for ${process.platform}-${process.arch} (Node ${process.version}, N-API). ` +
        `Tried: ${tried.join(', ')}. Fix: run \`npm rebuild kindling\` (needs python3, make and a C++17 compiler), ` +
        `or install on a platform with a prebuilt binary (linux-x64). Cause: ${cause instanceof Error ? cause.message : String(cause)}`,
      cause,
    );
  }
  return addon;
}

/** The SIMD tier the kernels run on in this process: 'avx512', 'avx2' or 'scalar'. */
export function simdLevel(): SimdLevel {
  return native().simdLevel();
}

/** What the CPU has, what the binary was built with, and what is active. */
export function capabilities(): NativeCapabilities {
  return native().capabilities();
}
