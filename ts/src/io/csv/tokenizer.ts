/**
 * The CSV tokenizer: splits records out of raw UTF-8 bytes with univocity's rules as Spark 3.5
 * configures them (quoted fields, `""` and `\"` escapes, text after a closing quote kept up to
 * the delimiter, blank and comment lines skipped, CR/LF/CRLF line ends, multiLine quoted
 * newlines, multi-character separators, maxColumns). Fields come out as byte ranges, never strings.
 * Follows shared/ARCHITECTURE.md ("CSV with Spark's read options and modes").
 */

/** Tokenizer results: a record is ready, more bytes are needed, the input has ended. */
export const TOK_RECORD = 0;
export const TOK_MORE = 1;
export const TOK_EOF = 2;
/** Field flags: the field was quoted; its bytes are in the tokenizer's scratch buffer (unescaped). */
export const F_QUOTED = 1;
export const F_SCRATCH = 2;

/** The options that shape tokens (see csv/options.ts for their defaults). */
export interface CsvSyntax {
  sep: string;
  quote: string;
  escape: string;
  comment: string;
  lineSep: string | undefined;
  multiLine: boolean;
  trimLead: boolean;
  trimTrail: boolean;
  maxColumns: number;
}

/**
 * Splits one record out of a byte buffer with univocity's rules (see the file docblock). The
 * result is a list of field ranges: into the buffer, or into `scratch` for quoted fields that
 * needed unescaping. When the record may continue past `end` and the file is not finished it
 * returns TOK_MORE and keeps no state: the caller reads more and calls again from `pos`.
 */
export class Tokenizer {
  private readonly sep0: number;
  private readonly sepTail: Uint8Array;
  private readonly quote: number;
  private readonly esc: number;
  private readonly escEsc: number;
  private readonly comment: number;
  private readonly t1: number;
  private readonly t2: number;
  private readonly autoLines: boolean;
  private readonly multiLine: boolean;
  private readonly trimLead: boolean;
  private readonly trimTrail: boolean;
  private readonly maxColumns: number;
  /** The largest byte that can end an unquoted field (bytes above it are skipped without tests). */
  private readonly hi: number;
  /** Line ending inside quoted values in multiLine mode: 0 keep, 1 CRLF → LF, 2 CR → LF (univocity normalizes to the detected one). */
  private normalize = -1;

  n = 0;
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  flags = new Uint8Array(64);
  scratch = new Uint8Array(1024);
  recStart = 0;
  recEnd = 0;
  next = 0;
  /** Blank/comment lines skipped before this record, and line ends consumed by it. */
  skipped = 0;
  lines = 0;
  /** Index of a field whose quote never closed (-1: none). */
  unterminated = -1;
  tooManyColumns = false;

  constructor(syn: CsvSyntax) {
    const sepBytes = Buffer.from(syn.sep, 'utf8');
    this.sep0 = sepBytes[0]!;
    this.sepTail = new Uint8Array(sepBytes.subarray(1));
    this.quote = syn.quote === '' ? -1 : syn.quote.charCodeAt(0);
    this.esc = syn.escape === '' ? -1 : syn.escape.charCodeAt(0);
    this.escEsc = this.esc !== this.quote ? this.esc : -1;
    this.comment = syn.comment === '' ? -1 : syn.comment.charCodeAt(0);
    this.autoLines = syn.lineSep === undefined || syn.lineSep === '\r\n';
    this.t1 = this.autoLines ? 10 : syn.lineSep!.charCodeAt(0);
    this.t2 = this.autoLines ? 13 : this.t1;
    this.multiLine = syn.multiLine;
    this.trimLead = syn.trimLead;
    this.trimTrail = syn.trimTrail;
    this.maxColumns = syn.maxColumns;
    this.hi = Math.max(this.sep0, this.t1, this.t2);
  }

  /** Length of the line end at r (1 or 2), or -1 when a CR ends the buffer and more may follow. */
  private termLen(b: Uint8Array, r: number, end: number, eof: boolean): number {
    if (this.autoLines && b[r] === 13) {
      if (r + 1 < end) return b[r + 1] === 10 ? 2 : 1;
      return eof ? 1 : -1;
    }
    return 1;
  }

  /** 1 when the separator starts at p, 0 when not, -1 when the buffer ends inside it. */
  private sepAt(b: Uint8Array, p: number, end: number, eof: boolean): number {
    if (b[p] !== this.sep0) return 0;
    const tail = this.sepTail;
    for (let i = 0; i < tail.length; i++) {
      if (p + 1 + i >= end) return eof ? 0 : -1;
      if (b[p + 1 + i] !== tail[i]) return 0;
    }
    return 1;
  }

  private grow(): void {
    const n = this.starts.length * 2;
    const s = new Int32Array(n);
    s.set(this.starts);
    this.starts = s;
    const e = new Int32Array(n);
    e.set(this.ends);
    this.ends = e;
    const f = new Uint8Array(n);
    f.set(this.flags);
    this.flags = f;
  }

  private scratchFit(extra: number, used: number): void {
    if (used + extra <= this.scratch.length) return;
    const s = new Uint8Array(Math.max(this.scratch.length * 2, used + extra));
    s.set(this.scratch.subarray(0, used));
    this.scratch = s;
  }

  next_(b: Uint8Array, pos: number, end: number, eof: boolean): number {
    const sep0 = this.sep0;
    const t1 = this.t1;
    const t2 = this.t2;
    const q = this.quote;
    const esc = this.esc;
    const multiSep = this.sepTail.length > 0;
    let p = pos;
    let skipped = 0;
    // Blank lines (only bytes <= ' ') and comment lines are skipped, as Spark's filterCommentAndEmpty.
    for (;;) {
      if (p >= end) return eof ? TOK_EOF : TOK_MORE;
      const c = b[p]!;
      if (c > 32 && c !== this.comment) break;
      let r = p;
      if (c === this.comment) {
        while (r < end && b[r] !== t1 && b[r] !== t2) r++;
      } else {
        while (r < end && b[r]! <= 32 && b[r] !== t1 && b[r] !== t2) r++;
        if (r < end && b[r] !== t1 && b[r] !== t2) break;
      }
      if (r >= end) return eof ? TOK_EOF : TOK_MORE;
      const tl = this.termLen(b, r, end, eof);
      if (tl < 0) return TOK_MORE;
      p = r + tl;
      skipped++;
    }
    this.recStart = p;
    this.unterminated = -1;
    this.tooManyColumns = false;
    let n = 0;
    let lines = 0;
    let sl = 0; // scratch bytes used
    const trimLead = this.trimLead;
    const trimTrail = this.trimTrail;
    const maxColumns = this.maxColumns;
    let starts = this.starts;
    let ends = this.ends;
    let flags = this.flags;
    for (;;) {
      if (n >= maxColumns) {
        this.tooManyColumns = true;
        n = maxColumns - 1; // keep overwriting the last slot; the caller reports the record
      } else if (n >= starts.length) {
        this.grow();
        starts = this.starts;
        ends = this.ends;
        flags = this.flags;
      }
      if (trimLead) {
        while (p < end) {
          const c = b[p]!;
          if (c > 32 || c === sep0 || c === t1 || c === t2) break;
          p++;
        }
        if (p >= end && !eof) return TOK_MORE;
      }
      if (p < end && b[p] === q) {
        p++;
        const cs = p;
        let copy = false;
        let closed = false;
        let ce = 0;
        for (;;) {
          if (p >= end) {
            if (!eof) return TOK_MORE;
            break;
          }
          const c = b[p]!;
          if (c === q) {
            if (p + 1 >= end && !eof) return TOK_MORE;
            if (p + 1 < end && b[p + 1] === q) {
              copy = true;
              p += 2;
              continue;
            }
            ce = p;
            p++;
            closed = true;
            break;
          }
          if (c === esc) {
            if (p + 1 >= end && !eof) return TOK_MORE;
            if (p + 1 < end && (b[p + 1] === q || b[p + 1] === this.escEsc)) {
              copy = true;
              p += 2;
              continue;
            }
            p++;
            continue;
          }
          if (c === t1 || c === t2) {
            if (!this.multiLine) break;
            const tl = this.termLen(b, p, end, eof);
            if (tl < 0) return TOK_MORE;
            if (this.normalize < 0) this.normalize = c === 10 ? 0 : tl === 2 ? 1 : 2;
            if ((this.normalize === 1 && tl === 2) || (this.normalize === 2 && c === 13 && tl === 1)) copy = true;
            p += tl;
            lines++;
            continue;
          }
          p++;
        }
        if (!closed) {
          ce = p;
          if (this.unterminated < 0) this.unterminated = n;
        }
        // After the closing quote: whitespace is dropped; other text up to the delimiter stays
        // in the value together with the quote (univocity's STOP_AT_DELIMITER).
        let tailS = -1;
        let tailE = -1;
        if (closed) {
          let r = p;
          while (r < end && b[r]! <= 32 && b[r] !== sep0 && b[r] !== t1 && b[r] !== t2) r++;
          if (r >= end && !eof) return TOK_MORE;
          if (r < end && b[r] !== t1 && b[r] !== t2) {
            const sa = this.sepAt(b, r, end, eof);
            if (sa < 0) return TOK_MORE;
            if (sa === 0) {
              tailS = ce;
              for (;;) {
                while (r < end && b[r] !== sep0 && b[r] !== t1 && b[r] !== t2) r++;
                if (r >= end) {
                  if (!eof) return TOK_MORE;
                  break;
                }
                if (b[r] === sep0 && multiSep) {
                  const s2 = this.sepAt(b, r, end, eof);
                  if (s2 < 0) return TOK_MORE;
                  if (s2 === 0) {
                    r++;
                    continue;
                  }
                }
                break;
              }
              tailE = r;
              copy = true;
            }
          }
          p = r;
        }
        if (copy) {
          this.scratchFit(ce - cs + (tailE - tailS) + 1, sl);
          const out = this.scratch;
          const s0 = sl;
          const norm = this.normalize;
          for (let i = cs; i < ce; i++) {
            const c = b[i]!;
            if ((c === q || c === esc) && i + 1 < ce) {
              const d = b[i + 1]!;
              if ((c === q && d === q) || (c === esc && (d === q || d === this.escEsc))) {
                out[sl++] = d;
                i++;
                continue;
              }
            }
            if (c === 13 && this.autoLines && ((norm === 1 && i + 1 < ce && b[i + 1] === 10) || norm === 2)) {
              out[sl++] = 10;
              if (norm === 1) i++;
              continue;
            }
            out[sl++] = c;
          }
          for (let i = tailS; i < tailE; i++) out[sl++] = b[i]!;
          starts[n] = s0;
          ends[n] = sl;
          flags[n] = F_QUOTED | F_SCRATCH;
        } else {
          starts[n] = cs;
          ends[n] = ce;
          flags[n] = F_QUOTED;
        }
      } else {
        const fs = p;
        const hi = this.hi;
        for (;;) {
          while (p < end) {
            const c = b[p]!;
            if (c > hi) {
              p++;
              continue;
            }
            if (c === sep0 || c === t1 || c === t2) break;
            p++;
          }
          if (p >= end) {
            if (!eof) return TOK_MORE;
            break;
          }
          if (multiSep && b[p] === sep0) {
            const sa = this.sepAt(b, p, end, eof);
            if (sa < 0) return TOK_MORE;
            if (sa === 0) {
              p++;
              continue;
            }
          }
          break;
        }
        let fe = p;
        if (trimTrail) while (fe > fs && b[fe - 1]! <= 32) fe--;
        starts[n] = fs;
        ends[n] = fe;
        flags[n] = 0;
      }
      n++;
      if (p >= end) {
        this.recEnd = p;
        this.next = p;
        break;
      }
      const c = b[p]!;
      if (c === sep0 && (!multiSep || this.sepAt(b, p, end, eof) === 1)) {
        p += 1 + this.sepTail.length;
        continue;
      }
      // a line end (the only other way a field stops)
      this.recEnd = p;
      const tl = this.termLen(b, p, end, eof);
      if (tl < 0) return TOK_MORE;
      if (this.normalize < 0 && this.autoLines) this.normalize = c === 10 ? 0 : tl === 2 ? 1 : 2;
      p += tl;
      lines++;
      this.next = p;
      break;
    }
    this.n = n;
    this.skipped = skipped;
    this.lines = lines;
    return TOK_RECORD;
  }
}
