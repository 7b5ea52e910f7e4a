/**
 * The dense (non-null) values of one leaf column for one row group, decoded straight into typed
 * arrays or one byte buffer: PLAIN values of every physical type (INT96 timestamps → µs since the
 * epoch from Julian day + nanoseconds), dictionary gathers, and arrays from hyparquet's DELTA /
 * BYTE_STREAM_SPLIT decoders.
 * Follows docs/formats/PARQUET_ARROW_NODE.md (no JS object per value, no boxed numbers).
 */
import { corrupt } from './read-errors.js';
import { readU32 } from './levels.js';
import type { FixedArray, Phys } from './types.js';

/** Dense (non-null) values of one leaf column for one row group. */
export class ValueSink {
  n = 0;
  fixed: FixedArray | null = null;
  bits: Uint8Array | null = null; // booleans
  offsets: Int32Array | null = null; // byte arrays
  bytes: Uint8Array = new Uint8Array(0);
  byteLen = 0;

  constructor(readonly phys: Phys, capacity: number, byteHint: number, readonly typeLength: number) {
    switch (phys) {
      case 'i32': this.fixed = new Int32Array(capacity); break;
      case 'i64': case 'i96': this.fixed = new BigInt64Array(capacity); break;
      case 'f32': this.fixed = new Float32Array(capacity); break;
      case 'f64': this.fixed = new Float64Array(capacity); break;
      case 'bool': this.bits = new Uint8Array((capacity + 7) >> 3); break;
      default:
        this.offsets = new Int32Array(capacity + 1);
        this.bytes = new Uint8Array(Math.max(64, Math.min(byteHint, 1 << 28)));
    }
  }

  ensureBytes(extra: number): void {
    const need = this.byteLen + extra;
    if (need <= this.bytes.length) return;
    if (need > 0x7fffffff) throw corrupt('byte array column chunk exceeds 2 GiB');
    const next = new Uint8Array(Math.min(0x7fffffff, Math.max(need, this.bytes.length * 2)));
    next.set(this.bytes.subarray(0, this.byteLen));
    this.bytes = next;
  }

  pushBytes(src: Uint8Array, start: number, len: number): void {
    this.ensureBytes(len);
    if (len < 16) {
      const dst = this.bytes;
      let o = this.byteLen;
      for (let k = 0; k < len; k++) dst[o++] = src[start + k]!;
    } else {
      this.bytes.set(src.subarray(start, start + len), this.byteLen);
    }
    this.byteLen += len;
    this.n++;
    this.offsets![this.n] = this.byteLen;
  }

  /** PLAIN-encoded values. */
  plain(buf: Uint8Array, pos: number, count: number): void {
    if (count > this.capacityLeft()) throw corrupt('more values than the column chunk declares');
    switch (this.phys) {
      case 'i32': case 'f32': case 'i64': case 'f64': {
        const width = this.phys === 'i32' || this.phys === 'f32' ? 4 : 8;
        const nb = count * width;
        if (pos + nb > buf.length) throw corrupt('PLAIN values extend past the page');
        const dst = this.fixed!;
        new Uint8Array(dst.buffer, dst.byteOffset + this.n * width, nb).set(buf.subarray(pos, pos + nb));
        this.n += count;
        return;
      }
      case 'i96': {
        if (pos + count * 12 > buf.length) throw corrupt('PLAIN INT96 values extend past the page');
        const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
        const dst = this.fixed as BigInt64Array;
        for (let k = 0; k < count; k++) {
          const p = pos + k * 12;
          const nanos = dv.getBigInt64(p, true);
          const julian = dv.getInt32(p + 8, true);
          dst[this.n++] = BigInt(julian - 2440588) * 86_400_000_000n + nanos / 1000n;
        }
        return;
      }
      case 'bool': {
        if (pos + ((count + 7) >> 3) > buf.length) throw corrupt('PLAIN booleans extend past the page');
        const dst = this.bits!;
        if ((this.n & 7) === 0) {
          dst.set(buf.subarray(pos, pos + ((count + 7) >> 3)), this.n >> 3);
          // clear bits past count in the last byte
          if (count & 7) dst[(this.n + count) >> 3]! &= (1 << ((this.n + count) & 7)) - 1;
        } else {
          for (let k = 0; k < count; k++) if ((buf[pos + (k >> 3)]! >> (k & 7)) & 1) dst[(this.n + k) >> 3]! |= 1 << ((this.n + k) & 7);
        }
        this.n += count;
        return;
      }
      case 'bytes': {
        let p = pos;
        for (let k = 0; k < count; k++) {
          const len = readU32(buf, p);
          p += 4;
          if (p + len > buf.length) throw corrupt('PLAIN byte array extends past the page');
          this.pushBytes(buf, p, len);
          p += len;
        }
        return;
      }
      case 'flba': {
        const w = this.typeLength;
        if (pos + count * w > buf.length) throw corrupt('PLAIN fixed-length values extend past the page');
        for (let k = 0; k < count; k++) this.pushBytes(buf, pos + k * w, w);
        return;
      }
    }
  }

  capacityLeft(): number {
    if (this.fixed) return this.fixed.length - this.n;
    if (this.bits) return this.bits.length * 8 - this.n;
    return this.offsets!.length - 1 - this.n;
  }

  /** Appends dictionary entries by index. */
  gather(dict: ValueSink, idx: Int32Array, count: number): void {
    if (count > this.capacityLeft()) throw corrupt('more values than the column chunk declares');
    const dn = dict.n;
    for (let k = 0; k < count; k++) if (idx[k]! >= dn || idx[k]! < 0) throw corrupt(`dictionary index ${idx[k]} out of range (${dn} entries)`);
    if (this.fixed) {
      const dst = this.fixed as Float64Array;
      const src = dict.fixed as Float64Array;
      let o = this.n;
      for (let k = 0; k < count; k++) dst[o++] = src[idx[k]!]!;
      this.n = o;
    } else if (this.offsets) {
      const doff = dict.offsets!;
      const dbytes = dict.bytes;
      for (let k = 0; k < count; k++) {
        const j = idx[k]!;
        this.pushBytes(dbytes, doff[j]!, doff[j + 1]! - doff[j]!);
      }
    } else {
      throw corrupt('dictionary encoding for a boolean column');
    }
  }

  appendArray(values: ArrayLike<unknown>, count: number): void {
    if (count > this.capacityLeft()) throw corrupt('more values than the column chunk declares');
    if (this.fixed) {
      const dst = this.fixed as unknown as { [i: number]: unknown };
      for (let k = 0; k < count; k++) dst[this.n++] = values[k];
    } else if (this.offsets) {
      for (let k = 0; k < count; k++) {
        const v = values[k] as Uint8Array;
        this.pushBytes(v, 0, v.length);
      }
    } else {
      throw corrupt('unexpected encoding for a boolean column');
    }
  }
}
