/**
 * GaussianMixture (Spark's ml.clustering.GaussianMixture, SPARK_DEFINITIONS.md §11) and
 * GaussianMixtureModel: full-covariance Gaussian mixtures fitted by expectation-maximisation.
 *
 * Training:
 *   - the features (a vector column or an array of numbers) and weights are read once and
 *     checked (kmeans-common.ts: nulls, non-finite values, vector sizes, Spark's weight rules,
 *     an empty DataFrame); for a `local[N]` session they sit in SharedArrayBuffers. As Spark, at
 *     most 46340 features (the covariances are quadratic in the number of features). kindling
 *     also refuses k larger than the number of distinct points of positive weight (Spark would
 *     fit components on repeated samples of the same points).
 *   - init, as Spark's initRandom: takeSample with replacement of k x 5 rows, seeded; component i
 *     takes samples [5i, 5i + 5): weight = their weight sum / the sampled weight sum, mean =
 *     their weighted mean, covariance = diagonal of their weighted biased (/ weight sum)
 *     variances. takeSample is Spark's algorithm — count, fraction = (s + numStd(s) sqrt(s)) /
 *     count with s = 5k (numStd 12 / 9 / 6 for s < 6 / < 16 / else), a Poisson(fraction) count
 *     per row, again with the next seed while fewer than s rows came out, a Fisher-Yates shuffle
 *     by java.util.Random(seed), the first s — but the per-row Poisson draws come from
 *     `uniformAt(seed', 0, row)`, a counter-based stream of the global row index, instead of
 *     Spark's per-partition XORShift/Poisson samplers: the same seed gives the same model however
 *     the DataFrame is partitioned (and therefore not Spark's sample). `initialModel` (a
 *     GaussianMixtureModel, or { weights, means, covariances }) replaces the init: a warm start
 *     beyond Spark's API.
 *   - EM, as Spark: while iter < maxIter and |logLik - prevLogLik| > tol, with logLik the total
 *     weighted log-likelihood of the E-step and the first comparison Double.MinValue vs 0 (so at
 *     least one iteration when maxIter > 0). Each iteration is one `session.treeAggregate`
 *     (depth = aggregationDepth) of the native built-in summary `kindling:gmm#gmmStepSummary`
 *     (ts/src/kernels/gmm.ts: Cholesky solves, Spark's EPSILON + w pdf responsibilities in log
 *     space, weighted sums and packed outer products), then the M-step on the driver, Spark's
 *     updateWeightsAndGaussians: mean = Σr x / W, cov = (Σr x xᵀ - W mean meanᵀ) / W (packed,
 *     BLAS.spr order), weight = W / ΣW. One progress event per iteration. One difference in
 *     rounding only: the kernel sums x - o, with o the data's weighted mean, and the M-step adds
 *     o back (mean = o + Σr(x - o)/W, the same covariance formula on x - o). Spark's raw sums
 *     Σr x xᵀ lose the digits of the covariance when |mean| >> spread (iris + 1e5 keeps ~5 of
 *     16); around o they keep them.
 *   - densities: Spark evaluates them through an eigendecomposition with a pseudo-inverse (a
 *     singular covariance gets a pseudo-determinant); kindling factors each covariance by
 *     Cholesky on the driver. For a positive-definite covariance both are the same density.
 *   - a singular covariance — a component on fewer than d + 1 points, a feature constant within
 *     a component or among its 5 initial samples — is regularised. Singular means a Cholesky
 *     pivot (the variance of a feature given the earlier ones) at most 1e-12 of the feature's
 *     second moment about o (variance + (mean - o)^2): below that it is rounding noise of the
 *     one-pass covariance (Spark's pseudo-inverse likewise drops eigenvalues below
 *     EPSILON x the largest x d; a noise-sized positive variance would make the density blow up
 *     along that feature). The regulariser: λ is added to the diagonal, λ = 1e-6 x s x 10^m (s =
 *     the mean per-feature weighted variance of the data; m = 0, 1, 2, ... the first that lets
 *     the Cholesky factorisation succeed, up to m = 8), and the regularised covariance is kept.
 *     Each case is listed in `summary.regularizations`, and one warning per fit is emitted with
 *     `process.emitWarning` (type 'KindlingWarning', code 'KINDLING_GMM_SINGULAR_COVARIANCE').
 *   - lack of convergence is reported, not returned: a log-likelihood that is not finite, a
 *     component whose total responsibility falls below 1e-6 of an average row's weight (it
 *     collapsed: EM emptied it), a covariance that stays singular, or — the usual failure on
 *     high-dimensional data — more than half of the weight on rows where every component's
 *     w_c pdf_c is at most Spark's EPSILON (2.2e-16) in the last E-step: there Spark's EPSILON
 *     floor, not the model, sets the responsibilities (uniform), so EM cannot separate the
 *     components (densities shrink like (2 pi sigma^2)^(-d/2)). All throw a KindlingError naming
 *     the iteration and the remedy; between 10% and 50% of the weight floored warns
 *     ('KINDLING_GMM_EPSILON_FLOOR').
 *
 * A model given by value (`new GaussianMixtureModel({ mixture })`) or loaded with a singular
 * covariance is regularised the same way (with s = 1) and warns.
 *
 * Model: `weights`, `gaussians` (MultivariateGaussian: mean DenseVector, cov DenseMatrix),
 * `gaussiansDF` (mean, cov), `predict`, `predictProbability` (Spark's computeProbabilities:
 * (EPSILON + w_c pdf_c) / Σ), `transform` (appends the probability vector column, then the int
 * prediction = its argmax, as Spark's transform), `summary` (GaussianMixtureSummary:
 * predictions, probability, cluster, clusterSizes, logLikelihood, numIter, k).
 *
 * Persistence is Spark's: GaussianMixture → org.apache.spark.ml.clustering.GaussianMixture
 * (metadata; `initialModel` is not a Spark param and is not saved); GaussianMixtureModel →
 * org.apache.spark.ml.clustering.GaussianMixtureModel with `data/` one row: `weights`
 * array<double>, `mus` array<vector>, `sigmas` array<matrix> — as Spark's writer, with the old
 * spark.mllib VectorUDT / MatrixUDT (Spark's reader casts the elements to mllib types), dense
 * covariances column-major.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { Errors, KindlingError } from '../../src/errors.js';
import { boolAt, isValidAt, makeBatch, type AnyData } from '../../src/dataframe/batch.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { castColumn, numericValues } from '../../src/dataframe/eval.js';
import { Types } from '../../src/dataframe/types.js';
import { partFileName } from '../../src/io/dataset.js';
import { sparkSchemaJson, writeParquetPart } from '../../src/io/parquet/index.js';
import {
  GMM_EPSILON, choleskyLower, gmmPosteriors, packedSize, unpackUpper,
  type GmmComponents, type GmmStepStats,
} from '../../src/kernels/gmm.js';
import { Session } from '../../src/session.js';
import { readNumberArrays } from '../evaluation/common.js';
import { denseVectorColumn, denseVectorValues, isDenseVectorType, vectorAt, vectorStructColumn } from '../linalg/columns.js';
import { DenseMatrix, SparseMatrix, type Matrix } from '../linalg/matrices.js';
import { DenseVector, isVector, type Vector } from '../linalg/vectors.js';
import { MLWritable } from '../ml-writable.js';
import type { Param, ParamMap } from '../param/params.js';
import { SPARK_VERSION, encodeParams, getAndSetParams, readData, register, writeMetadata } from '../persist.js';
import { Estimator, Model, type FitOptions } from '../stage.js';
import { GaussianMixtureParamsMixin, type GaussianMixtureParamsOptions } from './clustering-params.js';
import { gmmStats, type GmmPartition } from './gmm-tasks.js';
import { JavaRandom, checkFeaturesColumn, checkRows, pointOf, readTrainingData, taskSlices, uniformAt, type FeaturePart, type TrainingData } from './kmeans-common.js';

/** Spark's GaussianMixture.MAX_NUM_FEATURES = sqrt(Int.MaxValue). */
export const GMM_MAX_NUM_FEATURES = 46340;
/** Samples per component in Spark's initRandom. */
const NUM_SAMPLES = 5;
/** The regulariser's base: λ = 1e-6 x 10^m x (mean feature variance). */
const REG_BASE = 1e-6;
const REG_STEPS = 8;
/** Cholesky pivots at most this fraction of the feature's raw second moment count as zero. */
const PIVOT_FLOOR = 1e-12;

export type { GaussianMixtureParamsOptions };

/** A mixture given by value: k weights, k means (size d), k covariances (d x d, symmetric positive definite). */
export interface GaussianMixtureInit {
  weights: readonly number[] | Float64Array;
  means: ReadonlyArray<Vector | readonly number[]>;
  covariances: ReadonlyArray<Matrix | ReadonlyArray<readonly number[]>>;
}

export interface GaussianMixtureOptions extends GaussianMixtureParamsOptions {
  /** Warm start (beyond Spark's ml API): EM starts from this mixture; its size must equal k. */
  initialModel?: GaussianMixtureModel | GaussianMixtureInit;
}

export interface GaussianMixtureModelOptions extends GaussianMixtureParamsOptions {
  /** The mixture (weights, means, covariances). */
  mixture?: GaussianMixtureInit;
}

/** One regularised covariance (see the module comment). */
export interface GmmRegularization {
  /** 0 for the initial mixture, else the EM iteration whose M-step produced the covariance. */
  iteration: number;
  component: number;
  /** The value added to the diagonal. */
  lambda: number;
}


// ----- the mixture as plain arrays ----------------------------------------------------------------

/** k weights, k x d means, k packed upper-triangular covariances (Spark's internal form). */
export interface MixtureState {
  k: number;
  d: number;
  weights: Float64Array;
  means: Float64Array;
  /** k x d(d+1)/2, packed upper triangles (column-major: (i, j), i <= j, at j(j+1)/2 + i). */
  covs: Float64Array;
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

/**
 * The E-step's view of a mixture: Cholesky factors of the covariances, singular ones regularised
 * in place (λ = 1e-6 x scale x 10^m, the first m that works; see the module comment). Throws
 * when a covariance stays singular or a mean or weight is not finite.
 */
export function mixtureComponents(api: string, s: MixtureState, scale: number, iteration: number, regs: GmmRegularization[], shift?: Float64Array): GmmComponents {
  const { k, d } = s;
  const tri = packedSize(d);
  const chol = new Float64Array(k * d * d);
  const logDet = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const w = s.weights[j]!;
    let finite = Number.isFinite(w) && w >= 0;
    for (let t = 0; t < d && finite; t++) finite = Number.isFinite(s.means[j * d + t]!);
    const cov = s.covs.subarray(j * tri, (j + 1) * tri);
    for (let e = 0; e < tri && finite; e++) finite = Number.isFinite(cov[e]!);
    if (!finite) {
      throw new KindlingError(
        'ERR_KINDLING_INVALID_ARG',
        `${api}: EM did not converge: component ${j} has a non-finite weight, mean or covariance after iteration ${iteration} (the mixture diverged); rescale the features or lower k`,
      );
    }
    const full = unpackUpper(cov, d);
    // A pivot below 1e-12 of the feature's second moment about the shift is rounding noise of the
    // one-pass covariance (E[x' x'^T] - m m^T), not a variance: numerically singular.
    const minPivot = new Float64Array(d);
    for (let t = 0; t < d; t++) minPivot[t] = PIVOT_FLOOR * (Math.abs(full[t * d + t]!) + (s.means[j * d + t]! - (shift ? shift[t]! : 0)) ** 2);
    let f = choleskyLower(full, d, minPivot);
    if (f === null) {
      const base = REG_BASE * (scale > 0 && Number.isFinite(scale) ? scale : 1);
      for (let m = 0; m <= REG_STEPS && f === null; m++) {
        const lambda = base * 10 ** m;
        const reg = full.slice();
        for (let t = 0; t < d; t++) reg[t * d + t] += lambda;
        f = choleskyLower(reg, d, minPivot);
        if (f !== null) {
          for (let t = 0; t < d; t++) cov[(t * (t + 1)) / 2 + t] += lambda;
          regs.push({ iteration, component: j, lambda });
        }
      }
      if (f === null) {
        throw new KindlingError(
          'ERR_KINDLING_INVALID_ARG',
          `${api}: EM did not converge: the covariance of component ${j} is singular after iteration ${iteration} and stays so with ${REG_BASE * 10 ** REG_STEPS} x the mean feature variance added to its diagonal; the component collapsed (rescale the features, remove constant or duplicated features, or lower k)`,
        );
      }
    }
    chol.set(f.chol, j * d * d);
    logDet[j] = f.logDet;
  }
  return { k, d, weights: s.weights.slice(), means: s.means.slice(), shift: shift ? shift.slice() : mixtureMean(s), chol, logDet };
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
function preparedComponents(api: string, uid: string, s: MixtureState): GmmComponents {
  const regs: GmmRegularization[] = [];
  const comps = mixtureComponents(api, s, 1, 0, regs);
  if (regs.length > 0) {
    process.emitWarning(
      `${api} (${uid}): the covariance(s) of component(s) ${regs.map((r) => r.component).join(', ')} are singular and were regularised by adding ${regs.map((r) => r.lambda).join(', ')} to the diagonal (1e-6 x 10^m)`,
      { type: 'KindlingWarning', code: 'KINDLING_GMM_SINGULAR_COVARIANCE' },
    );
  }
  return comps;
}

// ----- Spark's takeSample with replacement and initRandom -----------------------------------------

/** Spark's PoissonBounds.numStd. */
function numStd(s: number): number {
  return s < 6 ? 12 : s < 16 ? 9 : 6;
}

/** Spark's SamplingUtils.computeFractionForSampleSize, with replacement. */
export function sampleFraction(num: number, total: number): number {
  return Math.max(num + numStd(num) * Math.sqrt(num), 1e-10) / total;
}

/** A Poisson(lambda) count from one uniform, by inversion. */
function poissonCount(lambda: number, u: number): number {
  let k = 0;
  let p = Math.exp(-lambda);
  let s = p;
  while (u > s && k < 1000) {
    k++;
    p *= lambda / k;
    s += p;
  }
  return k;
}

/**
 * Spark's RDD.takeSample(withReplacement = true, num, seed) over the global row indices 0..n-1
 * (see the module comment for the per-row draws). Returns the sampled row indices.
 */
export function takeSampleWithReplacement(n: number, num: number, seed: number | bigint): number[] {
  if (num === 0 || n === 0) return [];
  const rand = new JavaRandom(seed);
  const fraction = sampleFraction(num, n);
  const draw = (): number[] => {
    const s = rand.next(32);
    const out: number[] = [];
    for (let r = 0; r < n; r++) {
      const c = poissonCount(fraction, uniformAt(s, 0, r));
      for (let j = 0; j < c; j++) out.push(r);
    }
    return out;
  };
  let samples = draw();
  while (samples.length < num) samples = draw();
  for (let i = samples.length - 1; i >= 1; i--) {
    const j = rand.nextInt(i + 1);
    const t = samples[j]!;
    samples[j] = samples[i]!;
    samples[i] = t;
  }
  return samples.slice(0, num);
}

function rowOf(data: TrainingData, r: number): { x: Float64Array; w: number } {
  for (const p of data.parts) {
    if (r < p.rowBase + p.n) {
      const i = r - p.rowBase;
      return { x: p.x.subarray(i * data.d, (i + 1) * data.d), w: p.w ? p.w[i]! : 1 };
    }
  }
  throw Errors.outOfRange('GaussianMixture', 'row', `an index < ${data.n}`, r);
}

/** Spark's GaussianMixture.initRandom: k x 5 samples with replacement, diagonal covariances. */
export function initRandom(api: string, data: TrainingData, k: number, seed: number): MixtureState {
  const d = data.d;
  const tri = packedSize(d);
  const rows = takeSampleWithReplacement(data.n, k * NUM_SAMPLES, seed).map((r) => rowOf(data, r));
  let weightSum = 0;
  for (const s of rows) weightSum += s.w;
  const weights = new Float64Array(k);
  const means = new Float64Array(k * d);
  const covs = new Float64Array(k * tri);
  for (let i = 0; i < k; i++) {
    const slice = rows.slice(i * NUM_SAMPLES, (i + 1) * NUM_SAMPLES);
    let local = 0;
    for (const s of slice) local += s.w;
    if (!(local > 0)) {
      throw new KindlingError(
        'ERR_KINDLING_INVALID_ARG',
        `${api}: the ${NUM_SAMPLES} initial samples of component ${i} all have weight 0, so its initial mean is undefined (Spark's init divides by their weight sum); drop zero-weight rows, change the seed, or pass an initialModel`,
      );
    }
    weights[i] = local / weightSum;
    const mean = means.subarray(i * d, (i + 1) * d);
    for (const s of slice) for (let t = 0; t < d; t++) mean[t] += s.w * s.x[t]!;
    const invLocal = 1 / local;
    for (let t = 0; t < d; t++) mean[t] = mean[t]! * invLocal;
    const ss = new Float64Array(d);
    for (const s of slice) {
      for (let t = 0; t < d; t++) {
        const v = s.x[t]! - mean[t]!;
        ss[t] += v * v * s.w;
      }
    }
    for (let t = 0; t < d; t++) covs[i * tri + (t * (t + 1)) / 2 + t] = ss[t]! * invLocal;
  }
  return { k, d, weights, means, covs };
}

/** The weighted mean of the data (the E-step's shift), its mean per-feature weighted variance (the regulariser's scale) and the number of distinct positive-weight rows, counted up to `cap`. */
function dataScale(data: TrainingData, cap: number): { scale: number; distinct: number; weight: number; mean: Float64Array } {
  const d = data.d;
  const mean = new Float64Array(d);
  let W = 0;
  for (const p of data.parts) {
    for (let i = 0; i < p.n; i++) {
      const w = p.w ? p.w[i]! : 1;
      if (w === 0) continue;
      W += w;
      for (let t = 0; t < d; t++) mean[t] += w * p.x[i * d + t]!;
    }
  }
  for (let t = 0; t < d; t++) mean[t] = mean[t]! / W;
  let ss = 0;
  const seen = new Set<string>();
  for (const p of data.parts) {
    for (let i = 0; i < p.n; i++) {
      const w = p.w ? p.w[i]! : 1;
      if (w === 0) continue;
      for (let t = 0; t < d; t++) {
        const v = p.x[i * d + t]! - mean[t]!;
        ss += w * v * v;
      }
      if (seen.size < cap) seen.add(Array.from(p.x.subarray(i * d, (i + 1) * d), (v) => (Object.is(v, -0) ? '0' : String(v))).join(','));
    }
  }
  return { scale: ss / W / d, distinct: seen.size, weight: W, mean };
}

// ----- the estimator ------------------------------------------------------------------------------

function validateInitialModel(v: unknown): string | null {
  const what = 'a GaussianMixtureModel or { weights, means, covariances } of one length';
  if (v instanceof GaussianMixtureModel) return null;
  if (v === null || typeof v !== 'object') return what;
  const o = v as Partial<GaussianMixtureInit>;
  if (!(Array.isArray(o.weights) || o.weights instanceof Float64Array) || !Array.isArray(o.means) || !Array.isArray(o.covariances)) return what;
  if (o.weights.length === 0 || o.means.length !== o.weights.length || o.covariances.length !== o.weights.length) return what;
  return null;
}

/** A mixture given by value, checked (sizes, finiteness, symmetry, weights >= 0), as plain arrays. */
function mixtureOf(api: string, name: string, m: GaussianMixtureInit): MixtureState {
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

export class GaussianMixture extends MLWritable(GaussianMixtureParamsMixin(Estimator<GaussianMixtureModel>)) {
  /** kindling: the mixture to start EM from (a GaussianMixtureModel or { weights, means, covariances } with k components) instead of the random init. Not a Spark param: not saved. */
  readonly initialModel: Param<GaussianMixtureModel | GaussianMixtureInit> = this.param<GaussianMixtureModel | GaussianMixtureInit>(
    'initialModel',
    'kindling: the mixture to start EM from (a GaussianMixtureModel or { weights, means, covariances } with k components) instead of the random init. Not a Spark param: not saved.',
    { validate: validateInitialModel },
  );

  constructor(options?: GaussianMixtureOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  getInitialModel(): GaussianMixtureModel | GaussianMixtureInit | undefined {
    return this.get(this.initialModel);
  }

  setInitialModel(value: GaussianMixtureModel | GaussianMixtureInit): this {
    return this.set(this.initialModel, value);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    const api = this.stageName;
    const w = this.getWeightCol();
    if (w !== undefined && w.length > 0) {
      const idx = schema.fields.findIndex((f) => f.name.toLowerCase() === w.toLowerCase());
      if (idx < 0) throw Errors.unknownColumn(api, w, schema.fields.map((f) => f.name));
    }
    return outputSchema(api, schema, this.getFeaturesCol(), this.getPredictionCol(), this.getProbabilityCol(), this.getK());
  }

  protected async fitImpl(df: DataFrame, options: FitOptions): Promise<GaussianMixtureModel> {
    const api = this.stageName;
    const k = this.getK();
    const maxIter = this.getMaxIter();
    const tol = this.getTol();
    const depth = this.getAggregationDepth();
    const backend = df.session.execContext().backend;
    const data = await readTrainingData(api, df, this.getFeaturesCol(), this.getWeightCol(), { cosine: false, shared: true });
    const d = data.d;
    if (d >= GMM_MAX_NUM_FEATURES) {
      throw Errors.outOfRange(api, 'the number of features', `fewer than ${GMM_MAX_NUM_FEATURES} (GaussianMixture cannot handle more than ${GMM_MAX_NUM_FEATURES} features because the size of the covariance matrix is quadratic in the number of features)`, d);
    }
    const { scale, distinct, weight, mean } = dataScale(data, k);
    if (!(weight > 0)) throw Errors.schema(`${api}: every row has weight 0; a mixture needs points of positive weight`);
    if (distinct < k) {
      throw new KindlingError(
        'ERR_KINDLING_INVALID_ARG',
        `${api}: k = ${k} exceeds the number of distinct points of positive weight (${distinct}); a mixture of k Gaussians needs at least k distinct points: lower k`,
      );
    }

    let state: MixtureState;
    const init = this.getInitialModel();
    if (init !== undefined) {
      state = init instanceof GaussianMixtureModel ? init.mixtureState() : mixtureOf(api, 'initialModel', init);
      if (state.k !== k) throw Errors.invalidArg(api, 'initialModel', `a mixture of k = ${k} components (set k to ${state.k} or pass ${k} components)`, `${state.k} components`);
      if (state.d !== d) throw Errors.invalidArg(api, 'initialModel', `components with ${d} features (the size of column ${this.getFeaturesCol()})`, `${state.d} features`);
      state = { ...state, weights: state.weights.slice(), means: state.means.slice(), covs: state.covs.slice() };
    } else {
      state = initRandom(api, data, k, this.getSeed());
    }

    const slices: FeaturePart[] = taskSlices(data, backend.parallelism);
    const parts: GmmPartition[] = slices.map((p) => ({ x: p.x, weights: p.w, rowBase: p.rowBase }));
    const aggregate = (b: GmmComponents): Promise<GmmStepStats> => df.session.treeAggregate(gmmStats, parts, b, { depth });

    const regs: GmmRegularization[] = [];
    const meanRowWeight = weight / data.n;
    let logLikelihood = -Number.MAX_VALUE; // Scala's Double.MinValue
    let prev = 0;
    let iter = 0;
    let last: GmmStepStats | null = null;
    let comps = mixtureComponents(api, state, scale, 0, regs, mean);
    while (iter < maxIter && Math.abs(logLikelihood - prev) > tol) {
      const stats = await aggregate(comps);
      iter++;
      if (!Number.isFinite(stats.logLik)) {
        throw new KindlingError(
          'ERR_KINDLING_INVALID_ARG',
          `${api}: EM did not converge: the log-likelihood became ${stats.logLik} in iteration ${iter} (d = ${d} features, k = ${k}); rescale the features or lower k`,
        );
      }
      for (let j = 0; j < k; j++) {
        if (!(stats.respSum[j]! >= 1e-6 * meanRowWeight)) {
          throw new KindlingError(
            'ERR_KINDLING_INVALID_ARG',
            `${api}: EM did not converge: component ${j} collapsed in iteration ${iter}: its total responsibility is ${stats.respSum[j]} (an average row weighs ${meanRowWeight}), so its mean and covariance are undefined; lower k or change the seed`,
          );
        }
      }
      state = gmmMStep(stats);
      prev = logLikelihood;
      logLikelihood = stats.logLik;
      last = stats;
      comps = mixtureComponents(api, state, scale, iter, regs, mean);
      options.onProgress?.({ stage: this.uid, kind: 'iteration', current: iter, total: maxIter, message: `logLikelihood ${logLikelihood}` });
    }
    if (last !== null) {
      let total = 0;
      for (let j = 0; j < k; j++) total += last.respSum[j]!;
      const frac = last.flooredWeight / total;
      const what =
        `on ${(100 * frac).toFixed(1)}% of the weight, every component's weight x density was at most Spark's EPSILON (${GMM_EPSILON}) in the last E-step (iteration ${iter}), ` +
        `so those rows got uniform responsibilities whatever the model`;
      if (frac > 0.5) {
        throw new KindlingError(
          'ERR_KINDLING_INVALID_ARG',
          `${api}: EM did not converge: ${what}, and EM cannot separate the ${k} components. Densities shrink like (2 pi variance)^(-d/2) with d = ${d} features: ` +
            'standardise or rescale the features, reduce the dimension (e.g. PCA), or use fewer features',
        );
      }
      if (frac > 0.1) {
        process.emitWarning(`${api} (${this.uid}): ${what}; with d = ${d} features the fit may be poor (rescale the features or reduce the dimension)`, { type: 'KindlingWarning', code: 'KINDLING_GMM_EPSILON_FLOOR' });
      }
    }
    if (regs.length > 0) {
      const comps0 = [...new Set(regs.map((r) => r.component))].sort((a, b) => a - b);
      const maxLambda = Math.max(...regs.map((r) => r.lambda));
      process.emitWarning(
        `${api} (${this.uid}): ${regs.length} singular covariance(s) (components ${comps0.join(', ')}; first at iteration ${regs[0]!.iteration}) were regularised by adding up to ${maxLambda} to the diagonal ` +
          `(1e-6 x 10^m x the mean feature variance ${scale}); a component on fewer than d + 1 = ${d + 1} distinct points, or a feature constant within a component, makes its covariance singular. See summary.regularizations`,
        { type: 'KindlingWarning', code: 'KINDLING_GMM_SINGULAR_COVARIANCE' },
      );
    }

    const model = this.copyValues(new GaussianMixtureModel(undefined, this.uid));
    model.setMixture(state, comps);
    model.setParent(this);
    const predictions = model.transform(df);
    const sizes = new Array<number>(k).fill(0);
    for (const p of slices) {
      const post = gmmPosteriors(p.x, d, comps, { rowBase: p.rowBase });
      for (let i = 0; i < p.n; i++) sizes[argmax(post, i * k, k)]! += 1;
    }
    model.setSummary(new GaussianMixtureSummary(predictions, model.getPredictionCol(), model.getProbabilityCol(), model.getFeaturesCol(), k, logLikelihood, iter, sizes, regs));
    return model;
  }
}

/** The first index of the largest value of v[o .. o + k) (Spark's DenseVector.argmax). */
function argmax(v: Float64Array, o: number, k: number): number {
  let best = 0;
  let bv = v[o]!;
  for (let j = 1; j < k; j++) {
    if (v[o + j]! > bv) {
      bv = v[o + j]!;
      best = j;
    }
  }
  return best;
}

/** Spark's schema checks: a vector-compatible features column; prediction and probability columns must not exist. */
function outputSchema(api: string, schema: arrow.Schema, featuresCol: string, predictionCol: string, probabilityCol: string, k: number): arrow.Schema {
  checkFeaturesColumn(api, schema, featuresCol);
  for (const [param, name] of [['predictionCol', predictionCol], ['probabilityCol', probabilityCol]] as const) {
    if (schema.fields.some((f) => f.name.toLowerCase() === name.toLowerCase())) {
      throw Errors.schema(`${api}: Column ${name} already exists (${param}); choose another ${param} or drop the column first`);
    }
  }
  if (predictionCol.toLowerCase() === probabilityCol.toLowerCase()) throw Errors.schema(`${api}: predictionCol and probabilityCol are both ${predictionCol}`);
  return new arrow.Schema([...schema.fields, new arrow.Field(probabilityCol, Types.vector(k), false), new arrow.Field(predictionCol, new arrow.Int32(), false)]);
}

// ----- summary ------------------------------------------------------------------------------------

/** Spark's GaussianMixtureSummary (ClusteringSummary). */
export class GaussianMixtureSummary {
  constructor(
    /** The training DataFrame with the probability and prediction columns (the model's transform). */
    readonly predictions: DataFrame,
    readonly predictionCol: string,
    readonly probabilityCol: string,
    readonly featuresCol: string,
    /** The number of components. */
    readonly k: number,
    /** The total (weighted) log-likelihood of the last E-step, i.e. of the mixture before the last M-step (Spark's). */
    readonly logLikelihood: number,
    /** EM iterations run. */
    readonly numIter: number,
    /** Rows whose most probable component is each component (length k). */
    readonly clusterSizes: number[],
    /** kindling: every covariance the regulariser touched (empty when none was singular). */
    readonly regularizations: GmmRegularization[] = [],
  ) {}

  /** The prediction column alone. */
  get cluster(): DataFrame {
    return this.predictions.select(this.predictionCol);
  }

  /** The probability column alone. */
  get probability(): DataFrame {
    return this.predictions.select(this.probabilityCol);
  }
}

// ----- MultivariateGaussian -----------------------------------------------------------------------

/**
 * Spark's ml.stat.distribution.MultivariateGaussian (mean, cov) with pdf / logpdf. kindling
 * factors cov by Cholesky (a positive-definite covariance is required; Spark falls back to a
 * pseudo-inverse for singular ones).
 */
export class MultivariateGaussian {
  readonly mean: DenseVector;
  readonly cov: DenseMatrix;
  private readonly chol: Float64Array;
  private readonly logNorm: number;

  constructor(mean: Vector | readonly number[], cov: Matrix | ReadonlyArray<readonly number[]>) {
    const api = 'MultivariateGaussian';
    const m = mixtureOf(api, 'gaussian', { weights: [1], means: [mean], covariances: [cov] });
    const d = m.d;
    const full = unpackUpper(m.covs, d);
    const f = choleskyLower(full, d);
    if (f === null) throw Errors.invalidArg(api, 'cov', 'a symmetric positive-definite matrix (its Cholesky factorisation failed)', cov);
    this.mean = new DenseVector(m.means);
    this.cov = new DenseMatrix(d, d, full);
    this.chol = f.chol;
    this.logNorm = -0.5 * (d * Math.log(2 * Math.PI) + f.logDet);
  }

  logpdf(x: Vector | readonly number[]): number {
    const d = this.mean.size;
    const v = pointOf('MultivariateGaussian.logpdf', x, d);
    const mu = this.mean.toArray();
    const z = new Float64Array(d);
    let q = 0;
    for (let j = 0; j < d; j++) {
      let s = v[j]! - mu[j]!;
      for (let t = 0; t < j; t++) s -= this.chol[j * d + t]! * z[t]!;
      z[j] = s / this.chol[j * d + j]!;
      q += z[j]! * z[j]!;
    }
    return this.logNorm - 0.5 * q;
  }

  pdf(x: Vector | readonly number[]): number {
    return Math.exp(this.logpdf(x));
  }
}

// ----- the model ----------------------------------------------------------------------------------

export class GaussianMixtureModel extends MLWritable(GaussianMixtureParamsMixin(Model)) {
  private state: MixtureState | null = null;
  private comps: GmmComponents | null = null;
  private trainingSummary: GaussianMixtureSummary | null = null;

  constructor(options?: GaussianMixtureModelOptions, uid?: string) {
    super(uid);
    const { mixture, ...params } = options ?? {};
    this.setParams(params as Record<string, unknown>);
    if (mixture !== undefined) {
      const api = this.stageName;
      if (validateInitialModel(mixture) !== null) throw Errors.invalidArg(api, 'mixture', '{ weights, means, covariances } of one length', mixture);
      const s = mixtureOf(api, 'mixture', mixture);
      this.setMixture(s, preparedComponents(api, this.uid, s));
    }
  }

  /** @internal Sets the mixture and its prepared components. */
  setMixture(state: MixtureState, comps: GmmComponents): this {
    this.state = state;
    this.comps = comps;
    return this;
  }

  /** @internal A copy of the mixture as plain arrays. */
  mixtureState(): MixtureState {
    const s = this.fitted('GaussianMixtureModel');
    return { k: s.k, d: s.d, weights: s.weights.slice(), means: s.means.slice(), covs: s.covs.slice() };
  }

  /** @internal */
  setSummary(summary: GaussianMixtureSummary | null): this {
    this.trainingSummary = summary;
    return this;
  }

  private fitted(api: string): MixtureState {
    if (this.state === null) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${api}: ${this.uid} has no mixture (construct it with a mixture, fit a GaussianMixture, or load one)`);
    return this.state;
  }

  private components(api: string): GmmComponents {
    this.fitted(api);
    return this.comps!;
  }

  /** The mixture weights (sum to 1). */
  get weights(): number[] {
    return Array.from(this.fitted(`${this.stageName}.weights`).weights);
  }

  /** The components: mean DenseVector and covariance DenseMatrix each. */
  get gaussians(): MultivariateGaussian[] {
    const s = this.fitted(`${this.stageName}.gaussians`);
    const tri = packedSize(s.d);
    const out: MultivariateGaussian[] = [];
    for (let j = 0; j < s.k; j++) {
      const full = unpackUpper(s.covs.subarray(j * tri, (j + 1) * tri), s.d);
      out.push(new MultivariateGaussian(new DenseVector(s.means.slice(j * s.d, (j + 1) * s.d)), new DenseMatrix(s.d, s.d, full)));
    }
    return out;
  }

  /** The components as a DataFrame of the active session: `mean` (vector) and `cov` (Spark's MatrixUDT struct, dense column-major), one row each. */
  get gaussiansDF(): DataFrame {
    const api = `${this.stageName}.gaussiansDF`;
    const s = this.fitted(api);
    const session = Session.active;
    if (session === null) throw new KindlingError('ERR_KINDLING_INVALID_ARG', `${api}: needs an active Session (Session.builder().getOrCreate())`);
    const tri = packedSize(s.d);
    const covs = Array.from({ length: s.k }, (_, j) => new DenseMatrix(s.d, s.d, unpackUpper(s.covs.subarray(j * tri, (j + 1) * tri), s.d)));
    const mean = denseVectorColumn(s.means.slice(), s.d);
    const cov = matrixStructColumn(covs);
    const schema = new arrow.Schema([new arrow.Field('mean', mean.type, true), new arrow.Field('cov', cov.type, true)]);
    return session.createDataFrame(new arrow.Table(schema, [makeBatch(schema, [mean, cov], s.k)]));
  }

  /** Number of features. */
  get numFeatures(): number {
    return this.state?.d ?? 0;
  }

  /** True when the model came from fit() in this process (Spark's hasSummary). */
  get hasSummary(): boolean {
    return this.trainingSummary !== null;
  }

  get summary(): GaussianMixtureSummary {
    if (!this.trainingSummary) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${this.stageName}: No training summary available for this GaussianMixtureModel (${this.uid}); only a model returned by fit() has one`);
    return this.trainingSummary;
  }

  /** Spark's predictProbability: (EPSILON + w_c pdf_c(x)) / Σ over the components. */
  predictProbability(features: Vector | readonly number[]): DenseVector {
    const api = `${this.stageName}.predictProbability`;
    const c = this.components(api);
    const x = pointOf(api, features, c.d);
    if (!x.every(Number.isFinite)) throw Errors.invalidArg(api, 'features', 'finite numbers', features);
    return new DenseVector(gmmPosteriors(x, c.d, c));
  }

  /** The most probable component (the first on ties). */
  predict(features: Vector | readonly number[]): number {
    const p = this.predictProbability(features).toArray();
    return argmax(p, 0, p.length);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return outputSchema(this.stageName, schema, this.getFeaturesCol(), this.getPredictionCol(), this.getProbabilityCol(), this.state?.k ?? this.getK());
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const api = this.stageName;
    const comps = this.components(`${api}.transform`);
    const { k, d } = comps;
    const featuresCol = this.getFeaturesCol();
    const outSchema = outputSchema(api, df.schema, featuresCol, this.getPredictionCol(), this.getProbabilityCol(), k);
    const feat = checkFeaturesColumn(api, df.schema, featuresCol);
    let rowBase = 0;
    return df.mapInArrow((b, partition) => {
      if (partition === 0) rowBase = 0;
      const n = b.numRows;
      const x = batchFeatures(api, b.data.children[feat.index]! as AnyData, featuresCol, feat.isArray, rowBase, d);
      checkRows(api, featuresCol, x, d, rowBase, false);
      const post = n > 0 ? gmmPosteriors(x, d, comps, { rowBase }) : new Float64Array(0);
      const labels = new Int32Array(n);
      for (let i = 0; i < n; i++) labels[i] = argmax(post, i * k, k);
      rowBase += n;
      const prob = denseVectorColumn(post, k);
      const pred = arrow.makeData({ type: new arrow.Int32(), length: n, data: labels, nullCount: 0 }) as AnyData;
      return makeBatch(outSchema, [...(b.data.children as AnyData[]), prob, pred], n);
    }, outSchema);
  }

  override copy(extra?: ParamMap): this {
    const Ctor = this.constructor as new (o?: GaussianMixtureModelOptions, uid?: string) => this;
    const that = this.copyValues(new Ctor(undefined, this.uid), extra);
    if (this.state !== null) that.setMixture(this.state, this.comps!);
    that.setSummary(this.trainingSummary);
    return that.setParent(this.parent);
  }

  override toString(): string {
    return `GaussianMixtureModel: uid=${this.uid}, k=${this.state?.k ?? 0}, numFeatures=${this.numFeatures}`;
  }
}

/** Row-major features of one batch (a vector column, or an array of numbers), null rows and size mismatches failing with the row. */
function batchFeatures(api: string, col: AnyData, name: string, isArray: boolean, rowBase: number, d: number): Float64Array {
  const n = col.length;
  if (col.nullCount > 0) for (let i = 0; i < n; i++) if (!isValidAt(col, i)) throw Errors.badRow(api, `column ${name}`, rowBase + i, 'is null; every row needs a feature vector');
  if (n === 0) return new Float64Array(0);
  if (isArray) {
    const rows = readNumberArrays(api, col, name, rowBase);
    const x = new Float64Array(n * d);
    rows.forEach((r, i) => {
      if (r.length !== d) throw Errors.badRow(api, `column ${name}`, rowBase + i, `has ${r.length} features, but the model was fitted on ${d}`);
      x.set(r, i * d);
    });
    return x;
  }
  if (isDenseVectorType(col.type) && col.type.listSize !== d) throw Errors.badRow(api, `column ${name}`, rowBase, `has ${col.type.listSize} features, but the model was fitted on ${d}`);
  try {
    return denseVectorValues(col, d).values;
  } catch (e) {
    throw Errors.schema(`${api}: column ${name}: ${(e as Error).message} (the model was fitted on ${d} features)`, e);
  }
}

// ----- persistence ----------------------------------------------------------------------------------

/** Spark's MatrixUDT struct type. */
function matrixStructType(): arrow.Struct {
  const ints = () => new arrow.List(new arrow.Field('element', new arrow.Int32(), false));
  return new arrow.Struct([
    new arrow.Field('type', new arrow.Int8(), false),
    new arrow.Field('numRows', new arrow.Int32(), false),
    new arrow.Field('numCols', new arrow.Int32(), false),
    new arrow.Field('colPtrs', ints(), true),
    new arrow.Field('rowIndices', ints(), true),
    new arrow.Field('values', new arrow.List(new arrow.Field('element', new arrow.Float64(), false)), true),
    new arrow.Field('isTransposed', new arrow.Bool(), false),
  ]);
}

/** Dense matrices as Spark's MatrixUDT struct rows (type 1, column-major values, colPtrs / rowIndices null). */
function matrixStructColumn(ms: DenseMatrix[]): AnyData {
  const n = ms.length;
  const st = matrixStructType();
  const [fType, fRows, fCols, fPtrs, fIdx, fVals, fT] = st.children as arrow.Field[];
  const nullBits = new Uint8Array(Math.ceil(n / 8)); // all null (dense rows have no colPtrs / rowIndices)
  const emptyOffsets = new Int32Array(n + 1);
  const intList = (f: arrow.Field) =>
    arrow.makeData({ type: f.type as arrow.List, length: n, valueOffsets: emptyOffsets, child: arrow.makeData({ type: new arrow.Int32(), length: 0, data: new Int32Array(0), nullCount: 0 }), nullBitmap: nullBits, nullCount: n } as never);
  const offsets = new Int32Array(n + 1);
  ms.forEach((m, i) => (offsets[i + 1] = offsets[i]! + m.numRows * m.numCols));
  const values = new Float64Array(offsets[n]!);
  ms.forEach((m, i) => values.set(m.toArray(), offsets[i]!));
  const children = [
    arrow.makeData({ type: fType!.type as arrow.Int8, length: n, data: new Int8Array(n).fill(1), nullCount: 0 }),
    arrow.makeData({ type: fRows!.type as arrow.Int32, length: n, data: Int32Array.from(ms, (m) => m.numRows), nullCount: 0 }),
    arrow.makeData({ type: fCols!.type as arrow.Int32, length: n, data: Int32Array.from(ms, (m) => m.numCols), nullCount: 0 }),
    intList(fPtrs!),
    intList(fIdx!),
    arrow.makeData({ type: fVals!.type as arrow.List, length: n, valueOffsets: offsets, child: arrow.makeData({ type: new arrow.Float64(), length: values.length, data: values, nullCount: 0 }), nullCount: 0 } as never),
    arrow.makeData({ type: fT!.type as arrow.Bool, length: n, data: new Uint8Array(Math.ceil(n / 8)), nullCount: 0 }),
  ];
  return arrow.makeData({ type: st, length: n, children, nullCount: 0 } as never) as AnyData;
}

/** A one-row list column holding `child` (n elements). */
function listOf(child: AnyData, elementNullable: boolean): AnyData {
  const type = new arrow.List(new arrow.Field('element', child.type, elementNullable));
  return arrow.makeData({ type, length: 1, valueOffsets: Int32Array.of(0, child.length), child, nullCount: 0 } as never) as AnyData;
}

/** Spark's GaussianMixtureModel data: one row (weights array<double>, mus array<vector>, sigmas array<matrix>). */
export function gaussianMixtureTable(s: MixtureState): arrow.Table {
  const tri = packedSize(s.d);
  const weights = listOf(arrow.makeData({ type: new arrow.Float64(), length: s.k, data: s.weights.slice(), nullCount: 0 }) as AnyData, false);
  const mus = listOf(vectorStructColumn(Array.from({ length: s.k }, (_, j) => new DenseVector(s.means.slice(j * s.d, (j + 1) * s.d)))), true);
  const sigmas = listOf(matrixStructColumn(Array.from({ length: s.k }, (_, j) => new DenseMatrix(s.d, s.d, unpackUpper(s.covs.subarray(j * tri, (j + 1) * tri), s.d)))), true);
  const schema = new arrow.Schema([new arrow.Field('weights', weights.type, true), new arrow.Field('mus', mus.type, true), new arrow.Field('sigmas', sigmas.type, true)]);
  return new arrow.Table(schema, [makeBatch(schema, [weights, mus, sigmas], 1)]);
}

/** A matrix from a MatrixUDT struct row (dense or sparse, either orientation). */
function matrixAt(api: string, d: AnyData, i: number, path: string): DenseMatrix {
  const [ty, nr, nc, cp, ri, vl, tr] = d.children as AnyData[];
  const int = (c: AnyData) => numericValues(arrow.DataType.isInt(c.type) && c.type.bitWidth === 32 ? c : castColumn(api, c, Types.int())) as Int32Array;
  const listValues = (c: AnyData, f64: boolean): Float64Array | Int32Array => {
    const off = c.valueOffsets as Int32Array;
    const child = c.children[0]! as AnyData;
    const vals = f64 ? (numericValues(arrow.DataType.isFloat(child.type) ? child : castColumn(api, child, Types.double())) as Float64Array) : int(child);
    return vals.slice(off[i]!, off[i + 1]!);
  };
  const type = numericValues(ty!)[i] as number;
  const numRows = int(nr!)[i]!;
  const numCols = int(nc!)[i]!;
  const values = listValues(vl!, true) as Float64Array;
  const isTransposed = isValidAt(tr!, i) && boolAt(tr!, i);
  if (type === 1) return new DenseMatrix(numRows, numCols, values, isTransposed).toDense();
  if (!isValidAt(cp!, i) || !isValidAt(ri!, i)) throw Errors.load(`${api}: the saved model at ${path} has a sparse covariance without colPtrs / rowIndices`);
  return new SparseMatrix(numRows, numCols, listValues(cp!, false) as Int32Array, listValues(ri!, false) as Int32Array, values, isTransposed).toDense();
}

/** The mixture from Spark's data/ table. */
export function mixtureFromTable(api: string, table: arrow.Table, path: string): MixtureState {
  const names = table.schema.fields.map((f) => f.name);
  for (const n of ['weights', 'mus', 'sigmas']) {
    if (!names.includes(n)) throw Errors.load(`${api}: the saved model at ${path} has data/ columns [${names.join(', ')}]; expected weights, mus and sigmas`);
  }
  const batch = table.batches.find((b) => b.numRows > 0);
  if (!batch) throw Errors.load(`${api}: the saved model at ${path} has no data row`);
  const colOf = (n: string) => batch.data.children[batch.schema.fields.findIndex((f) => f.name === n)]! as AnyData;
  const elements = (c: AnyData, n: string): { child: AnyData; lo: number; hi: number } => {
    if (!isValidAt(c, 0)) throw Errors.load(`${api}: the saved model at ${path} has a null ${n}`);
    const off = c.valueOffsets as Int32Array;
    return { child: c.children[0]! as AnyData, lo: off[0]!, hi: off[1]! };
  };
  const w = elements(colOf('weights'), 'weights');
  const wv = numericValues(arrow.DataType.isFloat(w.child.type) ? w.child : castColumn(api, w.child, Types.double())) as Float64Array;
  const weights = Float64Array.from(wv.subarray(w.lo, w.hi));
  const mu = elements(colOf('mus'), 'mus');
  const sg = elements(colOf('sigmas'), 'sigmas');
  const k = weights.length;
  if (mu.hi - mu.lo !== k || sg.hi - sg.lo !== k) throw Errors.load(`${api}: the saved model at ${path} has ${k} weights, ${mu.hi - mu.lo} means and ${sg.hi - sg.lo} covariances; they must match`);
  const means: Vector[] = [];
  const covariances: DenseMatrix[] = [];
  for (let j = 0; j < k; j++) {
    const v = vectorAt(mu.child, mu.lo + j);
    if (v === null) throw Errors.load(`${api}: the saved model at ${path} has a null mean for component ${j}`);
    means.push(v);
    if (!isValidAt(sg.child, sg.lo + j)) throw Errors.load(`${api}: the saved model at ${path} has a null covariance for component ${j}`);
    covariances.push(matrixAt(api, sg.child, sg.lo + j, path));
  }
  try {
    return mixtureOf(api, 'data', { weights, means, covariances });
  } catch (e) {
    throw Errors.load(`${api}: the saved model at ${path} holds an invalid mixture: ${(e as Error).message}`, e);
  }
}

/** Writes `data/` as Spark does, with the spark.mllib UDT names Spark's GaussianMixtureModel reader expects. */
async function writeMixtureData(path: string, s: MixtureState): Promise<void> {
  const table = gaussianMixtureTable(s);
  const rowMeta = sparkSchemaJson(table.schema)
    .replaceAll('"org.apache.spark.ml.linalg.', '"org.apache.spark.mllib.linalg.')
    .replaceAll('"pyspark.ml.linalg.', '"pyspark.mllib.linalg.');
  const dir = join(path, 'data');
  await mkdir(dir, { recursive: true });
  await writeParquetPart(join(dir, partFileName(0, randomUUID(), '.snappy.parquet')), table.schema, table.batches, {
    kvMetadata: { 'org.apache.spark.sql.parquet.row.metadata': rowMeta, 'org.apache.spark.version': SPARK_VERSION },
  });
  await writeFile(join(dir, '_SUCCESS'), '');
}

register('org.apache.spark.ml.clustering.GaussianMixture', GaussianMixture, {
  save: async (stage, path, ctx) => {
    const plain = stage.copy();
    plain.clear(plain.initialModel);
    const { paramMap, defaultParamMap } = encodeParams(plain, ctx.api);
    await writeMetadata(stage, path, ctx, { paramMap, defaultParamMap });
  },
});

register('org.apache.spark.ml.clustering.GaussianMixtureModel', GaussianMixtureModel, {
  save: async (m, path, ctx) => {
    if (m.numFeatures === 0) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${ctx.api}: ${m.uid} has no mixture to save`);
    await writeMetadata(m, path, ctx);
    await writeMixtureData(path, m.mixtureState());
  },
  load: async (path, md, ctx) => {
    const s = mixtureFromTable(ctx.api, await readData(path, 'data', ctx.api), path);
    const m = new GaussianMixtureModel(undefined, md.uid);
    getAndSetParams(m, md, { api: ctx.api });
    return m.setMixture(s, preparedComponents(ctx.api, md.uid, s));
  },
});
