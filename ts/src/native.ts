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

/** The kernel exports; the same set exists for the active tier and for each `_variants()` entry. */
export interface NativeKernels {
  momentsF64(x: Float64Array, validity: Uint8Array | null, bitOffset: number, out: Float64Array): void;
  momentsF32(x: Float32Array, validity: Uint8Array | null, bitOffset: number, out: Float64Array): void;
  momentsI32(x: Int32Array, validity: Uint8Array | null, bitOffset: number, out: Float64Array): void;
  groupAggF64(keys: Int32Array, values: Float64Array, validity: Uint8Array | null, bitOffset: number, numGroups: number, acc: Float64Array): number;
  groupAggInitF64(numGroups: number): Float64Array;
  /** Benchmark helper: a plain multi-accumulator sum, the memory-read floor. */
  _streamSumF64(x: Float64Array): number;
  murmur3Batch(bytes: Uint8Array, offsets: Int32Array, seed: number, out: Int32Array): void;
  murmur3LegacyBatch(bytes: Uint8Array, offsets: Int32Array, seed: number, out: Int32Array): void;
  pairwiseF64(x: Float64Array, d: number, centers: Float64Array, k: number, measure: number, out: Float64Array): number;
  kmeansAssignF64(x: Float64Array, weights: Float64Array | null, d: number, centers: Float64Array, k: number, measure: number, sums: Float64Array, clusterWeights: Float64Array, labels: Int32Array | null, cost: Float64Array): number;
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
