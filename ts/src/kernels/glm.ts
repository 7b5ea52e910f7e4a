/**
 * The data term of a linear model's loss and its gradient over one block of rows, as Spark's
 * aggregators compute them (Spark's ml/optim/aggregator/*BlockAggregator),
 * with margins m = coef·x + intercept (k of them per row):
 *   - binomial:    log(1 + exp(m)) - y·m, written stably as MLUtils.log1pExp: m > 0 ? m + log1p(exp(-m)) : log1p(exp(m));
 *                  dloss/dm = sigmoid(m) - y;
 *   - multinomial: logsumexp(m) - m_y (the max margin subtracted first); dloss/dm_j = softmax_j - [j = y];
 *   - squared:     ½(m - y)²; dloss/dm = m - y;
 *   - hinge:       max(0, 1 - (2y - 1)·m) (HingeBlockAggregator); dloss/dm = -(2y - 1) where the loss is > 0.
 * Each row's loss and dloss/dm are weighted by w (null: 1); the gradient is Σ w·dloss/dm·x per
 * coefficient (k x d, row-major) then Σ w·dloss/dm per intercept. The sums are unscaled: the
 * caller divides by the weight sum and adds the penalty (Spark's RDDLossFunction).
 *
 * `glmLossGradJs` is the reference, row by row in order (the scalar kernel's order).
 * `glmLossGrad` / `glmLossGradRaw` / `glmMargins` are one native call on the active SIMD tier
 * (native/include/kindling/kernels/glm.h): the SIMD tiers sum in another order and use their own
 * exp/log1p (a few ulps), so they agree with the twin to rounding (test/native/glm-parity.test.ts).
 */
import { Errors } from '../errors.js';
import { native, type NativeKernels } from '../native.js';

export type GlmLossKind = 'binomial' | 'multinomial' | 'squared' | 'hinge';

export interface GlmLossArgs {
  kind: GlmLossKind;
  /** n x d row-major features. */
  x: Float64Array;
  /** n labels (binomial/hinge: 0|1; multinomial: class index 0..k-1; squared: value). */
  y: Float64Array;
  /** n weights (null: all 1). */
  w: Float64Array | null;
  n: number;
  d: number;
  /** Number of margins: 1, or numClasses for multinomial. */
  k: number;
  /** k x d row-major "effective" coefficients (the caller folds scaling/centering in). */
  coef: Float64Array;
  /** k intercepts (zeros when no intercept). */
  intercept: Float64Array;
}

export interface GlmLossResult {
  loss: number;
  /** k*d coefficient gradients then k intercept gradients. */
  grad: Float64Array;
  weightSum: number;
}

const KINDS: readonly GlmLossKind[] = ['binomial', 'multinomial', 'squared', 'hinge'];
/** The kernel's loss codes (glm.h GlmLoss). */
const KIND_CODE: Record<GlmLossKind, number> = { binomial: 0, multinomial: 1, squared: 2, hinge: 3 };

/** MLUtils.log1pExp: log(1 + exp(m)) without overflow. */
export function log1pExp(m: number): number {
  return m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
}

/** The JS twin: adds the block's gradient INTO `grad` (length k*d + k) and returns Σ w·loss and Σ w. */
export function glmLossGradJs(a: GlmLossArgs, grad: Float64Array): { loss: number; weightSum: number } {
  const { kind, x, y, w, n, d, k, coef, intercept } = a;
  const iOff = k * d;
  const m = new Float64Array(k);
  let loss = 0;
  let weightSum = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i]! : 1;
    weightSum += wi;
    if (wi === 0) continue;
    const row = i * d;
    for (let c = 0; c < k; c++) {
      let s = intercept[c]!;
      const co = c * d;
      for (let j = 0; j < d; j++) s += coef[co + j]! * x[row + j]!;
      m[c] = s;
    }
    const yi = y[i]!;
    if (kind === 'multinomial') {
      let max = -Infinity;
      for (let c = 0; c < k; c++) if (m[c]! > max) max = m[c]!;
      const my = m[yi]!;
      let sum = 0;
      for (let c = 0; c < k; c++) {
        m[c] = Math.exp(m[c]! - max);
        sum += m[c]!;
      }
      // loss = log Σ exp(m) - m_y = log(sum) + max - m_y; m now holds exp(m - max)
      loss += wi * (Math.log(sum) + max - my);
      for (let c = 0; c < k; c++) {
        const mult = wi * (m[c]! / sum - (c === yi ? 1 : 0));
        if (mult === 0) continue;
        const co = c * d;
        for (let j = 0; j < d; j++) grad[co + j] = grad[co + j]! + mult * x[row + j]!;
        grad[iOff + c] = grad[iOff + c]! + mult;
      }
      continue;
    }
    const mi = m[0]!;
    let l: number;
    let dm: number;
    if (kind === 'binomial') {
      l = log1pExp(mi) - yi * mi;
      dm = 1 / (1 + Math.exp(-mi)) - yi;
    } else if (kind === 'squared') {
      const r = mi - yi;
      l = 0.5 * r * r;
      dm = r;
    } else {
      const s = 2 * yi - 1;
      const h = 1 - s * mi;
      l = h > 0 ? h : 0;
      dm = h > 0 ? -s : 0;
    }
    loss += wi * l;
    const mult = wi * dm;
    if (mult === 0) continue;
    for (let j = 0; j < d; j++) grad[j] = grad[j]! + mult * x[row + j]!;
    grad[iOff] = grad[iOff]! + mult;
  }
  return { loss, weightSum };
}

/** Native, no checks, accumulates INTO grad (for summaries over checked blocks). */
export function glmLossGradRaw(a: GlmLossArgs, grad: Float64Array, impl: NativeKernels = native()): { loss: number; weightSum: number } {
  const sums = new Float64Array(2);
  const n = a.n;
  const x = a.x.length === n * a.d ? a.x : a.x.subarray(0, n * a.d);
  const y = a.y.length === n ? a.y : a.y.subarray(0, n);
  const w = a.w === null || a.w.length === n ? a.w : a.w.subarray(0, n);
  impl.glmLossGradF64(KIND_CODE[a.kind], x, y, w, a.d, a.k, a.coef, a.intercept, grad, sums);
  return { loss: sums[0]!, weightSum: sums[1]! };
}

/** Σ_i w_i loss_i and its gradient (unscaled sums; the caller divides by the weight sum and adds the penalty), after checking shapes and labels. */
export function glmLossGrad(a: GlmLossArgs): GlmLossResult {
  checkArgs('glmLossGrad', a);
  const grad = new Float64Array(a.k * a.d + a.k);
  const r = glmLossGradRaw(a, grad);
  return { loss: r.loss, grad, weightSum: r.weightSum };
}

/** n x k margins coef·x + intercept (row-major), for predictions and losses computed in JS (huber, AFT, poisson, …). */
export function glmMargins(x: Float64Array, n: number, d: number, coef: Float64Array, intercept: Float64Array, k: number, out?: Float64Array, impl: NativeKernels = native()): Float64Array {
  const api = 'glmMargins';
  checkShape(api, x, n, d, coef, intercept, k);
  const m = out ?? new Float64Array(n * k);
  if (m.length < n * k) throw Errors.invalidArg(api, 'out', `a Float64Array of at least ${n * k} (n x k) values`, `length ${m.length}`);
  impl.glmMarginsF64(x, n, d, coef, intercept, k, m.length === n * k ? m : m.subarray(0, n * k));
  return m;
}

/** JS twin of glmMargins. */
export function glmMarginsJs(x: Float64Array, n: number, d: number, coef: Float64Array, intercept: Float64Array, k: number, out: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let c = 0; c < k; c++) {
      let s = intercept[c]!;
      const co = c * d;
      for (let j = 0; j < d; j++) s += coef[co + j]! * x[row + j]!;
      out[i * k + c] = s;
    }
  }
  return out;
}

function checkShape(api: string, x: Float64Array, n: number, d: number, coef: Float64Array, intercept: Float64Array, k: number): void {
  if (!Number.isInteger(n) || n < 0) throw Errors.invalidArg(api, 'n', 'an integer >= 0', n);
  if (!Number.isInteger(d) || d < 0) throw Errors.invalidArg(api, 'd', 'an integer >= 0', d);
  if (!Number.isInteger(k) || k < 1) throw Errors.invalidArg(api, 'k', 'an integer >= 1', k);
  if (!(x instanceof Float64Array) || x.length !== n * d) throw Errors.invalidArg(api, 'x', `a Float64Array of n x d = ${n * d} values`, x instanceof Float64Array ? `length ${x.length}` : x);
  if (!(coef instanceof Float64Array) || coef.length !== k * d) throw Errors.invalidArg(api, 'coef', `a Float64Array of k x d = ${k * d} values`, coef instanceof Float64Array ? `length ${coef.length}` : coef);
  if (!(intercept instanceof Float64Array) || intercept.length !== k) throw Errors.invalidArg(api, 'intercept', `a Float64Array of k = ${k} values`, intercept instanceof Float64Array ? `length ${intercept.length}` : intercept);
}

function checkArgs(api: string, a: GlmLossArgs): void {
  if (a === null || typeof a !== 'object') throw Errors.invalidArg(api, 'args', 'a GlmLossArgs object', a);
  if (!KINDS.includes(a.kind)) throw Errors.invalidArg(api, 'kind', `one of ${KINDS.join(', ')}`, a.kind);
  checkShape(api, a.x, a.n, a.d, a.coef, a.intercept, a.k);
  if (a.kind !== 'multinomial' && a.k !== 1) throw Errors.invalidArg(api, 'k', `1 for the ${a.kind} loss`, a.k);
  if (!(a.y instanceof Float64Array) || a.y.length !== a.n) throw Errors.invalidArg(api, 'y', `a Float64Array of n = ${a.n} labels`, a.y instanceof Float64Array ? `length ${a.y.length}` : a.y);
  if (a.w !== null && (!(a.w instanceof Float64Array) || a.w.length !== a.n)) throw Errors.invalidArg(api, 'w', `null or a Float64Array of n = ${a.n} weights`, a.w instanceof Float64Array ? `length ${a.w.length}` : a.w);
  for (let i = 0; i < a.n; i++) {
    const y = a.y[i]!;
    const ok = a.kind === 'squared' ? Number.isFinite(y) : a.kind === 'multinomial' ? Number.isInteger(y) && y >= 0 && y < a.k : y === 0 || y === 1;
    if (!ok) throw Errors.badRow(api, 'y', i, `has label ${y}; the ${a.kind} loss needs ${a.kind === 'squared' ? 'a finite value' : a.kind === 'multinomial' ? `a class index in 0..${a.k - 1}` : '0 or 1'}`);
    if (a.w !== null && !(a.w[i]! >= 0 && Number.isFinite(a.w[i]!))) throw Errors.badRow(api, 'w', i, `has weight ${a.w[i]}; weights must be finite and >= 0`);
  }
}
