/**
 * Factorization machines, the part FMClassifier and FMRegressor share (Spark's
 * ml.regression.FactorizationMachines, FMRegressor.scala):
 *
 *   - the coefficient vector, Spark's layout: the factors (numFeatures x factorSize, row-major:
 *     v_{i,f} at i*factorSize + f), then the linear terms (numFeatures, when fitLinear), then the
 *     intercept (when fitIntercept) — `splitCoefficients` / `combineCoefficients`;
 *   - the raw prediction y = w0 + Σ w_i x_i + ½ Σ_f ((Σ_i v_if x_i)² − Σ_i v_if² x_i²) over the
 *     non-zero x_i (`fmRawPrediction`), and the per-row gradient of Spark's
 *     BaseFactorizationMachinesGradient: d y/d w0 = 1, d y/d w_i = x_i, d y/d v_if = x_i Σ_j v_jf x_j − v_if x_i²,
 *     times the loss's multiplier — logistic: σ(y) − label, loss log(1 + e^{∓y}) (MLUtils.log1pExp);
 *     squared: 2 (y − label), loss (y − label)² (`fmBlockLossGrad`, one block of packed rows);
 *   - the initial coefficients: factors ~ N(0, initStd²) drawn with java.util.Random(seed)'s
 *     nextGaussian, as Spark's initCoefficients (scala.util.Random is java.util.Random, so kindling
 *     draws the same numbers); linear terms and intercept 0;
 *   - the solver, Spark's mllib GradientDescent.runMiniBatchSGD with Spark's updaters: per
 *     iteration i = 1..maxIter, one pass (the caller's treeAggregate) gives Σ gradient, Σ loss and
 *     the number of rows sampled (Spark samples `data.sample(false, miniBatchFraction, 42 + i)`;
 *     with fraction 1 every row, so the whole fit is Spark's; below 1 kindling draws each row's
 *     Bernoulli from a hash of (42 + i, row) — the JVM's per-partition XORShiftRandom stream is not
 *     reproduced); the objective history gets Σ loss / count + the previous update's regulariser;
 *     the update is 'gd' = SquaredL2Updater (w ← (1 − η_i λ) w − η_i g, η_i = stepSize / √i) or
 *     'adamW' = Spark's AdamWUpdater (β1 0.9, β2 0.999, ε 1e-8, bias-corrected moments, decoupled
 *     decay: w ← w − (η m̂ / (√v̂ + ε) + λ w)); the regulariser after an update is ½ λ |w|²;
 *     converged when |w_i − w_{i−1}| < tol · max(|w_i|, 1) (from the second iteration on).
 *
 * No regulariser enters the gradient: the updaters decay every coefficient, the intercept too, as Spark.
 */
import { Errors } from '../../src/errors.js';
import { JavaRandom } from '../clustering/kmeans-common.js';
import type { PackedRows } from '../data/instances-tasks.js';
import { uniformAt } from '../clustering/kmeans-common.js';
import { log1pExp } from '../../src/kernels/glm.js';
import { norm2 } from '../optim/lbfgs.js';

export type FMLoss = 'logistic' | 'squared';
export type FMSolver = 'gd' | 'adamW';

/** The model's shape: d features, k factors, which terms it fits. */
export interface FMShape {
  d: number;
  k: number;
  fitIntercept: boolean;
  fitLinear: boolean;
}

/** The number of coefficients (Spark's coefficientsSize). */
export function fmCoefficientSize(s: FMShape): number {
  return s.d * s.k + (s.fitLinear ? s.d : 0) + (s.fitIntercept ? 1 : 0);
}

/** Gathers the non-zero features of row x[off .. off+d) into idx/val (index order, Spark's foreachNonZero); returns their number. */
export function nonZeros(x: Float64Array, off: number, d: number, idx: Int32Array, val: Float64Array): number {
  let nnz = 0;
  for (let j = 0; j < d; j++) {
    const v = x[off + j]!;
    if (v !== 0) {
      idx[nnz] = j;
      val[nnz++] = v;
    }
  }
  return nnz;
}

/**
 * Σ_i v_if x_i (into sumVX) and Σ_i (v_if x_i)² (into sumSq) for each factor f over the gathered
 * non-zeros, each sum in Spark's order (index order); the pairwise term is then
 * ½ Σ_f (sumVX_f² − sumSq_f), added factor by factor as Spark does.
 */
export function factorSums(idx: Int32Array, val: Float64Array, nnz: number, coef: Float64Array, k: number, sumVX: Float64Array, sumSq: Float64Array): void {
  sumVX.fill(0);
  sumSq.fill(0);
  for (let t = 0; t < nnz; t++) {
    const base = idx[t]! * k;
    const v = val[t]!;
    for (let f = 0; f < k; f++) {
      const vx = coef[base + f]! * v;
      sumSq[f] = sumSq[f]! + vx * vx;
      sumVX[f] = sumVX[f]! + vx;
    }
  }
}

/** Spark's training-side getRawPrediction over gathered non-zeros: 0 + intercept, + each linear term, + each factor's term. */
function rawOfNonZeros(idx: Int32Array, val: Float64Array, nnz: number, coef: Float64Array, s: FMShape, sumVX: Float64Array, sumSq: Float64Array): number {
  const vSize = s.d * s.k;
  let raw = 0;
  if (s.fitIntercept) raw += coef[coef.length - 1]!;
  if (s.fitLinear) for (let t = 0; t < nnz; t++) raw += coef[vSize + idx[t]!]! * val[t]!;
  factorSums(idx, val, nnz, coef, s.k, sumVX, sumSq);
  for (let f = 0; f < s.k; f++) raw += 0.5 * (sumVX[f]! * sumVX[f]! - sumSq[f]!);
  return raw;
}

/**
 * Spark's getRawPrediction (BaseFactorizationMachinesGradient) of one row (x[off .. off+d)) under
 * the coefficient vector `coef`; writes Σ_i v_if x_i into sumVX (length k).
 */
export function fmRawPrediction(x: Float64Array, off: number, coef: Float64Array, s: FMShape, sumVX: Float64Array): number {
  const idx = new Int32Array(s.d);
  const val = new Float64Array(s.d);
  const nnz = nonZeros(x, off, s.d, idx, val);
  return rawOfNonZeros(idx, val, nnz, coef, s, sumVX, new Float64Array(s.k));
}

/**
 * Adds the gradient of one block's rows to `grad` (Spark's BaseFactorizationMachinesGradient.compute,
 * row by row over each row's non-zero features in index order, as Spark's foreachNonZero) and
 * returns the loss sum and the rows used; `keep(i)` picks the sampled rows (null: all). Weights are
 * not used, as Spark's FM fit does not use them.
 */
export function fmBlockLossGrad(block: PackedRows, coef: Float64Array, s: FMShape, loss: FMLoss, grad: Float64Array, keep: ((i: number) => boolean) | null): { loss: number; count: number } {
  const { x, n, d } = block;
  const y = block.y!;
  const k = s.k;
  const vSize = d * k;
  const sumVX = new Float64Array(k);
  const sumSq = new Float64Array(k);
  const idx = new Int32Array(d);
  const val = new Float64Array(d);
  const last = coef.length - 1;
  const logistic = loss === 'logistic';
  let lossSum = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (keep !== null && !keep(i)) continue;
    const off = i * d;
    const nnz = nonZeros(x, off, d, idx, val);
    const raw = rawOfNonZeros(idx, val, nnz, coef, s, sumVX, sumSq);
    // the loss's multiplier d loss / d y and the row's loss (Spark's Logistic / MSE FactorizationMachinesGradient)
    const label = y[i]!;
    let m: number;
    if (logistic) {
      m = 1 / (1 + Math.exp(-raw)) - label;
      lossSum += label > 0 ? log1pExp(-raw) : log1pExp(raw);
    } else {
      const r = raw - label;
      m = 2 * r;
      lossSum += r * r;
    }
    if (s.fitIntercept) grad[last] = grad[last]! + m * 1.0;
    for (let t = 0; t < nnz; t++) {
      const j = idx[t]!;
      const v = val[t]!;
      if (s.fitLinear) grad[vSize + j] = grad[vSize + j]! + m * v;
      const base = j * k;
      const vv = v * v;
      for (let f = 0; f < k; f++) grad[base + f] = grad[base + f]! + m * (v * sumVX[f]! - coef[base + f]! * vv);
    }
    count++;
  }
  return { loss: lossSum, count };
}

/** Spark's mini-batch sample of a row: every row at fraction 1, else a Bernoulli draw from (42 + iteration, global row) (module comment). */
export function fmSampler(fraction: number, iteration: number, rowBase: number): ((i: number) => boolean) | null {
  if (fraction >= 1) return null;
  return (i) => uniformAt(42 + iteration, 0, rowBase + i) < fraction;
}

/** java.util.Random with Java's nextGaussian (Marsaglia's polar method, the second value kept), bit for bit. */
export class JavaGaussianRandom extends JavaRandom {
  private spare: number | null = null;

  nextGaussian(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    for (;;) {
      const v1 = 2 * this.nextDouble() - 1;
      const v2 = 2 * this.nextDouble() - 1;
      const s = v1 * v1 + v2 * v2;
      if (s < 1 && s !== 0) {
        const multiplier = Math.sqrt((-2 * Math.log(s)) / s);
        this.spare = v2 * multiplier;
        return v1 * multiplier;
      }
    }
  }
}

/** Spark's initCoefficients: d*k draws of nextGaussian() * initStd from java.util.Random(seed), then zeros for the linear terms and intercept. */
export function fmInitialCoefficients(s: FMShape, seed: number, initStd: number): Float64Array {
  const out = new Float64Array(fmCoefficientSize(s));
  const rnd = new JavaGaussianRandom(seed);
  for (let i = 0; i < s.d * s.k; i++) out[i] = rnd.nextGaussian() * initStd;
  return out;
}

/** Spark's splitCoefficients: intercept, linear terms (null when not fitted: Spark's empty sparse vector), factors (d x k row-major). */
export function splitCoefficients(coef: Float64Array, s: FMShape): { intercept: number; linear: Float64Array | null; factors: Float64Array } {
  const size = fmCoefficientSize(s);
  if (coef.length !== size) throw Errors.invalidArg('splitCoefficients', 'coefficients', `a vector of ${size} values`, `${coef.length} values`);
  const vSize = s.d * s.k;
  return {
    intercept: s.fitIntercept ? coef[size - 1]! : 0,
    linear: s.fitLinear ? coef.slice(vSize, vSize + s.d) : null,
    factors: coef.slice(0, vSize),
  };
}

// ----- the solver (Spark's mllib GradientDescent with the FM updaters) -------------------------------

/** One pass over the data: Σ gradient, Σ loss and the examples used, for iteration `iteration` (1-based; the sample's seed). */
export type SGDPass = (coef: Float64Array, iteration: number) => Promise<{ grad: Float64Array; loss: number; count: number }>;

/** Spark's mllib Updater: the new weights from the mean gradient, and the regulariser at them. */
export interface Updater {
  update(w: Float64Array, g: Float64Array, stepSize: number, iter: number, regParam: number): { w: Float64Array; reg: number };
}

export interface SGDOptions {
  updater: Updater;
  stepSize: number;
  maxIter: number;
  regParam: number;
  tol: number;
  onIteration?: (iteration: number, loss: number) => void;
}

export interface SGDResult {
  coef: Float64Array;
  /** Spark's lossHistory: Σ loss / count + the regulariser, once per iteration, before its update. */
  objectiveHistory: number[];
  iterations: number;
  converged: boolean;
}

function halfNorm2(w: Float64Array, regParam: number): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i]! * w[i]!;
  const norm = Math.sqrt(s);
  return 0.5 * regParam * norm * norm;
}

/** Spark's mllib SquaredL2Updater (FM's 'gd'). */
export const squaredL2Updater: Updater = {
  update(w, g, stepSize, iter, regParam) {
    const eta = stepSize / Math.sqrt(iter);
    const out = new Float64Array(w.length);
    const decay = 1.0 - eta * regParam;
    for (let i = 0; i < w.length; i++) out[i] = w[i]! * decay;
    for (let i = 0; i < w.length; i++) out[i] = out[i]! + -eta * g[i]!;
    return { w: out, reg: halfNorm2(out, regParam) };
  },
};

/** Spark's AdamWUpdater (FMRegressor.scala, FM's 'adamW'): its moments live across iterations. */
export class AdamWUpdater implements Updater {
  readonly beta1 = 0.9;
  readonly beta2 = 0.999;
  readonly epsilon = 1e-8;
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private beta1T = 1.0;
  private beta2T = 1.0;

  constructor(size: number) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  update(w0: Float64Array, g: Float64Array, stepSize: number, _iter: number, regParam: number): { w: Float64Array; reg: number } {
    const w = w0.slice();
    if (stepSize > 0) {
      const { m, v, beta1, beta2, epsilon } = this;
      for (let i = 0; i < w.length; i++) m[i] = m[i]! * beta1 + (1 - beta1) * g[i]!;
      for (let i = 0; i < w.length; i++) v[i] = v[i]! * beta2 + (1 - beta2) * (g[i]! * g[i]!);
      this.beta1T *= beta1;
      this.beta2T *= beta2;
      const c1 = 1 - this.beta1T;
      const c2 = 1 - this.beta2T;
      for (let i = 0; i < w.length; i++) {
        const mHat = m[i]! / c1;
        const vHat = v[i]! / c2;
        w[i] = w[i]! - ((stepSize * mHat) / (Math.sqrt(vHat) + epsilon) + regParam * w[i]!);
      }
    }
    return { w, reg: halfNorm2(w, regParam) };
  }
}

/** The FM solver's updater (module comment). */
export function fmUpdater(solver: FMSolver, size: number): Updater {
  return solver === 'gd' ? squaredL2Updater : new AdamWUpdater(size);
}

/** Spark's GradientDescent.isConverged: |prev − cur| < tol · max(|cur|, 1). */
function isConverged(prev: Float64Array, cur: Float64Array, tol: number): boolean {
  let s = 0;
  for (let i = 0; i < cur.length; i++) s += (prev[i]! - cur[i]!) ** 2;
  return Math.sqrt(s) < tol * Math.max(norm2(cur), 1.0);
}

/**
 * Spark's mllib GradientDescent.runMiniBatchSGD over `pass` from `coef0` (module comment; also
 * MultilayerPerceptronClassifier's 'gd' with its ANNUpdater).
 */
export async function miniBatchSGD(pass: SGDPass, coef0: Float64Array, o: SGDOptions): Promise<SGDResult> {
  const updater = o.updater;
  let w: Float64Array = coef0.slice();
  // Spark: the first regVal is the updater's with a zero gradient and step 0 (½ λ |w0|²)
  let regVal = updater.update(w, new Float64Array(w.length), 0, 1, o.regParam).reg;
  const history: number[] = [];
  let converged = false;
  let i = 1;
  for (; !converged && i <= o.maxIter; i++) {
    const r = await pass(w, i);
    if (r.count > 0) {
      const objective = r.loss / r.count + regVal;
      history.push(objective);
      o.onIteration?.(i, objective);
      const g = new Float64Array(w.length);
      for (let t = 0; t < g.length; t++) g[t] = r.grad[t]! / r.count;
      const up = updater.update(w, g, o.stepSize, i, o.regParam);
      const prev = w;
      w = up.w;
      regVal = up.reg;
      if (i > 1) converged = isConverged(prev, w, o.tol);
    }
  }
  return { coef: w, objectiveHistory: history, iterations: i - 1, converged };
}
