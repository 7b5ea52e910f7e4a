/**
 * Decoding one column chunk: page headers (hyparquet), decompression (hyparquet-compressors:
 * SNAPPY, GZIP, BROTLI, ZSTD, LZ4), data pages v1 and v2, dictionary pages, levels (levels.ts)
 * and values in every encoding (value-sink.ts), into the chunk's levels and dense values.
 * Follows docs/formats/PARQUET_ARROW_NODE.md (hyparquet for headers, compression, DELTA decoders).
 */
import type { ColumnMetaData, CompressionCodec } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { decompressPage } from 'hyparquet/src/datapage.js';
import { deltaBinaryUnpack, deltaByteArray, deltaLengthByteArray } from 'hyparquet/src/delta.js';
import { byteStreamSplit } from 'hyparquet/src/encoding.js';
import { compressors as readCompressors } from 'hyparquet-compressors';
import { crc32 } from '../crc32.js';
import { bitWidthOf, decodeHybrid, decodePrefixedHybrid, decodeV1Levels } from './levels.js';
import { corrupt } from './read-errors.js';
import type { LeafData, LeafInfo, Levels } from './types.js';
import { ValueSink } from './value-sink.js';

const MAX_PAGE_BYTES = 1 << 30;

function snappyDeclaredLength(b: Uint8Array): number {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 5 && i < b.length; i++) {
    v += (b[i]! & 0x7f) * mul;
    if (!(b[i]! & 0x80)) return v;
    mul *= 128;
  }
  return -1;
}

function decompress(codec: CompressionCodec, bytes: Uint8Array, size: number): Uint8Array {
  if (!(size >= 0 && size <= MAX_PAGE_BYTES)) throw corrupt(`page size ${size} is out of range`);
  if (codec === 'SNAPPY' && snappyDeclaredLength(bytes) !== size) throw corrupt('SNAPPY page length does not match its header');
  if (codec === 'LZO') throw corrupt('LZO compression is not supported');
  return decompressPage(bytes, size, codec, readCompressors);
}

const hex = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

/**
 * Decodes one column chunk (all its pages) into levels and dense values. With `verifyChecksums`,
 * a page whose header carries a `crc` must match the CRC-32 of its bytes as stored after the
 * header (parquet.thrift PageHeader.crc); pages are numbered from 0 within the chunk.
 */
export function decodeChunk(bytes: Uint8Array, leaf: LeafInfo, meta: ColumnMetaData, verifyChecksums = true): LeafData {
  const total = Number(meta.num_values);
  if (!(total >= 0 && total < 2 ** 31)) throw corrupt(`column chunk declares ${meta.num_values} values`);
  const { maxDef, maxRep } = leaf;
  const levels: Levels = { n: total, defs: maxDef > 0 ? new Uint8Array(total) : null, reps: maxRep > 0 ? new Uint8Array(total) : null, allMax: false };
  const values = new ValueSink(leaf.prim.phys, total, Number(meta.total_uncompressed_size), leaf.prim.typeLength);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const codec = meta.codec;
  const defW = bitWidthOf(maxDef);
  const repW = bitWidthOf(maxRep);
  let dict: ValueSink | null = null;
  let idx = new Int32Array(0);
  let seen = 0;
  let pos = 0;
  let pageIndex = 0;
  while (seen < total) {
    if (pos >= bytes.length) throw corrupt(`column chunk ends after ${seen} of ${total} values`);
    const reader = { view: dv, offset: pos };
    const header = parquetHeader(reader);
    pos = reader.offset;
    const csize = header.compressed_page_size;
    if (!(csize >= 0) || pos + csize > bytes.length) throw corrupt('a page extends past the column chunk');
    const raw = bytes.subarray(pos, pos + csize);
    pos += csize;
    const page = pageIndex++;
    if (verifyChecksums && typeof header.crc === 'number' && (crc32(raw) | 0) !== (header.crc | 0)) {
      throw corrupt(`page ${page} fails its checksum (stored CRC-32 ${hex(header.crc)}, computed ${hex(crc32(raw))})`);
    }

    if (header.type === 'DICTIONARY_PAGE') {
      const dh = header.dictionary_page_header;
      if (!dh || !(dh.num_values >= 0)) throw corrupt('dictionary page without a header');
      const dictBytes = decompress(codec, raw, header.uncompressed_page_size);
      if (dh.num_values > dictBytes.length * 8 + 1) throw corrupt('dictionary declares more entries than it has bytes');
      dict = new ValueSink(leaf.prim.phys, dh.num_values, dictBytes.length, leaf.prim.typeLength);
      dict.plain(dictBytes, 0, dh.num_values);
      continue;
    }
    if (header.type !== 'DATA_PAGE' && header.type !== 'DATA_PAGE_V2') continue; // index pages

    let n: number;
    let encoding: string;
    let vals: Uint8Array;
    let vpos: number;
    if (header.type === 'DATA_PAGE') {
      const h = header.data_page_header;
      if (!h) throw corrupt('data page without a header');
      n = h.num_values;
      if (!(n >= 0 && seen + n <= total)) throw corrupt(`data page declares ${n} values, more than the column chunk holds`);
      encoding = h.encoding;
      const body = decompress(codec, raw, header.uncompressed_page_size);
      let p = 0;
      if (maxRep > 0) p = decodeV1Levels(body, p, h.repetition_level_encoding, repW, levels.reps!, seen, n);
      if (maxDef > 0) p = decodeV1Levels(body, p, h.definition_level_encoding, defW, levels.defs!, seen, n);
      vals = body;
      vpos = p;
    } else {
      const h = header.data_page_header_v2;
      if (!h) throw corrupt('data page v2 without a header');
      n = h.num_values;
      if (!(n >= 0 && seen + n <= total)) throw corrupt(`data page declares ${n} values, more than the column chunk holds`);
      encoding = h.encoding;
      const rl = h.repetition_levels_byte_length;
      const dl = h.definition_levels_byte_length;
      if (!(rl >= 0 && dl >= 0 && rl + dl <= raw.length)) throw corrupt('data page v2 level lengths exceed the page');
      if (maxRep > 0) decodeHybrid(raw, 0, rl, repW, levels.reps!, seen, n);
      if (maxDef > 0) decodeHybrid(raw, rl, rl + dl, defW, levels.defs!, seen, n);
      const body = raw.subarray(rl + dl);
      vals = h.is_compressed === false ? body : decompress(codec, body, header.uncompressed_page_size - rl - dl);
      vpos = 0;
    }

    // non-null values in this page (and a check that levels are in range)
    let nn = n;
    if (maxDef > 0) {
      const defs = levels.defs!;
      nn = 0;
      let bad = 0;
      for (let k = seen, e = seen + n; k < e; k++) {
        const d = defs[k]!;
        if (d === maxDef) nn++;
        else if (d > maxDef) bad++;
      }
      if (bad) throw corrupt(`definition level above the maximum ${maxDef}`);
    }
    if (maxRep > 0) {
      const reps = levels.reps!;
      for (let k = seen, e = seen + n; k < e; k++) if (reps[k]! > maxRep) throw corrupt(`repetition level above the maximum ${maxRep}`);
    }
    decodeValues(encoding, vals, vpos, nn, leaf, values, dict, () => {
      if (idx.length < nn) idx = new Int32Array(nn);
      return idx;
    });
    seen += n;
  }
  levels.allMax = values.n === total;
  return { levels, values };
}

function decodeValues(encoding: string, buf: Uint8Array, pos: number, count: number, leaf: LeafInfo, sink: ValueSink, dict: ValueSink | null, scratch: () => Int32Array): void {
  if (count === 0) return;
  const phys = leaf.prim.phys;
  switch (encoding) {
    case 'PLAIN':
      sink.plain(buf, pos, count);
      return;
    case 'PLAIN_DICTIONARY':
    case 'RLE_DICTIONARY': {
      if (!dict) throw corrupt('dictionary-encoded page without a dictionary page');
      if (pos >= buf.length) throw corrupt('dictionary page data is empty');
      const w = buf[pos]!;
      if (w > 32) throw corrupt(`dictionary index bit width ${w}`);
      const idx = scratch();
      decodeHybrid(buf, pos + 1, buf.length, w, idx, 0, count);
      sink.gather(dict, idx, count);
      return;
    }
    case 'RLE': {
      if (phys !== 'bool') throw corrupt(`RLE value encoding for a ${leaf.element.type} column`);
      const tmp = new Uint8Array(count);
      decodePrefixedHybrid(buf, pos, 1, tmp, 0, count);
      const dst = sink.bits!;
      if (count > sink.capacityLeft()) throw corrupt('more values than the column chunk declares');
      for (let k = 0; k < count; k++) if (tmp[k]) dst[(sink.n + k) >> 3]! |= 1 << ((sink.n + k) & 7);
      sink.n += count;
      return;
    }
    case 'DELTA_BINARY_PACKED': {
      if (phys !== 'i32' && phys !== 'i64') throw corrupt(`DELTA_BINARY_PACKED for a ${leaf.element.type} column`);
      if (count > sink.capacityLeft()) throw corrupt('more values than the column chunk declares');
      const reader = { view: new DataView(buf.buffer, buf.byteOffset, buf.byteLength), offset: pos };
      const out = (sink.fixed as Int32Array | BigInt64Array).subarray(sink.n, sink.n + count);
      deltaBinaryUnpack(reader, count, out);
      sink.n += count;
      return;
    }
    case 'DELTA_LENGTH_BYTE_ARRAY':
    case 'DELTA_BYTE_ARRAY': {
      if (phys !== 'bytes' && phys !== 'flba') throw corrupt(`${encoding} for a ${leaf.element.type} column`);
      const reader = { view: new DataView(buf.buffer, buf.byteOffset, buf.byteLength), offset: pos };
      const out: Uint8Array[] = new Array(count);
      if (encoding === 'DELTA_LENGTH_BYTE_ARRAY') deltaLengthByteArray(reader, count, out);
      else deltaByteArray(reader, count, out);
      sink.appendArray(out, count);
      return;
    }
    case 'BYTE_STREAM_SPLIT': {
      const reader = { view: new DataView(buf.buffer, buf.byteOffset, buf.byteLength), offset: pos };
      const out = byteStreamSplit(reader, count, leaf.element.type!, leaf.element.type_length) as ArrayLike<unknown>;
      sink.appendArray(out, count);
      return;
    }
    default:
      throw corrupt(`unsupported encoding ${encoding}`);
  }
}
