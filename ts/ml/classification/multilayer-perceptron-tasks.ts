/**
 * The executor side of MultilayerPerceptronClassifier (multilayer-perceptron-topology.ts): the
 * summary one loss-and-gradient evaluation folds over the packed blocks — each block cut into
 * stacks of blockSize consecutive rows (Spark's DataStacker), Σ over stacks of the stack's mean
 * cross-entropy and of its mean gradient, and the number of stacks — and the model's scoring task
 * (raw = the output layer before softmax, probability = its softmax, as Spark 3's
 * MultilayerPerceptronClassificationModel.predictRaw / raw2probabilityInPlace).
 */
import { defineSummary } from '../../src/exec/task.js';
import type { PackedRows } from '../data/instances-tasks.js';
import { defineClassifierScoring } from '../predictor/scoring-tasks.js';
import { mlpPredictRaw, mlpStackLossGrad, MlpWorkspace } from './multilayer-perceptron-topology.js';
import { softmaxRowsInPlace } from '../predictor/scoring-tasks.js';

export interface MlpGradientBroadcast {
  layers: number[];
  weights: Float64Array;
  blockSize: number;
}

export interface MlpGradientStats {
  grad: Float64Array;
  loss: number;
  /** Stacks folded (Spark's numExamples of the stacked data). */
  count: number;
}

/** One block's Σ stack loss, Σ stack gradient (into s.grad) and number of stacks. */
export function mlpBlockLossGrad(block: PackedRows, b: MlpGradientBroadcast, s: MlpGradientStats): MlpGradientStats {
  const { n } = block;
  if (n === 0) return s;
  const B = Math.min(b.blockSize, n);
  const ws = new MlpWorkspace(b.layers, B);
  for (let r = 0; r < n; r += B) {
    const size = Math.min(B, n - r);
    s.loss += mlpStackLossGrad(b.layers, b.weights, block.x, block.y!, r, size, ws, s.grad);
    s.count++;
  }
  return s;
}

export const mlpGradient = defineSummary<MlpGradientStats, PackedRows, MlpGradientBroadcast>('mlp.gradient', {
  zero: (b) => ({ grad: new Float64Array(b.weights.length), loss: 0, count: 0 }),
  add: (s, block, b) => mlpBlockLossGrad(block, b, s),
  merge: (a, b) => {
    for (let i = 0; i < a.grad.length; i++) a.grad[i] = a.grad[i]! + b.grad[i]!;
    a.loss += b.loss;
    a.count += b.count;
    return a;
  },
});

export interface MlpState {
  layers: number[];
  weights: Float64Array;
}

export const mlpScoring = defineClassifierScoring<MlpState>('mlp.classify', {
  predictRaw: (st, x, n) => mlpPredictRaw(st.layers, st.weights, x, n),
  raw2probabilityInPlace: (_st, raw, n, k) => softmaxRowsInPlace(raw, n, k),
});
