/**
 * Dremel levels → Arrow arrays: definition levels become validity bitmaps, repetition levels
 * list/map offsets, and the dense values of each leaf are spread over the non-null slots and
 * converted to the Arrow type (small ints, unsigned widening, DECIMAL → double, FLOAT16,
 * timestamp units) — one pass per node, no JS object per value.
 * Follows docs/formats/PARQUET_ARROW_NODE.md (Dremel levels into Arrow validity and offsets).
 */
import * as arrow from 'apache-arrow';
import type { AnyData } from '../../dataframe/batch.js';
import { corrupt } from './read-errors.js';
import type { FixedArray, LeafData, LeafInfo, Levels, PNode, PrimConv } from './types.js';
import type { ValueSink } from './value-sink.js';

export function mk(props: Record<string, unknown>): AnyData {
  return arrow.makeData(props as unknown as Parameters<typeof arrow.makeData>[0]) as AnyData;
}

/** Entry indices that start a slot of a node (null when every entry is a slot). */
function slotEntries(lv: Levels, R: number, dexist: number): Int32Array | null {
  if (!lv.reps) return null; // no repetition on this path: one entry per row, one slot per row
  const { reps, defs, n } = lv;
  let cnt = 0;
  for (let e = 0; e < n; e++) if (reps[e]! <= R && defs![e]! >= dexist) cnt++;
  const out = new Int32Array(cnt);
  let k = 0;
  for (let e = 0; e < n; e++) if (reps[e]! <= R && defs![e]! >= dexist) out[k++] = e;
  return out;
}

function validityOf(lv: Levels, entries: Int32Array | null, nSlots: number, minDef: number): { bitmap: Uint8Array | undefined; nullCount: number } {
  const defs = lv.defs;
  if (!defs || minDef === 0 || lv.allMax) return { bitmap: undefined, nullCount: 0 };
  let nulls = 0;
  if (entries) {
    for (let s = 0; s < nSlots; s++) if (defs[entries[s]!]! < minDef) nulls++;
  } else {
    for (let s = 0; s < nSlots; s++) if (defs[s]! < minDef) nulls++;
  }
  if (nulls === 0) return { bitmap: undefined, nullCount: 0 };
  const bitmap = new Uint8Array((nSlots + 7) >> 3);
  for (let s = 0; s < nSlots; s++) {
    const e = entries ? entries[s]! : s;
    if (defs[e]! >= minDef) bitmap[s >> 3]! |= 1 << (s & 7);
  }
  return { bitmap, nullCount: nulls };
}

function listOffsets(lv: Levels, nSlots: number, R: number, dexist: number, repR: number, repDef: number): Int32Array {
  const off = new Int32Array(nSlots + 1);
  const { reps, defs, n } = lv;
  let g = -1;
  let cnt = 0;
  for (let e = 0; e < n; e++) {
    const r = reps![e]!;
    const d = defs![e]!;
    if (r <= R && d >= dexist) {
      g++;
      off[g] = cnt;
    }
    if (r <= repR && d >= repDef) cnt++;
  }
  off[nSlots] = cnt;
  return off;
}

/** A big-endian two's-complement integer (DECIMAL's unscaled value) as a number. */
function decimalFromBytes(b: Uint8Array, start: number, len: number): number {
  if (len === 0) return 0;
  if (len <= 6) {
    let v = 0;
    for (let k = 0; k < len; k++) v = v * 256 + b[start + k]!;
    return b[start]! & 0x80 ? v - 2 ** (8 * len) : v;
  }
  let v = 0n;
  for (let k = 0; k < len; k++) v = (v << 8n) | BigInt(b[start + k]!);
  return Number(b[start]! & 0x80 ? v - (1n << BigInt(8 * len)) : v);
}

function f16(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** Dense physical values → dense Arrow values of the target type. */
function convertDense(prim: PrimConv, v: ValueSink): { fixed?: ArrayLike<number | bigint> & { subarray?: unknown }; bits?: Uint8Array; offsets?: Int32Array; bytes?: Uint8Array } {
  const n = v.n;
  const scale = 10 ** prim.scale; // divide: exact for |unscaled| < 2^53 (as Spark's BigDecimal.doubleValue)
  switch (prim.phys) {
    case 'bool':
      return { bits: v.bits! };
    case 'bytes':
    case 'flba': {
      const offsets = v.offsets!.subarray(0, n + 1);
      if (prim.conv === 'decimal') {
        const out = new Float64Array(n);
        for (let k = 0; k < n; k++) out[k] = decimalFromBytes(v.bytes, offsets[k]!, offsets[k + 1]! - offsets[k]!) / scale;
        return { fixed: out };
      }
      if (prim.conv === 'f16') {
        const out = new Float32Array(n);
        for (let k = 0; k < n; k++) out[k] = f16(v.bytes[offsets[k]!]! | (v.bytes[offsets[k]! + 1]! << 8));
        return { fixed: out };
      }
      return { offsets, bytes: v.bytes.subarray(0, v.byteLen) };
    }
    default: {
      const src = v.fixed!.subarray(0, n);
      switch (prim.conv) {
        case 'none': return { fixed: src };
        case 'i8': return { fixed: Int8Array.from(src as Int32Array) };
        case 'i16': return { fixed: Int16Array.from(src as Int32Array) };
        case 'u8': return { fixed: Int16Array.from(src as Int32Array, (x) => x & 0xff) };
        case 'u16': return { fixed: Int32Array.from(src as Int32Array, (x) => x & 0xffff) };
        case 'u32': {
          const out = new BigInt64Array(n);
          for (let k = 0; k < n; k++) out[k] = BigInt((src as Int32Array)[k]! >>> 0);
          return { fixed: out };
        }
        case 'u64': {
          const u = new BigUint64Array((src as BigInt64Array).buffer, src.byteOffset, n);
          return { fixed: Float64Array.from(u, (x) => Number(x)) };
        }
        case 'decimal': {
          const out = new Float64Array(n);
          for (let k = 0; k < n; k++) out[k] = Number((src as ArrayLike<number | bigint>)[k]) / scale;
          return { fixed: out };
        }
        case 'tsMillis': return { fixed: (src as BigInt64Array).map((x) => x * 1000n) };
        case 'tsNanos': return { fixed: (src as BigInt64Array).map((x) => x / 1000n) };
        default: return { fixed: src };
      }
    }
  }
}

function buildPrim(node: Extract<PNode, { kind: 'prim' }>, type: arrow.DataType, leaf: LeafInfo, data: LeafData): AnyData {
  const lv = data.levels;
  const entries = slotEntries(lv, node.R, node.dexist);
  const nSlots = entries ? entries.length : lv.n;
  const { bitmap, nullCount } = validityOf(lv, entries, nSlots, node.def);
  const nValid = nSlots - nullCount;
  if (nValid !== data.values.n) throw corrupt(`column has ${data.values.n} values for ${nValid} non-null slots`);
  const dense = convertDense(leaf.prim, data.values);
  const isValid = (s: number) => !bitmap || ((bitmap[s >> 3]! >> (s & 7)) & 1) === 1;
  if (dense.bits) {
    let bits = dense.bits;
    if (nullCount > 0) {
      bits = new Uint8Array((nSlots + 7) >> 3);
      let k = 0;
      for (let s = 0; s < nSlots; s++) {
        if (!isValid(s)) continue;
        if ((dense.bits[k >> 3]! >> (k & 7)) & 1) bits[s >> 3]! |= 1 << (s & 7);
        k++;
      }
    }
    return mk({ type, length: nSlots, nullCount, nullBitmap: bitmap, data: bits });
  }
  if (dense.offsets) {
    let offsets = dense.offsets;
    if (nullCount > 0) {
      offsets = new Int32Array(nSlots + 1);
      let k = 0;
      for (let s = 0; s < nSlots; s++) {
        if (isValid(s)) k++;
        offsets[s + 1] = dense.offsets[k]!;
      }
    }
    return mk({ type, length: nSlots, nullCount, nullBitmap: bitmap, valueOffsets: offsets, data: dense.bytes });
  }
  let values = dense.fixed as unknown as FixedArray;
  if (nullCount > 0) {
    const Ctor = values.constructor as new (n: number) => FixedArray;
    const spaced = new Ctor(nSlots);
    let k = 0;
    for (let s = 0; s < nSlots; s++) if (isValid(s)) (spaced as Float64Array)[s] = (values as Float64Array)[k++]!;
    values = spaced;
  }
  return mk({ type, length: nSlots, nullCount, nullBitmap: bitmap, data: values });
}

export function buildNode(node: PNode, type: arrow.DataType, leaves: LeafInfo[], data: LeafData[]): AnyData {
  if (node.kind === 'prim') return buildPrim(node, type, leaves[node.leaf]!, data[node.leaf]!);
  const lv = data[node.leaf]!.levels;
  const entries = slotEntries(lv, node.R, node.dexist);
  const n = entries ? entries.length : lv.n;
  const { bitmap, nullCount } = validityOf(lv, entries, n, node.def);
  if (node.kind === 'struct') {
    const children = node.children.map((c, k) => buildNode(c, type.children[k]!.type, leaves, data));
    for (const c of children) if (c.length !== n) throw corrupt('struct fields have different lengths');
    return mk({ type, length: n, nullCount, nullBitmap: bitmap, children });
  }
  const offsets = listOffsets(lv, n, node.R, node.dexist, node.repR, node.repDef);
  const count = offsets[n]!;
  if (node.kind === 'list') {
    const child = buildNode(node.child, type.children[0]!.type, leaves, data);
    if (child.length !== count) throw corrupt('list elements do not match their offsets');
    return mk({ type, length: n, nullCount, nullBitmap: bitmap, valueOffsets: offsets, child });
  }
  const entryType = type.children[0]!.type as arrow.Struct;
  const key = buildNode(node.key, entryType.children[0]!.type, leaves, data);
  const value = buildNode(node.value, entryType.children[1]!.type, leaves, data);
  if (key.length !== count || value.length !== count) throw corrupt('map entries do not match their offsets');
  const child = mk({ type: entryType, length: count, nullCount: 0, children: [key, value] });
  return mk({ type, length: n, nullCount, nullBitmap: bitmap, valueOffsets: offsets, child });
}
