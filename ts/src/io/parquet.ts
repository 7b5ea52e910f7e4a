/**
 * Parquet in and out, Arrow RecordBatches on our side.
 *
 * Reading uses hyparquet for the footer (thrift metadata), page headers, decompression
 * (hyparquet-compressors: SNAPPY, GZIP, BROTLI, ZSTD, LZ4) and the DELTA / BYTE_STREAM_SPLIT
 * decoders, and decodes everything else here, straight into Arrow buffers: definition and
 * repetition levels into typed arrays, PLAIN and dictionary values into typed arrays or one
 * byte buffer per string column, then Dremel levels into Arrow validity bitmaps and list
 * offsets. No JS object per value, no boxed numbers.
 *
 * A source opens every file's footer once (schema, row-group statistics); a scan then reads
 * one row group at a time with byte-range reads of only the needed column chunks (the next
 * row group is prefetched while the current one decodes), and skips row groups whose
 * column-chunk statistics prove a pushed filter cannot match.
 *
 * Type mapping (Parquet → Arrow, as Spark reads it):
 *   BOOLEAN → Bool; INT32 → Int32 (INT_8 → Int8, INT_16 → Int16, UINT_8 → Int16, UINT_16 → Int32,
 *   UINT_32 → Int64, DATE → DateDay); INT64 → Int64 (TIMESTAMP_MILLIS/MICROS/NANOS → timestamp µs
 *   UTC); INT96 → timestamp µs; FLOAT → Float32; DOUBLE → Float64; BYTE_ARRAY UTF8/STRING/ENUM/JSON
 *   → Utf8, other BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY → Binary; DECIMAL (any physical type) and
 *   UINT_64 → Float64 (a documented approximation: kindling has no decimal type); LIST (3-level
 *   and the legacy 2-level forms) and bare repeated fields → List; groups → Struct; MAP → Map.
 *   REQUIRED fields are non-nullable.
 *
 * Writing uses hyparquet-writer with an explicit physical schema shaped like parquet-mr's output
 * under Spark: root `spark_schema`, 3-level lists `list`/`element`, REQUIRED for non-nullable
 * fields, INT_8/INT_16 for byte/short, DATE, TIMESTAMP_MICROS, UTF8, SNAPPY by default, and the
 * `org.apache.spark.sql.parquet.row.metadata` key holding Spark's schema JSON (with VectorUDT /
 * MatrixUDT for vector and matrix columns, so Spark restores them as vectors).
 */
import { open, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import * as zlib from 'node:zlib';
import * as arrow from 'apache-arrow';
import { parquetMetadata, parquetSchema } from 'hyparquet';
import type { ColumnMetaData, CompressionCodec, FileMetaData, ParquetParsers, SchemaElement, SchemaTree, Statistics } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { decompressPage } from 'hyparquet/src/datapage.js';
import { deltaBinaryUnpack, deltaByteArray, deltaLengthByteArray } from 'hyparquet/src/delta.js';
import { byteStreamSplit } from 'hyparquet/src/encoding.js';
import { compressors as readCompressors } from 'hyparquet-compressors';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { Writer } from 'hyparquet-writer';
import { Errors, KindlingError, KindlingTypeError } from '../errors.js';
import { isVectorType, sparkTypeName, Types } from '../dataframe/types.js';
import { DEFAULT_BATCH_SIZE } from './source.js';
import type { DataSource, PushedFilter, ScanOptions } from './source.js';

type AnyData = arrow.Data<arrow.DataType>;

/** Row groups read and skipped by statistics since load (tests observe pruning through it). */
export const _parquetScanCounters = { rowGroupsRead: 0, rowGroupsSkipped: 0 };

const SPARK_ROW_METADATA = 'org.apache.spark.sql.parquet.row.metadata';
const VECTOR_UDT = { class: 'org.apache.spark.ml.linalg.VectorUDT', pyClass: 'pyspark.ml.linalg.VectorUDT' };
const MATRIX_UDT = { class: 'org.apache.spark.ml.linalg.MatrixUDT', pyClass: 'pyspark.ml.linalg.MatrixUDT' };
const MAX_PAGE_BYTES = 1 << 30;
const WHOLE_FILE_READ_LIMIT = 1 << 20;

// ───────────────────────────── file access ─────────────────────────────

/** A file-backed AsyncBuffer (hyparquet's interface): positioned reads of byte ranges, never the whole file. */
class FileRangeReader {
  constructor(readonly fh: FileHandle, readonly byteLength: number, readonly file: string) {}

  async read(start: number, end: number): Promise<Uint8Array> {
    if (!(start >= 0 && end >= start && end <= this.byteLength)) {
      throw Errors.load(`byte range ${start}..${end} lies outside the file (${this.byteLength} bytes)`);
    }
    const out = new Uint8Array(end - start);
    let got = 0;
    while (got < out.length) {
      const { bytesRead } = await this.fh.read(out, got, out.length - got, start + got);
      if (bytesRead === 0) throw Errors.load(`file is truncated (changed while reading: ${start + got} of ${end} bytes)`);
      got += bytesRead;
    }
    return out;
  }

  async slice(start: number, end = this.byteLength): Promise<ArrayBuffer> {
    const bytes = await this.read(start, end);
    return bytes.buffer as ArrayBuffer;
  }
}

function cannotRead(file: string, reason: string, cause?: unknown): KindlingError {
  return Errors.load(`parquet: cannot read ${file}: ${reason}`, cause);
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Statistics parsers: dates as day numbers, timestamps as bigint µs (the Arrow storage units). */
const STAT_PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (ms: bigint) => ms * 1000n,
  timestampFromMicroseconds: (us: bigint) => us,
  timestampFromNanoseconds: (ns: bigint) => ns / 1000n,
  dateFromDays: (days: number) => days,
};

interface ParquetFile {
  file: string;
  size: number;
  metadata: FileMetaData;
  /** Top-level columns of this file, by name. */
  columns: Map<string, ColumnPlan>;
  /** Leaf column descriptors in file order (index = column chunk index). */
  leaves: LeafInfo[];
}

function openError(file: string, e: unknown): KindlingError {
  if (e instanceof KindlingError) return e;
  const code = (e as { code?: string }).code;
  return cannotRead(file, code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : messageOf(e), e);
}

async function readFooter(file: string): Promise<ParquetFile> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    throw openError(file, e);
  }
  try {
    const size = (await fh.stat()).size;
    if (size < 12) throw cannotRead(file, `file is truncated or not Parquet (${size} bytes, no PAR1 footer)`);
    const reader = new FileRangeReader(fh, size, file);
    const tailLen = Math.min(size, 64 * 1024);
    const tail = await reader.read(size - tailLen, size);
    const magic = (b: Uint8Array, at: number) => String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
    const footerMagic = magic(tail, tail.length - 4);
    if (footerMagic === 'PARE') throw cannotRead(file, 'encrypted Parquet files are not supported');
    if (footerMagic !== 'PAR1') throw cannotRead(file, 'file is truncated or not Parquet (no PAR1 footer)');
    const head = await reader.read(0, 4);
    if (magic(head, 0) !== 'PAR1') throw cannotRead(file, 'file is corrupt or not Parquet (no PAR1 header)');
    const metaLen = new DataView(tail.buffer, tail.byteOffset + tail.length - 8, 4).getUint32(0, true);
    if (metaLen + 12 > size) throw cannotRead(file, `file is truncated or corrupt (footer length ${metaLen} exceeds the file size ${size})`);
    const footer = metaLen + 8 <= tail.length ? tail.subarray(tail.length - metaLen - 8) : await reader.read(size - metaLen - 8, size);
    let metadata: FileMetaData;
    try {
      metadata = parquetMetadata(footer, { parsers: STAT_PARSERS, geoparquet: false });
    } catch (e) {
      throw cannotRead(file, `file is corrupt (cannot decode the footer: ${messageOf(e)})`, e);
    }
    return describeFile(file, size, metaLen, metadata);
  } catch (e) {
    throw openError(file, e);
  } finally {
    await fh.close();
  }
}

// ───────────────────────────── schema: Parquet → Arrow ─────────────────────────────

type Phys = 'i32' | 'i64' | 'i96' | 'f32' | 'f64' | 'bool' | 'bytes' | 'flba';

/** How one leaf's physical values become an Arrow array. */
interface PrimConv {
  phys: Phys;
  type: arrow.DataType;
  /** Physical → Arrow value conversion. */
  conv: 'none' | 'i8' | 'i16' | 'u8' | 'u16' | 'u32' | 'decimal' | 'u64' | 'tsMillis' | 'tsNanos' | 'f16';
  scale: number;
  typeLength: number;
}

interface LeafInfo {
  path: string[];
  element: SchemaElement;
  maxDef: number;
  maxRep: number;
  prim: PrimConv;
}

/** The logical tree of one column: how Dremel levels map to Arrow arrays. */
type PNode =
  | { kind: 'prim'; leaf: number; R: number; dexist: number; def: number }
  | { kind: 'struct'; leaf: number; R: number; dexist: number; def: number; children: PNode[] }
  | { kind: 'list'; leaf: number; R: number; dexist: number; def: number; repR: number; repDef: number; child: PNode }
  | { kind: 'map'; leaf: number; R: number; dexist: number; def: number; repR: number; repDef: number; key: PNode; value: PNode };

interface ColumnPlan {
  field: arrow.Field;
  node: PNode;
  leafStart: number;
  leafEnd: number;
}

function unsupported(file: string, path: string[], what: string): KindlingError {
  return cannotRead(file, `column ${path.join('.')} has an unsupported type (${what})`);
}

function primConv(file: string, path: string[], el: SchemaElement): PrimConv {
  const ct = el.converted_type;
  const lt = el.logical_type;
  const typeLength = el.type_length ?? 0;
  const scale = el.scale ?? (lt?.type === 'DECIMAL' ? lt.scale : 0) ?? 0;
  const isDecimal = ct === 'DECIMAL' || lt?.type === 'DECIMAL';
  const c = (phys: Phys, type: arrow.DataType, conv: PrimConv['conv'] = 'none'): PrimConv => ({ phys, type, conv, scale, typeLength });
  switch (el.type) {
    case 'BOOLEAN':
      return c('bool', Types.boolean());
    case 'INT32': {
      if (isDecimal) return c('i32', Types.double(), 'decimal');
      if (ct === 'DATE' || lt?.type === 'DATE') return c('i32', Types.date());
      const bits = lt?.type === 'INTEGER' ? lt.bitWidth : ct === 'INT_8' || ct === 'UINT_8' ? 8 : ct === 'INT_16' || ct === 'UINT_16' ? 16 : 32;
      const unsigned = (lt?.type === 'INTEGER' && !lt.isSigned) || (ct !== undefined && ct.startsWith('UINT_'));
      if (unsigned) return bits === 8 ? c('i32', Types.smallint(), 'u8') : bits === 16 ? c('i32', Types.int(), 'u16') : c('i32', Types.bigint(), 'u32');
      return bits === 8 ? c('i32', Types.tinyint(), 'i8') : bits === 16 ? c('i32', Types.smallint(), 'i16') : c('i32', Types.int());
    }
    case 'INT64': {
      if (isDecimal) return c('i64', Types.double(), 'decimal');
      if (ct === 'TIMESTAMP_MICROS') return c('i64', Types.timestamp());
      if (ct === 'TIMESTAMP_MILLIS') return c('i64', Types.timestamp(), 'tsMillis');
      if (lt?.type === 'TIMESTAMP') return c('i64', Types.timestamp(), lt.unit === 'MILLIS' ? 'tsMillis' : lt.unit === 'NANOS' ? 'tsNanos' : 'none');
      if (ct === 'UINT_64' || (lt?.type === 'INTEGER' && !lt.isSigned)) return c('i64', Types.double(), 'u64');
      return c('i64', Types.bigint());
    }
    case 'INT96':
      return c('i96', Types.timestamp());
    case 'FLOAT':
      return c('f32', Types.float());
    case 'DOUBLE':
      return c('f64', Types.double());
    case 'BYTE_ARRAY':
      if (isDecimal) return c('bytes', Types.double(), 'decimal');
      if (ct === 'UTF8' || ct === 'ENUM' || ct === 'JSON' || lt?.type === 'STRING' || lt?.type === 'ENUM' || lt?.type === 'JSON') return c('bytes', Types.string());
      return c('bytes', Types.binary());
    case 'FIXED_LEN_BYTE_ARRAY':
      if (!(typeLength > 0)) throw unsupported(file, path, 'FIXED_LEN_BYTE_ARRAY without a length');
      if (isDecimal) return c('flba', Types.double(), 'decimal');
      if (lt?.type === 'FLOAT16' && typeLength === 2) return c('flba', Types.float(), 'f16');
      return c('flba', Types.binary());
    default:
      throw unsupported(file, path, String(el.type));
  }
}

function isListAnnotated(el: SchemaElement): boolean {
  return el.converted_type === 'LIST' || el.logical_type?.type === 'LIST';
}

function isMapAnnotated(el: SchemaElement): boolean {
  return el.converted_type === 'MAP' || el.converted_type === 'MAP_KEY_VALUE' || el.logical_type?.type === 'MAP';
}

interface Walk {
  file: string;
  leaves: LeafInfo[];
}

/** Converts one schema node (a field of a struct or of the message). */
function convertField(w: Walk, tree: SchemaTree, parentDef: number, parentRep: number, dexist: number, name = tree.element.name): { field: arrow.Field; node: PNode } {
  if (tree.element.repetition_type === 'REPEATED') {
    // A bare repeated field: a non-null list of non-null elements.
    const repDef = parentDef + 1;
    const repR = parentRep + 1;
    const el = convertNode(w, tree, false, repDef, repR, repDef, 'element');
    const node: PNode = { kind: 'list', leaf: el.node.leaf, R: parentRep, dexist, def: parentDef, repR, repDef, child: el.node };
    return { field: new arrow.Field(name, new arrow.List(el.field), false), node };
  }
  return convertNode(w, tree, tree.element.repetition_type === 'OPTIONAL', parentDef, parentRep, dexist, name);
}

function convertNode(w: Walk, tree: SchemaTree, optional: boolean, parentDef: number, parentRep: number, dexist: number, name: string): { field: arrow.Field; node: PNode } {
  const el = tree.element;
  const def = parentDef + (optional ? 1 : 0);
  if (tree.children.length === 0) {
    const leaf = w.leaves.length;
    const path = tree.path;
    const prim = primConv(w.file, path, el);
    let maxDef = def;
    let maxRep = parentRep;
    if (el.repetition_type === 'REPEATED') {
      // (a repeated leaf used as an element: its levels already count in parentDef/parentRep)
      maxDef = parentDef;
      maxRep = parentRep;
    }
    w.leaves.push({ path, element: el, maxDef, maxRep, prim });
    return { field: new arrow.Field(name, prim.type, optional), node: { kind: 'prim', leaf, R: parentRep, dexist, def } };
  }
  const only = tree.children.length === 1 ? tree.children[0]! : undefined;
  if (isListAnnotated(el) && only && only.element.repetition_type === 'REPEATED') {
    const repDef = def + 1;
    const repR = parentRep + 1;
    let el2: { field: arrow.Field; node: PNode };
    if (only.children.length === 0) {
      el2 = convertNode(w, only, false, repDef, repR, repDef, 'element'); // 2-level: repeated primitive
    } else if (only.children.length > 1 || only.element.name === 'array' || only.element.name === `${el.name}_tuple`) {
      el2 = convertNode(w, only, false, repDef, repR, repDef, 'element'); // 2-level: repeated group is the element
    } else {
      el2 = convertField(w, only.children[0]!, repDef, repR, repDef, 'element'); // 3-level list/element
    }
    const node: PNode = { kind: 'list', leaf: el2.node.leaf, R: parentRep, dexist, def, repR, repDef, child: el2.node };
    return { field: new arrow.Field(name, new arrow.List(el2.field), optional), node };
  }
  if (isMapAnnotated(el) && only && only.element.repetition_type === 'REPEATED' && only.children.length === 2) {
    const repDef = def + 1;
    const repR = parentRep + 1;
    const k = convertField(w, only.children[0]!, repDef, repR, repDef, 'key');
    const v = convertField(w, only.children[1]!, repDef, repR, repDef, 'value');
    const entries = new arrow.Field('entries', new arrow.Struct([new arrow.Field('key', k.field.type, false), v.field]), false);
    const node: PNode = { kind: 'map', leaf: k.node.leaf, R: parentRep, dexist, def, repR, repDef, key: k.node, value: v.node };
    return { field: new arrow.Field(name, new arrow.Map_(entries, false), optional), node };
  }
  const kids = tree.children.map((c) => convertField(w, c, def, parentRep, dexist));
  const first = kids[0]!.node.leaf;
  const node: PNode = { kind: 'struct', leaf: first, R: parentRep, dexist, def, children: kids.map((k) => k.node) };
  return { field: new arrow.Field(name, new arrow.Struct(kids.map((k) => k.field)), optional), node };
}

function describeFile(file: string, size: number, metaLen: number, metadata: FileMetaData): ParquetFile {
  let root: SchemaTree;
  const w: Walk = { file, leaves: [] };
  const columns = new Map<string, ColumnPlan>();
  try {
    root = parquetSchema(metadata);
    for (const child of root.children) {
      const leafStart = w.leaves.length;
      const { field, node } = convertField(w, child, 0, 0, 0);
      columns.set(field.name, { field, node, leafStart, leafEnd: w.leaves.length });
    }
  } catch (e) {
    if (e instanceof KindlingError) throw e;
    throw cannotRead(file, `file is corrupt (bad schema in the footer: ${messageOf(e)})`, e);
  }
  // Every column chunk must lie inside the data region of the file.
  const dataEnd = size - metaLen - 8;
  metadata.row_groups.forEach((rg, g) => {
    if (rg.columns.length !== w.leaves.length) throw cannotRead(file, `file is corrupt (row group ${g} has ${rg.columns.length} column chunks, the schema ${w.leaves.length})`);
    rg.columns.forEach((chunk, c) => {
      const m = chunk.meta_data;
      if (chunk.file_path) throw cannotRead(file, 'column chunks in external files are not supported');
      if (!m) throw cannotRead(file, `file is corrupt (row group ${g} column ${c} has no metadata)`);
      const start = Number(m.dictionary_page_offset || m.data_page_offset);
      const end = start + Number(m.total_compressed_size);
      if (!(start >= 4 && end <= dataEnd && end >= start)) {
        throw cannotRead(file, `file is truncated or corrupt (column ${m.path_in_schema.join('.')} of row group ${g} lies outside the data: bytes ${start}..${end} of ${dataEnd})`);
      }
    });
  });
  return { file, size, metadata, columns, leaves: w.leaves };
}

// ───────────────────────────── page decoding ─────────────────────────────

function corrupt(what: string): KindlingError {
  return Errors.load(what);
}

function bitWidthOf(max: number): number {
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
function decodeHybrid(buf: Uint8Array, pos: number, end: number, w: number, out: Uint8Array | Int32Array, outPos: number, count: number): number {
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
function decodeBitPackedLevels(buf: Uint8Array, pos: number, w: number, out: Uint8Array, outPos: number, count: number): number {
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

function readU32(buf: Uint8Array, pos: number): number {
  if (pos + 4 > buf.length) throw corrupt('page ends inside a length prefix');
  return buf[pos]! | (buf[pos + 1]! << 8) | (buf[pos + 2]! << 16) | (buf[pos + 3]! * 2 ** 24);
}

type FixedArray = Int32Array | BigInt64Array | Float32Array | Float64Array;

/** Dense (non-null) values of one leaf column for one row group. */
class ValueSink {
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

interface Levels {
  n: number;
  defs: Uint8Array | null;
  reps: Uint8Array | null;
  /** Every definition level is the maximum (no null anywhere on the path). */
  allMax: boolean;
}

interface LeafData {
  levels: Levels;
  values: ValueSink;
}

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

/** Decodes one column chunk (all its pages) into levels and dense values. */
function decodeChunk(bytes: Uint8Array, leaf: LeafInfo, meta: ColumnMetaData): LeafData {
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
  while (seen < total) {
    if (pos >= bytes.length) throw corrupt(`column chunk ends after ${seen} of ${total} values`);
    const reader = { view: dv, offset: pos };
    const header = parquetHeader(reader);
    pos = reader.offset;
    const csize = header.compressed_page_size;
    if (!(csize >= 0) || pos + csize > bytes.length) throw corrupt('a page extends past the column chunk');
    const raw = bytes.subarray(pos, pos + csize);
    pos += csize;

    if (header.type === 'DICTIONARY_PAGE') {
      const dh = header.dictionary_page_header;
      if (!dh || !(dh.num_values >= 0)) throw corrupt('dictionary page without a header');
      const page = decompress(codec, raw, header.uncompressed_page_size);
      if (dh.num_values > page.length * 8 + 1) throw corrupt('dictionary declares more entries than it has bytes');
      dict = new ValueSink(leaf.prim.phys, dh.num_values, page.length, leaf.prim.typeLength);
      dict.plain(page, 0, dh.num_values);
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
      const page = decompress(codec, raw, header.uncompressed_page_size);
      let p = 0;
      if (maxRep > 0) {
        if (h.repetition_level_encoding === 'BIT_PACKED') p = decodeBitPackedLevels(page, p, repW, levels.reps!, seen, n);
        else {
          const len = readU32(page, p);
          decodeHybrid(page, p + 4, Math.min(page.length, p + 4 + len), repW, levels.reps!, seen, n);
          p += 4 + len;
        }
      }
      if (maxDef > 0) {
        if (h.definition_level_encoding === 'BIT_PACKED') p = decodeBitPackedLevels(page, p, defW, levels.defs!, seen, n);
        else {
          const len = readU32(page, p);
          decodeHybrid(page, p + 4, Math.min(page.length, p + 4 + len), defW, levels.defs!, seen, n);
          p += 4 + len;
        }
      }
      vals = page;
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
      const len = readU32(buf, pos);
      const tmp = new Uint8Array(count);
      decodeHybrid(buf, pos + 4, Math.min(buf.length, pos + 4 + len), 1, tmp, 0, count);
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

// ───────────────────────────── Dremel levels → Arrow ─────────────────────────────

function mk(props: Record<string, unknown>): AnyData {
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

function buildNode(node: PNode, type: arrow.DataType, leaves: LeafInfo[], data: LeafData[]): AnyData {
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

// ───────────────────────────── statistics pruning ─────────────────────────────

function cmpCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length - b.length;
  const ca = a.codePointAt(i)!;
  const cb = b.codePointAt(i)!;
  return ca - cb;
}

/** The filter value in the column's statistics domain, or undefined when not comparable. */
function statValue(type: arrow.DataType, el: SchemaElement, v: unknown): number | bigint | string | boolean | undefined {
  if (v === null || v === undefined) return undefined;
  if (arrow.DataType.isTimestamp(type)) {
    // Only absolute instants are unambiguous here (a number could be ms or µs).
    return v instanceof Date && !Number.isNaN(v.getTime()) ? BigInt(v.getTime()) * 1000n : undefined;
  }
  if (arrow.DataType.isDate(type)) {
    if (v instanceof Date && !Number.isNaN(v.getTime())) return Math.floor(v.getTime() / 86_400_000);
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) {
      const ms = Date.parse(`${v}T00:00:00Z`);
      return Number.isNaN(ms) ? undefined : ms / 86_400_000;
    }
    return undefined;
  }
  if (arrow.DataType.isUtf8(type)) return typeof v === 'string' ? v : undefined;
  if (arrow.DataType.isBool(type)) return typeof v === 'boolean' ? v : undefined;
  if (arrow.DataType.isInt(type) || arrow.DataType.isFloat(type)) {
    if (el.type === 'INT96') return undefined;
    if (typeof v === 'number') return Number.isNaN(v) ? undefined : v;
    if (typeof v === 'bigint') return v;
    return undefined;
  }
  return undefined;
}

function cmp(a: number | bigint | string | boolean, b: number | bigint | string | boolean): number | undefined {
  if (typeof a === 'string' || typeof b === 'string') return typeof a === 'string' && typeof b === 'string' ? cmpCodePoints(a, b) : undefined;
  if (typeof a === 'boolean' || typeof b === 'boolean') return typeof a === 'boolean' && typeof b === 'boolean' ? Number(a) - Number(b) : undefined;
  if (typeof a === 'number' && Number.isNaN(a)) return undefined;
  if (typeof b === 'number' && Number.isNaN(b)) return undefined;
  if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
  // number vs bigint
  if (typeof a === 'number' && !Number.isInteger(a)) return Number(b) > a ? -1 : Number(b) < a ? 1 : 0;
  if (typeof b === 'number' && !Number.isInteger(b)) return Number(a) < b ? -1 : Number(a) > b ? 1 : 0;
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** True when the column-chunk statistics prove no row of the group can satisfy the filter. */
function chunkExcludes(f: PushedFilter, plan: ColumnPlan, leaf: LeafInfo, meta: ColumnMetaData): boolean {
  const st: Statistics | undefined = meta.statistics;
  if (!st) return false;
  const rows = meta.num_values;
  const nulls = st.null_count;
  const allNull = nulls !== undefined && nulls === rows;
  if (f.op === 'isNull') return nulls !== undefined && nulls === 0n;
  if (f.op === 'isNotNull') return allNull;
  if (allNull) return true; // a comparison is never true on null
  const type = plan.field.type;
  if (leaf.prim.conv === 'decimal' || leaf.prim.conv === 'u64' || leaf.prim.conv === 'f16') return false; // statistics in another domain
  const isFloat = arrow.DataType.isFloat(type);
  const binary = leaf.element.type === 'BYTE_ARRAY' || leaf.element.type === 'FIXED_LEN_BYTE_ARRAY';
  // For byte arrays only the new min_value/max_value are ordered correctly (old min/max used signed bytes).
  const rawMin = st.min_value ?? (binary ? undefined : st.min);
  const rawMax = st.max_value ?? (binary ? undefined : st.max);
  const norm = (x: unknown): number | bigint | string | boolean | undefined => {
    if (x === undefined || x === null) return undefined;
    if (typeof x === 'number' || typeof x === 'bigint' || typeof x === 'string' || typeof x === 'boolean') return x;
    return undefined;
  };
  const min = norm(rawMin);
  const max = norm(rawMax);
  if (min === undefined || max === undefined) return false;
  const vals = f.op === 'in' ? (Array.isArray(f.value) ? f.value : undefined) : [f.value];
  if (!vals) return false;
  const conv = vals.map((v) => statValue(type, leaf.element, v));
  if (conv.some((v) => v === undefined)) return false;
  const values = conv as (number | bigint | string | boolean)[];
  const below = (v: number | bigint | string | boolean) => cmp(v, min); // <0: v < min
  const above = (v: number | bigint | string | boolean) => cmp(v, max); // >0: v > max
  switch (f.op) {
    case '=':
    case 'in':
      if (f.op === 'in' && values.length === 0) return true;
      return values.every((v) => {
        const a = below(v);
        const b = above(v);
        return a !== undefined && b !== undefined && (a < 0 || b > 0);
      });
    case '<': {
      const c = below(values[0]!);
      return c !== undefined && c <= 0; // every row >= min >= v
    }
    case '<=': {
      const c = below(values[0]!);
      return c !== undefined && c < 0;
    }
    // Spark orders NaN above every number, and statistics leave NaN out: never prune '>' on floats.
    case '>': {
      if (isFloat) return false;
      const c = above(values[0]!);
      return c !== undefined && c >= 0;
    }
    case '>=': {
      if (isFloat) return false;
      const c = above(values[0]!);
      return c !== undefined && c > 0;
    }
    default:
      return false;
  }
}

function rowGroupExcluded(pf: ParquetFile, g: number, filters: readonly PushedFilter[]): boolean {
  const rg = pf.metadata.row_groups[g]!;
  for (const f of filters) {
    const plan = pf.columns.get(f.column);
    if (!plan || plan.node.kind !== 'prim' || plan.leafEnd - plan.leafStart !== 1) continue;
    const meta = rg.columns[plan.leafStart]!.meta_data!;
    try {
      if (chunkExcludes(f, plan, pf.leaves[plan.leafStart]!, meta)) return true;
    } catch {
      // statistics we cannot interpret never prune
    }
  }
  return false;
}

// ───────────────────────────── the source ─────────────────────────────

function sameType(a: arrow.DataType, b: arrow.DataType): boolean {
  if (a.typeId !== b.typeId) return false;
  if (String(a) !== String(b)) return false;
  const ac = a.children ?? [];
  const bc = b.children ?? [];
  if (ac.length !== bc.length) return false;
  return ac.every((f, i) => f.name === bc[i]!.name && sameType(f.type, bc[i]!.type));
}

function isWidening(from: arrow.DataType, to: arrow.DataType): boolean {
  if (!(arrow.DataType.isInt(from) || arrow.DataType.isFloat(from))) return false;
  if (arrow.DataType.isFloat(to)) return to.precision === arrow.Precision.DOUBLE || (arrow.DataType.isFloat(from) && from.precision <= to.precision) || (arrow.DataType.isInt(from) && from.bitWidth <= 16);
  if (arrow.DataType.isInt(to) && arrow.DataType.isInt(from)) return from.bitWidth <= to.bitWidth;
  return false;
}

/** Widening numeric cast of a primitive Data (int → bigger int, int/float → double). */
function widen(d: AnyData, to: arrow.DataType): AnyData {
  const n = d.length;
  const src = d.values as ArrayLike<number | bigint>;
  let out: FixedArray | Int8Array | Int16Array;
  if (arrow.DataType.isFloat(to)) {
    out = to.precision === arrow.Precision.DOUBLE ? new Float64Array(n) : new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = Number(src[i]);
  } else {
    const bits = (to as arrow.Int).bitWidth;
    if (bits === 64) {
      const o = new BigInt64Array(n);
      for (let i = 0; i < n; i++) o[i] = BigInt(src[i] as number);
      out = o;
    } else {
      out = bits === 32 ? new Int32Array(n) : bits === 16 ? new Int16Array(n) : new Int8Array(n);
      for (let i = 0; i < n; i++) out[i] = Number(src[i]);
    }
  }
  return mk({ type: to, length: n, nullCount: d.nullCount, nullBitmap: d.nullCount > 0 ? d.nullBitmap : undefined, offset: 0, data: out });
}

function nullData(type: arrow.DataType, n: number): AnyData {
  return arrow.vectorFromArray(new Array(n).fill(null), type).data[0] as AnyData;
}

function describe(kind: string, files: readonly string[]): string {
  const shown = files.length > 3 ? `${files.slice(0, 3).join(', ')}, … (${files.length} files)` : files.join(', ');
  return `${kind} [${shown}]`;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * A DataSource over Parquet files. Reads every footer now (schema, statistics; a truncated or
 * corrupt file fails here, naming the file). The schema is the first file's, with a field made
 * nullable when another file lacks it or holds it as OPTIONAL; a column whose type differs
 * between files is an error. With `schema`, those columns are read (by name; numeric columns
 * widen, e.g. int → bigint/double), and columns missing from a file come back null.
 */
export async function parquetSource(paths: readonly string[], schema?: arrow.Schema): Promise<DataSource> {
  const api = 'parquet';
  if (!Array.isArray(paths) || paths.length === 0 || paths.some((p) => typeof p !== 'string')) {
    throw Errors.invalidArg(api, 'paths', 'a non-empty array of file paths', paths);
  }
  if (schema !== undefined && !(schema instanceof arrow.Schema)) throw Errors.invalidArg(api, 'schema', 'an apache-arrow Schema', schema);
  const files = await mapLimit(paths, 16, (p) => readFooter(p));

  let fields: arrow.Field[];
  if (schema) {
    fields = schema.fields.slice();
    for (const pf of files) {
      for (const f of fields) {
        const plan = pf.columns.get(f.name);
        if (plan && !sameType(plan.field.type, f.type) && !isWidening(plan.field.type, f.type)) {
          throw new KindlingError('ERR_KINDLING_SCHEMA', `parquet: column ${JSON.stringify(f.name)} of ${pf.file} has type ${sparkTypeName(plan.field.type)}, which cannot be read as ${sparkTypeName(f.type)}`);
        }
      }
    }
  } else {
    const first = files[0]!;
    fields = [...first.columns.values()].map((c) => c.field);
    for (const pf of files.slice(1)) {
      fields = fields.map((f) => {
        const plan = pf.columns.get(f.name);
        if (!plan) return f.nullable ? f : new arrow.Field(f.name, f.type, true, f.metadata);
        if (!sameType(plan.field.type, f.type)) {
          throw new KindlingError('ERR_KINDLING_SCHEMA', `parquet: column ${JSON.stringify(f.name)} has type ${sparkTypeName(f.type)} in ${first.file} but ${sparkTypeName(plan.field.type)} in ${pf.file}`);
        }
        return plan.field.nullable && !f.nullable ? plan.field : f;
      });
    }
  }
  const fullSchema = new arrow.Schema(fields);
  const byName = new Map(fields.map((f) => [f.name, f]));

  return {
    schema: fullSchema,
    description: describe('parquet', paths),
    files: paths.slice(),
    scan(options: ScanOptions = {}): AsyncIterable<arrow.RecordBatch> {
      const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
      if (!Number.isInteger(batchSize) || batchSize < 1) throw Errors.invalidArg(api, 'batchSize', 'an integer >= 1', batchSize);
      const names = options.columns ?? fields.map((f) => f.name);
      const outFields = names.map((name) => {
        const f = byName.get(name);
        if (!f) {
          const list = fields.map((x) => x.name);
          throw new KindlingError('ERR_KINDLING_SCHEMA', `${api}: cannot resolve column ${JSON.stringify(name)} among [${list.join(', ')}]`);
        }
        return f;
      });
      const outSchema = new arrow.Schema(outFields);
      return scanFiles(files, outSchema, options.filters ?? [], batchSize);
    },
  };
}

interface GroupBytes {
  g: number;
  chunks: Map<number, Uint8Array>;
}

async function* scanFiles(files: ParquetFile[], outSchema: arrow.Schema, filters: readonly PushedFilter[], batchSize: number): AsyncGenerator<arrow.RecordBatch> {
  for (const pf of files) yield* scanFile(pf, outSchema, filters, batchSize);
}

async function* scanFile(pf: ParquetFile, outSchema: arrow.Schema, filters: readonly PushedFilter[], batchSize: number): AsyncGenerator<arrow.RecordBatch> {
  const { metadata, file } = pf;
  const plans = outSchema.fields.map((f) => pf.columns.get(f.name));
  const leafIds: number[] = [];
  for (const p of plans) if (p) for (let l = p.leafStart; l < p.leafEnd; l++) leafIds.push(l);
  const groups: number[] = [];
  for (let g = 0; g < metadata.row_groups.length; g++) {
    if (Number(metadata.row_groups[g]!.num_rows) === 0) continue;
    if (filters.length && rowGroupExcluded(pf, g, filters)) {
      _parquetScanCounters.rowGroupsSkipped++;
      continue;
    }
    groups.push(g);
  }
  if (groups.length === 0) return;

  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    throw cannotRead(file, messageOf(e), e);
  }
  const reader = new FileRangeReader(fh, pf.size, file);
  const small = pf.size <= WHOLE_FILE_READ_LIMIT;
  let whole: Promise<Uint8Array> | null = null;
  const fetchGroup = async (g: number): Promise<GroupBytes> => {
    const rg = metadata.row_groups[g]!;
    const chunks = new Map<number, Uint8Array>();
    if (small) {
      whole ??= reader.read(0, pf.size);
      const all = await whole;
      for (const l of leafIds) {
        const m = rg.columns[l]!.meta_data!;
        const start = Number(m.dictionary_page_offset || m.data_page_offset);
        chunks.set(l, all.subarray(start, start + Number(m.total_compressed_size)));
      }
    } else {
      await Promise.all(leafIds.map(async (l) => {
        const m = rg.columns[l]!.meta_data!;
        const start = Number(m.dictionary_page_offset || m.data_page_offset);
        chunks.set(l, await reader.read(start, start + Number(m.total_compressed_size)));
      }));
    }
    return { g, chunks };
  };
  try {
    let pending: Promise<GroupBytes> | null = fetchGroup(groups[0]!);
    pending.catch(() => {});
    for (let i = 0; i < groups.length; i++) {
      let cur: GroupBytes;
      try {
        cur = await pending!;
      } catch (e) {
        throw cannotRead(file, messageOf(e), e);
      }
      pending = i + 1 < groups.length ? fetchGroup(groups[i + 1]!) : null;
      pending?.catch(() => {});
      _parquetScanCounters.rowGroupsRead++;
      const batch = decodeGroup(pf, cur, outSchema, plans);
      const rows = batch.numRows;
      if (rows <= batchSize) yield batch;
      else for (let s = 0; s < rows; s += batchSize) yield batch.slice(s, Math.min(rows, s + batchSize));
    }
  } finally {
    await fh.close();
  }
}

function decodeGroup(pf: ParquetFile, cur: GroupBytes, outSchema: arrow.Schema, plans: (ColumnPlan | undefined)[]): arrow.RecordBatch {
  const rg = pf.metadata.row_groups[cur.g]!;
  const rows = Number(rg.num_rows);
  const data: LeafData[] = [];
  for (const [l, bytes] of cur.chunks) {
    const meta = rg.columns[l]!.meta_data!;
    try {
      data[l] = decodeChunk(bytes, pf.leaves[l]!, meta);
    } catch (e) {
      throw cannotRead(pf.file, `corrupt data in column ${meta.path_in_schema.join('.')} of row group ${cur.g}: ${messageOf(e)}`, e);
    }
  }
  const children = outSchema.fields.map((f, k) => {
    const plan = plans[k];
    if (!plan) return nullData(f.type, rows);
    let d: AnyData;
    try {
      d = buildNode(plan.node, plan.field.type, pf.leaves, data);
    } catch (e) {
      throw cannotRead(pf.file, `corrupt data in column ${f.name} of row group ${cur.g}: ${messageOf(e)}`, e);
    }
    if (d.length !== rows) throw cannotRead(pf.file, `corrupt data in column ${f.name} of row group ${cur.g}: ${d.length} values for ${rows} rows`);
    if (!sameType(d.type, f.type)) d = isWidening(d.type, f.type) ? widen(d, f.type) : d;
    return d;
  });
  const struct = mk({ type: new arrow.Struct(outSchema.fields), length: rows, nullCount: 0, children });
  return new arrow.RecordBatch(outSchema, struct as arrow.Data<arrow.Struct>);
}

// ───────────────────────────── writing ─────────────────────────────

type SparkJsonType = string | Record<string, unknown>;

function isMatrixStruct(t: arrow.DataType): boolean {
  return arrow.DataType.isStruct(t) && t.children.map((f) => f.name).join(',') === 'type,numRows,numCols,colPtrs,rowIndices,values,isTransposed';
}

function sparkField(name: string, type: SparkJsonType, nullable: boolean): Record<string, unknown> {
  return { name, type, nullable, metadata: {} };
}

const VECTOR_SQL_TYPE = {
  type: 'struct',
  fields: [
    sparkField('type', 'byte', false),
    sparkField('size', 'integer', true),
    sparkField('indices', { type: 'array', elementType: 'integer', containsNull: false }, true),
    sparkField('values', { type: 'array', elementType: 'double', containsNull: false }, true),
  ],
};

const MATRIX_SQL_TYPE = {
  type: 'struct',
  fields: [
    sparkField('type', 'byte', false),
    sparkField('numRows', 'integer', false),
    sparkField('numCols', 'integer', false),
    sparkField('colPtrs', { type: 'array', elementType: 'integer', containsNull: false }, true),
    sparkField('rowIndices', { type: 'array', elementType: 'integer', containsNull: false }, true),
    sparkField('values', { type: 'array', elementType: 'double', containsNull: false }, true),
    sparkField('isTransposed', 'boolean', false),
  ],
};

function unsupportedWrite(name: string, t: arrow.DataType): KindlingTypeError {
  return new KindlingTypeError(`writeParquetPart: column ${JSON.stringify(name)} has type ${String(t)}, which Parquet output does not support (cast it first)`, 'ERR_KINDLING_SCHEMA');
}

function sparkJsonType(name: string, t: arrow.DataType): SparkJsonType {
  if (arrow.DataType.isDictionary(t)) return sparkJsonType(name, t.dictionary);
  if (isVectorType(t)) return { type: 'udt', class: VECTOR_UDT.class, pyClass: VECTOR_UDT.pyClass, sqlType: VECTOR_SQL_TYPE };
  if (isMatrixStruct(t)) return { type: 'udt', class: MATRIX_UDT.class, pyClass: MATRIX_UDT.pyClass, sqlType: MATRIX_SQL_TYPE };
  if (arrow.DataType.isBool(t)) return 'boolean';
  if (arrow.DataType.isInt(t)) {
    if (t.isSigned) return t.bitWidth === 8 ? 'byte' : t.bitWidth === 16 ? 'short' : t.bitWidth === 32 ? 'integer' : 'long';
    if (t.bitWidth === 8) return 'short';
    if (t.bitWidth === 16) return 'integer';
    if (t.bitWidth === 32) return 'long';
    throw unsupportedWrite(name, t);
  }
  if (arrow.DataType.isFloat(t)) {
    if (t.precision === arrow.Precision.HALF) throw unsupportedWrite(name, t);
    return t.precision === arrow.Precision.DOUBLE ? 'double' : 'float';
  }
  if (arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t)) return 'string';
  if (arrow.DataType.isBinary(t) || arrow.DataType.isLargeBinary(t) || arrow.DataType.isFixedSizeBinary(t)) return 'binary';
  if (arrow.DataType.isDate(t)) return 'date';
  if (arrow.DataType.isTimestamp(t)) return 'timestamp';
  if (arrow.DataType.isList(t) || arrow.DataType.isFixedSizeList(t) || t.typeId === arrow.Type.LargeList) {
    const el = t.children[0]!;
    return { type: 'array', elementType: sparkJsonType(name, el.type), containsNull: el.nullable };
  }
  if (arrow.DataType.isStruct(t)) return { type: 'struct', fields: t.children.map((f) => sparkField(f.name, sparkJsonType(f.name, f.type), f.nullable)) };
  if (arrow.DataType.isMap(t)) {
    const entry = t.children[0]!.type as arrow.Struct;
    const v = entry.children[1]!;
    return { type: 'map', keyType: sparkJsonType(name, entry.children[0]!.type), valueType: sparkJsonType(name, v.type), valueContainsNull: v.nullable };
  }
  throw unsupportedWrite(name, t);
}

/**
 * Spark SQL's schema JSON for an Arrow schema (the `org.apache.spark.sql.parquet.row.metadata`
 * value): Spark type names (integer, long, double, string, …), arrays, structs, maps, and
 * VectorUDT / MatrixUDT for vector and matrix columns.
 */
export function sparkSchemaJson(schema: arrow.Schema): string {
  return JSON.stringify({ type: 'struct', fields: schema.fields.map((f) => sparkField(f.name, sparkJsonType(f.name, f.type), f.nullable)) });
}

/** The physical Parquet schema parquet-mr writes for a Spark schema. */
function parquetSchemaElements(schema: arrow.Schema): SchemaElement[] {
  const out: SchemaElement[] = [{ name: 'spark_schema', num_children: schema.fields.length }];
  const rep = (nullable: boolean) => (nullable ? 'OPTIONAL' : 'REQUIRED') as 'OPTIONAL' | 'REQUIRED';
  const listOf = (name: string, nullable: boolean, el: arrow.DataType, elNullable: boolean, top: string) => {
    out.push({ name, repetition_type: rep(nullable), num_children: 1, converted_type: 'LIST', logical_type: { type: 'LIST' } });
    out.push({ name: 'list', repetition_type: 'REPEATED', num_children: 1 });
    emit('element', el, elNullable, top);
  };
  const group = (name: string, nullable: boolean, fields: [string, arrow.DataType, boolean][], top: string) => {
    out.push({ name, repetition_type: rep(nullable), num_children: fields.length });
    for (const [n, t, nl] of fields) emit(n, t, nl, top);
  };
  const emit = (name: string, t: arrow.DataType, nullable: boolean, top: string): void => {
    const r = rep(nullable);
    if (arrow.DataType.isDictionary(t)) return emit(name, t.dictionary, nullable, top);
    if (arrow.DataType.isFixedSizeList(t) && isVectorType(t)) {
      return group(name, nullable, [
        ['type', Types.tinyint(), false],
        ['size', Types.int(), true],
        ['indices', Types.array(Types.int(), false), true],
        ['values', Types.array(Types.double(), false), true],
      ], top);
    }
    if (arrow.DataType.isBool(t)) return void out.push({ name, type: 'BOOLEAN', repetition_type: r });
    if (arrow.DataType.isInt(t)) {
      const signed = t.isSigned;
      const bits = t.bitWidth;
      if (signed && bits === 8) return void out.push({ name, type: 'INT32', repetition_type: r, converted_type: 'INT_8', logical_type: { type: 'INTEGER', bitWidth: 8, isSigned: true } });
      if ((signed && bits === 16) || (!signed && bits === 8)) return void out.push({ name, type: 'INT32', repetition_type: r, converted_type: 'INT_16', logical_type: { type: 'INTEGER', bitWidth: 16, isSigned: true } });
      if ((signed && bits === 32) || (!signed && bits === 16)) return void out.push({ name, type: 'INT32', repetition_type: r });
      if ((signed && bits === 64) || (!signed && bits === 32)) return void out.push({ name, type: 'INT64', repetition_type: r });
      throw unsupportedWrite(top, t);
    }
    if (arrow.DataType.isFloat(t)) {
      if (t.precision === arrow.Precision.HALF) throw unsupportedWrite(top, t);
      return void out.push({ name, type: t.precision === arrow.Precision.DOUBLE ? 'DOUBLE' : 'FLOAT', repetition_type: r });
    }
    if (arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t)) return void out.push({ name, type: 'BYTE_ARRAY', repetition_type: r, converted_type: 'UTF8', logical_type: { type: 'STRING' } });
    if (arrow.DataType.isBinary(t) || arrow.DataType.isLargeBinary(t) || arrow.DataType.isFixedSizeBinary(t)) return void out.push({ name, type: 'BYTE_ARRAY', repetition_type: r });
    if (arrow.DataType.isDate(t)) return void out.push({ name, type: 'INT32', repetition_type: r, converted_type: 'DATE', logical_type: { type: 'DATE' } });
    if (arrow.DataType.isTimestamp(t)) {
      return void out.push({ name, type: 'INT64', repetition_type: r, converted_type: 'TIMESTAMP_MICROS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' } });
    }
    if (arrow.DataType.isList(t) || arrow.DataType.isFixedSizeList(t) || t.typeId === arrow.Type.LargeList) {
      const el = t.children[0]!;
      return listOf(name, nullable, el.type, el.nullable, top);
    }
    if (arrow.DataType.isStruct(t)) {
      if (t.children.length === 0) throw unsupportedWrite(top, t);
      return group(name, nullable, t.children.map((f) => [f.name, f.type, f.nullable]), top);
    }
    if (arrow.DataType.isMap(t)) {
      const entry = t.children[0]!.type as arrow.Struct;
      out.push({ name, repetition_type: r, num_children: 1, converted_type: 'MAP', logical_type: { type: 'MAP' } });
      out.push({ name: 'key_value', repetition_type: 'REPEATED', num_children: 2 });
      emit('key', entry.children[0]!.type, false, top);
      emit('value', entry.children[1]!.type, entry.children[1]!.nullable, top);
      return;
    }
    throw unsupportedWrite(top, t);
  };
  for (const f of schema.fields) emit(f.name, f.type, f.nullable, f.name);
  return out;
}

function isValidAt(d: AnyData, i: number): boolean {
  if (d.nullCount === 0) return true;
  const bm = d.nullBitmap;
  if (!bm || bm.length === 0) return true;
  const b = d.offset + i;
  return ((bm[b >> 3]! >> (b & 7)) & 1) === 1;
}

function timestampToMicros(t: arrow.Timestamp, v: bigint): bigint {
  switch (t.unit) {
    case arrow.TimeUnit.SECOND: return v * 1_000_000n;
    case arrow.TimeUnit.MILLISECOND: return v * 1000n;
    case arrow.TimeUnit.NANOSECOND: return v / 1000n;
    default: return v;
  }
}

/** Row i of a Data as the JS value hyparquet-writer expects (null for null). */
function jsValue(d: AnyData, i: number): unknown {
  if (!isValidAt(d, i)) return null;
  const t = d.type;
  if (arrow.DataType.isDictionary(t)) {
    const dict = d.dictionary!;
    return dict.get(Number((d.values as ArrayLike<number | bigint>)[i]));
  }
  if (arrow.DataType.isBool(t)) {
    const b = d.offset + i;
    return ((d.values[b >> 3]! >> (b & 7)) & 1) === 1;
  }
  if (arrow.DataType.isInt(t)) {
    const v = (d.values as ArrayLike<number | bigint>)[i]!;
    if (!t.isSigned && t.bitWidth === 32) return BigInt(v);
    return v;
  }
  if (arrow.DataType.isFloat(t)) return (d.values as ArrayLike<number>)[i];
  if (arrow.DataType.isUtf8(t) || arrow.DataType.isBinary(t)) {
    const o = d.valueOffsets as Int32Array;
    return (d.values as Uint8Array).subarray(o[i]!, o[i + 1]!);
  }
  if (arrow.DataType.isLargeUtf8(t) || arrow.DataType.isLargeBinary(t)) {
    const o = d.valueOffsets as unknown as BigInt64Array;
    return (d.values as Uint8Array).subarray(Number(o[i]!), Number(o[i + 1]!));
  }
  if (arrow.DataType.isFixedSizeBinary(t)) {
    const w = t.byteWidth;
    return (d.values as Uint8Array).subarray(i * w, (i + 1) * w);
  }
  if (arrow.DataType.isDate(t)) {
    const v = (d.values as ArrayLike<number | bigint>)[i]!;
    return t.unit === arrow.DateUnit.DAY ? v : Math.floor(Number(v) / 86_400_000);
  }
  if (arrow.DataType.isTimestamp(t)) return timestampToMicros(t, (d.values as BigInt64Array)[i]!);
  if (arrow.DataType.isFixedSizeList(t)) {
    const size = t.listSize;
    const child = d.children[0]!;
    const items: unknown[] = new Array(size);
    for (let k = 0; k < size; k++) items[k] = jsValue(child, i * size + k);
    return isVectorType(t) ? { type: 1, size: null, indices: null, values: items } : items;
  }
  if (arrow.DataType.isList(t) || arrow.DataType.isMap(t) || t.typeId === arrow.Type.LargeList) {
    const o = d.valueOffsets as ArrayLike<number | bigint>;
    const start = Number(o[i]);
    const end = Number(o[i + 1]);
    const child = d.children[0]!;
    const items: unknown[] = new Array(end - start);
    for (let k = start; k < end; k++) items[k - start] = jsValue(child, k);
    return items;
  }
  if (arrow.DataType.isStruct(t)) {
    const obj: Record<string, unknown> = {};
    t.children.forEach((f, k) => {
      obj[f.name] = jsValue(d.children[k]!, i);
    });
    return obj;
  }
  throw unsupportedWrite('?', t);
}

type WriterColumn = ArrayLike<unknown>;

/** One column of one row group (possibly spanning several batches) as writer input. */
function writerColumn(parts: AnyData[], t: arrow.DataType): WriterColumn {
  const total = parts.reduce((s, p) => s + p.length, 0);
  const noNulls = parts.every((p) => p.nullCount === 0);
  if (noNulls && (arrow.DataType.isInt(t) || arrow.DataType.isFloat(t) || (arrow.DataType.isDate(t) && t.unit === arrow.DateUnit.DAY)) && !(arrow.DataType.isInt(t) && !t.isSigned && t.bitWidth === 32)) {
    // (a builder's buffers may be longer than the Data: take exactly `length` values)
    if (parts.length === 1) return (parts[0]!.values as FixedArray).subarray(0, parts[0]!.length);
    const Ctor = (parts[0]!.values as FixedArray).constructor as new (n: number) => FixedArray;
    const out = new Ctor(total);
    let o = 0;
    for (const p of parts) {
      (out as Float64Array).set((p.values as Float64Array).subarray(0, p.length), o);
      o += p.length;
    }
    return out;
  }
  if (noNulls && arrow.DataType.isTimestamp(t)) {
    const out = new BigInt64Array(total);
    let o = 0;
    for (const p of parts) {
      const src = (p.values as BigInt64Array).subarray(0, p.length);
      if (t.unit === arrow.TimeUnit.MICROSECOND) out.set(src, o);
      else for (let i = 0; i < p.length; i++) out[o + i] = timestampToMicros(t, src[i]!);
      o += p.length;
    }
    return out;
  }
  const out: unknown[] = new Array(total);
  let o = 0;
  for (const p of parts) for (let i = 0; i < p.length; i++) out[o++] = jsValue(p, i);
  return out;
}

function hasBoolean(t: arrow.DataType): boolean {
  if (arrow.DataType.isBool(t)) return true;
  return (t.children ?? []).some((f) => hasBoolean(f.type));
}

/** A hyparquet-writer Writer that appends each finished row group to the file (ParquetWriter awaits flush()). */
function fileSink(fh: FileHandle): Writer {
  const w = new ByteWriter(1 << 20);
  const flush = async (): Promise<void> => {
    if (w.index === 0) return;
    const bytes = new Uint8Array(w.buffer, 0, w.index);
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await fh.write(bytes, done, bytes.length - done);
      done += bytesWritten;
    }
    w.index = 0;
  };
  const sink = w as unknown as Writer;
  sink.flush = flush;
  sink.finish = flush;
  return sink;
}

export interface WriteParquetOptions {
  compression?: 'snappy' | 'uncompressed' | 'gzip' | 'zstd' | 'brotli';
  rowGroupSize?: number;
  kvMetadata?: Record<string, string>;
}

const DEFAULT_ROW_GROUP_ROWS = 1_048_576;

function codecFor(api: string, compression: string): { codec: CompressionCodec; compressors?: Record<string, (input: Uint8Array) => Uint8Array> } {
  switch (compression) {
    case 'snappy': return { codec: 'SNAPPY' };
    case 'uncompressed': case 'none': return { codec: 'UNCOMPRESSED' };
    case 'gzip': return { codec: 'GZIP', compressors: { GZIP: (b) => new Uint8Array(zlib.gzipSync(b)) } };
    case 'brotli': return { codec: 'BROTLI', compressors: { BROTLI: (b) => new Uint8Array(zlib.brotliCompressSync(b)) } };
    case 'zstd': {
      const z = (zlib as unknown as { zstdCompressSync?: (b: Uint8Array) => Buffer }).zstdCompressSync;
      if (!z) throw Errors.invalidArg(api, 'compression', `a codec this Node (${process.version}) can write: snappy, gzip, brotli, uncompressed (zstd needs Node >= 22.15)`, compression);
      return { codec: 'ZSTD', compressors: { ZSTD: (b) => new Uint8Array(z(b)) } };
    }
    default:
      throw Errors.invalidArg(api, 'compression', "one of 'snappy', 'uncompressed', 'gzip', 'zstd', 'brotli'", compression);
  }
}

/**
 * Writes one Parquet part file: batches are grouped into row groups of `rowGroupSize` rows
 * (default 1,048,576), each encoded and appended to the file before the next one is gathered.
 * An empty input still writes a valid file carrying the schema.
 */
export async function writeParquetPart(
  file: string,
  schema: arrow.Schema,
  batches: AsyncIterable<arrow.RecordBatch> | Iterable<arrow.RecordBatch>,
  options: WriteParquetOptions = {},
): Promise<void> {
  const api = 'writeParquetPart';
  if (typeof file !== 'string' || file === '') throw Errors.invalidArg(api, 'file', 'a file path', file);
  if (!(schema instanceof arrow.Schema)) throw Errors.invalidArg(api, 'schema', 'an apache-arrow Schema', schema);
  const { codec, compressors } = codecFor(api, (options.compression ?? 'snappy').toLowerCase());
  const rgs = options.rowGroupSize ?? DEFAULT_ROW_GROUP_ROWS;
  if (!Number.isInteger(rgs) || rgs < 1) throw Errors.invalidArg(api, 'rowGroupSize', 'an integer >= 1', rgs);
  const kv = options.kvMetadata ?? {};
  if (typeof kv !== 'object' || Object.values(kv).some((v) => typeof v !== 'string')) throw Errors.invalidArg(api, 'kvMetadata', 'an object of string values', kv);
  const elements = parquetSchemaElements(schema);
  const kvMetadata = Object.entries({ [SPARK_ROW_METADATA]: sparkSchemaJson(schema), ...kv }).map(([key, value]) => ({ key, value }));
  const encodings = schema.fields.map((f) => (hasBoolean(f.type) ? 'PLAIN' : undefined));

  const fh = await open(file, 'w');
  let ok = false;
  try {
    const sink = fileSink(fh);
    const pw = new ParquetWriter({ writer: sink, schema: elements, codec, compressors, statistics: true, kvMetadata, createdBy: 'kindling (hyparquet-writer)' });
    let pending: arrow.RecordBatch[] = [];
    let pendingRows = 0;
    const writeGroup = async (rows: number) => {
      const parts: arrow.RecordBatch[] = [];
      let need = rows;
      while (need > 0) {
        const b = pending[0]!;
        if (b.numRows <= need) {
          parts.push(b);
          pending.shift();
          need -= b.numRows;
        } else {
          parts.push(b.slice(0, need));
          pending[0] = b.slice(need);
          need = 0;
        }
      }
      pendingRows -= rows;
      const columnData = schema.fields.map((f, k) => {
        const datas = parts.map((p) => p.data.children[k]! as AnyData);
        if (!f.nullable) {
          const nulls = datas.reduce((s, d) => s + d.nullCount, 0);
          if (nulls > 0) throw new KindlingError('ERR_KINDLING_SCHEMA', `${api}: column ${JSON.stringify(f.name)} is not nullable but holds ${nulls} null(s)`);
        }
        return { name: f.name, data: writerColumn(datas, f.type) as unknown as unknown[], encoding: encodings[k] as 'PLAIN' | undefined };
      });
      await pw.write({ columnData, rowGroupSize: rows });
    };
    for await (const b of batches as AsyncIterable<arrow.RecordBatch>) {
      if (!(b instanceof arrow.RecordBatch)) throw Errors.invalidArg(api, 'batches', 'apache-arrow RecordBatches', b);
      if (b.numCols !== schema.fields.length || b.schema.fields.some((f, k) => f.name !== schema.fields[k]!.name || f.type.typeId !== schema.fields[k]!.type.typeId)) {
        throw new KindlingError('ERR_KINDLING_SCHEMA', `${api}: a batch's columns [${b.schema.fields.map((f) => `${f.name}: ${sparkTypeName(f.type)}`).join(', ')}] do not match the schema [${schema.fields.map((f) => `${f.name}: ${sparkTypeName(f.type)}`).join(', ')}]`);
      }
      if (b.numRows === 0) continue;
      pending.push(b);
      pendingRows += b.numRows;
      while (pendingRows >= rgs) await writeGroup(rgs);
    }
    if (pendingRows > 0) await writeGroup(pendingRows);
    pending = [];
    await pw.finish();
    ok = true;
  } catch (e) {
    if (e instanceof KindlingError) throw e;
    throw new KindlingError('ERR_KINDLING_SCHEMA', `${api}: cannot write ${file}: ${messageOf(e)}`, { cause: e });
  } finally {
    await fh.close();
    if (!ok) await rm(file, { force: true });
  }
}
