/**
 * NaiveBayes on the executors (SPARK_DEFINITIONS.md §12): the one pass of a fit and the model's
 * scoring.
 *
 * The pass (`naiveBayesStats`, a summary over the packed training blocks, ml/data/instances.ts):
 * per class the number of rows (Spark's groupBy sees a class when any row has its label), the
 * weighted count Σw and the weighted feature sums Σw·x — and, for 'gaussian', Σw·x² (Spark's
 * Summarizer "mean" and "normL2" per label). Before a row is folded its features are checked as
 * Spark's NaiveBayes does: 'multinomial' / 'complement' need non-negative values
 * (requireNonnegativeValues), 'bernoulli' 0 or 1 (requireZeroOneBernoulliValues); the lowest bad
 * row over the whole DataFrame is kept (its global number comes from the block's rowBase).
 *
 * Scoring (Spark's NaiveBayesModel.predictRaw and raw2probabilityInPlace):
 *   - multinomial: raw = pi + θ·x;
 *   - complement:  raw = θ·x − logSumExp(θ·x) (pi is not used; θ holds the negated complement log-probabilities);
 *   - bernoulli:   raw = (pi + Σ_j log(1 − e^θ_cj)) + (θ − log(1 − e^θ))·x;
 *   - gaussian:    raw_c = pi_c − (Σ_j (x_j − θ_cj)² / σ_cj + Σ_j log σ_cj) / 2;
 *   - probability: exp(raw − max raw), normalised to sum 1.
 * Predictions follow Spark's default rules (predictor/scoring-tasks.ts).
 */
import { Errors } from '../../src/errors.js';
import { defineSummary } from '../../src/exec/task.js';
import type { BadRow } from '../data/features.js';
import type { PackedRows } from '../data/instances-tasks.js';
import { DenseVector } from '../linalg/vectors.js';
import { defineClassifierScoring, softmaxRowsInPlace } from '../predictor/scoring-tasks.js';

export type NaiveBayesModelType = 'multinomial' | 'bernoulli' | 'gaussian' | 'complement';

export interface NaiveBayesStatsBroadcast {
  modelType: NaiveBayesModelType;
  /** Classes 0..numClasses-1 (labels were checked against it when packed). */
  numClasses: number;
  d: number;
  featuresCol: string;
}

export interface NaiveBayesStats {
  /** Rows of each class (any weight). */
  rows: Float64Array;
  /** Σw of each class. */
  weightSum: Float64Array;
  /** numClasses x d, row-major: Σ w·x per class. */
  sum: Float64Array;
  /** numClasses x d: Σ w·x² per class ('gaussian' only, else empty). */
  sumSq: Float64Array;
  /** The lowest bad row over the DataFrame, or null. */
  bad: BadRow | null;
}

/** Spark's requireNonnegativeValues / requireZeroOneBernoulliValues for one row, or null when it passes. */
export function naiveBayesRowProblem(modelType: NaiveBayesModelType, x: Float64Array, o: number, d: number): string | null {
  if (modelType === 'gaussian') return null;
  const bernoulli = modelType === 'bernoulli';
  for (let j = 0; j < d; j++) {
    const v = x[o + j]!;
    if (bernoulli ? v !== 0 && v !== 1 : v < 0) {
      const found = new DenseVector(x.subarray(o, o + d)).toString();
      return bernoulli ? `Bernoulli naive Bayes requires 0 or 1 feature values but found ${found}.` : `Naive Bayes requires nonnegative feature values but found ${found}.`;
    }
  }
  return null;
}

export const naiveBayesStats = defineSummary<NaiveBayesStats, PackedRows, NaiveBayesStatsBroadcast>('classification.naiveBayesStats', {
  zero: (b) => ({
    rows: new Float64Array(b.numClasses),
    weightSum: new Float64Array(b.numClasses),
    sum: new Float64Array(b.numClasses * b.d),
    sumSq: new Float64Array(b.modelType === 'gaussian' ? b.numClasses * b.d : 0),
    bad: null,
  }),
  add: (s, block, b, ctx) => {
    const { x, y, w, n, d } = block;
    const gaussian = b.modelType === 'gaussian';
    for (let i = 0; i < n; i++) {
      const o = i * d;
      const problem = naiveBayesRowProblem(b.modelType, x, o, d);
      if (problem !== null) {
        const row = (ctx.rowBase ?? 0) + i;
        if (s.bad === null || row < s.bad.row) s.bad = { row, what: `column ${b.featuresCol}`, why: `is invalid: ${problem}` };
        return s;
      }
      const c = y![i]!;
      const wi = w === null ? 1 : w[i]!;
      s.rows[c] = s.rows[c]! + 1;
      s.weightSum[c] = s.weightSum[c]! + wi;
      if (wi === 0) continue;
      const co = c * d;
      for (let j = 0; j < d; j++) {
        const v = x[o + j]!;
        if (v === 0) continue;
        s.sum[co + j] = s.sum[co + j]! + wi * v;
        if (gaussian) s.sumSq[co + j] = s.sumSq[co + j]! + wi * v * v;
      }
    }
    return s;
  },
  merge: (a, b) => {
    const addInto = (p: Float64Array, q: Float64Array) => {
      for (let i = 0; i < p.length; i++) p[i] = p[i]! + q[i]!;
    };
    addInto(a.rows, b.rows);
    addInto(a.weightSum, b.weightSum);
    addInto(a.sum, b.sum);
    addInto(a.sumSq, b.sumSq);
    if (b.bad !== null && (a.bad === null || b.bad.row < a.bad.row)) a.bad = b.bad;
    return a;
  },
});

/** A model's data as its scoring reads it (numClasses = pi.length, θ and σ row-major numClasses x d). */
export interface NaiveBayesState {
  modelType: NaiveBayesModelType;
  pi: Float64Array;
  theta: Float64Array;
  sigma: Float64Array;
  /** bernoulli: θ − log(1 − e^θ) and pi + Σ_j log(1 − e^θ_cj); gaussian: Σ_j log σ_cj. */
  thetaMinusNegTheta?: Float64Array;
  piMinusThetaSum?: Float64Array;
  logVarSum?: Float64Array;
}

/** The derived arrays of Spark's NaiveBayesModel (bernoulli / gaussian), computed once per model. */
export function naiveBayesState(modelType: NaiveBayesModelType, pi: Float64Array, theta: Float64Array, sigma: Float64Array): NaiveBayesState {
  const k = pi.length;
  const d = k === 0 ? 0 : theta.length / k;
  const state: NaiveBayesState = { modelType, pi, theta, sigma };
  if (modelType === 'bernoulli') {
    const tm = new Float64Array(k * d);
    const ps = pi.slice();
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < d; j++) {
        const neg = Math.log1p(-Math.exp(theta[c * d + j]!));
        tm[c * d + j] = theta[c * d + j]! - neg;
        ps[c] = ps[c]! + neg;
      }
    }
    state.thetaMinusNegTheta = tm;
    state.piMinusThetaSum = ps;
  } else if (modelType === 'gaussian') {
    const lv = new Float64Array(k);
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) lv[c] = lv[c]! + Math.log(sigma[c * d + j]!);
    state.logVarSum = lv;
  }
  return state;
}

/** out[i*k + c] = base[c] + Σ_j m[c*d + j] x[i*d + j]. */
function affine(x: Float64Array, n: number, d: number, m: Float64Array, base: Float64Array | null, k: number): Float64Array {
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let c = 0; c < k; c++) {
      let s = base === null ? 0 : base[c]!;
      const mo = c * d;
      for (let j = 0; j < d; j++) {
        const v = x[o + j]!;
        if (v !== 0) s += m[mo + j]! * v;
      }
      out[i * k + c] = s;
    }
  }
  return out;
}

/** Spark's NaiveBayesModel.predictRaw of n rows (module comment). */
export function naiveBayesRaw(s: NaiveBayesState, x: Float64Array, n: number, d: number, k: number): Float64Array {
  for (let i = 0; i < n; i++) {
    const problem = naiveBayesRowProblem(s.modelType, x, i * d, d);
    if (problem !== null) throw Errors.badRow('NaiveBayesModel', 'the features of this partition', i, `is invalid: ${problem}`);
  }
  switch (s.modelType) {
    case 'multinomial':
      return affine(x, n, d, s.theta, s.pi, k);
    case 'bernoulli':
      return affine(x, n, d, s.thetaMinusNegTheta!, s.piMinusThetaSum!, k);
    case 'complement': {
      const out = affine(x, n, d, s.theta, null, k);
      for (let i = 0; i < n; i++) {
        let max = -Infinity;
        for (let c = 0; c < k; c++) max = Math.max(max, out[i * k + c]!);
        let sumExp = 0;
        for (let c = 0; c < k; c++) sumExp += Math.exp(out[i * k + c]! - max);
        const lse = Math.log(sumExp) + max;
        for (let c = 0; c < k; c++) out[i * k + c] = out[i * k + c]! - lse;
      }
      return out;
    }
    case 'gaussian': {
      const out = new Float64Array(n * k);
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < k; c++) {
          let q = 0;
          for (let j = 0; j < d; j++) {
            const diff = x[i * d + j]! - s.theta[c * d + j]!;
            q += (diff * diff) / s.sigma[c * d + j]!;
          }
          out[i * k + c] = s.pi[c]! - (q + s.logVarSum![c]!) / 2;
        }
      }
      return out;
    }
  }
}

export const naiveBayesScoring = defineClassifierScoring<NaiveBayesState>('classification.naiveBayes', {
  predictRaw: naiveBayesRaw,
  // Spark's NaiveBayesModel.raw2probabilityInPlace: exp(raw − max), normalised — a softmax
  raw2probabilityInPlace: (_s, raw, n, k) => softmaxRowsInPlace(raw, n, k),
});
