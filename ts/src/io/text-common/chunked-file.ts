/**
 * A file read front to back in fixed-size chunks into one growing byte buffer: the unread bytes
 * [pos, end) are moved to the front before each read, and the buffer doubles when a single record
 * fills it. The CSV record reader (csv/record-reader.ts) and the JSON line reader
 * (json/line-reader.ts) are built on it, so a 1 GB file is read holding one chunk.
 * Follows shared/ARCHITECTURE.md (Data: readers stream partitions, never whole files).
 */
import * as fs from 'node:fs';

export abstract class ChunkedFile {
  buf: Uint8Array;
  /** Start of the unread bytes. */
  pos = 0;
  /** End of the bytes read so far. */
  end = 0;
  eof = false;
  private fh: fs.promises.FileHandle | null = null;

  constructor(readonly file: string, chunkSize: number) {
    this.buf = new Uint8Array(chunkSize);
  }

  /** The error thrown when the file cannot be opened. */
  protected abstract openError(e: unknown): unknown;
  /** The error thrown when a read fails. */
  protected abstract readError(e: unknown): unknown;

  async open(): Promise<void> {
    try {
      this.fh = await fs.promises.open(this.file, 'r');
    } catch (e) {
      throw this.openError(e);
    }
  }

  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = null;
    if (fh) await fh.close();
  }

  /** Reads the next chunk after the unread bytes (sets eof when the file has no more). */
  async fill(): Promise<void> {
    if (this.eof) return;
    if (this.pos > 0) {
      this.buf.copyWithin(0, this.pos, this.end);
      this.end -= this.pos;
      this.pos = 0;
    }
    if (this.end === this.buf.length) {
      const nb = new Uint8Array(this.buf.length * 2);
      nb.set(this.buf);
      this.buf = nb;
    }
    let n: number;
    try {
      ({ bytesRead: n } = await this.fh!.read(this.buf, this.end, this.buf.length - this.end, null));
    } catch (e) {
      throw this.readError(e);
    }
    if (n === 0) this.eof = true;
    this.end += n;
  }
}
