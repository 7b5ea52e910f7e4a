/**
 * Reads JSON-lines files one line at a time (or, with multiLine, one whole file as one document)
 * from fixed-size chunks (text-common/chunked-file.ts): LF, CRLF or a lone CR end a line unless
 * lineSep says otherwise; a UTF-8 byte-order mark is skipped; invalid UTF-8 marks the line bad
 * (a malformed record) instead of being replaced silently.
 * Follows shared/ARCHITECTURE.md (Data: readers stream files in chunks).
 */
import { ChunkedFile } from '../text-common/chunked-file.js';
import { fileError } from '../text-common/reading.js';
import type { JsonConfig } from './options.js';

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/** One line (or, in multiLine mode, one file) at a time: text, or an error for invalid UTF-8. */
export class LineReader extends ChunkedFile {
  private nextLine = 1;
  private first = true;
  /** Position of the next CR at or after pos (end when none is buffered); -1 unknown. */
  private crAt = -1;
  line = 1;
  text = '';
  bad: string | null = null;

  constructor(file: string, private readonly cfg: JsonConfig) {
    super(file, cfg.chunkSize);
  }

  protected openError(e: unknown): unknown {
    return fileError('json', this.file, e);
  }

  protected readError(e: unknown): unknown {
    return fileError('json', this.file, e);
  }

  override async fill(): Promise<void> {
    this.crAt = -1;
    await super.fill();
  }

  private decode(s: number, e: number): void {
    let b = this.buf.subarray(s, e);
    if (this.first) {
      this.first = false;
      if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
    }
    try {
      this.text = fatalUtf8.decode(b);
      this.bad = null;
    } catch {
      this.text = new TextDecoder('utf-8').decode(b);
      this.bad = 'invalid UTF-8';
    }
  }

  /** Advances to the next line (or the whole file in multiLine mode); false at the end. */
  async next(): Promise<boolean> {
    if (this.cfg.multiLine) {
      if (!this.first) return false;
      while (!this.eof) await this.fill();
      this.decode(0, this.end);
      this.line = 1;
      return true;
    }
    const ls = this.cfg.lineSep;
    for (;;) {
      const b = this.buf;
      let e = -1;
      let next = -1;
      if (ls === undefined || ls === '\r\n') {
        // native searches for LF and (cached) CR: a line ends at LF, CRLF or a lone CR
        let nl = b.indexOf(10, this.pos);
        if (nl >= this.end) nl = -1;
        if (this.crAt < this.pos) {
          const cr = b.indexOf(13, this.pos);
          this.crAt = cr >= 0 && cr < this.end ? cr : this.end;
        }
        const cr = this.crAt < this.end ? this.crAt : -1;
        if (cr >= 0 && (nl < 0 || cr < nl)) {
          if (cr + 1 < this.end || this.eof) {
            e = cr;
            next = b[cr + 1] === 10 && cr + 1 < this.end ? cr + 2 : cr + 1;
          }
        } else if (nl >= 0) {
          e = nl;
          next = nl + 1;
        }
      } else {
        const t = ls.charCodeAt(0);
        const i = b.indexOf(t, this.pos);
        if (i >= 0 && i < this.end) {
          e = i;
          next = i + 1;
        }
      }
      if (e < 0) {
        if (!this.eof) {
          await this.fill();
          continue;
        }
        if (this.pos >= this.end) return false;
        e = this.end;
        next = this.end;
      }
      this.decode(this.pos, e);
      this.pos = next;
      this.line = this.nextLine++;
      return true;
    }
  }
}
