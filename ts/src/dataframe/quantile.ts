/**
 * Spark's QuantileSummaries (Greenwald–Khanna with Spark's insert/compress/merge/query rules),
 * the mergeable sketch behind `approxQuantile`, `percentile_approx` and `summary()`'s
 * percentiles. Values are buffered in sorted head batches of 50,000, inserted with
 * delta = floor(2·relativeError·count), compressed when the sample count reaches the compress
 * threshold (10,000), merged across partitions, and queried as Spark 3 does: for quantile q the
 * target rank is ceil(q·count) and the answer is the first sample whose rank interval, widened
 * by max(g + delta)/2, contains it. With relativeError 0 (or small inputs) the answer is the
 * exact order statistic sorted[ceil(q·n) − 1].
 */
import { Errors } from '../errors.js';

export const HEAD_SIZE = 50_000;
export const COMPRESS_THRESHOLD = 10_000;

export interface QuantileSketch {
  relativeError: number;
  count: number;
  /** Samples sorted by value, with Spark's (g, delta). */
  values: Float64Array;
  g: Float64Array;
  delta: Float64Array;
}

export function emptySketch(relativeError: number): QuantileSketch {
  if (!(relativeError >= 0 && relativeError <= 1)) throw Errors.outOfRange('approxQuantile', 'relativeError', 'a number in [0, 1]', relativeError);
  return { relativeError, count: 0, values: new Float64Array(0), g: new Float64Array(0), delta: new Float64Array(0) };
}

function insertSorted(s: QuantileSketch, sorted: Float64Array): QuantileSketch {
  const n = s.values.length;
  const m = sorted.length;
  const values = new Float64Array(n + m);
  const g = new Float64Array(n + m);
  const delta = new Float64Array(n + m);
  let k = 0;
  let si = 0;
  let count = s.count;
  for (let oi = 0; oi < m; oi++) {
    const x = sorted[oi]!;
    while (si < n && s.values[si]! <= x) {
      values[k] = s.values[si]!;
      g[k] = s.g[si]!;
      delta[k++] = s.delta[si]!;
      si++;
    }
    count++;
    const d = k === 0 || (si === n && oi === m - 1) ? 0 : Math.floor(2 * s.relativeError * count);
    values[k] = x;
    g[k] = 1;
    delta[k++] = d;
  }
  while (si < n) {
    values[k] = s.values[si]!;
    g[k] = s.g[si]!;
    delta[k++] = s.delta[si]!;
    si++;
  }
  return { relativeError: s.relativeError, count, values, g, delta };
}

function compressSamples(s: QuantileSketch, mergeThreshold: number): QuantileSketch {
  const n = s.values.length;
  if (n <= 2) return s;
  const outV: number[] = [];
  const outG: number[] = [];
  const outD: number[] = [];
  let hv = s.values[n - 1]!;
  let hg = s.g[n - 1]!;
  let hd = s.delta[n - 1]!;
  for (let i = n - 2; i >= 1; i--) {
    const g1 = s.g[i]!;
    if (g1 + hg + hd < mergeThreshold) {
      hg += g1;
    } else {
      outV.push(hv);
      outG.push(hg);
      outD.push(hd);
      hv = s.values[i]!;
      hg = g1;
      hd = s.delta[i]!;
    }
  }
  outV.push(hv);
  outG.push(hg);
  outD.push(hd);
  if (s.values[0]! <= hv) {
    outV.push(s.values[0]!);
    outG.push(s.g[0]!);
    outD.push(s.delta[0]!);
  }
  outV.reverse();
  outG.reverse();
  outD.reverse();
  return { relativeError: s.relativeError, count: s.count, values: Float64Array.from(outV), g: Float64Array.from(outG), delta: Float64Array.from(outD) };
}

/** Inserts values (in this order; NaN and nulls must be removed by the caller) and compresses, as one partition does in Spark. */
export function sketchAdd(s: QuantileSketch, values: ArrayLike<number>): QuantileSketch {
  const n = values.length;
  for (let start = 0; start < n; start += HEAD_SIZE) {
    const end = Math.min(n, start + HEAD_SIZE);
    const head = new Float64Array(end - start);
    for (let i = start; i < end; i++) head[i - start] = values[i]!;
    head.sort();
    s = insertSorted(s, head);
    if (s.values.length >= COMPRESS_THRESHOLD && end < n) s = compressSamples(s, 2 * s.relativeError * s.count);
  }
  return compressSamples(s, 2 * s.relativeError * s.count);
}

/**
 * Spark's QuantileSummaries.merge: a sorted merge in which samples that interleave the other
 * side's samples take on its uncertainty (delta + floor(2·ε_other·n_other)), then a compress.
 */
export function sketchMerge(a: QuantileSketch, b: QuantileSketch): QuantileSketch {
  if (b.count === 0) return a;
  if (a.count === 0) return b;
  const na = a.values.length;
  const nb = b.values.length;
  const n = na + nb;
  const values = new Float64Array(n);
  const g = new Float64Array(n);
  const delta = new Float64Array(n);
  const addA = Math.floor(2 * b.relativeError * b.count);
  const addB = Math.floor(2 * a.relativeError * a.count);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < na && j < nb) {
    if (a.values[i]! < b.values[j]!) {
      values[k] = a.values[i]!;
      g[k] = a.g[i]!;
      delta[k++] = a.delta[i]! + (j > 0 ? addA : 0);
      i++;
    } else {
      values[k] = b.values[j]!;
      g[k] = b.g[j]!;
      delta[k++] = b.delta[j]! + (i > 0 ? addB : 0);
      j++;
    }
  }
  for (; i < na; i++, k++) {
    values[k] = a.values[i]!;
    g[k] = a.g[i]!;
    delta[k] = a.delta[i]!;
  }
  for (; j < nb; j++, k++) {
    values[k] = b.values[j]!;
    g[k] = b.g[j]!;
    delta[k] = b.delta[j]!;
  }
  const relativeError = Math.max(a.relativeError, b.relativeError);
  const count = a.count + b.count;
  return compressSamples({ relativeError, count, values, g, delta }, 2 * relativeError * count);
}

/** Spark 3's query, per quantile: null when the sketch is empty. */
export function sketchQuery(s: QuantileSketch, quantiles: readonly number[]): number[] | null {
  for (const q of quantiles) if (!(q >= 0 && q <= 1)) throw Errors.outOfRange('approxQuantile', 'probabilities', 'numbers in [0, 1]', q);
  const n = s.values.length;
  if (n === 0) return null;
  let maxGD = -Infinity;
  for (let i = 0; i < n; i++) maxGD = Math.max(maxGD, s.g[i]! + s.delta[i]!);
  const targetError = Math.floor(maxGD / 2);
  return quantiles.map((q) => {
    // as Spark: quantiles within the error of 0 / 1 are the min / max
    if (q <= s.relativeError) return s.values[0]!;
    if (q >= 1 - s.relativeError) return s.values[n - 1]!;
    const rank = Math.ceil(q * s.count);
    let minRank = 0;
    for (let i = 0; i < n - 1; i++) {
      minRank += s.g[i]!;
      const maxRank = minRank + s.delta[i]!;
      if (maxRank - targetError <= rank && rank <= minRank + targetError) return s.values[i]!;
    }
    return s.values[n - 1]!;
  });
}
