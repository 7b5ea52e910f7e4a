/**
 * The Gaussian-mixture E-step (Spark's ExpectationAggregator) over row-major matrices, as a
 * mergeable partition summary, plus the driver-side linear algebra it needs.
 *
 * Components arrive as mixture weights (k), means (k x d), a shift (d), the lower Cholesky
 * factors L of the covariances (k x d x d row-major, cov = L L^T; the strict upper part is
 * ignored) and the log-determinants of the covariances (k), all computed on the driver
 * (`choleskyLower`). Per row, the kernel solves L z = x - mu (forward substitution), so
 * log(w_c pdf_c(x)) = log w_c - (d log 2pi + log det)/2 - |z|^2/2. A component flagged in
 * `pseudo` has a singular covariance evaluated as Spark's MultivariateGaussian does
 * (docs/formats/SPARK_DEFINITIONS.md §11): its slot of `chol` holds the full d x d root
 * pseudo-inverse W = D^-1/2 Uᵀ (eigenvalues <= EPSILON x max x d dropped), z = W (x - mu), and its
 * log det is the log pseudo-determinant. The kernel then takes Spark's
 *
 *   p_c = EPSILON + w_c pdf_c(x),   probSum = sum_c p_c,   r_c = p_c / probSum * weight,
 *   logLikelihood += log(probSum) * weight          (EPSILON = 2^-52, Spark's MLUtils.EPSILON)
 *
 * through a log-sum-exp: with M = max(log EPSILON, max_c log(w_c pdf_c)), p_c / e^M =
 * e^(log EPSILON - M) + e^(log(w_c pdf_c) - M) and log(probSum) = M + log(sum_c p_c / e^M). Every
 * exponent is <= 0 and the largest term is 1, so nothing overflows: in exact arithmetic the
 * numbers are Spark's, and in floating point they differ only where Spark's direct form breaks
 * down (w_c pdf_c above ~1e308 gives Spark inf/NaN; below ~1e-308 both are dominated by EPSILON).
 *
 * The summary, of the shifted rows x' = x - shift (the driver passes the data mean: sums of outer
 * products around it give Spark's M-step in exact arithmetic without the cancellation of raw sums
 * when |mean| >> spread): per component the sum of responsibilities, the weighted sums of x'
 * (k x d), the weighted outer products x' x'ᵀ (k x d(d+1)/2, packed upper triangles, column-major: entry (i, j), i <= j, at
 * j(j+1)/2 + i as Spark's BLAS.spr), the total weighted log-likelihood, the row count, and the
 * weight of the rows whose every w_c pdf_c is at most EPSILON (`flooredWeight`).
 */
import { Errors } from '../errors.js';
import { native, type NativeKernels } from '../native.js';
import { expectFloat64Array, expectInteger, expectLength, outputF64 } from '../validate.js';

/** Spark's MLUtils.EPSILON: 2^-52. */
export const GMM_EPSILON = 2 ** -52;
const LOG_EPSILON = Math.log(GMM_EPSILON);
const LOG_2PI = Math.log(2 * Math.PI);

/** The mixture as the E-step reads it (see the module comment). */
export interface GmmComponents {
  k: number;
  d: number;
  /** Mixture weights (k), finite and >= 0. */
  weights: Float64Array;
  /** k x d means. */
  means: Float64Array;
  /** d: the rows are used as x - shift (statistics are of the shifted rows; densities do not change). */
  shift: Float64Array;
  /** k x d x d lower Cholesky factors of the covariances, row-major. */
  chol: Float64Array;
  /** log det of each covariance (k); the log pseudo-determinant for a `pseudo` component. */
  logDet: Float64Array;
  /** Optional, k flags: 1 where the `chol` slot holds a full root pseudo-inverse W (see the module comment). */
  pseudo?: Uint8Array | null;
}

export interface GmmStepStats {
  k: number;
  d: number;
  /** Rows folded in. */
  count: number;
  /** The shift the sums were taken around (d). */
  shift: Float64Array;
  /** Sum of responsibilities per component (k). */
  respSum: Float64Array;
  /** k x d: sum of r (x - shift). */
  sumX: Float64Array;
  /** k x d(d+1)/2: sum of r (x - shift)(x - shift)^T, packed upper triangles. */
  sumXX: Float64Array;
  /** Sum of log(probSum) x weight. */
  logLik: number;
  /**
   * Sum of the weights of the rows where every w_c pdf_c <= EPSILON: Spark's EPSILON floor
   * decides their (uniform) responsibilities whatever the model. In many dimensions densities
   * shrink exponentially and this becomes most rows: EM then cannot separate the components.
   */
  flooredWeight: number;
}

/** Entries of a packed d x d triangle. */
export function packedSize(d: number): number {
  return (d * (d + 1)) / 2;
}

/** The full symmetric d x d matrix (row-major) of a packed upper triangle (Spark's unpackUpperTriangularMatrix). */
export function unpackUpper(packed: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    const base = (j * (j + 1)) / 2;
    for (let i = 0; i <= j; i++) {
      out[i * d + j] = packed[base + i]!;
      out[j * d + i] = packed[base + i]!;
    }
  }
  return out;
}

/**
 * The lower Cholesky factor L (row-major, cov = L L^T) of a symmetric d x d matrix (row-major;
 * only the lower triangle is read) and log det = 2 sum log L_jj; or, when the matrix is not
 * (numerically) positive definite, the 1-based column whose pivot (the variance of coordinate j
 * given the earlier ones) is <= minPivot[j] (default 0) or not finite — LAPACK's `info`.
 */
export function choleskyFactor(a: Float64Array, d: number, minPivot?: ArrayLike<number>): { chol: Float64Array; logDet: number } | { failedAt: number } {
  const L = new Float64Array(d * d);
  let logDet = 0;
  for (let j = 0; j < d; j++) {
    let s = a[j * d + j]!;
    for (let t = 0; t < j; t++) s -= L[j * d + t]! * L[j * d + t]!;
    if (!(s > (minPivot ? minPivot[j]! : 0)) || s === Infinity) return { failedAt: j + 1 };
    const ljj = Math.sqrt(s);
    L[j * d + j] = ljj;
    logDet += 2 * Math.log(ljj);
    for (let i = j + 1; i < d; i++) {
      let v = a[i * d + j]!;
      for (let t = 0; t < j; t++) v -= L[i * d + t]! * L[j * d + t]!;
      L[i * d + j] = v / ljj;
    }
  }
  if (!Number.isFinite(logDet)) return { failedAt: d };
  return { chol: L, logDet };
}

/** choleskyFactor, null when the matrix is not positive definite (the mixture's use). */
export function choleskyLower(a: Float64Array, d: number, minPivot?: ArrayLike<number>): { chol: Float64Array; logDet: number } | null {
  const r = choleskyFactor(a, d, minPivot);
  return 'failedAt' in r ? null : r;
}

function checkComponents(api: string, c: GmmComponents): void {
  if (c === null || typeof c !== 'object') throw Errors.invalidArg(api, 'components', 'GmmComponents { k, d, weights, means, chol, logDet }', c);
  expectInteger(api, 'components.k', c.k, 1);
  expectInteger(api, 'components.d', c.d, 1);
  const { k, d } = c;
  for (const [name, arr, len] of [['weights', c.weights, k], ['means', c.means, k * d], ['shift', c.shift, d], ['chol', c.chol, k * d * d], ['logDet', c.logDet, k]] as const) {
    expectFloat64Array(api, `components.${name}`, arr);
    expectLength(api, `components.${name}`, arr, len);
  }
  if (c.pseudo != null) {
    if (!(c.pseudo instanceof Uint8Array)) throw Errors.invalidArg(api, 'components.pseudo', 'a Uint8Array of k flags, or null', c.pseudo);
    expectLength(api, 'components.pseudo', c.pseudo, k);
  }
  for (let t = 0; t < d; t++) if (!Number.isFinite(c.shift[t]!)) throw Errors.badRow(api, 'components.shift', t, `is ${c.shift[t]}; the shift must be finite`);
  for (let j = 0; j < k; j++) {
    const w = c.weights[j]!;
    if (!(w >= 0) || w === Infinity) throw Errors.badRow(api, 'components.weights', j, `is ${w}; mixture weights must be finite and >= 0`);
    if (!Number.isFinite(c.logDet[j]!)) throw Errors.badRow(api, 'components.logDet', j, `is ${c.logDet[j]}; log-determinants must be finite`);
    if (c.pseudo?.[j]) {
      for (let e = 0; e < d * d; e++) if (!Number.isFinite(c.chol[j * d * d + e]!)) throw Errors.badRow(api, 'components.chol', j, `has a non-finite pseudo-inverse entry at ${e}`);
    }
    for (let t = 0; t < d; t++) {
      if (!Number.isFinite(c.means[j * d + t]!)) throw Errors.badRow(api, 'components.means', j, `has a non-finite value at dimension ${t}`);
      const base = j * d * d + t * d;
      for (let u = 0; u <= t; u++) {
        if (!Number.isFinite(c.chol[base + u]!)) throw Errors.badRow(api, 'components.chol', j, `has a non-finite entry at (${t}, ${u})`);
      }
      if (!c.pseudo?.[j] && !(c.chol[base + t]! > 0)) throw Errors.badRow(api, 'components.chol', j, `has diagonal entry ${c.chol[base + t]} at ${t}; a Cholesky factor needs a positive diagonal`);
    }
  }
}

function checkRowsArgs(api: string, x: Float64Array, d: number, c: GmmComponents, weights: Float64Array | null | undefined): number {
  expectFloat64Array(api, 'x', x);
  expectInteger(api, 'd', d, 1);
  if (x.length % d !== 0) throw Errors.outOfRange(api, 'x.length', `a multiple of d = ${d}`, x.length);
  checkComponents(api, c);
  if (c.d !== d) throw Errors.outOfRange(api, 'components.d', `the dimension of x (${d})`, c.d);
  const n = x.length / d;
  if (weights != null) {
    expectFloat64Array(api, 'weights', weights);
    expectLength(api, 'weights', weights, n);
    for (let i = 0; i < n; i++) {
      const w = weights[i]!;
      if (!(w >= 0) || w === Infinity) throw Errors.badRow(api, 'weights', i, `is ${w}; weights must be finite and >= 0`);
    }
  }
  return n;
}

/** The error for a row the kernel rejected: a non-finite feature, else no finite density. */
function badRow(api: string, x: Float64Array, d: number, row: number, rowBase: number): Error {
  for (let t = 0; t < d; t++) {
    const v = x[row * d + t]!;
    if (!Number.isFinite(v)) return Errors.badRow(api, 'x', rowBase + row, `has a non-finite value (${v}) at dimension ${t}; features must be finite numbers`);
  }
  return Errors.badRow(api, 'x', rowBase + row, 'has no finite density under the components (its features are too large for the covariances); rescale the features');
}

/** The empty summary for k components of d features, taken around `shift` (default zeros). */
export function gmmStepZero(k: number, d: number, shift?: Float64Array): GmmStepStats {
  expectInteger('gmmStepZero', 'k', k, 1);
  expectInteger('gmmStepZero', 'd', d, 1);
  if (shift !== undefined) {
    expectFloat64Array('gmmStepZero', 'shift', shift);
    expectLength('gmmStepZero', 'shift', shift, d);
  }
  return { k, d, count: 0, shift: shift ? shift.slice() : new Float64Array(d), respSum: new Float64Array(k), sumX: new Float64Array(k * d), sumXX: new Float64Array(k * packedSize(d)), logLik: 0, flooredWeight: 0 };
}

export interface GmmStepOptions {
  /** Per-row weights (weightCol); each must be finite and >= 0. */
  weights?: Float64Array | null;
  /** Global index of the first row, for error messages. */
  rowBase?: number;
}

function checkStats(api: string, stats: GmmStepStats, c: GmmComponents): void {
  if (!stats || stats.k !== c.k || stats.d !== c.d || !(stats.sumX instanceof Float64Array) || stats.sumX.length !== c.k * c.d ||
      !(stats.respSum instanceof Float64Array) || stats.respSum.length !== c.k || !(stats.sumXX instanceof Float64Array) || stats.sumXX.length !== c.k * packedSize(c.d)) {
    throw Errors.invalidArg(api, 'stats', `GmmStepStats for k = ${c.k}, d = ${c.d}`, stats);
  }
  // Empty statistics take the components' shift; others must have been taken around it.
  if (stats.count === 0 && stats.shift instanceof Float64Array && stats.shift.length === c.d) stats.shift.set(c.shift);
  if (!(stats.shift instanceof Float64Array) || stats.shift.some((v, t) => v !== c.shift[t])) {
    throw Errors.invalidArg(api, 'stats', 'GmmStepStats taken around the same shift as the components', stats.shift);
  }
}

/** Folds one partition's E-step into `stats` (in place) and returns it. */
export function gmmStepAdd(stats: GmmStepStats, x: Float64Array, d: number, components: GmmComponents, opts: GmmStepOptions = {}, impl: NativeKernels = native()): GmmStepStats {
  const api = 'gmmStep';
  const n = checkRowsArgs(api, x, d, components, opts.weights);
  checkStats(api, stats, components);
  const ll = Float64Array.of(stats.logLik, stats.flooredWeight);
  let bad: number;
  try {
    bad = impl.gmmEStepF64(x, opts.weights ?? null, d, components.k, components.shift, components.weights, components.means, components.chol, components.logDet, stats.respSum, stats.sumX, stats.sumXX, ll, null, components.pseudo ?? null);
  } catch (err) {
    throw Errors.fromNative(api, err);
  }
  if (bad >= 0) throw badRow(api, x, d, bad, opts.rowBase ?? 0);
  stats.logLik = ll[0]!;
  stats.flooredWeight = ll[1]!;
  stats.count += n;
  return stats;
}

/**
 * Raw entry point for a summary over training data validated when it was prepared (ml/data/
 * instances.ts) and components validated when they were built (ml/clustering/gmm-gaussian.ts):
 * one native call, no per-call checks. Adds into `stats` (taken around `components.shift`) and
 * returns -1, or the first row with no finite density under the components.
 */
export function gmmStepAddRaw(stats: GmmStepStats, x: Float64Array, weights: Float64Array | null, d: number, c: GmmComponents): number {
  const ll = Float64Array.of(stats.logLik, stats.flooredWeight);
  const bad = native().gmmEStepF64(x, weights, d, c.k, c.shift, c.weights, c.means, c.chol, c.logDet, stats.respSum, stats.sumX, stats.sumXX, ll, null, c.pseudo ?? null);
  stats.logLik = ll[0]!;
  stats.flooredWeight = ll[1]!;
  stats.count += x.length / d;
  return bad;
}

/** Raw entry point: the posteriors of the rows of `x` into `out` (n x k; prepared data, see gmmStepAddRaw). Returns -1 or the first unusable row. */
export function gmmPosteriorsRaw(x: Float64Array, d: number, c: GmmComponents, out: Float64Array): number {
  return native().gmmEStepF64(x, null, d, c.k, c.shift, c.weights, c.means, c.chol, c.logDet, null, null, null, null, out, c.pseudo ?? null);
}

/**
 * The posterior of every row (n x k row-major): p_c / probSum, Spark's
 * GaussianMixtureModel.predictProbability.
 */
export function gmmPosteriors(x: Float64Array, d: number, components: GmmComponents, opts: { rowBase?: number } = {}, impl: NativeKernels = native()): Float64Array {
  const api = 'gmmPosteriors';
  const n = checkRowsArgs(api, x, d, components, null);
  const out = outputF64(api, 'the posteriors (rows by components)', n, components.k);
  let bad: number;
  try {
    bad = impl.gmmEStepF64(x, null, d, components.k, components.shift, components.weights, components.means, components.chol, components.logDet, null, null, null, null, out, components.pseudo ?? null);
  } catch (err) {
    throw Errors.fromNative(api, err);
  }
  if (bad >= 0) throw badRow(api, x, d, bad, opts.rowBase ?? 0);
  return out;
}

/** Merges b into a (in place). Associative; `gmmStepZero` is the identity. */
export function gmmStepMerge(a: GmmStepStats, b: GmmStepStats): GmmStepStats {
  if (a.k !== b.k || a.d !== b.d) throw Errors.outOfRange('gmmStepMerge', 'b', `stats for k = ${a.k}, d = ${a.d}`, `k = ${b.k}, d = ${b.d}`);
  if (b.count === 0) return a;
  if (a.count === 0) a.shift.set(b.shift);
  else if (a.shift.some((v, t) => v !== b.shift[t])) throw Errors.invalidArg('gmmStepMerge', 'b', 'stats taken around the same shift', b.shift);
  for (let i = 0; i < a.respSum.length; i++) a.respSum[i] += b.respSum[i]!;
  for (let i = 0; i < a.sumX.length; i++) a.sumX[i] += b.sumX[i]!;
  for (let i = 0; i < a.sumXX.length; i++) a.sumXX[i] += b.sumXX[i]!;
  a.logLik += b.logLik;
  a.flooredWeight += b.flooredWeight;
  a.count += b.count;
  return a;
}

// ---- JS reference (the test oracle and pure-JS baseline): the scalar kernel's loops and order ----

function estepJs(api: string, x: Float64Array, w: Float64Array | null, d: number, c: GmmComponents, stats: GmmStepStats | null, resp: Float64Array | null, rowBase: number): void {
  const { k } = c;
  const n = x.length / d;
  const z = new Float64Array(d);
  const xs = new Float64Array(d);
  const l = new Float64Array(k);
  const p = new Float64Array(k);
  const invDiag = new Float64Array(k * d);
  const logC = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    for (let t = 0; t < d; t++) invDiag[j * d + t] = 1 / c.chol[j * d * d + t * d + t]!;
    logC[j] = Math.log(c.weights[j]!) - 0.5 * (d * LOG_2PI + c.logDet[j]!);
  }
  let ll = stats ? stats.logLik : 0;
  let floored = stats ? stats.flooredWeight : 0;
  for (let i = 0; i < n; i++) {
    const xo = i * d;
    const wi = w ? w[i]! : 1;
    for (let t = 0; t < d; t++) {
      xs[t] = x[xo + t]! - c.shift[t]!;
      if (!Number.isFinite(xs[t]!)) throw badRow(api, x, d, i, rowBase);
    }
    let m = LOG_EPSILON;
    for (let j = 0; j < k; j++) {
      const mo = j * d;
      const lo = j * d * d;
      let q = 0;
      if (c.pseudo?.[j]) {
        for (let t = 0; t < d; t++) z[t] = xs[t]! - (c.means[mo + t]! - c.shift[t]!);
        for (let r = 0; r < d; r++) {
          let s = 0;
          for (let t = 0; t < d; t++) s += c.chol[lo + r * d + t]! * z[t]!;
          q += s * s;
        }
      } else {
        for (let r = 0; r < d; r++) {
          let s = xs[r]! - (c.means[mo + r]! - c.shift[r]!);
          for (let t = 0; t < r; t++) s -= c.chol[lo + r * d + t]! * z[t]!;
          z[r] = s * invDiag[mo + r]!;
          q += z[r]! * z[r]!;
        }
      }
      l[j] = logC[j]! - 0.5 * q;
      if (l[j]! > m) m = l[j]!;
    }
    const eEps = Math.exp(LOG_EPSILON - m);
    let den = 0;
    for (let j = 0; j < k; j++) {
      p[j] = eEps + Math.exp(l[j]! - m);
      den += p[j]!;
    }
    if (!(den >= 1) || den === Infinity) throw badRow(api, x, d, i, rowBase);
    if (resp) for (let j = 0; j < k; j++) resp[i * k + j] = p[j]! / den;
    if (!stats) continue;
    ll += (m + Math.log(den)) * wi;
    if (!(m > LOG_EPSILON)) floored += wi;
    const tri = packedSize(d);
    for (let j = 0; j < k; j++) {
      const r = (p[j]! / den) * wi;
      stats.respSum[j] += r;
      const so = j * d;
      for (let a = 0; a < d; a++) stats.sumX[so + a] += r * xs[a]!;
      const to = j * tri;
      for (let b = 0; b < d; b++) {
        const temp = r * xs[b]!;
        const col = to + (b * (b + 1)) / 2;
        for (let a = 0; a <= b; a++) stats.sumXX[col + a] += xs[a]! * temp;
      }
    }
  }
  if (stats) {
    stats.logLik = ll;
    stats.flooredWeight = floored;
    stats.count += n;
  }
}

export function gmmStepAddJs(stats: GmmStepStats, x: Float64Array, d: number, components: GmmComponents, opts: GmmStepOptions = {}): GmmStepStats {
  const api = 'gmmStepJs';
  checkRowsArgs(api, x, d, components, opts.weights);
  checkStats(api, stats, components);
  estepJs(api, x, opts.weights ?? null, d, components, stats, null, opts.rowBase ?? 0);
  return stats;
}

export function gmmPosteriorsJs(x: Float64Array, d: number, components: GmmComponents): Float64Array {
  const api = 'gmmPosteriorsJs';
  const n = checkRowsArgs(api, x, d, components, null);
  const out = outputF64(api, 'the posteriors (rows by components)', n, components.k);
  estepJs(api, x, null, d, components, null, out, 0);
  return out;
}
