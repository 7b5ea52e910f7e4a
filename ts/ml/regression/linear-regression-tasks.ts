/**
 * The executor side of LinearRegression (and of GeneralizedLinearRegression's least-squares
 * steps, generalized-linear-regression-tasks.ts):
 *   - `wlsStats`: Spark's WeightedLeastSquares.Aggregator — one pass of weighted normal-equation
 *     statistics over the packed blocks (ml/data/instances-tasks.ts): count, Σw, Σw², Σw·b, Σw·b²,
 *     Σw·a, Σw·a·b and the packed upper triangle of Σw·a·aᵀ (column-major, Spark's packed layout:
 *     entry (i, j), i <= j, at j(j+1)/2 + i), Σw·a·aᵀ through the native Gram kernel
 *     (ts/src/kernels/gram.ts) over the rows scaled by √w. Rows of weight 0 add nothing but
 *     their count.
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

/**
 * Adds n weighted rows: the first k columns of each `stride`-long row of `x`, labels `b`, weights
 * `w` (null: 1). Σw·a·aᵀ comes from the native Gram kernel over the rows scaled by √w
 * (ts/src/kernels/gram.ts); the sums of a, a·b, b and b² from one JS loop.
 */
export function wlsAddRows(s: WlsStats, x: Float64Array, stride: number, n: number, b: ArrayLike<number>, w: ArrayLike<number> | null): WlsStats {
  const k = s.k;
  if (n === 0) return s;
  s.count += n;
  const scaled = k === stride && w === null ? x.subarray(0, n * k) : new Float64Array(n * k);
  for (let r = 0; r < n; r++) {
    const wi = w === null ? 1 : w[r]!;
    const bi = b[r]!;
    const o = r * stride;
    if (wi !== 0) {
      s.wSum += wi;
      s.wwSum += wi * wi;
      s.bSum += wi * bi;
      s.bbSum += wi * bi * bi;
      for (let j = 0; j < k; j++) {
        const wa = wi * x[o + j]!;
        s.aSum[j] = s.aSum[j]! + wa;
        s.abSum[j] = s.abSum[j]! + wa * bi;
      }
    }
    if (scaled !== x) {
      const sw = Math.sqrt(wi);
      for (let j = 0; j < k; j++) scaled[r * k + j] = wi === 0 ? 0 : x[o + j]! * sw;
    }
  }
  if (k === 0) return s;
  const gram = new Float64Array(k * k);
  gramAddRaw(scaled, k, new Float64Array(k), gram, new Float64Array(k));
  let p = 0;
  for (let j = 0; j < k; j++) {
    for (let i = 0; i <= j; i++) s.aaSum[p + i] = s.aaSum[p + i]! + gram[i * k + j]!;
    p += j + 1;
  }
  return s;
}

/** One block of (features, label, weight) rows. */
export function wlsAddBlock(s: WlsStats, block: PackedRows): WlsStats {
  return wlsAddRows(s, block.x, block.d, block.n, block.y!, block.w);
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
