/**
 * The Parquet writer (writeParquetPart), on hyparquet-writer with an explicit physical schema
 * shaped like parquet-mr's output under Spark (spark-schema.ts): batches are grouped into row
 * groups, each encoded and appended to the file before the next one is gathered; SNAPPY by
 * default (or uncompressed, gzip, brotli, zstd); statistics on; Spark's schema JSON in the
 * key-value metadata; every data and dictionary page carries its CRC-32 (page-crc.ts). A failed
 * write removes the partial file.
 * Follows docs/formats/PARQUET_ARROW_NODE.md and docs/formats/SPARK_MODEL_FORMAT.md §3.
 */
import { open, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import * as zlib from 'node:zlib';
import * as arrow from 'apache-arrow';
import type { CompressionCodec } from 'hyparquet';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { Writer } from 'hyparquet-writer';
import { Errors, KindlingError } from '../../errors.js';
import { isValidAt, type AnyData } from '../../dataframe/batch.js';
import { isVectorType, sparkTypeName } from '../../dataframe/types.js';
import { stampRowGroup } from './page-crc.js';
import { messageOf } from './read-errors.js';
import { SPARK_ROW_METADATA, parquetSchemaElements, sparkSchemaJson, unsupportedWrite } from './spark-schema.js';
import type { FixedArray } from './types.js';

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

/**
 * A hyparquet-writer Writer that appends each finished row group to the file (ParquetWriter
 * awaits flush()). `rewrite(bytes, base)` may replace the buffered bytes (starting at file offset
 * `base`) before they are written (page-crc.ts); the offset then continues from what was written.
 */
function fileSink(fh: FileHandle, rewrite: (bytes: Uint8Array, base: number) => Uint8Array): Writer {
  const w = new ByteWriter(1 << 20);
  const flush = async (): Promise<void> => {
    if (w.index === 0) return;
    const base = w.offset - w.index;
    const bytes = rewrite(new Uint8Array(w.buffer, 0, w.index), base);
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await fh.write(bytes, done, bytes.length - done);
      done += bytesWritten;
    }
    w.index = 0;
    w.offset = base + bytes.length;
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
    // every row group's page headers get their CRC-32 before they reach the file (page-crc.ts)
    let stamped = 0;
    const sink = fileSink(fh, (bytes, base) => {
      if (pw.row_groups.length === stamped) return bytes; // the footer
      const rg = pw.row_groups[stamped++]!;
      return stampRowGroup(file, bytes, base, rg, pw.pendingIndexes.slice(-rg.columns.length));
    });
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
