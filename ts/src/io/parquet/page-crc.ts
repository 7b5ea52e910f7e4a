/**
 * Page checksums for the files kindling writes. hyparquet-writer leaves PageHeader.crc unset, so
 * after each row group is encoded (and before it reaches the file) every page header of it is
 * written again with `crc` = CRC-32 of the page's bytes as stored after the header
 * (parquet.thrift PageHeader.crc; crc32.ts), and the offsets the footer will record (column
 * chunk offsets and sizes, the offset index's page locations, the row group's sizes) are moved
 * by the bytes the headers grew. A header that does not re-encode to its original bytes (a field
 * this step would drop) is an error (ERR_KINDLING_SCHEMA, like the writer's other failures)
 * rather than a silently different file.
 */
import type { ColumnChunk, RowGroup } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { ByteWriter } from 'hyparquet-writer';
import { writePageHeader } from 'hyparquet-writer/src/datapage.js';
import type { PageIndexes, Writer } from 'hyparquet-writer/src/types.js';
import { KindlingError } from '../../errors.js';
import { crc32 } from '../crc32.js';

function encodeHeader(header: Parameters<typeof writePageHeader>[1]): Uint8Array {
  const w = new ByteWriter(64);
  writePageHeader(w as unknown as Writer, header);
  return new Uint8Array(w.buffer, 0, w.index).slice();
}

/**
 * `bytes` (starting at file offset `base`) end with the row group `rg` just encoded; returns
 * them with every page header of `rg` carrying its crc, and moves the offsets in `rg` and in
 * `indexes` (its columns' page indexes) to match.
 */
export function stampRowGroup(file: string, bytes: Uint8Array, base: number, rg: RowGroup, indexes: PageIndexes[]): Uint8Array {
  const fail = (why: string) => new KindlingError('ERR_KINDLING_SCHEMA', `writeParquetPart: cannot write ${file}: ${why}`);
  const columns = rg.columns;
  if (columns.length === 0) return bytes;
  const first = Number(columns[0]!.file_offset) - base;
  const parts: Uint8Array[] = [bytes.subarray(0, first)];
  let out = first; // bytes emitted so far
  let next = first; // where the next column chunk must start in `bytes`
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let total = 0n;
  let uncompressed = 0n;
  columns.forEach((chunk: ColumnChunk, k: number) => {
    const meta = chunk.meta_data!;
    const start = Number(chunk.file_offset) - base;
    const end = start + Number(meta.total_compressed_size);
    if (start !== next || end > bytes.length) throw fail(`column chunk ${k} is not where the row group's bytes continue`);
    const chunkOut = out;
    const pageMap = new Map<number, { at: number; size: number }>();
    let grew = 0;
    let pos = start;
    while (pos < end) {
      const reader = { view: dv, offset: pos };
      const header = parquetHeader(reader);
      const bodyStart = reader.offset;
      const body = bytes.subarray(bodyStart, bodyStart + header.compressed_page_size);
      const plain = encodeHeader(header);
      if (plain.length !== bodyStart - pos || plain.some((b, i) => b !== bytes[pos + i])) throw fail(`page header at byte ${pos + base} does not re-encode to its own bytes`);
      const stamped = encodeHeader({ ...header, crc: crc32(body) | 0 });
      pageMap.set(pos, { at: out, size: stamped.length + body.length });
      parts.push(stamped, body);
      out += stamped.length + body.length;
      grew += stamped.length - plain.length;
      pos = bodyStart + body.length;
    }
    next = end;
    const at = (old: bigint | undefined) => (old === undefined ? undefined : BigInt(pageMap.get(Number(old) - base)!.at + base));
    if (meta.dictionary_page_offset !== undefined) meta.dictionary_page_offset = at(meta.dictionary_page_offset);
    meta.data_page_offset = at(meta.data_page_offset)!;
    chunk.file_offset = BigInt(chunkOut + base);
    meta.total_compressed_size = BigInt(out - chunkOut);
    meta.total_uncompressed_size += BigInt(grew);
    total += meta.total_compressed_size;
    uncompressed += meta.total_uncompressed_size;
    for (const loc of indexes[k]?.offsetIndex?.page_locations ?? []) {
      const p = pageMap.get(Number(loc.offset) - base)!;
      loc.offset = BigInt(p.at + base);
      loc.compressed_page_size = p.size;
    }
  });
  if (next !== bytes.length) throw fail(`the row group ends at byte ${next + base}, not at the end of its bytes`);
  rg.total_compressed_size = total;
  rg.total_byte_size = uncompressed;
  const joined = new Uint8Array(out);
  let o = 0;
  for (const p of parts) {
    joined.set(p, o);
    o += p.length;
  }
  return joined;
}
