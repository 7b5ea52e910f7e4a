/**
 * Spark-compatible hash partitioning for shuffles: Spark's HashPartitioning sends a row to
 * partition pmod(Murmur3Hash(keys, seed 42), numPartitions), and `sparkHash` is the SQL
 * `hash(col, …)` function. Murmur3Hash chains the columns: the running hash is the seed of the
 * next column, and a null value leaves it unchanged. Per type (Spark's Murmur3HashFunction):
 *   int32 (also byte, short, date): hashInt · int64 (also timestamp, and a decimal of precision
 *   <= 18 as its unscaled long): hashLong · float64: hashLong(doubleToLongBits) with -0.0 as 0.0
 *   and every NaN the canonical one · float32: hashInt(floatToIntBits), likewise normalised ·
 *   boolean: hashInt(1 or 0) · string: hashUnsafeBytes of the UTF-8 bytes, whose tail bytes are
 *   sign-extended and mixed one by one (not the standard murmur3 tail that HashingTF uses).
 *
 * `scatterRows` then lists each partition's rows (a stable counting sort), which is also how a
 * shuffle writer or a join build groups rows by any dense id.
 */
import { Errors } from '../errors.js';
import { native, type NativeKernels, type NativeScatter } from '../native.js';
import { expectInt32Array, expectInteger, expectLength, isValid, validityArgs, type Validity } from '../validate.js';
import { hashInt, murmur3BytesJs, SPARK_HASH_SEED, type PackedStrings } from './hash.js';
import { checkOffsets } from './hash-group.js';

/** One column to hash, by Spark type family. `boolean` values: one byte per row, non-zero = true. */
export type HashColumn =
  | { type: 'int32'; values: Int32Array; validity?: Validity | null }
  | { type: 'int64'; values: BigInt64Array; validity?: Validity | null }
  | { type: 'float64'; values: Float64Array; validity?: Validity | null }
  | { type: 'float32'; values: Float32Array; validity?: Validity | null }
  | { type: 'boolean'; values: Uint8Array; validity?: Validity | null }
  | { type: 'string'; strings: PackedStrings; validity?: Validity | null };

/** Rows grouped by id: rows of id c are rows[offsets[c], offsets[c + 1]), ascending. */
export type Scatter = NativeScatter;

export interface HashPartitioning extends Scatter {
  /** Partition of each row. */
  ids: Int32Array;
}

const TYPES = ['int32', 'int64', 'float64', 'float32', 'boolean', 'string'] as const;
const MAX_INT = 0x7fffffff;

function columnRows(api: string, name: string, c: HashColumn): number {
  if (c === null || typeof c !== 'object') throw Errors.invalidArg(api, name, 'a hash column { type, … }', c);
  const expected: Record<string, [new (n: number) => unknown, string]> = {
    int32: [Int32Array, 'Int32Array'],
    int64: [BigInt64Array, 'BigInt64Array'],
    float64: [Float64Array, 'Float64Array'],
    float32: [Float32Array, 'Float32Array'],
    boolean: [Uint8Array, 'Uint8Array'],
  };
  if (c.type === 'string') {
    const s = c.strings;
    if (!s || !(s.bytes instanceof Uint8Array)) throw Errors.invalidArg(api, `${name}.strings.bytes`, 'Uint8Array', s?.bytes);
    if (!(s.offsets instanceof Int32Array)) throw Errors.invalidArg(api, `${name}.strings.offsets`, 'Int32Array', s.offsets);
    if (s.offsets.length === 0) throw Errors.outOfRange(api, `${name}.strings.offsets.length`, 'n + 1 >= 1', 0);
    return s.offsets.length - 1;
  }
  const e = expected[(c as { type: string }).type];
  if (!e) throw Errors.invalidArg(api, `${name}.type`, `one of ${TYPES.join(', ')}`, (c as { type?: unknown }).type);
  if (!(c.values instanceof e[0])) throw Errors.invalidArg(api, `${name}.values`, e[1], c.values);
  return c.values.length;
}

/** Folds one column into the running hashes (in place; one native call) and returns them. */
export function murmur3Column(column: HashColumn, hashes: Int32Array, impl: NativeKernels = native()): Int32Array {
  const api = 'murmur3Column';
  const n = columnRows(api, 'column', column);
  expectInt32Array(api, 'hashes', hashes);
  expectLength(api, 'hashes', hashes, n);
  const [bitmap, offset] = validityArgs(api, column.validity, n);
  try {
    switch (column.type) {
      case 'int32':
        impl.murmur3ColumnI32(column.values, bitmap, offset, hashes);
        break;
      case 'boolean': {
        const v = new Int32Array(n);
        for (let i = 0; i < n; i++) v[i] = column.values[i] !== 0 ? 1 : 0;
        impl.murmur3ColumnI32(v, bitmap, offset, hashes);
        break;
      }
      case 'int64':
        impl.murmur3ColumnI64(column.values, bitmap, offset, hashes);
        break;
      case 'float64':
        impl.murmur3ColumnF64(column.values, bitmap, offset, hashes);
        break;
      case 'float32':
        impl.murmur3ColumnF32(column.values, bitmap, offset, hashes);
        break;
      case 'string':
        impl.murmur3ColumnStrings(column.strings.bytes, column.strings.offsets, bitmap, offset, hashes);
        break;
    }
  } catch (err) {
    throw Errors.fromNative(api, err);
  }
  return hashes;
}

function checkColumns(api: string, columns: readonly HashColumn[]): number {
  if (!Array.isArray(columns) || columns.length === 0) throw Errors.invalidArg(api, 'columns', 'a non-empty array of hash columns', columns);
  const n = columnRows(api, 'columns[0]', columns[0]!);
  for (let i = 1; i < columns.length; i++) {
    const m = columnRows(api, `columns[${i}]`, columns[i]!);
    if (m !== n) throw Errors.outOfRange(api, `columns[${i}] rows`, `${n} (the rows of columns[0])`, m);
  }
  return n;
}

function seedArg(api: string, seed: number): number {
  return expectInteger(api, 'seed', seed, -0x80000000, 0xffffffff) | 0;
}

/** Spark's `hash(columns…)` (Murmur3Hash, default seed 42) of every row. */
export function sparkHash(columns: readonly HashColumn[], seed: number = SPARK_HASH_SEED, impl: NativeKernels = native()): Int32Array {
  const api = 'sparkHash';
  const n = checkColumns(api, columns);
  const hashes = new Int32Array(n).fill(seedArg(api, seed));
  for (const c of columns) murmur3Column(c, hashes, impl);
  return hashes;
}

/** Spark's Pmod(hash, numPartitions): the partition of each row (one native call). */
export function partitionIds(hashes: Int32Array, numPartitions: number, impl: NativeKernels = native()): Int32Array {
  const api = 'partitionIds';
  expectInt32Array(api, 'hashes', hashes);
  expectInteger(api, 'numPartitions', numPartitions, 1, MAX_INT);
  try {
    return impl.partitionIds(hashes, numPartitions);
  } catch (err) {
    throw Errors.fromNative(api, err);
  }
}

/** The rows of each id in [0, numBuckets), stable (one native call); names the row of a bad id. */
export function scatterRows(ids: Int32Array, numBuckets: number, impl: NativeKernels = native()): Scatter {
  const api = 'scatterRows';
  expectInt32Array(api, 'ids', ids);
  expectInteger(api, 'numBuckets', numBuckets, 1, MAX_INT);
  try {
    return impl.scatterRows(ids, numBuckets);
  } catch (err) {
    throw Errors.fromNative(api, err);
  }
}

/** Spark's HashPartitioning of the rows by `columns`: partition ids and the rows of each. */
export function hashPartition(columns: readonly HashColumn[], numPartitions: number, impl: NativeKernels = native()): HashPartitioning {
  const api = 'hashPartition';
  expectInteger(api, 'numPartitions', numPartitions, 1, MAX_INT);
  const ids = partitionIds(sparkHash(columns, SPARK_HASH_SEED, impl), numPartitions, impl);
  return { ids, ...scatterRows(ids, numPartitions, impl) };
}

// ---- JS references (identical results) ----

function mixK1(k1: number): number {
  k1 = Math.imul(k1, 0xcc9e2d51);
  k1 = (k1 << 15) | (k1 >>> 17);
  return Math.imul(k1, 0x1b873593);
}
function mixH1(h1: number, k1: number): number {
  h1 ^= k1;
  h1 = (h1 << 13) | (h1 >>> 19);
  return (Math.imul(h1, 5) + 0xe6546b64) | 0;
}
function fmix(h1: number, length: number): number {
  h1 ^= length;
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  return h1 ^ (h1 >>> 16);
}
/** Spark's hashLong of the 64-bit value with these 32-bit halves. */
function hashLongWords(low: number, high: number, seed: number): number {
  return fmix(mixH1(mixH1(seed, mixK1(low)), mixK1(high)), 8);
}

const f64 = new Float64Array(1);
const f64Words = new Uint32Array(f64.buffer);
const f32 = new Float32Array(1);
const f32Word = new Int32Array(f32.buffer);
const i64 = new BigInt64Array(1);
const i64Words = new Int32Array(i64.buffer);

/** JS reference of `murmur3Column` (in place). */
export function murmur3ColumnJs(column: HashColumn, hashes: Int32Array): Int32Array {
  const api = 'murmur3ColumnJs';
  const n = columnRows(api, 'column', column);
  expectInt32Array(api, 'hashes', hashes);
  expectLength(api, 'hashes', hashes, n);
  validityArgs(api, column.validity, n);
  if (column.type === 'string') checkOffsets(api, 'column.strings', column.strings);
  const validity = column.validity ?? null;
  for (let i = 0; i < n; i++) {
    if (validity && !isValid(validity, i)) continue;
    const seed = hashes[i]!;
    switch (column.type) {
      case 'int32':
        hashes[i] = hashInt(column.values[i]!, seed);
        break;
      case 'boolean':
        hashes[i] = hashInt(column.values[i] !== 0 ? 1 : 0, seed);
        break;
      case 'int64':
        i64[0] = column.values[i]!;
        hashes[i] = hashLongWords(i64Words[0]!, i64Words[1]!, seed);
        break;
      case 'float64': {
        const v = column.values[i]!;
        if (v !== v) {
          hashes[i] = hashLongWords(0, 0x7ff80000, seed);
        } else {
          f64[0] = v === 0 ? 0 : v;
          hashes[i] = hashLongWords(f64Words[0]! | 0, f64Words[1]! | 0, seed);
        }
        break;
      }
      case 'float32': {
        const v = column.values[i]!;
        if (v !== v) {
          hashes[i] = hashInt(0x7fc00000, seed);
        } else {
          f32[0] = v === 0 ? 0 : v;
          hashes[i] = hashInt(f32Word[0]!, seed);
        }
        break;
      }
      case 'string': {
        const { bytes, offsets } = column.strings;
        hashes[i] = murmur3BytesJs(bytes, offsets[i]!, offsets[i + 1]!, seed, true);
        break;
      }
    }
  }
  return hashes;
}

/** JS reference of `sparkHash`. */
export function sparkHashJs(columns: readonly HashColumn[], seed: number = SPARK_HASH_SEED): Int32Array {
  const api = 'sparkHashJs';
  const n = checkColumns(api, columns);
  const hashes = new Int32Array(n).fill(seedArg(api, seed));
  for (const c of columns) murmur3ColumnJs(c, hashes);
  return hashes;
}

/** JS reference of `partitionIds` (Java's `(h % n + n) % n`). */
export function partitionIdsJs(hashes: Int32Array, numPartitions: number): Int32Array {
  const api = 'partitionIdsJs';
  expectInt32Array(api, 'hashes', hashes);
  expectInteger(api, 'numPartitions', numPartitions, 1, MAX_INT);
  const out = new Int32Array(hashes.length);
  for (let i = 0; i < hashes.length; i++) {
    const r = hashes[i]! % numPartitions;
    out[i] = r < 0 ? r + numPartitions : r;
  }
  return out;
}

/** JS reference of `scatterRows`. */
export function scatterRowsJs(ids: Int32Array, numBuckets: number): Scatter {
  const api = 'scatterRowsJs';
  expectInt32Array(api, 'ids', ids);
  expectInteger(api, 'numBuckets', numBuckets, 1, MAX_INT);
  const offsets = new Int32Array(numBuckets + 1);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id < 0 || id >= numBuckets) throw Errors.badRow(api, 'ids', i, `holds ${id}, outside [0, ${numBuckets})`);
    offsets[id + 1]++;
  }
  for (let c = 0; c < numBuckets; c++) offsets[c + 1] += offsets[c]!;
  const next = offsets.slice(0, numBuckets);
  const rows = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) rows[next[ids[i]!]++] = i;
  return { offsets, rows };
}
