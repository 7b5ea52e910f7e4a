/**
 * The executor side of LinearRegression (and of GeneralizedLinearRegression's least-squares
 * steps, generalized-linear-regression-tasks.ts):
 *   - `wlsStats`: Spark's WeightedLeastSquares.Aggregator — one pass of weighted normal-equation
 *     statistics over the packed blocks (ml/data/instances-tasks.ts): count, Σw, Σw², Σw·b, Σw·b²,
 *     Σw·a, Σw·a·b and the packed upper triangle of Σw·a·aᵀ (column-major, Spark's packed layout:
 *     entry (i, j), i <= j, at j(j+1)/2 + i). Unweighted blocks fold Σa·aᵀ through the native
 *     Gram kernel (ts/src/kernels/gram.ts), weighted ones in a JS loop. Rows of weight 0 add nothing
 *     but their count.
 *   - `huberLossGrad`: Spark's HuberAggregator over one block: the margins from
 *     ts/src/kernels/glm.ts `glmMargins` (native), then a JS loop over them.
 *   - `linearRegressionScoring`: the model's transform (prediction = coefficients·x + intercept).
 */
import { defineSummary } from '../../src/exec/task.js';
import { glmMargins } from '../../src/kernels/glm.js';
import { gramAddRaw } from '../../src/kernels/gram.js';
import type { PackedRows } from '../data/instances-tasks.js';
import { defineRegressorScoring } from '../predictor/scoring-tasks.js';

// ----- weighted least squares statistics ----------------------------------------------------------

export interface WlsStats {
  /** Number of features (k in Spark). */
  k: number;
  count: number;
  wSum: number;
  wwSum: number;
  bSum: number;
  bbSum: number;
  aSum: Float64Array;
  abSum: Float64Array;
  /** Packed upper triangle of Σw·a·aᵀ, k(k+1)/2 values, column-major. */
  aaSum: Float64Array;
}

export function wlsZero(k: number): WlsStats {
  return { k, count: 0, wSum: 0, wwSum: 0, bSum: 0, bbSum: 0, aSum: new Float64Array(k), abSum: new Float64Array(k), aaSum: new Float64Array((k * (k + 1)) / 2) };
}

/** Adds `b` into `a` (Spark's Aggregator.merge); returns `a`. */
export function wlsMerge(a: WlsStats, b: WlsStats): WlsStats {
  a.count += b.count;
  a.wSum += b.wSum;
  a.wwSum += b.wwSum;
  a.bSum += b.bSum;
  a.bbSum += b.bbSum;
  for (let j = 0; j < a.k; j++) {
    a.aSum[j] = a.aSum[j]! + b.aSum[j]!;
    a.abSum[j] = a.abSum[j]! + b.abSum[j]!;
  }
  for (let p = 0; p < a.aaSum.length; p++) a.aaSum[p] = a.aaSum[p]! + b.aaSum[p]!;
  return a;
}

/** Adds one weighted row (features `x` at offset `o`, label `b`, weight `w`) (Spark's Aggregator.add). */
export function wlsAddRow(s: WlsStats, x: Float64Array, o: number, b: number, w: number): void {
  s.count++;
  if (w === 0) return;
  const k = s.k;
  s.wSum += w;
  s.wwSum += w * w;
  s.bSum += w * b;
  s.bbSum += w * b * b;
  const aa = s.aaSum;
  let p = 0;
  for (let j = 0; j < k; j++) {
    const aj = x[o + j]!;
    const waj = w * aj;
    s.aSum[j] = s.aSum[j]! + waj;
    s.abSum[j] = s.abSum[j]! + waj * b;
    for (let i = 0; i <= j; i++) aa[p + i] = aa[p + i]! + waj * x[o + i]!;
    p += j + 1;
  }
}

/** One block of (features, label, weight) rows; unweighted blocks take Σa·aᵀ from the native Gram kernel. */
export function wlsAddBlock(s: WlsStats, block: PackedRows): WlsStats {
  const { x, y, w, n, d } = block;
  if (n === 0) return s;
  if (w !== null) {
    for (let r = 0; r < n; r++) wlsAddRow(s, x, r * d, y![r]!, w[r]!);
    return s;
  }
  const gram = new Float64Array(d * d);
  const sums = new Float64Array(d);
  gramAddRaw(x, d, new Float64Array(d), gram, sums);
  s.count += n;
  s.wSum += n;
  s.wwSum += n;
  let p = 0;
  for (let j = 0; j < d; j++) {
    s.aSum[j] = s.aSum[j]! + sums[j]!;
    for (let i = 0; i <= j; i++) s.aaSum[p + i] = s.aaSum[p + i]! + gram[i * d + j]!;
    p += j + 1;
  }
  for (let r = 0; r < n; r++) {
    const b = y![r]!;
    s.bSum += b;
    s.bbSum += b * b;
    const o = r * d;
    for (let j = 0; j < d; j++) s.abSum[j] = s.abSum[j]! + x[o + j]! * b;
  }
  return s;
}

export const wlsStats = defineSummary<WlsStats, PackedRows, { d: number }>('ml.linearRegression.wlsStats', {
  zero: (b) => wlsZero(b.d),
  add: (s, block) => wlsAddBlock(s, block),
  merge: wlsMerge,
});

// ----- Huber loss ---------------------------------------------------------------------------------

export interface HuberBroadcast {
  d: number;
  /** Effective coefficients (standardised coefficient / feature std, 0 where the std is 0). */
  coef: Float64Array;
  intercept: number;
  sigma: number;
  epsilon: number;
}

export interface HuberResult {
  loss: number;
  /** d coefficient gradients (over the effective coefficients), then the intercept's, then sigma's. */
  grad: Float64Array;
  weightSum: number;
}

/**
 * Spark's HuberAggregator over one block: with r = y − (β·x + intercept),
 * |r| <= σε: loss ½w(σ + r²/σ); else ½w(σ + 2ε|r| − σε²); gradients as Spark's.
 */
export function huberAddBlock(s: HuberResult, block: PackedRows, b: HuberBroadcast): HuberResult {
  const { x, y, w, n, d } = block;
  if (n === 0) return s;
  const { coef, intercept, sigma, epsilon } = b;
  const g = s.grad;
  const margins = glmMargins(x, n, d, coef, Float64Array.of(intercept), 1);
  for (let r = 0; r < n; r++) {
    const wi = w === null ? 1 : w[r]!;
    if (wi === 0) continue;
    const o = r * d;
    const lin = y![r]! - margins[r]!;
    let dm: number;
    if (Math.abs(lin) <= sigma * epsilon) {
      const q = lin / sigma;
      s.loss += 0.5 * wi * (sigma + lin * q);
      dm = -wi * q;
      g[d + 1] = g[d + 1]! + 0.5 * wi * (1 - q * q);
    } else {
      const sign = lin >= 0 ? -1 : 1;
      s.loss += 0.5 * wi * (sigma + 2 * epsilon * Math.abs(lin) - sigma * epsilon * epsilon);
      dm = wi * sign * epsilon;
      g[d + 1] = g[d + 1]! + 0.5 * wi * (1 - epsilon * epsilon);
    }
    for (let j = 0; j < d; j++) g[j] = g[j]! + dm * x[o + j]!;
    g[d] = g[d]! + dm;
    s.weightSum += wi;
  }
  return s;
}

export const huberLossGrad = defineSummary<HuberResult, PackedRows, HuberBroadcast>('ml.linearRegression.huber', {
  zero: (b) => ({ loss: 0, grad: new Float64Array(b.d + 2), weightSum: 0 }),
  add: huberAddBlock,
  merge: (a, b) => {
    for (let i = 0; i < a.grad.length; i++) a.grad[i] = a.grad[i]! + b.grad[i]!;
    a.loss += b.loss;
    a.weightSum += b.weightSum;
    return a;
  },
});

// ----- scoring ------------------------------------------------------------------------------------

export interface LinearState {
  coefficients: Float64Array;
  intercept: number;
}

/** coefficients·x + intercept for each of n rows. */
export function linearPredict(s: LinearState, x: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n);
  const c = s.coefficients;
  for (let r = 0; r < n; r++) {
    let m = s.intercept;
    const o = r * d;
    for (let j = 0; j < d; j++) m += c[j]! * x[o + j]!;
    out[r] = m;
  }
  return out;
}

export const linearRegressionScoring = defineRegressorScoring<LinearState>('ml.linearRegression.predict', { predict: linearPredict });
