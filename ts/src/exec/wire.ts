/**
 * Codecs for what crosses a thread or machine boundary: summaries (plain data with typed arrays)
 * and errors. Errors travel as `{ name, code, message, stack, cause? }` and are rebuilt as the
 * same kindling class on the other side. The binary summary encoding is self-describing and
 * versioned, for the TCP transport; worker threads use structured clone plus transfer instead.
 */
import { describeValue, Errors, KindlingError, KindlingRangeError, KindlingTypeError, type ErrorCode } from '../errors.js';

export interface WireError {
  name: string;
  code?: string;
  message: string;
  stack?: string;
  cause?: WireError;
}

/** A malformed wire value: the one error both decoders throw (code ERR_KINDLING_TRANSPORT). */
function malformed(message: string, cause?: unknown): KindlingRangeError {
  return new KindlingRangeError(message, 'ERR_KINDLING_TRANSPORT', cause === undefined ? undefined : { cause });
}

export function encodeError(err: unknown, depth = 0): WireError {
  if (err instanceof Error) {
    const w: WireError = { name: err.name, message: err.message };
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string') w.code = code;
    if (err.stack) w.stack = err.stack;
    if (err.cause !== undefined && depth < 4) w.cause = encodeError(err.cause, depth + 1);
    return w;
  }
  let message: string;
  try {
    message = String(err);
  } catch {
    message = `a thrown ${typeof err} that cannot be converted to a string`;
  }
  return { name: 'Error', message };
}

const MAX_CAUSES = 16;

/**
 * Rebuilds an encoded error as the same class. A malformed value (not an object, a non-string
 * name / message / code / stack, a cause chain deeper than 16 or cyclic) cannot be rebuilt: it
 * throws a KindlingRangeError with code ERR_KINDLING_TRANSPORT naming the field at fault.
 */
export function decodeError(w: WireError): Error {
  return rebuild(w, 0);
}

function rebuild(value: unknown, depth: number): Error {
  const api = 'decodeError';
  const field = `error${'.cause'.repeat(depth)}`;
  if (depth > MAX_CAUSES) throw malformed(`${api}: cause chain deeper than ${MAX_CAUSES} (or cyclic)`);
  if (typeof value !== 'object' || value === null) throw malformed(`${api}: expected an object for ${field}, got ${describeValue(value)}`);
  const w = value as Record<keyof WireError, unknown>;
  for (const key of ['name', 'message'] as const) {
    if (typeof w[key] !== 'string') throw malformed(`${api}: expected a string for ${field}.${key}, got ${describeValue(w[key])}`);
  }
  for (const key of ['code', 'stack'] as const) {
    if (w[key] !== undefined && typeof w[key] !== 'string') throw malformed(`${api}: expected a string or undefined for ${field}.${key}, got ${describeValue(w[key])}`);
  }
  return build(value as WireError, w.cause !== undefined ? rebuild(w.cause, depth + 1) : undefined);
}

function build(w: WireError, cause: Error | undefined): Error {
  const opts = cause ? { cause } : undefined;
  const code = (w.code ?? 'ERR_KINDLING_WORKER') as ErrorCode;
  let err: Error;
  switch (w.name) {
    case 'KindlingTypeError':
      err = new KindlingTypeError(w.message, code, opts);
      break;
    case 'KindlingRangeError':
      err = new KindlingRangeError(w.message, code, opts);
      break;
    case 'KindlingError':
      err = new KindlingError(code, w.message, opts);
      break;
    case 'TypeError':
      err = new TypeError(w.message, opts);
      break;
    case 'RangeError':
      err = new RangeError(w.message, opts);
      break;
    default:
      err = new KindlingError(code, w.message, opts);
      if (w.name !== 'Error') err.name = w.name;
  }
  if (w.code && !(err instanceof KindlingError)) (err as { code?: string }).code = w.code;
  if (w.stack) err.stack = w.stack;
  return err;
}

// ---- binary encoding of plain data ----
// tag byte, then: 0 null, 1 false, 2 true, 3 f64, 4 string (u32 len + utf8), 5 array (u32 n +
// items), 6 object (u32 n + (string key, value)*), 7 typed array (u8 kind, u32 byteLength, bytes),
// 8 undefined, 9 bigint (string).
const MAGIC = 0x4b4e5731; // 'KNW1'
const KINDS = [Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array, Uint8Array, BigInt64Array, BigUint64Array] as const;

class Writer {
  buf = new Uint8Array(1024);
  view = new DataView(this.buf.buffer);
  pos = 0;
  ensure(n: number) {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number) { this.ensure(1); this.buf[this.pos++] = v; }
  u32(v: number) { this.ensure(4); this.view.setUint32(this.pos, v, true); this.pos += 4; }
  f64(v: number) { this.ensure(8); this.view.setFloat64(this.pos, v, true); this.pos += 8; }
  bytes(b: Uint8Array) { this.u32(b.length); this.ensure(b.length); this.buf.set(b, this.pos); this.pos += b.length; }
  str(s: string) { this.bytes(Buffer.from(s, 'utf8')); }
}

function write(w: Writer, v: unknown, depth: number): void {
  if (depth > 64) throw Errors.outOfRange('encodeSummary', 'value', 'nesting depth <= 64', depth);
  if (v === null) return w.u8(0);
  if (v === undefined) return w.u8(8);
  if (v === false) return w.u8(1);
  if (v === true) return w.u8(2);
  if (typeof v === 'number') { w.u8(3); return w.f64(v); }
  if (typeof v === 'string') { w.u8(4); return w.str(v); }
  if (typeof v === 'bigint') { w.u8(9); return w.str(v.toString()); }
  if (ArrayBuffer.isView(v)) {
    const kind = KINDS.findIndex((K) => v instanceof K);
    if (kind < 0) throw Errors.invalidArg('encodeSummary', 'value', 'plain data (numbers, strings, arrays, objects, typed arrays)', v);
    // Lengths are u32: a longer typed array would wrap its length and corrupt the frame (a string's
    // UTF-8, at most ~1.5 GB in V8, always fits).
    if (v.byteLength > 0xffffffff) throw Errors.outOfRange('encodeSummary', 'value', 'typed arrays of at most 4294967295 bytes', v.byteLength);
    w.u8(7);
    w.u8(kind);
    return w.bytes(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  }
  if (Array.isArray(v)) {
    w.u8(5);
    w.u32(v.length);
    for (const x of v) write(w, x, depth + 1);
    return;
  }
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const entries = Object.entries(v as Record<string, unknown>);
    w.u8(6);
    w.u32(entries.length);
    for (const [k, x] of entries) {
      w.str(k);
      write(w, x, depth + 1);
    }
    return;
  }
  throw Errors.invalidArg('encodeSummary', 'value', 'plain data (numbers, strings, arrays, objects, typed arrays)', v);
}

/** Encodes plain data (a summary) into one self-describing buffer. */
export function encodeSummary(value: unknown): Uint8Array {
  const w = new Writer();
  w.u32(MAGIC);
  write(w, value, 0);
  return w.buf.slice(0, w.pos);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const BIGINT = /^-?[0-9]+$/;

/**
 * Decodes `encodeSummary` output. Truncated or malformed input (bad magic, unknown tags or
 * typed-array kinds, lengths past the input, invalid UTF-8 or bigint text, nesting deeper than
 * 64, trailing bytes) is a KindlingRangeError with code ERR_KINDLING_TRANSPORT naming the offset;
 * every length is checked against the bytes left before anything is allocated, so work and memory
 * stay proportional to the input.
 */
export function decodeSummary(bytes: Uint8Array): unknown {
  if (!(bytes instanceof Uint8Array)) throw Errors.invalidArg('decodeSummary', 'bytes', 'Uint8Array', bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const need = (n: number) => {
    if (pos + n > bytes.length) throw malformed(`decodeSummary: truncated input: need ${n} bytes at offset ${pos}, have ${bytes.length - pos}`);
  };
  const u32 = () => { need(4); const v = view.getUint32(pos, true); pos += 4; return v; };
  const raw = () => { const n = u32(); need(n); const b = bytes.subarray(pos, pos + n); pos += n; return b; };
  const str = () => {
    const at = pos;
    try {
      return UTF8.decode(raw());
    } catch (err) {
      if (err instanceof KindlingError) throw err;
      throw malformed(`decodeSummary: invalid UTF-8 in the string at offset ${at}`, err);
    }
  };
  const read = (depth: number): unknown => {
    if (depth > 64) throw malformed('decodeSummary: nesting deeper than 64');
    need(1);
    const tag = bytes[pos++]!;
    switch (tag) {
      case 0: return null;
      case 1: return false;
      case 2: return true;
      case 8: return undefined;
      case 3: { need(8); const v = view.getFloat64(pos, true); pos += 8; return v; }
      case 4: return str();
      case 9: {
        const at = pos;
        const text = str();
        if (!BIGINT.test(text)) throw malformed(`decodeSummary: bigint text ${describeValue(text)} at offset ${at} is not an integer`);
        return BigInt(text);
      }
      case 5: {
        const n = u32();
        if (n > bytes.length - pos) throw malformed(`decodeSummary: array length ${n} exceeds the input`);
        return Array.from({ length: n }, () => read(depth + 1));
      }
      case 6: {
        const n = u32();
        if (n > bytes.length - pos) throw malformed(`decodeSummary: object size ${n} exceeds the input`);
        const o: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) {
          const k = str();
          // defineProperty: a key such as "__proto__" is an own data property, never the prototype.
          Object.defineProperty(o, k, { value: read(depth + 1), enumerable: true, writable: true, configurable: true });
        }
        return o;
      }
      case 7: {
        need(1);
        const kind = bytes[pos++]!;
        const K = KINDS[kind];
        if (!K) throw malformed(`decodeSummary: unknown typed-array kind ${kind} at offset ${pos - 1}`);
        const b = raw();
        if (b.length % K.BYTES_PER_ELEMENT !== 0) throw malformed(`decodeSummary: ${K.name} byte length ${b.length} is not a multiple of ${K.BYTES_PER_ELEMENT}`);
        const copy = new Uint8Array(b); // aligned, owned
        return new K(copy.buffer, 0, b.length / K.BYTES_PER_ELEMENT);
      }
      default:
        throw malformed(`decodeSummary: unknown tag ${tag} at offset ${pos - 1}`);
    }
  };
  if (u32() !== MAGIC) throw malformed('decodeSummary: not a kindling summary (bad magic)');
  const value = read(0);
  if (pos !== bytes.length) throw malformed(`decodeSummary: ${bytes.length - pos} trailing bytes`);
  return value;
}
