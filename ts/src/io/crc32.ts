/**
 * CRC-32 (the zlib / IEEE 802.3 polynomial, reflected 0xEDB88320), the one checksum kindling's
 * readers and writers use: Parquet's PageHeader `crc` (parquet.thrift: "CRC32 checksum of the
 * page ... computed over the compressed page data as stored after the header", signed i32 in
 * thrift) and the per-batch checksums kindling writes into Arrow IPC files (arrow-ipc.ts).
 * node:zlib's crc32 (Node >= 20.15) when present, else the table-driven loop below.
 */
import * as zlib from 'node:zlib';

const native = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

let table: Uint32Array | null = null;

function crc32Table(bytes: Uint8Array, value: number): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = ~value >>> 0;
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** CRC-32 of `bytes`, continuing from `value` (the CRC of the bytes before them; 0 to start), unsigned. */
export function crc32(bytes: Uint8Array, value = 0): number {
  return native ? native(bytes, value) >>> 0 : crc32Table(bytes, value);
}

/** The table-driven fallback, exported for the test that checks both paths agree. */
export const _crc32Table = crc32Table;
