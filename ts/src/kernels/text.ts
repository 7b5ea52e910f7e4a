/**
 * Text-feature kernels (native/src/kernels/text/scalar.cc, scalar only): Spark's HashingTF over
 * a partition's token lists in Arrow's list<utf8> layout (no JS strings made), and IDF's document
 * frequencies over sparse or dense rows; each with a validated wrapper and a JS twin (the test
 * oracle and the pure-JS baseline of bench/features.ts).
 */
import { Errors } from '../errors.js';
import { native, type NativeKernels } from '../native.js';
import { expectInt32Array, expectInteger } from '../validate.js';
import { murmur3BytesJs, SPARK_HASH_SEED } from './hash.js';

/** Token lists as Arrow's list<utf8> buffers: row i holds strings listOffsets[i] .. listOffsets[i + 1]. */
export interface TokenLists {
  bytes: Uint8Array;
  /** string j = bytes[strOffsets[j], strOffsets[j + 1]) */
  strOffsets: Int32Array;
  /** Validity of the strings (bit bitOffset + j), or null when none is null. */
  validity: Uint8Array | null;
  bitOffset: number;
  listOffsets: Int32Array;
}

/** Sparse rows: row i is indices / values [rowOffsets[i], rowOffsets[i + 1]). */
export interface SparseRows {
  rowOffsets: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

export interface HashingTFOptions {
  numFeatures: number;
  binary: boolean;
  /** Spark 2's string hash (hashUnsafeBytes), for models saved by Spark 2. */
  legacy: boolean;
}

function checkLists(api: string, t: TokenLists): number {
  if (!t || !(t.bytes instanceof Uint8Array)) throw Errors.invalidArg(api, 'lists.bytes', 'Uint8Array', t?.bytes);
  expectInt32Array(api, 'lists.strOffsets', t.strOffsets);
  expectInt32Array(api, 'lists.listOffsets', t.listOffsets);
  if (t.validity !== null && !(t.validity instanceof Uint8Array)) throw Errors.invalidArg(api, 'lists.validity', 'Uint8Array or null', t.validity);
  if (t.listOffsets.length === 0) throw Errors.outOfRange(api, 'lists.listOffsets.length', 'n + 1 >= 1', 0);
  const n = t.listOffsets.length - 1;
  return t.listOffsets[n]! - t.listOffsets[0]!;
}

/**
 * HashingTF rows of token lists. The offsets are checked natively (non-negative, non-decreasing,
 * within their buffers); a bad one is an ERR_KINDLING_NATIVE error naming it.
 */
export function hashingTf(lists: TokenLists, options: HashingTFOptions, impl: NativeKernels = native()): SparseRows {
  const api = 'hashingTf';
  const tokens = checkLists(api, lists);
  const nf = expectInteger(api, 'numFeatures', options.numFeatures, 1, 2 ** 31 - 1);
  const rowOffsets = new Int32Array(lists.listOffsets.length);
  const indices = new Int32Array(Math.max(tokens, 0));
  const values = new Float64Array(Math.max(tokens, 0));
  let nnz: number;
  try {
    nnz = impl.hashingTf(lists.bytes, lists.strOffsets, lists.validity, lists.bitOffset, lists.listOffsets, nf, options.binary === true, options.legacy === true, rowOffsets, indices, values);
  } catch (err) {
    throw Errors.fromNative(api, err);
  }
  return { rowOffsets, indices: indices.subarray(0, nnz), values: values.subarray(0, nnz) };
}

/**
 * HashingTF rows from each token's hash (Spark's counting: nonNegativeMod(hash, numFeatures),
 * one count per index, indices ascending, 1.0 each when binary); the JS path of non-string tokens.
 */
export function tfRowsFromHashes(hashes: Int32Array, listOffsets: Int32Array, numFeatures: number, binary: boolean): SparseRows {
  const n = listOffsets.length - 1;
  const rowOffsets = new Int32Array(n + 1);
  const idx: number[] = [];
  const val: number[] = [];
  const base = listOffsets[0]!;
  for (let i = 0; i < n; i++) {
    const counts = new Map<number, number>();
    for (let j = listOffsets[i]!; j < listOffsets[i + 1]!; j++) {
      const r = hashes[j - base]! % numFeatures;
      const k = r < 0 ? r + numFeatures : r;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    for (const k of [...counts.keys()].sort((a, b) => a - b)) {
      idx.push(k);
      val.push(binary ? 1 : counts.get(k)!);
    }
    rowOffsets[i + 1] = idx.length;
  }
  return { rowOffsets, indices: Int32Array.from(idx), values: Float64Array.from(val) };
}

/** The JS twin of `hashingTf`: the same rows from Spark's definition (hash, nonNegativeMod, count, sort). */
export function hashingTfJs(lists: TokenLists, options: HashingTFOptions): SparseRows {
  const n = lists.listOffsets.length - 1;
  const lo = lists.listOffsets[0]!;
  const hashes = new Int32Array(lists.listOffsets[n]! - lo);
  for (let j = lo; j < lists.listOffsets[n]!; j++) {
    const b = lists.bitOffset + j;
    const isNull = lists.validity !== null && ((lists.validity[b >> 3]! >> (b & 7)) & 1) === 0;
    hashes[j - lo] = isNull ? SPARK_HASH_SEED : murmur3BytesJs(lists.bytes, lists.strOffsets[j]!, lists.strOffsets[j + 1]!, SPARK_HASH_SEED, options.legacy);
  }
  return tfRowsFromHashes(hashes, lists.listOffsets, options.numFeatures, options.binary);
}

/**
 * Adds each sparse row's positive entries to the document frequencies df (length d; Spark counts > 0). Returns -1,
 * or the first row holding an index outside [0, d) (df is then unchanged).
 */
export function docFreqSparseRaw(rows: SparseRows, d: number, df: Float64Array, impl: NativeKernels = native()): number {
  try {
    return impl.docFreqSparse(rows.rowOffsets, rows.indices, rows.values, d, df);
  } catch (err) {
    throw Errors.fromNative('docFreqSparse', err);
  }
}

/** Adds each dense row's (x: n x d, row-major) positive entries to df. */
export function docFreqDenseRaw(x: Float64Array, d: number, df: Float64Array, impl: NativeKernels = native()): void {
  try {
    impl.docFreqDense(x, d, df);
  } catch (err) {
    throw Errors.fromNative('docFreqDense', err);
  }
}

/** The JS twin of the two document-frequency kernels (dense rows as x, or sparse rows). */
export function docFreqJs(rows: SparseRows | { x: Float64Array }, d: number, df: Float64Array): number {
  if ('x' in rows) {
    for (let i = 0; i < rows.x.length; i++) if (rows.x[i]! > 0) df[i % d]! += 1;
    return -1;
  }
  const n = rows.rowOffsets.length - 1;
  for (let i = 0; i < n; i++) for (let k = rows.rowOffsets[i]!; k < rows.rowOffsets[i + 1]!; k++) if (rows.indices[k]! < 0 || rows.indices[k]! >= d) return i;
  for (let k = rows.rowOffsets[0]!; k < rows.rowOffsets[n]!; k++) if (rows.values[k]! > 0) df[rows.indices[k]!]! += 1;
  return -1;
}
