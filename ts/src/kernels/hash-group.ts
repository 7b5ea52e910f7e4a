/**
 * Group ids, the first step of hash aggregation: every row gets a dense group code (0, 1, 2, …
 * in order of first appearance) and every group its first row. Keys are one column (int32,
 * int64, float64, UTF-8 strings) or composite rows the engine packs into fixed-width words (key
 * columns, per-column null flags, string codes). Spark's grouping semantics: null keys form one
 * group of their own; doubles group by their normalised value (-0.0 == 0.0, every NaN one key);
 * strings by exact UTF-8 bytes.
 *
 * `hashGroup` is one pass over one batch. `GroupTable` keeps its keys between `add` calls, so
 * the engine can merge the partial group tables of several partitions: add each partition's
 * distinct keys (its rows at `firstRow`) and use the returned codes as global group ids. A
 * GroupTable holds native memory: `dispose()` frees it early (else the GC does). Handles live in
 * the thread that made them; send keys (typed arrays) between threads, not tables.
 */
import { Errors } from '../errors.js';
import { native, type NativeKernels, type NativeKeyKind, type NativeKeyTable, type NativeKeyValues } from '../native.js';
import { expectInteger, isValid, validityArgs, type Validity } from '../validate.js';
import type { PackedStrings } from './hash.js';

export type KeyKind = NativeKeyKind;

/** A column of keys (one batch). `rows32`/`rows64`: row i is words[i * width, (i + 1) * width). */
export type KeyColumn =
  | { kind: 'i32'; values: Int32Array; validity?: Validity | null }
  | { kind: 'i64'; values: BigInt64Array; validity?: Validity | null }
  | { kind: 'f64'; values: Float64Array; validity?: Validity | null }
  | { kind: 'string'; strings: PackedStrings; validity?: Validity | null }
  | { kind: 'rows32'; words: Uint32Array; width: number }
  | { kind: 'rows64'; words: BigUint64Array; width: number };

export interface GroupIds {
  /** Group code of each row, in [0, numGroups). */
  codes: Int32Array;
  /** For each group (in code order) the row where it first appears; numGroups = firstRow.length. */
  firstRow: Int32Array;
}

const KINDS: readonly string[] = ['i32', 'i64', 'f64', 'string', 'rows32', 'rows64'];
const MAX_ROWS = 0x7fffffff;

/** A key column's arguments for the native calls, after validation. */
export interface KeyArgs {
  kind: KeyKind;
  values: NativeKeyValues;
  offsets: Int32Array | null;
  bitmap: Uint8Array | null;
  bitOffset: number;
  rows: number;
  width: number;
}

/** Checks a key column's shape (O(1) except string offsets, which the native side checks). */
export function keyArgs(api: string, name: string, keys: KeyColumn): KeyArgs {
  if (keys === null || typeof keys !== 'object') throw Errors.invalidArg(api, name, 'a key column { kind, … }', keys);
  const kind = (keys as { kind?: unknown }).kind;
  let values: NativeKeyValues;
  let offsets: Int32Array | null = null;
  let rows: number;
  let width = 1;
  switch (kind) {
    case 'i32':
    case 'i64':
    case 'f64': {
      const v = (keys as { values?: unknown }).values;
      const [ctor, label] = kind === 'i32' ? [Int32Array, 'Int32Array'] : kind === 'i64' ? [BigInt64Array, 'BigInt64Array'] : [Float64Array, 'Float64Array'];
      if (!(v instanceof ctor)) throw Errors.invalidArg(api, `${name}.values`, label, v);
      values = v;
      rows = v.length;
      break;
    }
    case 'string': {
      const s = (keys as { strings?: PackedStrings }).strings;
      if (!s || !(s.bytes instanceof Uint8Array)) throw Errors.invalidArg(api, `${name}.strings.bytes`, 'Uint8Array', s?.bytes);
      if (!(s.offsets instanceof Int32Array)) throw Errors.invalidArg(api, `${name}.strings.offsets`, 'Int32Array', s.offsets);
      if (s.offsets.length === 0) throw Errors.outOfRange(api, `${name}.strings.offsets.length`, 'n + 1 >= 1', 0);
      values = s.bytes;
      offsets = s.offsets;
      rows = s.offsets.length - 1;
      break;
    }
    case 'rows32':
    case 'rows64': {
      const w = (keys as { words?: unknown }).words;
      const [ctor, label] = kind === 'rows32' ? [Uint32Array, 'Uint32Array'] : [BigUint64Array, 'BigUint64Array'];
      if (!(w instanceof ctor)) throw Errors.invalidArg(api, `${name}.words`, label, w);
      width = expectInteger(api, `${name}.width`, (keys as { width?: unknown }).width, 1, MAX_ROWS);
      if (w.length % width !== 0) throw Errors.outOfRange(api, `${name}.words.length`, `a multiple of width ${width}`, w.length);
      values = w;
      rows = w.length / width;
      break;
    }
    default:
      throw Errors.invalidArg(api, `${name}.kind`, `one of ${KINDS.join(', ')}`, kind);
  }
  if (rows > MAX_ROWS) throw Errors.outOfRange(api, `${name} rows`, 'at most 2^31 - 1', rows);
  const validity = kind === 'rows32' || kind === 'rows64' ? null : (keys as { validity?: Validity | null }).validity;
  const [bitmap, bitOffset] = validityArgs(api, validity, rows);
  return { kind: kind as KeyKind, values, offsets, bitmap, bitOffset, rows, width };
}

/** Checks string offsets row by row (the JS references read them directly). */
export function checkOffsets(api: string, name: string, s: PackedStrings): void {
  const o = s.offsets;
  if (o[0]! < 0) throw Errors.badRow(api, `${name}.offsets`, 0, `is negative (${o[0]})`);
  for (let i = 1; i < o.length; i++) {
    if (o[i]! < o[i - 1]!) throw Errors.badRow(api, `${name}.offsets`, i, `(${o[i]}) is smaller than the previous offset (${o[i - 1]})`);
  }
  if (o[o.length - 1]! > s.bytes.length) {
    throw Errors.outOfRange(api, `${name}.offsets`, `offsets ending within bytes.length ${s.bytes.length}`, o[o.length - 1]);
  }
}

/** JS reference helper: a Map key for row i (SameValueZero gives -0 == 0 and NaN == NaN). */
export function jsKeyAt(keys: KeyColumn, i: number): number | bigint | string {
  switch (keys.kind) {
    case 'i32':
    case 'f64':
      return keys.values[i]!;
    case 'i64':
      return keys.values[i]!;
    case 'string': {
      const { bytes, offsets } = keys.strings;
      // latin1 maps each byte to one code unit: equal strings <=> equal bytes.
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1', offsets[i]!, offsets[i + 1]!);
    }
    case 'rows32':
    case 'rows64':
      return keys.words.subarray(i * keys.width, (i + 1) * keys.width).join(',');
  }
}

/** JS reference helper: whether row i's key is null. */
export function jsKeyIsNull(keys: KeyColumn, i: number): boolean {
  if (keys.kind === 'rows32' || keys.kind === 'rows64') return false;
  return keys.validity != null && !isValid(keys.validity, i);
}

function callAdd(api: string, a: KeyArgs, impl: NativeKernels): GroupIds {
  try {
    switch (a.kind) {
      case 'i32':
        return impl.hashGroupI32(a.values as Int32Array, a.bitmap, a.bitOffset);
      case 'i64':
        return impl.hashGroupI64(a.values as BigInt64Array, a.bitmap, a.bitOffset);
      case 'f64':
        return impl.hashGroupF64(a.values as Float64Array, a.bitmap, a.bitOffset);
      case 'string':
        return impl.hashGroupStrings(a.values as Uint8Array, a.offsets!, a.bitmap, a.bitOffset);
      default:
        return impl.hashGroupRows(a.values as Uint32Array | BigUint64Array, a.width);
    }
  } catch (err) {
    throw Errors.fromNative(api, err);
  }
}

/** Group codes of one batch of keys (a fresh table; one native call). */
export function hashGroup(keys: KeyColumn, impl: NativeKernels = native()): GroupIds {
  const api = 'hashGroup';
  return callAdd(api, keyArgs(api, 'keys', keys), impl);
}

/** `hashGroup` of an int32 column. */
export function hashGroupI32(values: Int32Array, validity?: Validity | null, impl: NativeKernels = native()): GroupIds {
  return hashGroup({ kind: 'i32', values, validity: validity ?? null }, impl);
}
/** `hashGroup` of an int64 column. */
export function hashGroupI64(values: BigInt64Array, validity?: Validity | null, impl: NativeKernels = native()): GroupIds {
  return hashGroup({ kind: 'i64', values, validity: validity ?? null }, impl);
}
/** `hashGroup` of a float64 column (Spark's normalised value: -0.0 == 0.0, all NaNs one key). */
export function hashGroupF64(values: Float64Array, validity?: Validity | null, impl: NativeKernels = native()): GroupIds {
  return hashGroup({ kind: 'f64', values, validity: validity ?? null }, impl);
}
/** `hashGroup` of a UTF-8 string column (Arrow Utf8 layout). */
export function hashGroupStrings(strings: PackedStrings, validity?: Validity | null, impl: NativeKernels = native()): GroupIds {
  return hashGroup({ kind: 'string', strings, validity: validity ?? null }, impl);
}
/** `hashGroup` of composite keys packed as fixed-width rows of `width` words. */
export function hashGroupRows(words: Uint32Array | BigUint64Array, width: number, impl: NativeKernels = native()): GroupIds {
  return hashGroup(words instanceof BigUint64Array ? { kind: 'rows64', words, width } : { kind: 'rows32', words: words as Uint32Array, width }, impl);
}

/** JS reference of `hashGroup` (a Map): the same codes and first rows. */
export function hashGroupJs(keys: KeyColumn): GroupIds {
  const t = new GroupTableJs(keyArgs('hashGroupJs', 'keys', keys).kind, keys.kind === 'rows32' || keys.kind === 'rows64' ? keys.width : 1);
  return t.add(keys);
}

/** What GroupTable and its JS reference share. */
export interface GroupTableLike {
  readonly kind: KeyKind;
  readonly width: number;
  /** Distinct keys so far (the null group included once a null key was added). */
  readonly size: number;
  /** Codes of a batch, adding new keys; `firstRow` lists the rows (of this batch) that created groups size-before … size-after - 1. */
  add(keys: KeyColumn): GroupIds;
  /** Codes of a batch without adding: -1 for a key the table lacks and for null keys. */
  lookup(keys: KeyColumn): Int32Array;
  dispose(): void;
}

function checkKind(api: string, t: GroupTableLike, a: KeyArgs): void {
  if (a.kind !== t.kind) throw Errors.invalidArg(api, 'keys.kind', `the table's kind ${t.kind}`, a.kind);
  if (a.width !== t.width) throw Errors.outOfRange(api, 'keys.width', `the table's width ${t.width}`, a.width);
}

function tableArgs(api: string, kind: KeyKind, width: number): number {
  if (!KINDS.includes(kind)) throw Errors.invalidArg(api, 'kind', `one of ${KINDS.join(', ')}`, kind);
  if (kind === 'rows32' || kind === 'rows64') return expectInteger(api, 'width', width, 1, MAX_ROWS);
  return expectInteger(api, 'width', width, 1, 1);
}

/** Incremental group ids over many batches (native KeyTable). */
export class GroupTable implements GroupTableLike {
  readonly kind: KeyKind;
  readonly width: number;
  #t: NativeKeyTable | null;

  constructor(kind: KeyKind, width = 1, impl: NativeKernels = native()) {
    this.width = tableArgs('GroupTable', kind, width);
    this.kind = kind;
    try {
      this.#t = impl.keyTableNew(kind, this.width);
    } catch (err) {
      throw Errors.fromNative('GroupTable', err);
    }
  }

  #live(api: string): NativeKeyTable {
    if (this.#t === null) throw Errors.invalidArg(api, 'this', 'a GroupTable that is not disposed', 'disposed');
    return this.#t;
  }

  get size(): number {
    return this.#live('GroupTable.size').size();
  }

  add(keys: KeyColumn): GroupIds {
    const api = 'GroupTable.add';
    const t = this.#live(api);
    const a = keyArgs(api, 'keys', keys);
    checkKind(api, this, a);
    try {
      return t.add(a.values, a.offsets, a.bitmap, a.bitOffset);
    } catch (err) {
      throw Errors.fromNative(api, err);
    }
  }

  lookup(keys: KeyColumn): Int32Array {
    const api = 'GroupTable.lookup';
    const t = this.#live(api);
    const a = keyArgs(api, 'keys', keys);
    checkKind(api, this, a);
    try {
      return t.lookup(a.values, a.offsets, a.bitmap, a.bitOffset);
    } catch (err) {
      throw Errors.fromNative(api, err);
    }
  }

  /** Frees the native table now (idempotent); later calls throw. */
  dispose(): void {
    this.#t?.dispose();
    this.#t = null;
  }
}

/** JS reference of GroupTable (a Map from key to code). */
export class GroupTableJs implements GroupTableLike {
  readonly kind: KeyKind;
  readonly width: number;
  #map = new Map<number | bigint | string, number>();
  #nullCode = -1;
  #size = 0;

  constructor(kind: KeyKind, width = 1) {
    this.width = tableArgs('GroupTableJs', kind, width);
    this.kind = kind;
  }

  get size(): number {
    return this.#size;
  }

  add(keys: KeyColumn): GroupIds {
    const api = 'GroupTableJs.add';
    const a = keyArgs(api, 'keys', keys);
    checkKind(api, this, a);
    if (keys.kind === 'string') checkOffsets(api, 'keys.strings', keys.strings);
    const codes = new Int32Array(a.rows);
    const first: number[] = [];
    for (let i = 0; i < a.rows; i++) {
      if (jsKeyIsNull(keys, i)) {
        if (this.#nullCode < 0) {
          this.#nullCode = this.#size++;
          first.push(i);
        }
        codes[i] = this.#nullCode;
        continue;
      }
      const k = jsKeyAt(keys, i);
      let c = this.#map.get(k);
      if (c === undefined) {
        c = this.#size++;
        this.#map.set(k, c);
        first.push(i);
      }
      codes[i] = c;
    }
    return { codes, firstRow: Int32Array.from(first) };
  }

  lookup(keys: KeyColumn): Int32Array {
    const api = 'GroupTableJs.lookup';
    const a = keyArgs(api, 'keys', keys);
    checkKind(api, this, a);
    if (keys.kind === 'string') checkOffsets(api, 'keys.strings', keys.strings);
    const codes = new Int32Array(a.rows);
    for (let i = 0; i < a.rows; i++) codes[i] = jsKeyIsNull(keys, i) ? -1 : (this.#map.get(jsKeyAt(keys, i)) ?? -1);
    return codes;
  }

  dispose(): void {
    this.#map.clear();
  }
}
