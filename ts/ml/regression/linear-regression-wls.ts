/**
 * Spark's WeightedLeastSquares on the driver, from the merged statistics of one pass
 * (linear-regression-tasks.ts `wlsStats`): LinearRegression's "normal" solver and each step of
 * GeneralizedLinearRegression's IRLS. What it does, as Spark's source:
 *   - means and (biased, weighted) standard deviations of the features (aStd) and the label (bStd);
 *   - a constant label (bStd = 0): with fitIntercept (or a zero mean) the model is coefficients 0
 *     and intercept = the label's mean, with Spark's warning; without, regularisation with a
 *     standardised label is refused (Spark's message) and otherwise it warns and goes on, with
 *     bStd = |mean|;
 *   - the normal equations in the standardised space (features / aStd, label / bStd; columns of
 *     std 0 are zeroed) — [E(aaᵀ) E(a); E(a)ᵀ 1] x = [E(ab); E(b)] with an intercept —, the L2 part
 *     of regParam / bStd added to the diagonal (divided by aStd² without feature standardisation,
 *     times bStd without label standardisation);
 *   - solved by Cholesky (LAPACK dppsv's rule: a pivot <= 0 is a singular matrix), whose inverse's
 *     diagonal gives the coefficients' standard errors (diagInvAtWA); with an L1 part
 *     (elasticNetParam > 0 and regParam > 0) or a singular matrix under 'auto', Spark's
 *     QuasiNewtonSolver: L-BFGS (OWL-QN with L1) over the same quadratic (NormalEquationCostFun),
 *     no standard errors;
 *   - coefficients back on the original scale (× bStd / aStd_j), intercept × bStd.
 */
import { Errors, KindlingError } from '../../src/errors.js';
import { minimize } from '../optim/minimize.js';
import { choleskyFactor, unpackUpper } from '../../src/kernels/gmm.js';
import type { WlsStats } from './linear-regression-tasks.js';

export interface WlsOptions {
  api: string;
  fitIntercept: boolean;
  regParam: number;
  elasticNetParam: number;
  standardizeFeatures: boolean;
  standardizeLabel: boolean;
  /** 'auto': Cholesky, falling back to quasi-Newton on a singular matrix (or with L1). */
  solver: 'auto' | 'cholesky' | 'quasi-newton';
  maxIter: number;
  tol: number;
}

export interface WlsSolution {
  coefficients: Float64Array;
  intercept: number;
  /** Diagonal of (AᵀWA)⁻¹ (coefficients, then the intercept), or [0] when not available (Spark's marker). */
  diagInvAtWA: Float64Array;
  /** [0] for Cholesky; the quasi-Newton's objective history otherwise. */
  objectiveHistory: number[];
  /** The quasi-Newton solver stopped at maxIter. */
  notConverged?: boolean;
}

/** Spark's SingularMatrixException (CholeskyDecomposition.solve). */
export class SingularMatrixError extends KindlingError {
  constructor(api: string, info: number) {
    super('ERR_KINDLING_CONVERGENCE', `${api}: LAPACK.dppsv returned ${info} because A is not positive definite. Is A derived from a singular matrix (e.g. collinear column values)?`);
  }
}

/**
 * Cholesky factor (lower, row-major k×k) of the symmetric matrix given as a packed upper
 * triangle; throws SingularMatrixError on a pivot <= 0 (LAPACK's rule) — or, so that exactly
 * collinear columns are caught whatever the rounding, a pivot below 1e-12 of its diagonal entry.
 */
export function choleskyPacked(api: string, packed: Float64Array, k: number): Float64Array {
  const a = unpackUpper(packed, k);
  const minPivot = Float64Array.from({ length: k }, (_, j) => 1e-12 * a[j * k + j]!);
  const r = choleskyFactor(a, k, minPivot);
  if ('failedAt' in r) throw new SingularMatrixError(api, r.failedAt);
  return r.chol;
}

/** Solves L Lᵀ x = b. */
export function choleskySolve(l: Float64Array, k: number, b: Float64Array): Float64Array {
  const y = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let v = b[i]!;
    for (let t = 0; t < i; t++) v -= l[i * k + t]! * y[t]!;
    y[i] = v / l[i * k + i]!;
  }
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let v = y[i]!;
    for (let t = i + 1; t < k; t++) v -= l[t * k + i]! * x[t]!;
    x[i] = v / l[i * k + i]!;
  }
  return x;
}

/** The diagonal of (L Lᵀ)⁻¹: Σ_t (L⁻¹)_{t,i}². */
export function choleskyInverseDiagonal(l: Float64Array, k: number): Float64Array {
  const diag = new Float64Array(k);
  const e = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    // column i of L⁻¹: forward substitution of e_i
    e.fill(0);
    for (let r = i; r < k; r++) {
      let v = r === i ? 1 : 0;
      for (let t = i; t < r; t++) v -= l[r * k + t]! * e[t]!;
      e[r] = v / l[r * k + r]!;
    }
    let s = 0;
    for (let r = i; r < k; r++) s += e[r]! * e[r]!;
    diag[i] = s;
  }
  return diag;
}

/** Packed symmetric matrix (upper, column-major) times a vector. */
function spmv(packed: Float64Array, k: number, x: Float64Array, out: Float64Array): void {
  out.fill(0);
  let p = 0;
  for (let j = 0; j < k; j++) {
    for (let i = 0; i <= j; i++) {
      const v = packed[p++]!;
      out[i] = out[i]! + v * x[j]!;
      if (i !== j) out[j] = out[j]! + v * x[i]!;
    }
  }
}

function warn(msg: string): void {
  process.emitWarning(msg, { type: 'KindlingWarning', code: 'KINDLING_WLS' });
}

/** Spark's WeightedLeastSquares.fit after its aggregation (module comment). */
export async function solveWls(s: WlsStats, o: WlsOptions): Promise<WlsSolution> {
  const api = o.api;
  if (!(s.wSum > 0)) throw Errors.schema(`${api}: Sum of weights cannot be zero.`);
  const k = s.k;
  const wSum = s.wSum;
  const bMean = s.bSum / wSum;
  const rawBStd = Math.sqrt(Math.max(s.bbSum / wSum - bMean * bMean, 0));
  const bStd = rawBStd === 0 ? Math.abs(bMean) : rawBStd;
  if (rawBStd === 0) {
    if (o.fitIntercept || bMean === 0) {
      if (bMean === 0) {
        warn(`${api}: Mean and standard deviation of the label are zero, so the coefficients and the intercept will all be zero; as a result, training is not needed.`);
      } else {
        warn(`${api}: The standard deviation of the label is zero, so the coefficients will be zeros and the intercept will be the mean of the label; as a result, training is not needed.`);
      }
      return { coefficients: new Float64Array(k), intercept: bMean, diagInvAtWA: new Float64Array([0]), objectiveHistory: [0] };
    }
    if (o.regParam > 0 && o.standardizeLabel) throw Errors.schema(`${api}: The standard deviation of the label is zero. Model cannot be regularized with standardization=true`);
    warn(`${api}: The standard deviation of the label is zero. Consider setting fitIntercept=true.`);
  }

  const aBar = new Float64Array(k);
  const aStd = new Float64Array(k);
  const abBar = new Float64Array(k);
  const aaBar = new Float64Array(s.aaSum.length);
  let p = 0;
  for (let j = 0; j < k; j++) {
    aBar[j] = s.aSum[j]! / wSum;
    abBar[j] = s.abSum[j]! / wSum;
    for (let i = 0; i <= j; i++) aaBar[p + i] = s.aaSum[p + i]! / wSum;
    p += j + 1;
    aStd[j] = Math.sqrt(Math.max(aaBar[p - 1]! - aBar[j]! * aBar[j]!, 0));
  }
  // to the standardised space
  for (let j = 0; j < k; j++) {
    const sj = aStd[j]!;
    aBar[j] = sj === 0 ? 0 : aBar[j]! / sj;
    abBar[j] = sj === 0 ? 0 : abBar[j]! / (sj * bStd);
  }
  p = 0;
  for (let j = 0; j < k; j++) {
    for (let i = 0; i <= j; i++) {
      const si = aStd[i]!;
      const sj = aStd[j]!;
      aaBar[p] = si === 0 || sj === 0 ? 0 : aaBar[p]! / (si * sj);
      p++;
    }
  }
  const bBar = bMean / bStd;
  const bbBar = s.bbSum / wSum / (bStd * bStd);

  const effectiveRegParam = o.regParam / bStd;
  const l1Reg = o.elasticNetParam * effectiveRegParam;
  const l2Reg = (1 - o.elasticNetParam) * effectiveRegParam;
  // L2 on the diagonal
  p = 0;
  for (let j = 0; j < k; j++) {
    p += j;
    let lambda = l2Reg;
    if (!o.standardizeFeatures) {
      const std = aStd[j]!;
      lambda = std !== 0 ? lambda / (std * std) : 0;
    }
    if (!o.standardizeLabel) lambda *= bStd;
    aaBar[p] = aaBar[p]! + lambda;
    p++;
  }

  const kk = o.fitIntercept ? k + 1 : k;
  const aa = o.fitIntercept ? Float64Array.from([...aaBar, ...aBar, 1]) : aaBar.slice();
  const ab = o.fitIntercept ? Float64Array.from([...abBar, bBar]) : abBar.slice();

  const quasiNewton = async (l1: boolean): Promise<{ x: Float64Array; history: number[]; converged: boolean }> => {
    const aax = new Float64Array(kk);
    const f = (x: Float64Array, grad: Float64Array): number => {
      const c = x.slice();
      if (o.fitIntercept) {
        let dp = 0;
        for (let j = 0; j < k; j++) dp += c[j]! * aBar[j]!;
        c[k] = bBar - dp;
      }
      spmv(aa, kk, c, aax);
      let abx = 0;
      let xax = 0;
      for (let i = 0; i < kk; i++) {
        abx += ab[i]! * c[i]!;
        xax += c[i]! * aax[i]!;
        grad[i] = aax[i]! - ab[i]!;
      }
      return 0.5 * bbBar - abx + 0.5 * xax;
    };
    let l1w: Float64Array | undefined;
    if (l1 && l1Reg !== 0) {
      l1w = new Float64Array(kk);
      for (let j = 0; j < k; j++) l1w[j] = o.standardizeFeatures ? l1Reg : aStd[j]! !== 0 ? l1Reg / aStd[j]! : 0;
    }
    const r = await minimize(f, new Float64Array(kk), { maxIter: o.maxIter, tol: o.tol, m: 10, l1: l1w });
    const x = r.x.slice();
    if (o.fitIntercept) {
      let dp = 0;
      for (let j = 0; j < k; j++) dp += x[j]! * aBar[j]!;
      x[k] = bBar - dp;
    }
    return { x, history: r.objectiveHistory, converged: r.converged };
  };

  let x: Float64Array;
  let diag: Float64Array | null = null;
  let history = [0];
  let notConverged = false;
  const useQN = o.solver === 'quasi-newton' || (o.solver === 'auto' && o.elasticNetParam !== 0 && o.regParam !== 0);
  if (useQN) {
    const r = await quasiNewton(true);
    x = r.x;
    history = r.history;
    notConverged = !r.converged;
  } else {
    try {
      const l = choleskyPacked(api, aa, kk);
      x = choleskySolve(l, kk, ab);
      diag = choleskyInverseDiagonal(l, kk);
    } catch (err) {
      if (!(err instanceof SingularMatrixError) || o.solver !== 'auto') throw err;
      warn(`${api}: Cholesky solver failed due to singular covariance matrix. Retrying with Quasi-Newton solver.`);
      const r = await quasiNewton(false);
      x = r.x;
      history = r.history;
      notConverged = !r.converged;
    }
  }
  const coefficients = x.slice(0, k);
  const intercept = o.fitIntercept ? x[k]! * bStd : 0;
  for (let j = 0; j < k; j++) coefficients[j] = aStd[j]! !== 0 ? coefficients[j]! * (bStd / aStd[j]!) : 0;
  let diagInvAtWA = new Float64Array([0]);
  if (diag !== null) {
    diagInvAtWA = new Float64Array(kk);
    for (let i = 0; i < kk; i++) {
      const mult = i === k && o.fitIntercept ? 1 : aStd[i]! * aStd[i]!;
      diagInvAtWA[i] = diag[i]! / (wSum * mult);
    }
  }
  return { coefficients, intercept, diagInvAtWA, objectiveHistory: history, notConverged };
}
