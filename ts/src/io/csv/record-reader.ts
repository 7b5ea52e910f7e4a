/**
 * Streams the records of one CSV file through a Tokenizer, reading fixed-size chunks
 * (text-common/chunked-file.ts): skips a UTF-8 byte-order mark, tracks the 1-based line of each
 * record for messages, and decodes tokens to strings only when asked.
 * Follows shared/ARCHITECTURE.md ("CSV with Spark's read options and modes").
 */
import { ChunkedFile } from '../text-common/chunked-file.js';
import { fileError } from '../text-common/reading.js';
import { utf8String } from './field-parsers.js';
import { F_SCRATCH, TOK_MORE, TOK_RECORD, type Tokenizer } from './tokenizer.js';

export class RecordReader extends ChunkedFile {
  /** 1-based line of the current record's first line. */
  line = 1;
  private nextLine = 1;
  private bomChecked = false;

  constructor(file: string, readonly tok: Tokenizer, chunkSize: number, private readonly api: string) {
    super(file, chunkSize);
  }

  protected openError(e: unknown): unknown {
    return fileError(this.api, this.file, e);
  }

  protected readError(e: unknown): unknown {
    return fileError(this.api, this.file, e);
  }

  /** Next record: TOK_RECORD (tokens in this.tok), TOK_MORE (call fill()), TOK_EOF. */
  nextRecord(): number {
    if (!this.bomChecked) {
      if (this.end - this.pos < 3 && !this.eof) return TOK_MORE;
      if (this.end - this.pos >= 3 && this.buf[this.pos] === 0xef && this.buf[this.pos + 1] === 0xbb && this.buf[this.pos + 2] === 0xbf) this.pos += 3;
      this.bomChecked = true;
    }
    const r = this.tok.next_(this.buf, this.pos, this.end, this.eof);
    if (r === TOK_RECORD) {
      this.line = this.nextLine + this.tok.skipped;
      this.nextLine = this.line + this.tok.lines;
      this.pos = this.tok.next;
    }
    return r;
  }


  /** Token i as a string (UTF-8), resolving univocity's empty rules is the caller's job. */
  tokenString(i: number): string {
    const t = this.tok;
    const src = t.flags[i]! & F_SCRATCH ? t.scratch : this.buf;
    return utf8String(src, t.starts[i]!, t.ends[i]!);
  }

  recordString(): string {
    return utf8String(this.buf, this.tok.recStart, this.tok.recEnd);
  }
}
