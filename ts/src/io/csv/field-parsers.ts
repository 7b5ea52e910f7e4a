/**
 * Parsing CSV field bytes as Spark's UnivocityParser converts them, without a string per field:
 * Java's Double.parseDouble, Long.parseLong and Boolean.parseBoolean on UTF-8 byte ranges, plus
 * the byte comparisons (nullValue, nanValue, …) and decoding the reader needs.
 * Results come back through the module's NUM_OK / NUM_BIG (exported `let`s: read them right
 * after the call), so the hot loop allocates nothing.
 * Follows shared/ARCHITECTURE.md ("CSV with Spark's read options and modes").
 */

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

function asciiString(b: Uint8Array, s: number, e: number): string {
  if (e - s < 64) {
    let r = '';
    for (let i = s; i < e; i++) r += String.fromCharCode(b[i]!);
    return r;
  }
  return Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('latin1');
}

const utf8 = new TextDecoder('utf-8');
/** The UTF-8 text of bytes b[s..e). */
export function utf8String(b: Uint8Array, s: number, e: number): string {
  return utf8.decode(b.subarray(s, e));
}

/** Set by parseJavaDouble: false when the bytes are not a Java double literal. */
export let NUM_OK = false;
/** Set by parseJavaLong when the value is beyond 2^53 (the return value is then approximate). */
export let NUM_BIG: bigint | null = null;

/**
 * Java's Double.parseDouble on bytes (no hex floats): surrounding whitespace, sign, NaN,
 * Infinity, digits with optional point and exponent, optional f/F/d/D suffix. Correctly
 * rounded: exact fast path for <= 15 significant digits and |exponent| <= 22, else Number().
 */
export function parseJavaDouble(b: Uint8Array, s: number, e: number): number {
  // fast path: [-]digits[.digits] with at most 15 digits in all (exact: one rounding)
  {
    let p = s;
    const neg = b[p] === 45;
    if (neg) p++;
    const ds = p;
    let mant = 0;
    let d = 0;
    while (p < e && (d = b[p]! - 48) >>> 0 <= 9) {
      mant = mant * 10 + d;
      p++;
    }
    let nd = p - ds;
    let frac = 0;
    if (p < e && b[p] === 46) {
      p++;
      const fs = p;
      while (p < e && (d = b[p]! - 48) >>> 0 <= 9) {
        mant = mant * 10 + d;
        p++;
      }
      frac = p - fs;
      nd += frac;
    }
    if (p === e && nd > 0 && nd <= 15) {
      NUM_OK = true;
      const v = frac === 0 ? mant : mant / POW10[frac]!;
      return neg ? -v : v;
    }
  }
  return parseJavaDoubleSlow(b, s, e);
}

function parseJavaDoubleSlow(b: Uint8Array, s: number, e: number): number {
  NUM_OK = false;
  while (s < e && b[s]! <= 32) s++;
  while (e > s && b[e - 1]! <= 32) e--;
  if (s >= e) return NaN;
  let p = s;
  let neg = false;
  if (b[p] === 43 || b[p] === 45) {
    neg = b[p] === 45;
    p++;
  }
  if (p < e && (b[p] === 78 || b[p] === 73)) {
    const word = asciiString(b, p, e);
    if (word === 'NaN') {
      NUM_OK = true;
      return NaN;
    }
    if (word === 'Infinity') {
      NUM_OK = true;
      return neg ? -Infinity : Infinity;
    }
    return NaN;
  }
  let mant = 0;
  let sig = 0;
  let digits = 0;
  let exp10 = 0;
  let slow = false;
  while (p < e) {
    const d = b[p]! - 48;
    if (d < 0 || d > 9) break;
    digits++;
    if (sig > 0 || d !== 0) {
      if (sig < 15) {
        mant = mant * 10 + d;
        sig++;
      } else slow = true;
    }
    p++;
  }
  if (p < e && b[p] === 46) {
    p++;
    while (p < e) {
      const d = b[p]! - 48;
      if (d < 0 || d > 9) break;
      digits++;
      if (sig > 0 || d !== 0) {
        if (sig < 15) {
          mant = mant * 10 + d;
          sig++;
          exp10--;
        } else slow = true;
      } else exp10--;
      p++;
    }
  }
  if (digits === 0) return NaN;
  if (p < e && (b[p] === 101 || b[p] === 69)) {
    p++;
    let es = 1;
    if (p < e && (b[p] === 43 || b[p] === 45)) {
      es = b[p] === 45 ? -1 : 1;
      p++;
    }
    let ev = 0;
    let ed = 0;
    while (p < e) {
      const d = b[p]! - 48;
      if (d < 0 || d > 9) break;
      if (ev < 100000) ev = ev * 10 + d;
      ed++;
      p++;
    }
    if (ed === 0) return NaN;
    exp10 += es * ev;
  }
  let numEnd = p;
  if (p < e && (b[p] === 102 || b[p] === 70 || b[p] === 100 || b[p] === 68)) p++;
  if (p !== e) return NaN;
  NUM_OK = true;
  if (!slow && exp10 >= -22 && exp10 <= 22) {
    const v = exp10 < 0 ? mant / POW10[-exp10]! : mant * POW10[exp10]!;
    return neg ? -v : v;
  }
  if (mant === 0 && !slow) return neg ? -0 : 0;
  if (b[numEnd - 1] === 46) numEnd--; // "1." is Java-valid; keep Number() happy either way
  return Number(asciiString(b, s, numEnd));
}

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** Java's Long.parseLong on bytes: [+-]digits, no whitespace. NaN when invalid or out of range. */
export function parseJavaLong(b: Uint8Array, s: number, e: number): number {
  NUM_BIG = null;
  let p = s;
  let neg = false;
  if (p < e && (b[p] === 43 || b[p] === 45)) {
    neg = b[p] === 45;
    p++;
  }
  if (p >= e) return NaN;
  let v = 0;
  const ds = p;
  while (p < e) {
    const d = b[p]! - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
    p++;
  }
  if (v <= Number.MAX_SAFE_INTEGER) return neg ? -v : v;
  let big = BigInt(asciiString(b, ds, e));
  if (neg) big = -big;
  if (big < LONG_MIN || big > LONG_MAX) return NaN;
  NUM_BIG = big;
  return Number(big);
}

/** Java's Boolean.parseBoolean on bytes, strictly: 1 for true, 0 for false (any case), -1 otherwise. */
export function parseJavaBoolean(b: Uint8Array, s: number, e: number): number {
  const n = e - s;
  if (n === 4 && (b[s]! | 32) === 116 && (b[s + 1]! | 32) === 114 && (b[s + 2]! | 32) === 117 && (b[s + 3]! | 32) === 101) return 1;
  if (n === 5 && (b[s]! | 32) === 102 && (b[s + 1]! | 32) === 97 && (b[s + 2]! | 32) === 108 && (b[s + 3]! | 32) === 115 && (b[s + 4]! | 32) === 101) return 0;
  return -1;
}

/** True when b[s..e) holds exactly the bytes of ref. */
export function bytesEqual(b: Uint8Array, s: number, e: number, ref: Uint8Array): boolean {
  if (e - s !== ref.length) return false;
  for (let i = 0; i < ref.length; i++) if (b[s + i] !== ref[i]) return false;
  return true;
}
