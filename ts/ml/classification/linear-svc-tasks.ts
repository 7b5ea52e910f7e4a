/**
 * The executor side of LinearSVCModel.transform (Spark's LinearSVCModel: predictRaw [−m, m] with
 * m = β·x + b, prediction 1 when m > threshold — the threshold is on the raw margin, any real
 * number), listed in ts/worker.ts. LinearSVC is not probabilistic: the core's classify is run
 * with probabilityCol '' and this raw2prediction, so raw2probability is never reached.
 */
import { glmMargins } from '../../src/kernels/glm.js';
import { defineClassifierScoring } from '../predictor/scoring-tasks.js';
import { binomialRaw } from './logistic-regression-tasks.js';

export interface LinearSVCState {
  coef: Float64Array;
  intercept: number;
  threshold: number;
}

export const linearSVCScoring = defineClassifierScoring<LinearSVCState>('classification.linearSVC', {
  predictRaw: (s, x, n, d) => binomialRaw(glmMargins(x, n, d, s.coef, Float64Array.of(s.intercept), 1), n),
  raw2probabilityInPlace: () => {
    throw new TypeError('LinearSVCModel has no probabilities (it is not a probabilistic classifier)');
  },
  raw2prediction: (s, raw, n) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = raw[2 * i + 1]! > s.threshold ? 1 : 0;
    return out;
  },
});
