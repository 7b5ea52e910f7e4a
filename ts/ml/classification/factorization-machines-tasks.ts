/**
 * The executor side of FMClassifier and FMRegressor (factorization-machines.ts): the gradient
 * summary each solver iteration folds over the packed training blocks (Σ gradient, Σ loss, rows
 * sampled — Spark's treeAggregate in GradientDescent.runMiniBatchSGD), and the two models'
 * scoring tasks (FMClassificationModel: raw [−y, y], probability [1 − σ(y), σ(y)];
 * FMRegressionModel: y), y being Spark's FactorizationMachines.getRawPrediction.
 */
import { defineSummary } from '../../src/exec/task.js';
import type { PackedRows } from '../data/instances-tasks.js';
import { defineClassifierScoring, defineRegressorScoring } from '../predictor/scoring-tasks.js';
import { factorSums, fmBlockLossGrad, fmSampler, nonZeros, type FMLoss, type FMShape } from './factorization-machines.js';

export interface FMGradientBroadcast extends FMShape {
  coef: Float64Array;
  loss: FMLoss;
  /** miniBatchFraction and the iteration (the sample's seed). */
  fraction: number;
  iteration: number;
}

export interface FMGradientStats {
  grad: Float64Array;
  loss: number;
  count: number;
}

export const fmGradient = defineSummary<FMGradientStats, PackedRows, FMGradientBroadcast>('fm.gradient', {
  zero: (b) => ({ grad: new Float64Array(b.coef.length), loss: 0, count: 0 }),
  add: (s, block, b, ctx) => {
    const r = fmBlockLossGrad(block, b.coef, b, b.loss, s.grad, fmSampler(b.fraction, b.iteration, ctx.rowBase ?? 0));
    s.loss += r.loss;
    s.count += r.count;
    return s;
  },
  merge: (a, b) => {
    for (let i = 0; i < a.grad.length; i++) a.grad[i] = a.grad[i]! + b.grad[i]!;
    a.loss += b.loss;
    a.count += b.count;
    return a;
  },
});

/** A fitted FM model's data as scoring state: the coefficient vector in Spark's layout and its shape. */
export interface FMState extends FMShape {
  coef: Float64Array;
}

/** The model's prediction of n rows: Spark's FactorizationMachines.getRawPrediction (intercept + x·linear, then each factor's term). */
export function fmPredictRows(st: FMState, x: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n);
  const { k, coef } = st;
  const vSize = d * k;
  const intercept = st.fitIntercept ? coef[coef.length - 1]! : 0;
  const idx = new Int32Array(d);
  const val = new Float64Array(d);
  const sumVX = new Float64Array(k);
  const sumSq = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const off = i * d;
    let dot = 0;
    if (st.fitLinear) for (let j = 0; j < d; j++) dot += x[off + j]! * coef[vSize + j]!;
    let raw = intercept + dot;
    factorSums(idx, val, nonZeros(x, off, d, idx, val), coef, k, sumVX, sumSq);
    for (let f = 0; f < k; f++) raw += 0.5 * (sumVX[f]! * sumVX[f]! - sumSq[f]!);
    out[i] = raw;
  }
  return out;
}

export const fmClassifierScoring = defineClassifierScoring<FMState>('fm.classify', {
  predictRaw: (st, x, n, d) => {
    const y = fmPredictRows(st, x, n, d);
    const raw = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      raw[2 * i] = -y[i]!;
      raw[2 * i + 1] = y[i]!;
    }
    return raw;
  },
  // Spark's FMClassificationModel.raw2probabilityInPlace
  raw2probabilityInPlace: (_st, raw, n) => {
    for (let i = 0; i < n; i++) {
      const p = 1.0 / (1.0 + Math.exp(-raw[2 * i + 1]!));
      raw[2 * i + 1] = p;
      raw[2 * i] = 1.0 - p;
    }
  },
});

export const fmRegressorScoring = defineRegressorScoring<FMState>('fm.regress', { predict: fmPredictRows });
