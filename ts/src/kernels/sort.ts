/**
 * Stable argsort with Spark's ordering, for the engine's sort (orderBy / sortWithinPartitions).
 * Numbers: a native LSD radix sort. Doubles: -0.0 == 0.0, NaN greater than every other value
 * (+Infinity included) and equal to every NaN. Nulls go first for ascending and last for
 * descending unless `nullsFirst` says otherwise (Spark's ASC NULLS FIRST / DESC NULLS LAST
 * defaults). Ties keep their input order in both directions.
 *
 * Several keys: `argsortMulti`, which sorts by the last key first and then refines with each
 * earlier key (LSD over keys): every pass passes the previous permutation as `perm`, and a
 * stable sort of `perm` by the next key keeps the order of the later keys among its ties.
 * Strings sort in JS by UTF-8 bytes (Spark's binary collation), `argsortStrings`.
 */
import { Errors } from '../errors.js';
import { native, type NativeKernels } from '../native.js';
import { isValid, validityArgs, type Validity } from '../validate.js';
import type { PackedStrings } from './hash.js';
import { checkOffsets } from './hash-group.js';

export type SortValues = Int32Array | BigInt64Array | Float64Array;

export interface ArgsortOptions {
  validity?: Validity | null;
  /** Default false. */
  descending?: boolean;
  /** Default: !descending (Spark's ASC NULLS FIRST, DESC NULLS LAST). */
  nullsFirst?: boolean;
  /**
   * Sort these row indices (each in [0, n)) instead of 0 … n - 1; the result is perm's entries
   * stably reordered by their values. Used to refine an earlier sort by a more significant key.
   */
  perm?: Int32Array | null;
}

interface Resolved {
  bitmap: Uint8Array | null;
  bitOffset: number;
  descending: boolean;
  nullsFirst: boolean;
  perm: Int32Array | null;
}

function resolve(api: string, n: number, options: ArgsortOptions | undefined): Resolved {
  if (options !== undefined && (options === null || typeof options !== 'object')) throw Errors.invalidArg(api, 'options', 'an options object', options);
  const o = options ?? {};
  const descending = o.descending ?? false;
  if (typeof descending !== 'boolean') throw Errors.invalidArg(api, 'options.descending', 'boolean', descending);
  const nullsFirst = o.nullsFirst ?? !descending;
  if (typeof nullsFirst !== 'boolean') throw Errors.invalidArg(api, 'options.nullsFirst', 'boolean', nullsFirst);
  const perm = o.perm ?? null;
  if (perm !== null && !(perm instanceof Int32Array)) throw Errors.invalidArg(api, 'options.perm', 'Int32Array', perm);
  if (n > 0x7fffffff) throw Errors.outOfRange(api, 'values.length', 'at most 2^31 - 1', n);
  const [bitmap, bitOffset] = validityArgs(api, o.validity, n);
  return { bitmap, bitOffset, descending, nullsFirst, perm };
}

function badPerm(api: string, perm: Int32Array, n: number): void {
  for (let k = 0; k < perm.length; k++) {
    const r = perm[k]!;
    if (r < 0 || r >= n) throw Errors.badRow(api, 'perm', k, `holds ${r}, outside [0, ${n})`);
  }
}

/** Stable permutation sorting `values` (Spark's ordering; see the module comment). */
export function argsort(values: SortValues, options?: ArgsortOptions, impl: NativeKernels = native()): Int32Array {
  const api = 'argsort';
  if (!(values instanceof Int32Array || values instanceof BigInt64Array || values instanceof Float64Array)) {
    throw Errors.invalidArg(api, 'values', 'Int32Array, BigInt64Array or Float64Array', values);
  }
  const r = resolve(api, values.length, options);
  try {
    if (values instanceof Int32Array) return impl.argsortI32(values, r.bitmap, r.bitOffset, r.descending, r.nullsFirst, r.perm);
    if (values instanceof BigInt64Array) return impl.argsortI64(values, r.bitmap, r.bitOffset, r.descending, r.nullsFirst, r.perm);
    return impl.argsortF64(values, r.bitmap, r.bitOffset, r.descending, r.nullsFirst, r.perm);
  } catch (err) {
    throw Errors.fromNative(api, err);
  }
}

/** `argsort` of an int32 column. */
export function argsortI32(values: Int32Array, options?: ArgsortOptions, impl: NativeKernels = native()): Int32Array {
  if (!(values instanceof Int32Array)) throw Errors.invalidArg('argsortI32', 'values', 'Int32Array', values);
  return argsort(values, options, impl);
}
/** `argsort` of an int64 column. */
export function argsortI64(values: BigInt64Array, options?: ArgsortOptions, impl: NativeKernels = native()): Int32Array {
  if (!(values instanceof BigInt64Array)) throw Errors.invalidArg('argsortI64', 'values', 'BigInt64Array', values);
  return argsort(values, options, impl);
}
/** `argsort` of a float64 column. */
export function argsortF64(values: Float64Array, options?: ArgsortOptions, impl: NativeKernels = native()): Int32Array {
  if (!(values instanceof Float64Array)) throw Errors.invalidArg('argsortF64', 'values', 'Float64Array', values);
  return argsort(values, options, impl);
}

// ---- JS: the reference for numbers, the implementation for strings ----

/** Spark's double ordering: NaN above everything and equal to NaN, -0.0 == 0.0. */
function compareF64(a: number, b: number): number {
  if (a !== a) return b !== b ? 0 : 1;
  if (b !== b) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareNum(a: number | bigint, b: number | bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Stable sort of rows (perm or 0 … n - 1) by cmp(row, row); nulls placed as asked. */
function stableArgsort(n: number, r: Resolved, validity: Validity | null, cmp: (a: number, b: number) => number): Int32Array {
  const rows = r.perm ? Array.from(r.perm) : Array.from({ length: n }, (_, i) => i);
  const valid: number[] = [];
  const nulls: number[] = [];
  for (const row of rows) (validity && !isValid(validity, row) ? nulls : valid).push(row);
  // Array.prototype.sort is stable (ES2019); ties keep perm order in both directions.
  valid.sort(r.descending ? (a, b) => cmp(b, a) : cmp);
  return Int32Array.from(r.nullsFirst ? nulls.concat(valid) : valid.concat(nulls));
}

/** JS reference of `argsort` (identical permutation). */
export function argsortJs(values: SortValues, options?: ArgsortOptions): Int32Array {
  const api = 'argsortJs';
  if (!(values instanceof Int32Array || values instanceof BigInt64Array || values instanceof Float64Array)) {
    throw Errors.invalidArg(api, 'values', 'Int32Array, BigInt64Array or Float64Array', values);
  }
  const r = resolve(api, values.length, options);
  if (r.perm) badPerm(api, r.perm, values.length);
  const validity = r.bitmap ? { bitmap: r.bitmap, offset: r.bitOffset } : null;
  if (values instanceof Float64Array) return stableArgsort(values.length, r, validity, (a, b) => compareF64(values[a]!, values[b]!));
  return stableArgsort(values.length, r, validity, (a, b) => compareNum(values[a]!, values[b]!));
}

/** Stable permutation sorting UTF-8 strings by their bytes (Spark's binary collation). JS. */
export function argsortStrings(strings: PackedStrings, options?: ArgsortOptions): Int32Array {
  const api = 'argsortStrings';
  if (!strings || !(strings.bytes instanceof Uint8Array)) throw Errors.invalidArg(api, 'strings.bytes', 'Uint8Array', strings?.bytes);
  if (!(strings.offsets instanceof Int32Array)) throw Errors.invalidArg(api, 'strings.offsets', 'Int32Array', strings.offsets);
  if (strings.offsets.length === 0) throw Errors.outOfRange(api, 'strings.offsets.length', 'n + 1 >= 1', 0);
  checkOffsets(api, 'strings', strings);
  const n = strings.offsets.length - 1;
  const r = resolve(api, n, options);
  if (r.perm) badPerm(api, r.perm, n);
  const validity = r.bitmap ? { bitmap: r.bitmap, offset: r.bitOffset } : null;
  // latin1 decoding maps every byte to one UTF-16 code unit, and JS compares strings by code
  // units: the comparison of the decoded strings is the byte-wise comparison of the UTF-8.
  const buf = Buffer.from(strings.bytes.buffer, strings.bytes.byteOffset, strings.bytes.byteLength);
  const keys: string[] = new Array(n);
  for (let i = 0; i < n; i++) keys[i] = buf.toString('latin1', strings.offsets[i]!, strings.offsets[i + 1]!);
  return stableArgsort(n, r, validity, (a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));
}

/** One key of a multi-key sort. */
export interface SortKey {
  values: SortValues | PackedStrings;
  validity?: Validity | null;
  descending?: boolean;
  nullsFirst?: boolean;
}

function keyLength(api: string, k: SortKey, i: number): number {
  if (!k || typeof k !== 'object') throw Errors.invalidArg(api, `keys[${i}]`, 'a SortKey', k);
  const v = k.values;
  if (v instanceof Int32Array || v instanceof BigInt64Array || v instanceof Float64Array) return v.length;
  if (v && typeof v === 'object' && (v as PackedStrings).offsets instanceof Int32Array && (v as PackedStrings).offsets.length > 0) return (v as PackedStrings).offsets.length - 1;
  throw Errors.invalidArg(api, `keys[${i}].values`, 'Int32Array, BigInt64Array, Float64Array or packed strings', v);
}

function multi(api: string, keys: readonly SortKey[], one: (k: SortKey, perm: Int32Array | null) => Int32Array): Int32Array {
  if (!Array.isArray(keys) || keys.length === 0) throw Errors.invalidArg(api, 'keys', 'a non-empty array of sort keys', keys);
  const n = keyLength(api, keys[0]!, 0);
  for (let i = 1; i < keys.length; i++) {
    const m = keyLength(api, keys[i]!, i);
    if (m !== n) throw Errors.outOfRange(api, `keys[${i}] rows`, `${n} (the rows of keys[0])`, m);
  }
  let perm: Int32Array | null = null;
  for (let i = keys.length - 1; i >= 0; i--) perm = one(keys[i]!, perm);
  return perm!;
}

/** Stable permutation sorting by several keys, most significant first. */
export function argsortMulti(keys: readonly SortKey[], impl: NativeKernels = native()): Int32Array {
  return multi('argsortMulti', keys, (k, perm) => {
    const o: ArgsortOptions = { validity: k.validity ?? null, descending: k.descending, nullsFirst: k.nullsFirst, perm };
    const v = k.values;
    if (v instanceof Int32Array || v instanceof BigInt64Array || v instanceof Float64Array) return argsort(v, o, impl);
    return argsortStrings(v, o);
  });
}

/** JS reference of `argsortMulti`. */
export function argsortMultiJs(keys: readonly SortKey[]): Int32Array {
  return multi('argsortMultiJs', keys, (k, perm) => {
    const o: ArgsortOptions = { validity: k.validity ?? null, descending: k.descending, nullsFirst: k.nullsFirst, perm };
    const v = k.values;
    if (v instanceof Int32Array || v instanceof BigInt64Array || v instanceof Float64Array) return argsortJs(v, o);
    return argsortStrings(v, o);
  });
}
