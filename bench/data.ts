/**
 * Deterministic benchmark data. Group-by keys and values use closed formulas that DuckDB's SQL
 * reproduces exactly over range(n), so peers can generate the same table in-engine:
 *   k = fmix32(i) mod K (MurmurHash3's finaliser: keys look uniformly random, no stride pattern),
 *   v = ((i * 7919) mod 10007) / 100
 */
import { gaussian, mulberry32 } from '../test/reference/rng.js';

/** A FROM clause producing columns i and h = fmix32(i) for i in [0, n). */
export const fmixSql = (n: number) => `(
  SELECT i, xor(h, h >> 16) AS h FROM (
  SELECT i, ((h::HUGEINT * 3266489909) % 4294967296)::BIGINT AS h FROM (
  SELECT i, xor(h, h >> 13) AS h FROM (
  SELECT i, ((h::HUGEINT * 2246822507) % 4294967296)::BIGINT AS h FROM (
  SELECT i, xor(i, i >> 16) AS h FROM range(${n}) r(i)))))) f`;
export const groupKeySql = (k: number) => `h % ${k}`;

export function fmix32(i: number): number {
  let h = i >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
export const groupValueSql = `((i * 7919) % 10007) / 100.0`;

export function groupByData(n: number, k: number): { keys: Int32Array; values: Float64Array } {
  const keys = new Int32Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    keys[i] = fmix32(i) % k;
    values[i] = ((i * 7919) % 10007) / 100;
  }
  return { keys, values };
}

/** n x d points around k Gaussian blobs (centres N(0, 0.25^2), unit noise): labels keep moving. */
export function blobs(n: number, d: number, k: number, seed = 3): Float64Array {
  const g = gaussian(mulberry32(seed));
  const centres = new Float64Array(k * d).map(() => 0.25 * g());
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    for (let t = 0; t < d; t++) x[i * d + t] = centres[c * d + t]! + g();
  }
  return x;
}

// ---- text features (issue 14, area text) ----

/**
 * n short documents (5..14 words each) over a vocabulary of `vocab` words `w<k>`, word ranks
 * drawn Zipf-like (k = floor(vocab^u) - 1, u uniform), some capitalised, seeded.
 */
export function shortDocs(n: number, vocab = 20000, seed = 14): string[] {
  const r = mulberry32(seed);
  const docs = new Array<string>(n);
  const words: string[] = [];
  for (let i = 0; i < n; i++) {
    words.length = 0;
    const m = 5 + Math.floor(r() * 10);
    for (let j = 0; j < m; j++) {
      const k = Math.floor(Math.pow(vocab, r())) - 1;
      words.push(r() < 0.1 ? `W${k}` : `w${k}`);
    }
    docs[i] = words.join(' ');
  }
  return docs;
}
