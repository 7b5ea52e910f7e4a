/**
 * Parquet's level and index encodings: the RLE / bit-packed hybrid (definition and repetition
 * levels, dictionary indices, RLE booleans), the deprecated MSB-first BIT_PACKED levels, and the
 * 4-byte length prefixes in front of them. Every read is bounds-checked: a corrupt page throws.
 * Follows docs/formats/PARQUET_ARROW_NODE.md (levels decoded into typed arrays).
 */
import { corrupt } from './read-errors.js';

export function bitWidthOf(max: number): number {
  return 32 - Math.clz32(max);
}

/** Unpacks `n` LSB-first values of width `w` starting at byte `pos`. */
function unpackBits(buf: Uint8Array, pos: number, w: number, out: Uint8Array | Int32Array, outPos: number, n: number): void {
  if (w === 0) {
    out.fill(0, outPos, outPos + n);
    return;
  }
  if (w <= 24) {
    const mask = (1 << w) - 1;
    let acc = 0;
    let bits = 0;
    let p = pos;
    for (let k = 0; k < n; k++) {
      while (bits < w) {
        acc |= buf[p++]! << bits;
        bits += 8;
      }
      out[outPos + k] = acc & mask;
      acc >>>= w;
      bits -= w;
    }
    return;
  }
  let bit = pos * 8;
  for (let k = 0; k < n; k++) {
    let v = 0;
    for (let b = 0; b < w; b++, bit++) if ((buf[bit >> 3]! >> (bit & 7)) & 1) v += 2 ** b;
    out[outPos + k] = v;
  }
}

/** Decodes `count` values of the RLE / bit-packed hybrid encoding; returns the end position. */
export function decodeHybrid(buf: Uint8Array, pos: number, end: number, w: number, out: Uint8Array | Int32Array, outPos: number, count: number): number {
  const byteWidth = (w + 7) >> 3;
  let i = 0;
  while (i < count) {
    let header = 0;
    let mul = 1;
    let b: number;
    do {
      if (pos >= end) throw corrupt(`RLE data ends after ${i} of ${count} values`);
      b = buf[pos++]!;
      header += (b & 0x7f) * mul;
      mul *= 128;
    } while (b & 0x80 && mul < 2 ** 35);
    if (header % 2 === 1) {
      const groups = (header - 1) / 2;
      const nbytes = groups * w;
      if (pos + nbytes > end) throw corrupt('bit-packed run extends past the page');
      const take = Math.min(groups * 8, count - i);
      unpackBits(buf, pos, w, out, outPos + i, take);
      pos += nbytes;
      i += take;
    } else {
      const run = header / 2;
      if (pos + byteWidth > end) throw corrupt('RLE run extends past the page');
      let v = 0;
      for (let k = 0; k < byteWidth; k++) v += buf[pos + k]! * 2 ** (8 * k);
      pos += byteWidth;
      const take = Math.min(run, count - i);
      out.fill(v, outPos + i, outPos + i + take);
      i += take;
    }
  }
  return pos;
}

/** Deprecated BIT_PACKED levels (MSB first), as very old writers produced. */
export function decodeBitPackedLevels(buf: Uint8Array, pos: number, w: number, out: Uint8Array, outPos: number, count: number): number {
  const nbytes = Math.ceil((count * w) / 8);
  if (pos + nbytes > buf.length) throw corrupt('BIT_PACKED levels extend past the page');
  let bit = pos * 8;
  for (let k = 0; k < count; k++) {
    let v = 0;
    for (let b = 0; b < w; b++, bit++) v = (v << 1) | ((buf[bit >> 3]! >> (7 - (bit & 7))) & 1);
    out[outPos + k] = v;
  }
  return pos + nbytes;
}

/**
 * The RLE / bit-packed hybrid behind a 4-byte little-endian length prefix (data page v1 levels,
 * RLE-encoded booleans); returns the position after the prefixed bytes.
 */
export function decodePrefixedHybrid(buf: Uint8Array, pos: number, w: number, out: Uint8Array, outPos: number, count: number): number {
  const len = readU32(buf, pos);
  decodeHybrid(buf, pos + 4, Math.min(buf.length, pos + 4 + len), w, out, outPos, count);
  return pos + 4 + len;
}

/**
 * One run of data page v1 levels (repetition or definition) at `pos`, in the page header's
 * encoding: deprecated BIT_PACKED, or the length-prefixed RLE hybrid. Returns the position after
 * them.
 */
export function decodeV1Levels(buf: Uint8Array, pos: number, encoding: string, w: number, out: Uint8Array, outPos: number, count: number): number {
  if (encoding === 'BIT_PACKED') return decodeBitPackedLevels(buf, pos, w, out, outPos, count);
  return decodePrefixedHybrid(buf, pos, w, out, outPos, count);
}

export function readU32(buf: Uint8Array, pos: number): number {
  if (pos + 4 > buf.length) throw corrupt('page ends inside a length prefix');
  return buf[pos]! | (buf[pos + 1]! << 8) | (buf[pos + 2]! << 16) | (buf[pos + 3]! * 2 ** 24);
}
