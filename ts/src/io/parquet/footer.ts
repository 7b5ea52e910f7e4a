/**
 * Opening a Parquet file: positioned byte-range reads (never the whole file), the PAR1 magic and
 * footer checks, and hyparquet's thrift decoding of the footer into a ParquetFile plan
 * (read-schema.ts). Statistics come back in Arrow's storage units (days, µs).
 * Follows docs/formats/PARQUET_ARROW_NODE.md (hyparquet reads the footer and page headers).
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { parquetMetadata } from 'hyparquet';
import type { FileMetaData, ParquetParsers } from 'hyparquet';
import { Errors } from '../../errors.js';
import { cannotRead, messageOf, openError } from './read-errors.js';
import { describeFile } from './read-schema.js';
import type { ParquetFile } from './types.js';

/** A file-backed AsyncBuffer (hyparquet's interface): positioned reads of byte ranges, never the whole file. */
export class FileRangeReader {
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

/** Statistics parsers: dates as day numbers, timestamps as bigint µs (the Arrow storage units). */
const STAT_PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (ms: bigint) => ms * 1000n,
  timestampFromMicroseconds: (us: bigint) => us,
  timestampFromNanoseconds: (ns: bigint) => ns / 1000n,
  dateFromDays: (days: number) => days,
};

/** Opens one file and reads its footer (schema, row groups, statistics); fails naming the file. */
export async function readFooter(file: string): Promise<ParquetFile> {
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
