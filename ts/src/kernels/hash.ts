/**
 * MurmurHash3_x86_32 as Spark uses it for HashingTF and FeatureHasher (seed 42, index =
 * nonNegativeMod(hash, numFeatures)). Strings hash their UTF-8 bytes. `legacy: true` selects
 * Spark 2.x HashingTF's `hashUnsafeBytes` (each tail byte sign-extended and mixed as a block),
 * needed to apply models saved by Spark 2.
 */
import { Errors } from '../errors.js';
import { native, type NativeKernels } from '../native.js';
import { expectInt32Array, expectInteger } from '../validate.js';

/** Spark's HashingTF / FeatureHasher seed. */
export const SPARK_HASH_SEED = 42;

/** Strings packed as UTF-8: string i is bytes[offsets[i], offsets[i+1]) (Arrow's Utf8 layout). */
export interface PackedStrings {
  bytes: Uint8Array;
  offsets: Int32Array;
}

/** Packs strings as UTF-8 bytes plus n + 1 offsets. */
export function packStrings(strings: readonly string[]): PackedStrings {
  if (!Array.isArray(strings)) throw Errors.invalidArg('packStrings', 'strings', 'an array of strings', strings);
  let total = 0;
  for (let i = 0; i < strings.length; i++) {
    const s = strings[i];
    if (typeof s !== 'string') throw Errors.invalidArg('packStrings', `strings[${i}]`, 'string', s);
    total += Buffer.byteLength(s, 'utf8');
  }
  if (total > 0x7fffffff) throw Errors.outOfRange('packStrings', 'strings', 'at most 2 GiB of UTF-8', total);
  const bytes = Buffer.allocUnsafe(total);
  const offsets = new Int32Array(strings.length + 1);
  let pos = 0;
  for (let i = 0; i < strings.length; i++) {
    pos += bytes.write(strings[i]!, pos, 'utf8');
    offsets[i + 1] = pos;
  }
  return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, total), offsets };
}

// Shapes only: the O(n) offset checks (non-negative, non-decreasing, within bytes) run once,
// in the native binding, where a bad offset would otherwise read out of bounds.
function checkPacked(api: string, p: PackedStrings): void {
  if (!p || !(p.bytes instanceof Uint8Array)) throw Errors.invalidArg(api, 'strings.bytes', 'Uint8Array', p?.bytes);
  expectInt32Array(api, 'strings.offsets', p.offsets);
  if (p.offsets.length === 0) throw Errors.outOfRange(api, 'strings.offsets.length', 'n + 1 >= 1', 0);
}

function seedArg(api: string, seed: number): number {
  return expectInteger(api, 'seed', seed, -0x80000000, 0xffffffff) >>> 0;
}

/** Hashes every string (array of strings or packed UTF-8) with MurmurHash3_x86_32. */
export function murmur3Batch(
  strings: readonly string[] | PackedStrings,
  seed: number = SPARK_HASH_SEED,
  options: { legacy?: boolean } = {},
  impl: NativeKernels = native(),
): Int32Array {
  const api = 'murmur3Batch';
  const s = seedArg(api, seed);
  const packed = Array.isArray(strings) ? packStrings(strings as readonly string[]) : (strings as PackedStrings);
  checkPacked(api, packed);
  const out = new Int32Array(packed.offsets.length - 1);
  try {
    if (options.legacy) impl.murmur3LegacyBatch(packed.bytes, packed.offsets, s, out);
    else impl.murmur3Batch(packed.bytes, packed.offsets, s, out);
  } catch (err) {
    throw Errors.fromNative(api, err);
  }
  return out;
}

/**
 * Java's `nonNegativeMod(x, mod)`: the HashingTF/FeatureHasher index of a hash. `mod` is a
 * bucket count (numFeatures, numPartitions): a positive integer; 0 would make every index NaN.
 */
export function nonNegativeMod(x: number, mod: number): number {
  if (!(mod > 0 && Number.isInteger(mod))) throw Errors.outOfRange('nonNegativeMod', 'mod', 'a positive integer', mod);
  const r = x % mod;
  return r < 0 ? r + mod : r;
}

// ---- JS reference (the test oracle and pure-JS baseline) ----

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

/** MurmurHash3's 32-bit finaliser alone, unsigned: the mixing step of kindling's seeded draws (Rng, k-means||, RandomSampleImputer). */
export function fmix32(h: number): number {
  return fmix(h, 0) >>> 0;
}

/** MurmurHash3_x86_32 of bytes[start, end) (standard tail = Spark's hashUnsafeBytes2). */
export function murmur3BytesJs(bytes: Uint8Array, start: number, end: number, seed: number, legacy = false): number {
  const len = end - start;
  const aligned = start + (len & ~3);
  let h1 = seed | 0;
  for (let p = start; p < aligned; p += 4) {
    h1 = mixH1(h1, mixK1(bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24)));
  }
  if (legacy) {
    for (let p = aligned; p < end; p++) h1 = mixH1(h1, mixK1((bytes[p]! << 24) >> 24));
  } else if (aligned < end) {
    let k1 = 0;
    const rem = end - aligned;
    if (rem === 3) k1 ^= bytes[aligned + 2]! << 16;
    if (rem >= 2) k1 ^= bytes[aligned + 1]! << 8;
    k1 ^= bytes[aligned]!;
    h1 ^= mixK1(k1);
  }
  return fmix(h1, len);
}

export function murmur3BatchJs(packed: PackedStrings, seed: number = SPARK_HASH_SEED, legacy = false): Int32Array {
  const n = packed.offsets.length - 1;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = murmur3BytesJs(packed.bytes, packed.offsets[i]!, packed.offsets[i + 1]!, seed, legacy);
  return out;
}

/** MurmurHash3_x86_32 of one JS string's UTF-8 bytes. */
export function murmur3String(s: string, seed: number = SPARK_HASH_SEED): number {
  const b = Buffer.from(s, 'utf8');
  return murmur3BytesJs(b, 0, b.length, seed);
}

/** Spark's `Murmur3_x86_32.hashInt` (Int, Float bits, Boolean as 1/0). */
export function hashInt(value: number, seed: number = SPARK_HASH_SEED): number {
  return fmix(mixH1(seed | 0, mixK1(value | 0)), 4);
}

/** Spark's `Murmur3_x86_32.hashLong` (Long, Double bits): low word first, then high word. */
export function hashLong(value: bigint, seed: number = SPARK_HASH_SEED): number {
  const v = BigInt.asUintN(64, value);
  const low = Number(v & 0xffffffffn) | 0;
  const high = Number(v >> 32n) | 0;
  return fmix(mixH1(mixH1(seed | 0, mixK1(low)), mixK1(high)), 8);
}
