/**
 * The Gaussians of a GaussianMixture (docs/formats/SPARK_DEFINITIONS.md §11), on the driver:
 * the mixture as plain arrays (`MixtureState`), Spark's M-step (`gmmMStep`), a mixture given by
 * value checked (`mixtureOf`), and the E-step's view of the components (`mixtureComponents`):
 *   - a positive-definite covariance is factored by Cholesky: the same density as Spark's
 *     eigendecomposition;
 *   - a singular one — a Cholesky pivot (the variance of a feature given the earlier ones) at most
 *     1e-12 of the feature's second moment about the shift, i.e. rounding noise of the one-pass
 *     covariance — is regularised for a live component: λ = 1e-6 x scale x 10^m is added to the
 *     diagonal for the first m = 0 .. 8 that lets Cholesky succeed (scale = the mean per-feature
 *     weighted variance of the data), and the regularised covariance is kept;
 *   - a component that collapsed (its responsibility is ~0) and a covariance that stays singular
 *     get Spark's degenerate Gaussian (MultivariateGaussian.calculateCovarianceConstants): the
 *     eigendecomposition cov = U D Uᵀ, eigenvalues <= EPSILON x max(D) x d dropped, the root
 *     pseudo-inverse W = D^-1/2 Uᵀ and the log pseudo-determinant Σ log D_i over the kept ones;
 *     the E-step kernel evaluates it as z = W (x - mu) (kernels/gmm.ts, `pseudo`).
 * `MultivariateGaussian` is Spark's ml.stat.distribution.MultivariateGaussian with the same rule.
 */
import { Errors, KindlingError } from '../../src/errors.js';
import { GMM_EPSILON, choleskyLower, packedSize, unpackUpper, type GmmComponents, type GmmStepStats } from '../../src/kernels/gmm.js';
import { DenseMatrix, SparseMatrix, type Matrix } from '../linalg/matrices.js';
import { DenseVector, isVector, type Vector } from '../linalg/vectors.js';
import { pointOf } from './kmeans-common.js';

/** The regulariser's base: λ = 1e-6 x 10^m x (mean feature variance), m = 0 .. REG_STEPS. */
export const REG_BASE = 1e-6;
export const REG_STEPS = 8;
/** Cholesky pivots at most this fraction of the feature's raw second moment count as zero. */
const PIVOT_FLOOR = 1e-12;

/** k weights, k x d means, k packed upper-triangular covariances (Spark's internal form). */
export interface MixtureState {
  k: number;
  d: number;
  weights: Float64Array;
  means: Float64Array;
  /** k x d(d+1)/2, packed upper triangles (column-major: (i, j), i <= j, at j(j+1)/2 + i). */
  covs: Float64Array;
}

/** A mixture given by value: k weights, k means (size d), k covariances (d x d, symmetric). */
export interface GaussianMixtureInit {
  weights: readonly number[] | Float64Array;
  means: ReadonlyArray<Vector | readonly number[]>;
  covariances: ReadonlyArray<Matrix | ReadonlyArray<readonly number[]>>;
}

/** One regularised covariance. */
export interface GmmRegularization {
  /** 0 for the initial mixture, else the EM iteration whose M-step produced the covariance. */
  iteration: number;
  component: number;
  /** The value added to the diagonal. */
  lambda: number;
}

/** One covariance evaluated as Spark's degenerate Gaussian (pseudo-inverse and pseudo-determinant). */
export interface GmmPseudoInverse {
  iteration: number;
  component: number;
  /** The eigenvalues kept (above EPSILON x the largest x d). */
  rank: number;
}

/** What preparing the components did to the covariances. */
export interface ComponentsLog {
  regularizations: GmmRegularization[];
  pseudoInverses: GmmPseudoInverse[];
}

/** A symmetric d x d matrix (row-major full) as a packed upper triangle. */
function packUpper(full: Float64Array, d: number): Float64Array {
  const out = new Float64Array(packedSize(d));
  for (let j = 0; j < d; j++) for (let i = 0; i <= j; i++) out[(j * (j + 1)) / 2 + i] = full[i * d + j]!;
  return out;
}

/**
 * Spark's M-step (GaussianMixture.updateWeightsAndGaussians) from merged E-step statistics, which
 * are sums around `stats.shift` (o): m = sumX * (1 / W); cov = (sumXX + m (-W m)ᵀ) * (1 / W) in
 * BLAS.spr's order; mean = o + m; weight = W / ΣW (ΣW summed in component order). With o = 0 these
 * are Spark's operations exactly; with o = the data mean the same quantities without the
 * cancellation of raw second moments.
 */
export function gmmMStep(stats: Pick<GmmStepStats, 'k' | 'd' | 'respSum' | 'sumX' | 'sumXX' | 'shift'>): MixtureState {
  const { k, d } = stats;
  const tri = packedSize(d);
  let sumWeights = 0;
  for (let j = 0; j < k; j++) sumWeights += stats.respSum[j]!;
  const weights = new Float64Array(k);
  const means = new Float64Array(k * d);
  const covs = new Float64Array(k * tri);
  for (let j = 0; j < k; j++) {
    const w = stats.respSum[j]!;
    const inv = 1 / w;
    const m = new Float64Array(d);
    for (let t = 0; t < d; t++) m[t] = stats.sumX[j * d + t]! * inv;
    const cov = covs.subarray(j * tri, (j + 1) * tri);
    cov.set(stats.sumXX.subarray(j * tri, (j + 1) * tri));
    for (let b = 0; b < d; b++) {
      const temp = -w * m[b]!;
      const col = (b * (b + 1)) / 2;
      for (let a = 0; a <= b; a++) cov[col + a] += m[a]! * temp;
    }
    for (let e = 0; e < tri; e++) cov[e] = cov[e]! * inv;
    for (let t = 0; t < d; t++) means[j * d + t] = stats.shift[t]! + m[t]!;
    weights[j] = w / sumWeights;
  }
  return { k, d, weights, means, covs };
}

/** Eigenvalues and eigenvectors (column i of `vectors`, row-major d x d) of a symmetric matrix, by cyclic Jacobi rotations. */
export function symmetricEigen(a: Float64Array, d: number): { values: Float64Array; vectors: Float64Array } {
  const A = a.slice();
  const V = new Float64Array(d * d);
  for (let i = 0; i < d; i++) V[i * d + i] = 1;
  let total = 0;
  for (let e = 0; e < d * d; e++) total += A[e]! * A[e]!;
  const rotate = (M: Float64Array, p: number, q: number, c: number, s: number, cols: boolean) => {
    for (let r = 0; r < d; r++) {
      const [ip, iq] = cols ? [r * d + p, r * d + q] : [p * d + r, q * d + r];
      const u = M[ip]!;
      const v = M[iq]!;
      M[ip] = c * u - s * v;
      M[iq] = s * u + c * v;
    }
  };
  for (let sweep = 0; sweep < 64; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += A[p * d + q]! * A[p * d + q]!;
    if (!(off > 1e-36 * total)) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = A[p * d + q]!;
        if (apq === 0) continue;
        const theta = (A[q * d + q]! - A[p * d + p]!) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.hypot(theta, 1));
        const c = 1 / Math.hypot(t, 1);
        const s = t * c;
        rotate(A, p, q, c, s, true);
        rotate(A, p, q, c, s, false);
        rotate(V, p, q, c, s, true);
      }
    }
  }
  const values = new Float64Array(d);
  for (let i = 0; i < d; i++) values[i] = A[i * d + i]!;
  return { values, vectors: V };
}

/**
 * Spark's MultivariateGaussian constants of a covariance (full, row-major): W = D^-1/2 Uᵀ over the
 * eigenvalues above tol = EPSILON x max x d (the others' rows 0), the log pseudo-determinant (the
 * kept eigenvalues' logs, summed in ascending order as LAPACK returns them) and the rank.
 */
export function sparkPseudoInverse(cov: Float64Array, d: number): { w: Float64Array; logPdet: number; rank: number } {
  const { values, vectors } = symmetricEigen(cov, d);
  const order = Array.from({ length: d }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const tol = GMM_EPSILON * values[order[d - 1]!]! * d;
  const w = new Float64Array(d * d);
  let logPdet = 0;
  let rank = 0;
  for (const i of order) {
    const v = values[i]!;
    if (!(v > tol && v > 0)) continue;
    rank++;
    logPdet += Math.log(v);
    const s = Math.sqrt(1 / v);
    for (let t = 0; t < d; t++) w[i * d + t] = s * vectors[t * d + i]!;
  }
  return { w, logPdet, rank };
}

/**
 * The E-step's view of a mixture (see the module comment): Cholesky factors, a singular covariance
 * of a live component regularised in place, Spark's degenerate Gaussian for a `collapsed`
 * component or a covariance that stays singular. Throws ERR_KINDLING_CONVERGENCE when a weight,
 * mean or covariance is not finite (the mixture diverged).
 */
export function mixtureComponents(
  api: string,
  s: MixtureState,
  opts: { scale: number; iteration: number; log: ComponentsLog; shift?: Float64Array; collapsed?: ReadonlySet<number> },
): GmmComponents {
  const { k, d } = s;
  const { iteration, log } = opts;
  const tri = packedSize(d);
  const chol = new Float64Array(k * d * d);
  const logDet = new Float64Array(k);
  const pseudo = new Uint8Array(k);
  for (let j = 0; j < k; j++) {
    const w = s.weights[j]!;
    let finite = Number.isFinite(w) && w >= 0;
    for (let t = 0; t < d && finite; t++) finite = Number.isFinite(s.means[j * d + t]!);
    const cov = s.covs.subarray(j * tri, (j + 1) * tri);
    for (let e = 0; e < tri && finite; e++) finite = Number.isFinite(cov[e]!);
    if (!finite) {
      throw new KindlingError(
        'ERR_KINDLING_CONVERGENCE',
        `${api}: EM did not converge: component ${j} has a non-finite weight, mean or covariance after iteration ${iteration} (the mixture diverged); rescale the features or lower k`,
      );
    }
    const full = unpackUpper(cov, d);
    // A pivot below 1e-12 of the feature's second moment about the shift is rounding noise of the
    // one-pass covariance (E[x' x'^T] - m m^T), not a variance: numerically singular.
    const minPivot = new Float64Array(d);
    for (let t = 0; t < d; t++) minPivot[t] = PIVOT_FLOOR * (Math.abs(full[t * d + t]!) + (s.means[j * d + t]! - (opts.shift ? opts.shift[t]! : 0)) ** 2);
    let f = choleskyLower(full, d, minPivot);
    if (f === null && !opts.collapsed?.has(j)) {
      const base = REG_BASE * (opts.scale > 0 && Number.isFinite(opts.scale) ? opts.scale : 1);
      for (let m = 0; m <= REG_STEPS && f === null; m++) {
        const lambda = base * 10 ** m;
        const reg = full.slice();
        for (let t = 0; t < d; t++) reg[t * d + t] += lambda;
        f = choleskyLower(reg, d, minPivot);
        if (f !== null) {
          for (let t = 0; t < d; t++) cov[(t * (t + 1)) / 2 + t] += lambda;
          log.regularizations.push({ iteration, component: j, lambda });
        }
      }
    }
    if (f === null) {
      const p = sparkPseudoInverse(full, d);
      f = { chol: p.w, logDet: p.logPdet };
      pseudo[j] = 1;
      log.pseudoInverses.push({ iteration, component: j, rank: p.rank });
    }
    chol.set(f.chol, j * d * d);
    logDet[j] = f.logDet;
  }
  const shift = opts.shift ? opts.shift.slice() : mixtureMean(s);
  return { k, d, weights: s.weights.slice(), means: s.means.slice(), shift, chol, logDet, pseudo: pseudo.includes(1) ? pseudo : null };
}

/** Σ w_j mean_j: the shift of a model's components (any finite shift gives the same densities). */
function mixtureMean(s: MixtureState): Float64Array {
  const o = new Float64Array(s.d);
  let W = 0;
  for (let j = 0; j < s.k; j++) W += s.weights[j]!;
  for (let j = 0; j < s.k; j++) for (let t = 0; t < s.d; t++) o[t] += (s.weights[j]! / (W > 0 ? W : 1)) * s.means[j * s.d + t]!;
  return o;
}

/** The components of a mixture given by value or loaded; a singular covariance is regularised (scale 1) with a warning. */
export function preparedComponents(api: string, uid: string, s: MixtureState): GmmComponents {
  const log: ComponentsLog = { regularizations: [], pseudoInverses: [] };
  const comps = mixtureComponents(api, s, { scale: 1, iteration: 0, log });
  const regs = log.regularizations;
  const parts: string[] = [];
  if (regs.length > 0) {
    parts.push(`the covariance(s) of component(s) ${regs.map((r) => r.component).join(', ')} are singular and were regularised by adding ${regs.map((r) => r.lambda).join(', ')} to the diagonal (1e-6 x 10^m)`);
  }
  if (log.pseudoInverses.length > 0) {
    parts.push(`the covariance(s) of component(s) ${log.pseudoInverses.map((p) => p.component).join(', ')} stay singular with ${REG_BASE * 10 ** REG_STEPS} added to the diagonal and are evaluated as Spark's degenerate Gaussian (pseudo-inverse and pseudo-determinant, rank ${log.pseudoInverses.map((p) => p.rank).join(', ')})`);
  }
  if (parts.length > 0) process.emitWarning(`${api} (${uid}): ${parts.join('; ')}`, { type: 'KindlingWarning', code: 'KINDLING_GMM_SINGULAR_COVARIANCE' });
  return comps;
}

/** A mixture given by value, checked (sizes, finiteness, symmetry, weights >= 0), as plain arrays. */
export function mixtureOf(api: string, name: string, m: GaussianMixtureInit): MixtureState {
  const k = m.weights.length;
  const first = m.means[0]!;
  const d = isVector(first) ? first.size : Array.isArray(first) ? first.length : 0;
  if (d < 1) throw Errors.invalidArg(api, `${name}.means[0]`, 'a Vector or an array of numbers', first);
  const tri = packedSize(d);
  const weights = Float64Array.from(m.weights as ArrayLike<number>);
  weights.forEach((w, j) => {
    if (!(typeof w === 'number' && w >= 0 && Number.isFinite(w))) throw Errors.invalidArg(api, `${name}.weights[${j}]`, 'a finite number >= 0', w);
  });
  const means = new Float64Array(k * d);
  const covs = new Float64Array(k * tri);
  for (let j = 0; j < k; j++) {
    const mu = pointOf(api, m.means[j] as Vector | number[], d);
    if (!mu.every(Number.isFinite)) throw Errors.invalidArg(api, `${name}.means[${j}]`, 'finite numbers', m.means[j]);
    means.set(mu, j * d);
    const c = m.covariances[j];
    let full: Float64Array;
    if (c instanceof DenseMatrix || c instanceof SparseMatrix) {
      if (c.numRows !== d || c.numCols !== d) throw Errors.invalidArg(api, `${name}.covariances[${j}]`, `a ${d} x ${d} matrix`, `${c.numRows} x ${c.numCols}`);
      const colMajor = c.toArray();
      full = new Float64Array(d * d);
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) full[a * d + b] = colMajor[a + b * d]!;
    } else if (Array.isArray(c) && c.length === d && c.every((r) => Array.isArray(r) && r.length === d)) {
      full = new Float64Array(d * d);
      (c as ReadonlyArray<readonly number[]>).forEach((r, a) => r.forEach((v, b) => (full[a * d + b] = v)));
    } else {
      throw Errors.invalidArg(api, `${name}.covariances[${j}]`, `a ${d} x ${d} matrix (DenseMatrix or number[][])`, c);
    }
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) {
        const x = full[a * d + b]!;
        const y = full[b * d + a]!;
        if (!Number.isFinite(x)) throw Errors.invalidArg(api, `${name}.covariances[${j}]`, 'finite numbers', `${x} at (${a}, ${b})`);
        if (Math.abs(x - y) > 1e-9 * Math.max(Math.abs(x), Math.abs(y), Number.MIN_VALUE)) {
          throw Errors.invalidArg(api, `${name}.covariances[${j}]`, 'a symmetric matrix', `(${a}, ${b}) = ${x} but (${b}, ${a}) = ${y}`);
        }
      }
    }
    covs.set(packUpper(full, d), j * tri);
  }
  return { k, d, weights, means, covs };
}

/**
 * Spark's ml.stat.distribution.MultivariateGaussian (mean, cov) with pdf / logpdf: a
 * positive-definite covariance through its Cholesky factor, a singular one (a pivot at most 1e-12
 * of its variance) as Spark's degenerate Gaussian, in the subspace the distribution lives on.
 */
export class MultivariateGaussian {
  readonly mean: DenseVector;
  readonly cov: DenseMatrix;
  /** The lower Cholesky factor L (cov = L Lᵀ), or Spark's root pseudo-inverse W when `pseudo`. */
  private readonly factor: Float64Array;
  private readonly pseudo: boolean;
  private readonly logNorm: number;

  constructor(mean: Vector | readonly number[], cov: Matrix | ReadonlyArray<readonly number[]>) {
    const m = mixtureOf('MultivariateGaussian', 'gaussian', { weights: [1], means: [mean], covariances: [cov] });
    const d = m.d;
    const full = unpackUpper(m.covs, d);
    const f = choleskyLower(full, d, Array.from({ length: d }, (_, t) => PIVOT_FLOOR * Math.abs(full[t * d + t]!)));
    const p = f === null ? sparkPseudoInverse(full, d) : null;
    this.mean = new DenseVector(m.means);
    this.cov = new DenseMatrix(d, d, full);
    this.factor = p ? p.w : f!.chol;
    this.pseudo = p !== null;
    this.logNorm = -0.5 * (d * Math.log(2 * Math.PI) + (p ? p.logPdet : f!.logDet));
  }

  logpdf(x: Vector | readonly number[]): number {
    const d = this.mean.size;
    const v = pointOf('MultivariateGaussian.logpdf', x, d);
    const mu = this.mean.toArray();
    const F = this.factor;
    const y = new Float64Array(d);
    for (let j = 0; j < d; j++) y[j] = v[j]! - mu[j]!;
    let q = 0;
    for (let j = 0; j < d; j++) {
      let s = 0;
      if (this.pseudo) {
        for (let t = 0; t < d; t++) s += F[j * d + t]! * y[t]!;
      } else {
        // forward substitution in place: y[t] for t < j already holds z_t
        s = y[j]!;
        for (let t = 0; t < j; t++) s -= F[j * d + t]! * y[t]!;
        s /= F[j * d + j]!;
        y[j] = s;
      }
      q += s * s;
    }
    return this.logNorm - 0.5 * q;
  }

  pdf(x: Vector | readonly number[]): number {
    return Math.exp(this.logpdf(x));
  }
}
