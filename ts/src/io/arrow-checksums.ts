/**
 * Checksums for the Arrow IPC files kindling writes. The IPC format has none, so the writer
 * records, for each record batch, the CRC-32 (crc32.ts) of the bytes it wrote for that batch
 * (its dictionary messages, the batch's metadata and its body, exactly as stored), in the footer
 * schema's custom metadata under `kindling.batch_crc32` as `start-end:crc` entries (file
 * offsets, crc in hex, comma-separated). The reader verifies them when the key is present.
 *
 * Why there: the footer is written after every batch, so it can hold checksums of bytes already
 * written without a second pass; other readers ignore unknown custom metadata, and files from
 * other writers (no key) still read, checked only structurally (arrow-messages.ts,
 * arrow-check.ts). Covering the stored bytes rather than decoded values means a flip anywhere in
 * a batch — metadata, validity, offsets, values — is caught, and verification is a plain read.
 * The stream format has no footer and carries no checksums (kindling's datasets are written in
 * the file format: dataframe/writer.ts); the schema and footer themselves are checked
 * structurally only.
 */
import type { FileHandle } from 'node:fs/promises';
import { crc32 } from './crc32.js';

export const CHECKSUM_KEY = 'kindling.batch_crc32';

/** Accumulates the CRC-32 of byte ranges of a file while its bytes stream past in order. */
export class RangeChecksums {
  private readonly ranges: { start: number; end: number; crc: number }[] = [];
  private fed = 0;

  /** Declares the bytes [start, end) of one batch; ranges are declared in order. */
  add(start: number, end: number): void {
    if (end > start) this.ranges.push({ start, end, crc: 0 });
  }

  /** The next `chunk` of the file (it starts where the previous one ended). */
  feed(chunk: Uint8Array): void {
    const from = this.fed;
    const to = from + chunk.length;
    for (const r of this.ranges) {
      if (r.end <= from || r.start >= to) continue;
      const a = Math.max(r.start, from) - from;
      const b = Math.min(r.end, to) - from;
      r.crc = crc32(chunk.subarray(a, b), r.crc);
    }
    this.fed = to;
  }

  /** The bytes fed so far. */
  get position(): number {
    return this.fed;
  }

  /** The metadata value (call when every range has been fed). */
  toString(): string {
    return this.ranges.map((r) => `${r.start}-${r.end}:${r.crc.toString(16)}`).join(',');
  }
}

/** Why the batches of a file of `size` bytes fail the checksums in `value`, or null when all match. */
export async function checksumDefect(fh: FileHandle, size: number, value: string): Promise<string | null> {
  const entries = value === '' ? [] : value.split(',');
  const buf = new Uint8Array(1 << 20);
  for (let i = 0; i < entries.length; i++) {
    const m = /^(\d+)-(\d+):([0-9a-f]{1,8})$/.exec(entries[i]!);
    const start = m ? Number(m[1]) : NaN;
    const end = m ? Number(m[2]) : NaN;
    if (!m || !(start >= 0 && end > start && end <= size)) return `batch ${i} has a malformed checksum entry ${JSON.stringify(entries[i]!.slice(0, 40))}`;
    let crc = 0;
    for (let pos = start; pos < end;) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, end - pos), pos);
      if (bytesRead === 0) return `batch ${i} is cut off at byte ${pos}`;
      crc = crc32(buf.subarray(0, bytesRead), crc);
      pos += bytesRead;
    }
    const stored = parseInt(m[3]!, 16);
    if (crc !== stored) return `batch ${i} fails its checksum (bytes ${start}-${end}: stored CRC-32 ${stored.toString(16).padStart(8, '0')}, computed ${crc.toString(16).padStart(8, '0')})`;
  }
  return null;
}
