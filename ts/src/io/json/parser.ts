/**
 * A JSON parser with Spark 3.5's default Jackson features: NaN/Infinity tokens
 * (allowNonNumericNumbers) and single-quoted strings (allowSingleQuotes) accepted, leading zeros
 * refused, text after the value ignored, and a nesting limit instead of a stack overflow. Numbers
 * keep their literal text (values.ts), so `1` infers bigint and `1.0` double.
 * Follows shared/ARCHITECTURE.md (Interoperability); Spark's JacksonParser.
 */
import { JNum, JObj, JsonSyntaxError, type JV } from './values.js';

const MAX_DEPTH = 1000;

/** Parses one JSON document from a string with Spark's default Jackson features. */
export class JsonText {
  private s = '';
  private i = 0;
  constructor(private readonly singleQuotes: boolean, private readonly nonNumeric: boolean) {}

  /** The document's value, or undefined for a blank input. Text after the value is ignored (as Jackson does). */
  parse(s: string): JV | undefined {
    this.s = s;
    this.i = 0;
    this.ws();
    if (this.i >= s.length) return undefined;
    return this.value(0);
  }

  private fail(what: string): never {
    const ch = this.i < this.s.length ? `character ${JSON.stringify(this.s[this.i])}` : 'end of input';
    throw new JsonSyntaxError(`${what}: unexpected ${ch} at position ${this.i + 1}`);
  }

  private ws(): void {
    const s = this.s;
    let i = this.i;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
      i++;
    }
    this.i = i;
  }

  private value(depth: number): JV {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError(`nesting deeper than ${MAX_DEPTH} levels`);
    const s = this.s;
    const c = s[this.i];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"' || (c === "'" && this.singleQuotes)) return this.string();
    if (c === 't' && s.startsWith('true', this.i)) {
      this.i += 4;
      return true;
    }
    if (c === 'f' && s.startsWith('false', this.i)) {
      this.i += 5;
      return false;
    }
    if (c === 'n' && s.startsWith('null', this.i)) {
      this.i += 4;
      return null;
    }
    return this.number();
  }

  private object(depth: number): JObj {
    const o = new JObj();
    this.i++;
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return o;
    }
    for (;;) {
      const c = this.s[this.i];
      if (c !== '"' && !(c === "'" && this.singleQuotes)) this.fail('expected a field name');
      o.keys.push(this.string());
      this.ws();
      if (this.s[this.i] !== ':') this.fail("expected ':'");
      this.i++;
      this.ws();
      o.vals.push(this.value(depth + 1));
      this.ws();
      const d = this.s[this.i];
      if (d === ',') {
        this.i++;
        this.ws();
        continue;
      }
      if (d === '}') {
        this.i++;
        return o;
      }
      this.fail("expected ',' or '}'");
    }
  }

  private array(depth: number): JV[] {
    const a: JV[] = [];
    this.i++;
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return a;
    }
    for (;;) {
      a.push(this.value(depth + 1));
      this.ws();
      const d = this.s[this.i];
      if (d === ',') {
        this.i++;
        this.ws();
        continue;
      }
      if (d === ']') {
        this.i++;
        return a;
      }
      this.fail("expected ',' or ']'");
    }
  }

  private string(): string {
    const s = this.s;
    const q = s.charCodeAt(this.i);
    let i = this.i + 1;
    const start = i;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === q) {
        this.i = i + 1;
        return s.slice(start, i);
      }
      if (c === 92 || c < 32) break;
      i++;
    }
    let out = s.slice(start, i);
    for (;;) {
      if (i >= s.length) {
        this.i = i;
        this.fail('unterminated string');
      }
      const c = s.charCodeAt(i);
      if (c === q) {
        this.i = i + 1;
        return out;
      }
      if (c < 32) {
        this.i = i;
        this.fail('control character in a string');
      }
      if (c !== 92) {
        out += s[i];
        i++;
        continue;
      }
      const e = s[i + 1];
      i += 2;
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case "'": if (this.singleQuotes) { out += "'"; break; } this.i = i - 1; this.fail('bad escape');
        // falls through (fail never returns)
        case 'u': {
          const h = s.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(h)) {
            this.i = i;
            this.fail('bad \\u escape');
          }
          out += String.fromCharCode(parseInt(h, 16));
          i += 4;
          break;
        }
        default:
          this.i = i - 1;
          this.fail('bad escape');
      }
    }
  }

  private number(): JNum {
    const s = this.s;
    const st = this.i;
    let i = st;
    if (this.nonNumeric) {
      for (const w of ['NaN', 'Infinity', 'INF', '+Infinity', '+INF', '-Infinity', '-INF']) {
        if (s.startsWith(w, i) && !/[A-Za-z0-9]/.test(s[i + w.length] ?? '')) {
          this.i = i + w.length;
          return new JNum(w, 2);
        }
      }
    }
    if (s[i] === '-') i++;
    const ds = i;
    if (s[i] === '0') i++;
    else while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    if (i === ds) this.fail('expected a value');
    if (s[ds] === '0' && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) this.fail('leading zeros are not allowed');
    let kind: 0 | 1 = 0;
    if (s[i] === '.') {
      i++;
      const fs = i;
      while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
      if (i === fs) {
        this.i = i;
        this.fail('expected a digit after the decimal point');
      }
      kind = 1;
    }
    if (s[i] === 'e' || s[i] === 'E') {
      i++;
      if (s[i] === '+' || s[i] === '-') i++;
      const es = i;
      while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
      if (i === es) {
        this.i = i;
        this.fail('expected a digit in the exponent');
      }
      kind = 1;
    }
    const next = s[i];
    if (next !== undefined && /[A-Za-z0-9_.]/.test(next)) {
      this.i = i;
      this.fail('malformed number');
    }
    this.i = i;
    return new JNum(s.slice(st, i), kind);
  }
}
